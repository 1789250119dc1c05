"""Reads stride=None (the default) as a stride of 1 instead of the kernel size."""
from solutions.topic13_pooling_strides import pooling as ref
from solutions.topic13_pooling_strides.pooling import *

MODULE = "pooling"
EXPLANATION = """\
Your pooling reads stride=None as a stride of 1. stride=None (the default) means the kernel
size: windows tile the image without overlapping. Write stride = kernel if stride is None, after
turning both into (h, w) pairs."""


def maxpool2d_forward(x, kernel_size, stride=None, padding=0):
    return ref.maxpool2d_forward(x, kernel_size, 1 if stride is None else stride, padding)


def avgpool2d_forward(x, kernel_size, stride=None, padding=0):
    return ref.avgpool2d_forward(x, kernel_size, 1 if stride is None else stride, padding)
