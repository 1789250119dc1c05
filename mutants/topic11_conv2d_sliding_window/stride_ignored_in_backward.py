"""Backward places every window as if the stride were 1."""
from solutions.topic11_conv2d_sliding_window import conv2d as ref
from solutions.topic11_conv2d_sliding_window.conv2d import *

MODULE = "conv2d"


def conv2d_backward_naive(dout, cache):
    xpad, w, _stride, padding, x_shape = cache
    return ref.conv2d_backward_naive(dout, (xpad, w, (1, 1), padding, x_shape))
