"""BN's dgamma sums dout * x (the raw input) instead of dout * x_hat."""
from mistakes.topic14_resnet_skip_connections import bn_backward, bn_forward
from solutions.topic14_resnet_skip_connections.residual import *

MODULE = "residual"
EXPLANATION = """\
Your dgamma sums dout * x, the raw input. out = gamma * x_hat + beta, so dgamma = (dout *
x_hat).sum(axis=(0, 2, 3)): the NORMALIZED input, which you keep in the cache for the backward."""


def batchnorm2d_forward(x, gamma, beta, state, train=True, momentum=0.1, eps=1e-5):
    return bn_forward(x, gamma, beta, state, train, momentum, eps, mistake="dgamma_from_x")


def batchnorm2d_backward(dout, cache):
    return bn_backward(dout, cache)
