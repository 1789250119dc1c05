"""Computes Hout as (H + 2p - KH + 1) // s, which drops the last window for some strides."""
from solutions.topic11_conv2d_sliding_window import conv2d as ref
from solutions.topic11_conv2d_sliding_window.conv2d import *

MODULE = "conv2d"
EXPLANATION = """\
Your output misses its last row or column for some strides: you computed
Hout = (H + 2*ph - KH + 1) // sh. The window fits (H + 2*ph - KH) // sh + 1 times: count the
first window, then one more per full stride that still fits."""


def conv2d_forward_naive(x, w, b, stride=1, padding=0):
    out, (xpad, w_, stride_, padding_, x_shape) = ref.conv2d_forward_naive(x, w, b, stride, padding)
    (sh, sw), (ph, pw) = stride_, padding_
    hout = (x.shape[2] + 2 * ph - w.shape[2] + 1) // sh
    wout = (x.shape[3] + 2 * pw - w.shape[3] + 1) // sw
    return out[:, :, :hout, :wout].copy(), (xpad, w_, stride_, padding_, x_shape)
