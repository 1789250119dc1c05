"""Average pooling divides by KH*KH, as if every window were square (wrong for (KH, KW) pairs)."""
from solutions.topic13_pooling_strides import pooling as ref
from solutions.topic13_pooling_strides.pooling import *

MODULE = "pooling"
EXPLANATION = """\
Your average divides by KH*KH, as if every window were square: for a (KH, KW) window with
KH != KW the averages are off by KW/KH. A window holds KH*KW elements: turn kernel_size into an
(h, w) pair at the top and divide by KH*KW, in the forward and in the backward."""


def _rescale(kernel_size):
    kh, kw = ref.pair(kernel_size)
    return kw / kh


def avgpool2d_forward(x, kernel_size, stride=None, padding=0):
    out, cache = ref.avgpool2d_forward(x, kernel_size, stride, padding)
    return (out * _rescale(kernel_size)).astype(out.dtype), cache


def avgpool2d_backward(dout, cache):
    dx = ref.avgpool2d_backward(dout, cache)
    return (dx * _rescale(cache[2])).astype(dx.dtype)
