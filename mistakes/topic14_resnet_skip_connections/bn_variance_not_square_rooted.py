"""Batch norm divides by var + eps instead of sqrt(var + eps)."""
from mistakes.topic14_resnet_skip_connections import bn_backward, bn_forward
from solutions.topic14_resnet_skip_connections.residual import *

MODULE = "residual"
EXPLANATION = """\
You divide by var + eps, the variance, instead of the standard deviation sqrt(var + eps).
x_hat = (x - mean) / np.sqrt(var + eps): only then does each channel end up with variance close to
1 (exactly var / (var + eps))."""


def batchnorm2d_forward(x, gamma, beta, state, train=True, momentum=0.1, eps=1e-5):
    return bn_forward(x, gamma, beta, state, train, momentum, eps, mistake="variance_not_square_rooted")


def batchnorm2d_backward(dout, cache):
    return bn_backward(dout, cache)
