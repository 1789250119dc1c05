"""db is the mean of dout over (N, H, W) instead of its sum."""
from solutions.topic11_conv2d_sliding_window import conv2d as ref
from solutions.topic11_conv2d_sliding_window.conv2d import *

MODULE = "conv2d"


def conv2d_backward_naive(dout, cache):
    dx, dw, _ = ref.conv2d_backward_naive(dout, cache)
    return dx, dw, dout.mean(axis=(0, 2, 3))
