"""im2col and col2im spread the taps by the stride and step the windows by the dilation."""
import numpy as np

from solutions.topic12_im2col_vectorization.im2col import *

MODULE = "im2col"
EXPLANATION = """\
Your windows step by the dilation and your taps are spread apart by the stride: the two roles are
swapped. The stride is the step between two windows (window (i, j) starts at row i*sh, column
j*sw); the dilation is the gap between the taps of one window (tap (p, q) is p*dh rows and q*dw
columns from the window's corner): cols[(n, i, j), (c, p, q)] = xpad[n, c, i*sh + p*dh, j*sw + q*dw]."""


def _pair(value):
    return tuple(value) if isinstance(value, (tuple, list)) else (value, value)


def _sizes(x_shape, kernel_size, stride, padding, dilation):
    """Every argument as an (h, w) pair, and Hout, Wout (a learner's im2col starts so)."""
    (KH, KW), (sh, sw), (ph, pw), (dh, dw) = map(_pair, (kernel_size, stride, padding, dilation))
    Hout = (x_shape[2] + 2 * ph - dh * (KH - 1) - 1) // sh + 1
    Wout = (x_shape[3] + 2 * pw - dw * (KW - 1) - 1) // sw + 1
    if min(Hout, Wout) < 1:
        raise ValueError(f"a {KH}x{KW} kernel (dilation {dh}x{dw}) does not fit an input of "
                         f"{x_shape[2]}x{x_shape[3]} padded by {ph}x{pw}: Hout = {Hout}, Wout = {Wout}")
    return (KH, KW), (sh, sw), (ph, pw), (dh, dw), Hout, Wout


def _im2col(x, kernel_size, stride=1, padding=0, dilation=1):
    N, C = x.shape[:2]
    (KH, KW), (sh, sw), (ph, pw), (dh, dw), Hout, Wout = _sizes(
        x.shape, kernel_size, stride, padding, dilation)
    xpad = np.pad(x, ((0, 0), (0, 0), (ph, ph), (pw, pw)))
    cols6 = np.empty((N, C, KH, KW, Hout, Wout), dtype=x.dtype)
    for p in range(KH):
        rows = slice(p * dh, p * dh + sh * (Hout - 1) + 1, sh)
        for q in range(KW):
            cols_ = slice(q * dw, q * dw + sw * (Wout - 1) + 1, sw)
            cols6[:, :, p, q] = xpad[:, :, rows, cols_]
    return cols6.transpose(0, 4, 5, 1, 2, 3).reshape(N * Hout * Wout, C * KH * KW)


def _col2im(cols, x_shape, kernel_size, stride=1, padding=0, dilation=1):
    N, C, H, W = x_shape
    (KH, KW), (sh, sw), (ph, pw), (dh, dw), Hout, Wout = _sizes(
        x_shape, kernel_size, stride, padding, dilation)
    blocks = cols.reshape(N, Hout, Wout, C, KH, KW).transpose(0, 3, 4, 5, 1, 2)
    xpad = np.zeros((N, C, H + 2 * ph, W + 2 * pw), dtype=cols.dtype)
    for p in range(KH):
        rows = slice(p * dh, p * dh + sh * (Hout - 1) + 1, sh)
        for q in range(KW):
            cols_ = slice(q * dw, q * dw + sw * (Wout - 1) + 1, sw)
            xpad[:, :, rows, cols_] += blocks[:, :, p, q]
    return xpad[:, :, ph:ph + H, pw:pw + W].copy()


def im2col(x, kernel_size, stride=1, padding=0, dilation=1):
    return _im2col(x, kernel_size, stride=dilation, padding=padding, dilation=stride)


def col2im(cols, x_shape, kernel_size, stride=1, padding=0, dilation=1):
    return _col2im(cols, x_shape, kernel_size, stride=dilation, padding=padding, dilation=stride)
