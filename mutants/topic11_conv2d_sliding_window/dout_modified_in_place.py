"""Right gradients, but zeroes each dout entry once it is used (modifies the caller's dout)."""
from solutions.topic11_conv2d_sliding_window import conv2d as ref
from solutions.topic11_conv2d_sliding_window.conv2d import *

MODULE = "conv2d"


def conv2d_backward_naive(dout, cache):
    grads = ref.conv2d_backward_naive(dout, cache)
    dout[...] = 0  # "consumed"
    return grads
