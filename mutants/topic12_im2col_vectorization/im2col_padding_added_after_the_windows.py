"""im2col takes the windows of the unpadded image and pads the grid of windows with zero rows."""
import numpy as np

from solutions.topic12_im2col_vectorization.im2col import *

MODULE = "im2col"
EXPLANATION = """\
Your cols holds the windows of the image without padding, surrounded by rows of zeros: you padded
after cutting the windows. The padding belongs to the image: pad x first
(np.pad(x, ((0, 0), (0, 0), (ph, ph), (pw, pw)))), then every window, including those that
overlap the border, is cut from the padded image and holds real pixels next to the zeros."""


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
    N, C, H, W = x.shape
    (KH, KW), (sh, sw), (ph, pw), (dh, dw), Hout, Wout = _sizes(
        x.shape, kernel_size, stride, padding, dilation)
    # the windows that fit the image itself...
    Hin = max((H - dh * (KH - 1) - 1) // sh + 1, 0)
    Win = max((W - dw * (KW - 1) - 1) // sw + 1, 0)
    cols6 = np.zeros((N, C, KH, KW, Hout, Wout), dtype=x.dtype)
    top, left = min(ph, Hout - min(Hin, Hout)), min(pw, Wout - min(Win, Wout))
    Hin, Win = min(Hin, Hout - top), min(Win, Wout - left)
    for p in range(KH):
        rows = slice(p * dh, p * dh + sh * (Hin - 1) + 1, sh)
        for q in range(KW):
            cols_ = slice(q * dw, q * dw + sw * (Win - 1) + 1, sw)
            if Hin > 0 and Win > 0:
                # ...and the padding added afterwards, as rows of zeros around them
                cols6[:, :, p, q, top:top + Hin, left:left + Win] = x[:, :, rows, cols_]
    return cols6.transpose(0, 4, 5, 1, 2, 3).reshape(N * Hout * Wout, C * KH * KW)
