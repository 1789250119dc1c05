"""Max pooling ignores the stride and steps by the kernel size (passes 2x2/stride-2-only tests)."""
from solutions.topic13_pooling_strides import pooling as ref
from solutions.topic13_pooling_strides.pooling import *

MODULE = "pooling"
EXPLANATION = """\
Your max pooling steps by the kernel size whatever the stride: that passes 2x2/stride-2 tests
only. Window (i, j) starts at row i*sh and column j*sw: use the stride in the output size
(H + 2*ph - KH) // sh + 1 and in the slices p : p + sh*(Hout-1) + 1 : sh."""


def maxpool2d_forward(x, kernel_size, stride=None, padding=0):
    return ref.maxpool2d_forward(x, kernel_size, None, padding)
