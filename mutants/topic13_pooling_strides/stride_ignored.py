"""Max pooling ignores the stride and steps by the kernel size (passes 2x2/stride-2-only tests)."""
from solutions.topic13_pooling_strides import pooling as ref
from solutions.topic13_pooling_strides.pooling import *

MODULE = "pooling"


def maxpool2d_forward(x, kernel_size, stride=None, padding=0):
    return ref.maxpool2d_forward(x, kernel_size, None, padding)
