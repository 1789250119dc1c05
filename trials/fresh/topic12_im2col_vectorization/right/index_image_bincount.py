"""Correct: im2col via sliding_window_view; col2im as a np.bincount over the im2col of an index image (0 marks padding).
"""

MODULE = "im2col"

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view


def _pair(v):
    return (int(v[0]), int(v[1])) if isinstance(v, (tuple, list)) else (int(v), int(v))


def im2col(x, kernel_size, stride=1, padding=0, dilation=1):
    N, C, H, W = x.shape
    (KH, KW), (sh, sw), (ph, pw), (dh, dw) = map(_pair, (kernel_size, stride, padding, dilation))
    span_h, span_w = dh * (KH - 1) + 1, dw * (KW - 1) + 1
    if span_h > H + 2 * ph or span_w > W + 2 * pw:
        bad = ("height", span_h, H, ph) if span_h > H + 2 * ph else ("width", span_w, W, pw)
        raise ValueError(f"a kernel spanning {bad[1]} pixels does not fit an input of {bad[2]} "
                         f"padded by {bad[3]} ({bad[0]})")
    xpad = np.pad(x, ((0, 0), (0, 0), (ph, ph), (pw, pw)))
    win = sliding_window_view(xpad, (span_h, span_w), axis=(2, 3))[:, :, ::sh, ::sw, ::dh, ::dw]
    Hout, Wout = win.shape[2], win.shape[3]               # (N, C, Hout, Wout, KH, KW)
    return win.transpose(0, 2, 3, 1, 4, 5).reshape(N * Hout * Wout, C * KH * KW).copy()


def col2im(cols, x_shape, kernel_size, stride=1, padding=0, dilation=1):
    size = int(np.prod(x_shape))
    where = im2col(np.arange(1, size + 1, dtype=np.int64).reshape(x_shape),
                   kernel_size, stride, padding, dilation)           # 0 = copied from padding
    if where.shape != cols.shape:
        raise ValueError(f"cols has shape {cols.shape}, expected {where.shape}")
    sums = np.bincount(where.ravel(), weights=cols.ravel(), minlength=size + 1)[1:]
    return sums.reshape(x_shape).astype(cols.dtype)


def conv2d_forward(x, w, b, stride=1, padding=0):
    if w.shape[1] != x.shape[1]:
        raise ValueError(f"w.shape[1] = {w.shape[1]} but x has {x.shape[1]} channels")
    F, _, KH, KW = w.shape
    N = x.shape[0]
    (sh, sw), (ph, pw) = _pair(stride), _pair(padding)
    Hout = (x.shape[2] + 2 * ph - KH) // sh + 1
    Wout = (x.shape[3] + 2 * pw - KW) // sw + 1
    cols = im2col(x, (KH, KW), stride, padding)
    out_t = w.reshape(F, -1) @ cols.T + b[:, None]
    out = out_t.reshape(F, N, Hout, Wout).transpose(1, 0, 2, 3).astype(x.dtype)
    return out, (cols, w.copy(), x.shape, stride, padding)


def conv2d_backward(dout, cache):
    cols, w, x_shape, stride, padding = cache
    F = w.shape[0]
    d_t = dout.transpose(1, 0, 2, 3).reshape(F, -1)
    db = d_t.sum(axis=1)
    dw = (d_t @ cols).reshape(w.shape)
    dx = col2im(d_t.T @ w.reshape(F, -1), x_shape, w.shape[2:], stride, padding)
    return dx, dw, db
