"""db is the mean of dout over (N, H, W) instead of its sum."""
from solutions.topic11_conv2d_sliding_window import conv2d as ref
from solutions.topic11_conv2d_sliding_window.conv2d import *

MODULE = "conv2d"
EXPLANATION = """\
Your db is the mean of dout instead of its sum, so it is N*Hout*Wout times too small. The bias is
added once to every output of every sample, and each of them sends its dout back to it:
db = dout.sum(axis=(0, 2, 3))."""


def conv2d_backward_naive(dout, cache):
    dx, dw, _ = ref.conv2d_backward_naive(dout, cache)
    return dx, dw, dout.mean(axis=(0, 2, 3))
