"""Eval mode normalizes with the batch's statistics (and leaves state alone) instead of the running ones."""
from solutions.topic14_resnet_skip_connections import residual as ref
from solutions.topic14_resnet_skip_connections.residual import *

MODULE = "residual"
EXPLANATION = """\
In eval mode (train=False) your batchnorm2d_forward normalizes with the batch's own mean and
variance. Eval mode must use state["running_mean"] and state["running_var"] instead, so that one
image is classified the same alone or in any batch, and must leave state alone."""


def batchnorm2d_forward(x, gamma, beta, state, train=True, momentum=0.1, eps=1e-5):
    scratch = dict(state)
    return ref.batchnorm2d_forward(x, gamma, beta, scratch, True, momentum, eps)
