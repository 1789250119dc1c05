"""db sums dout over the positions of the first sample only."""
from solutions.topic11_conv2d_sliding_window import conv2d as ref
from solutions.topic11_conv2d_sliding_window.conv2d import *

MODULE = "conv2d"
EXPLANATION = """\
Your db is the sum of dout over the positions of the first sample only (dout[0]). The bias is
added to every output of every sample, so its gradient collects all of them:
db = dout.sum(axis=(0, 2, 3)), summing over the batch N as well as over Hout and Wout."""


def conv2d_backward_naive(dout, cache):
    dx, dw, _ = ref.conv2d_backward_naive(dout, cache)
    return dx, dw, dout[0].sum(axis=(1, 2))
