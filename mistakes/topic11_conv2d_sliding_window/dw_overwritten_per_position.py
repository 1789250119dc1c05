"""Writes dw = ... at each output position, so only the last window's contribution survives."""
import numpy as np

from solutions.topic11_conv2d_sliding_window import conv2d as ref
from solutions.topic11_conv2d_sliding_window.conv2d import *

MODULE = "conv2d"
EXPLANATION = """\
Your dw keeps only the last window's contribution: you wrote dw = ... at each (i, j). The same
weights meet every window, so their gradient is the sum over all positions (and samples):
start from dw = np.zeros_like(w) and use dw += ... in the loop."""


def conv2d_backward_naive(dout, cache):
    dx, _, db = ref.conv2d_backward_naive(dout, cache)
    xpad, w, (sh, sw), _, _ = cache
    KH, KW = w.shape[2:]
    for i in range(dout.shape[2]):
        for j in range(dout.shape[3]):
            window = xpad[:, :, i * sh:i * sh + KH, j * sw:j * sw + KW]
            dw = np.tensordot(dout[:, :, i, j], window, axes=([0], [0]))
    return dx, dw, db
