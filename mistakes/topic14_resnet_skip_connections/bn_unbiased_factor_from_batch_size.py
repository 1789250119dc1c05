"""running_var receives var * N / (N - 1) instead of var * m / (m - 1), m = N * H * W."""
from mistakes.topic14_resnet_skip_connections import bn_backward, bn_forward
from solutions.topic14_resnet_skip_connections.residual import *

MODULE = "residual"
EXPLANATION = """\
Your running_var uses var * N / (N - 1), with N the batch size. The unbiased correction counts
every value the variance was taken over, m = N * H * W: running_var = (1 - momentum) *
running_var + momentum * var * m / (m - 1)."""


def batchnorm2d_forward(x, gamma, beta, state, train=True, momentum=0.1, eps=1e-5):
    return bn_forward(x, gamma, beta, state, train, momentum, eps, mistake="unbiased_factor_from_batch_size")


def batchnorm2d_backward(dout, cache):
    return bn_backward(dout, cache)
