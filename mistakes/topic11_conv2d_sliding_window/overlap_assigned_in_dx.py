"""Assigns each window's contribution to dx instead of adding it (overlapping windows lose it)."""
import numpy as np

from solutions.topic11_conv2d_sliding_window.conv2d import *

MODULE = "conv2d"
EXPLANATION = """\
Your dx keeps only one window's contribution where windows overlap: you assigned (=) each
window's gradient into dxpad. A pixel that sat in several windows receives gradient from each
of them: use dxpad[:, :, rows, cols] += ... ."""


def conv2d_backward_naive(dout, cache):
    xpad, w, (sh, sw), (ph, pw), (N, C, H, W) = cache
    KH, KW = w.shape[2:]
    dxpad, dw = np.zeros_like(xpad), np.zeros_like(w)
    for i in range(dout.shape[2]):
        for j in range(dout.shape[3]):
            rows, cols = slice(i * sh, i * sh + KH), slice(j * sw, j * sw + KW)
            dw += np.tensordot(dout[:, :, i, j], xpad[:, :, rows, cols], axes=([0], [0]))
            dxpad[:, :, rows, cols] = np.tensordot(dout[:, :, i, j], w, axes=([1], [0]))
    return dxpad[:, :, ph:ph + H, pw:pw + W].copy(), dw, dout.sum(axis=(0, 2, 3))
