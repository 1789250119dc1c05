"""Reads stride=None (the default) as a stride of 1 instead of the kernel size."""
from solutions.topic13_pooling_strides import pooling as ref
from solutions.topic13_pooling_strides.pooling import *

MODULE = "pooling"


def maxpool2d_forward(x, kernel_size, stride=None, padding=0):
    return ref.maxpool2d_forward(x, kernel_size, 1 if stride is None else stride, padding)


def avgpool2d_forward(x, kernel_size, stride=None, padding=0):
    return ref.avgpool2d_forward(x, kernel_size, 1 if stride is None else stride, padding)
