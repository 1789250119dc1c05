"""Average pooling divides each window's sum by sh*sw (the stride's area) instead of KH*KW."""
from solutions.topic13_pooling_strides import pooling as ref
from solutions.topic13_pooling_strides.pooling import *

MODULE = "pooling"
EXPLANATION = """\
Your average divides each window's sum by the stride's area sh*sw. That is the window's size only
for the classic stride=None case, where the stride is the kernel. A window always holds KH*KW
elements (padding included), whatever the step between windows: divide by KH*KW, in the forward
and in the backward."""


def _rescale(kernel_size, stride):
    kh, kw = ref.pair(kernel_size)
    sh, sw = (kh, kw) if stride is None else ref.pair(stride)
    return (kh * kw) / (sh * sw)


def avgpool2d_forward(x, kernel_size, stride=None, padding=0):
    out, cache = ref.avgpool2d_forward(x, kernel_size, stride, padding)
    return (out * _rescale(kernel_size, stride)).astype(out.dtype), cache


def avgpool2d_backward(dout, cache):
    _, _, kernel, stride, _ = cache
    dx = ref.avgpool2d_backward(dout, cache)
    return (dx * _rescale(kernel, stride)).astype(dx.dtype)
