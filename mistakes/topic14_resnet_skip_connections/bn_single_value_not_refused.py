"""Batch norm in train mode accepts one value per channel (m = 1) and divides by m - 1 = 0."""
from mistakes.topic14_resnet_skip_connections import bn_backward, bn_forward
from solutions.topic14_resnet_skip_connections.residual import *

MODULE = "residual"
EXPLANATION = """\
In train mode your batch norm accepts a batch with one value per channel (N * H * W = 1): its
variance is 0 and the unbiased running variance divides by m - 1 = 0 (inf or nan). Refuse it as
PyTorch does: if m < 2, raise ValueError saying batch norm needs more than one value per channel."""


def batchnorm2d_forward(x, gamma, beta, state, train=True, momentum=0.1, eps=1e-5):
    return bn_forward(x, gamma, beta, state, train, momentum, eps, mistake="single_value_not_refused")


def batchnorm2d_backward(dout, cache):
    return bn_backward(dout, cache)
