"""im2col puts all the padding before the image (2*pad top and left, none after): windows shift."""
import numpy as np

from solutions.topic12_im2col_vectorization.im2col import *

MODULE = "im2col"
EXPLANATION = """\
Your im2col pads 2*ph rows above the image and none below (2*pw columns left, none right), so
every window is shifted by the padding. Padding is symmetric: ph rows above AND below,
np.pad(x, ((0, 0), (0, 0), (ph, ph), (pw, pw)))."""


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
    xpad = np.pad(x, ((0, 0), (0, 0), (2 * ph, 0), (2 * pw, 0)))
    cols6 = np.empty((N, C, KH, KW, Hout, Wout), dtype=x.dtype)
    for p in range(KH):
        rows = slice(p * dh, p * dh + sh * (Hout - 1) + 1, sh)
        for q in range(KW):
            cols_ = slice(q * dw, q * dw + sw * (Wout - 1) + 1, sw)
            cols6[:, :, p, q] = xpad[:, :, rows, cols_]
    return cols6.transpose(0, 4, 5, 1, 2, 3).reshape(N * Hout * Wout, C * KH * KW)
