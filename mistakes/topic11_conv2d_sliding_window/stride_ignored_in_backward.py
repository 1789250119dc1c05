"""Backward places every window as if the stride were 1."""
from solutions.topic11_conv2d_sliding_window import conv2d as ref
from solutions.topic11_conv2d_sliding_window.conv2d import *

MODULE = "conv2d"
EXPLANATION = """\
Your backward places window (i, j) at row i, column j, as if the stride were 1: with stride 2 the
gradient lands on pixels the window never read. Walk the same windows as the forward:
rows i*sh : i*sh + KH, columns j*sw : j*sw + KW."""


def conv2d_backward_naive(dout, cache):
    xpad, w, _stride, padding, x_shape = cache
    return ref.conv2d_backward_naive(dout, (xpad, w, (1, 1), padding, x_shape))
