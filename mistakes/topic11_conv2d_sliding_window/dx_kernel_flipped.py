"""The backward spreads dout back through the kernel flipped in space (w[:, :, ::-1, ::-1])."""
import numpy as np

from solutions.topic11_conv2d_sliding_window.conv2d import *

MODULE = "conv2d"
EXPLANATION = """\
Your dx uses the kernel flipped upside down and left to right. "The input gradient is a
convolution with the flipped kernel" is true of the whole operation, but in this loop the flip
is already done by walking the same windows: window (i, j) met w as it is, so it gets back
dout[:, :, i, j] times w as it is, added into the slice of dxpad where the window was."""


def conv2d_backward_naive(dout, cache):
    xpad, w, (sh, sw), (ph, pw), (N, C, H, W) = cache
    KH, KW = w.shape[2:]
    flipped = w[:, :, ::-1, ::-1]
    dxpad, dw = np.zeros_like(xpad), np.zeros_like(w)
    for i in range(dout.shape[2]):
        for j in range(dout.shape[3]):
            rows, cols = slice(i * sh, i * sh + KH), slice(j * sw, j * sw + KW)
            g = dout[:, :, i, j]
            dw += np.tensordot(g, xpad[:, :, rows, cols], axes=([0], [0]))
            dxpad[:, :, rows, cols] += np.tensordot(g, flipped, axes=([1], [0]))
    return dxpad[:, :, ph:ph + H, pw:pw + W].copy(), dw, dout.sum(axis=(0, 2, 3))
