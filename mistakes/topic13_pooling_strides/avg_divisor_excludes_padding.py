"""Average pooling divides by the number of real elements in the window (padding left out)."""
import numpy as np

from solutions.topic13_pooling_strides import pooling as ref
from solutions.topic13_pooling_strides.pooling import *

MODULE = "pooling"
EXPLANATION = """\
Your average divides a border window by the number of real elements in it. The contract (and
PyTorch's default, count_include_pad=True) counts the zero padding in the divisor: every window
is divided by KH*KW, so a 3x3 window over the corner of an image of ones, padding 1, gives 4/9."""


def _real_counts(x, kernel_size, stride, padding):
    ones = np.ones((1, 1) + x.shape[2:], dtype=x.dtype)
    counts, _ = ref.avgpool2d_forward(ones, kernel_size, stride, padding)
    kh, kw = ref.pair(kernel_size)
    return counts * (kh * kw)


def avgpool2d_forward(x, kernel_size, stride=None, padding=0):
    out, cache = ref.avgpool2d_forward(x, kernel_size, stride, padding)
    counts = _real_counts(x, kernel_size, stride, padding)
    kh, kw = ref.pair(kernel_size)
    return out * (kh * kw) / counts, (cache, counts)


def avgpool2d_backward(dout, cache):
    cache, counts = cache
    kh, kw = cache[2]
    return ref.avgpool2d_backward(dout * (kh * kw) / counts, cache)
