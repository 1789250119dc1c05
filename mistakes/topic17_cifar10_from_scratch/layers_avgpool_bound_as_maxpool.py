"""layers.py binds Topic 13's average pooling under the max-pooling names."""

from solutions.topic13_pooling_strides import pooling
from solutions.topic17_cifar10_from_scratch.layers import *

MODULE = "layers"

EXPLANATION = """\
Your layers.py gives the milestone network average pooling where its name says max pooling: the
network still learns, more slowly, so only a direct check shows it. layers.py is given code that
binds your Topics 12-14 under their own names: restore maxpool2d_forward and maxpool2d_backward
from Topic 13's pooling module."""


def maxpool2d_forward(x, kernel_size, stride=None, padding=0):
    return pooling.avgpool2d_forward(x, kernel_size, stride, padding)


def maxpool2d_backward(dout, cache):
    return pooling.avgpool2d_backward(dout, cache)
