"""im2col sizes the output with the dilation but reads the taps next to each other (offset p, not p*d)."""
import numpy as np

from solutions.topic12_im2col_vectorization.im2col import *

MODULE = "im2col"
EXPLANATION = """\
Your im2col reads the taps of a dilated kernel next to each other: tap (p, q) is read at offset
(p, q) of the window instead of (p*dh, q*dw). Dilation spreads the taps apart:
cols[(n, i, j), (c, p, q)] = xpad[n, c, i*sh + p*dh, j*sw + q*dw], so each tap's slice starts at
row p*dh and column q*dw."""


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


def im2col(x, kernel_size, stride=1, padding=0, dilation=1):
    N, C = x.shape[:2]
    (KH, KW), (sh, sw), (ph, pw), (dh, dw), Hout, Wout = _sizes(
        x.shape, kernel_size, stride, padding, dilation)
    xpad = np.pad(x, ((0, 0), (0, 0), (ph, ph), (pw, pw)))
    cols6 = np.empty((N, C, KH, KW, Hout, Wout), dtype=x.dtype)
    for p in range(KH):
        rows = slice(p, p + sh * (Hout - 1) + 1, sh)
        for q in range(KW):
            cols_ = slice(q, q + sw * (Wout - 1) + 1, sw)
            cols6[:, :, p, q] = xpad[:, :, rows, cols_]
    return cols6.transpose(0, 4, 5, 1, 2, 3).reshape(N * Hout * Wout, C * KH * KW)
