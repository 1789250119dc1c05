"""The forward sizes the output with the stride but reads window (i, j) at row i, column j (step 1)."""

from solutions.topic11_conv2d_sliding_window import conv2d as ref
from solutions.topic11_conv2d_sliding_window.conv2d import *

MODULE = "conv2d"
EXPLANATION = """\
Your output has the right size, but window (i, j) starts at xpad[i, j] instead of
xpad[i*sh, j*sw]: the windows move one pixel at a time whatever the stride. The stride is the
step between two windows, so window (i, j) is xpad[:, :, i*sh : i*sh + KH, j*sw : j*sw + KW]."""


def conv2d_forward_naive(x, w, b, stride=1, padding=0):
    out, cache = ref.conv2d_forward_naive(x, w, b, stride=stride, padding=padding)
    every_position, _ = ref.conv2d_forward_naive(x, w, b, stride=1, padding=padding)
    Hout, Wout = out.shape[2:]
    return every_position[:, :, :Hout, :Wout].copy(), cache
