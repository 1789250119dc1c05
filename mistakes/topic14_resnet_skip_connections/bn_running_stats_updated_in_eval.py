"""Eval mode uses the running statistics but then updates them as train mode would."""
from solutions.topic14_resnet_skip_connections import residual as ref
from solutions.topic14_resnet_skip_connections.residual import *

MODULE = "residual"
EXPLANATION = """\
In eval mode your batchnorm2d_forward normalizes with the running statistics but then updates
them as in train mode. Eval mode must leave state untouched: no assignment to running_mean or
running_var at all when train=False."""


def batchnorm2d_forward(x, gamma, beta, state, train=True, momentum=0.1, eps=1e-5):
    out, cache = ref.batchnorm2d_forward(x, gamma, beta, state, train, momentum, eps)
    if not train:
        ref.batchnorm2d_forward(x, gamma, beta, state, True, momentum, eps)
    return out, cache
