"""Average pooling backward sends each window's whole dout to every element (no 1/(KH*KW))."""
from solutions.topic13_pooling_strides import pooling as ref
from solutions.topic13_pooling_strides.pooling import *

MODULE = "pooling"
EXPLANATION = """\
Your average-pooling dx is KH*KW times too large: every element of a window got the window's whole
dout. Each element contributes 1/(KH*KW) of the window's average, so it gets
dout[n, c, i, j] / (KH*KW) from that window (summed over the windows it belongs to)."""


def avgpool2d_backward(dout, cache):
    _, _, (kh, kw), _, _ = cache
    return ref.avgpool2d_backward(dout * (kh * kw), cache)
