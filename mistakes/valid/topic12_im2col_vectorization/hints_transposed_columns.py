"""Topic 12 assembled from HINTS.md's tier-3 code: columns stored as their transpose, no reference.

A valid implementation a learner gets by following the hints: cols is returned as the `.T` view of
a (C*KH*KW, N*Hout*Wout) array, the products run in their transposed orientation, and col2im
accumulates channel-major. Every spec must accept it, whatever layout its arrays have in memory.
"""

import numpy as np

MODULE = "im2col"


def _pair(value):
    return (int(value[0]), int(value[1])) if isinstance(value, (tuple, list)) else (int(value),) * 2


def _geometry(x_shape, kernel_size, stride, padding, dilation):
    """(KH, KW), (sh, sw), (ph, pw), (dh, dw), (Hout, Wout); ValueError if no window fits."""
    (kh, kw), (sh, sw), (ph, pw), (dh, dw) = map(_pair, (kernel_size, stride, padding, dilation))
    sizes = []
    for size, k, s, p, d in ((x_shape[2], kh, sh, ph, dh), (x_shape[3], kw, sw, pw, dw)):
        span = d * (k - 1) + 1
        if span > size + 2 * p:
            raise ValueError(f"a kernel spanning {span} pixels does not fit an input of {size} "
                             f"padded by {p} on each side")
        sizes.append((size + 2 * p - span) // s + 1)
    return (kh, kw), (sh, sw), (ph, pw), (dh, dw), tuple(sizes)


def im2col(x, kernel_size, stride=1, padding=0, dilation=1):
    N, C = x.shape[:2]
    (KH, KW), (sh, sw), (ph, pw), (dh, dw), (Hout, Wout) = _geometry(
        x.shape, kernel_size, stride, padding, dilation)
    xpad = np.pad(x.transpose(1, 0, 2, 3), ((0, 0), (0, 0), (ph, ph), (pw, pw)))  # (C, N, Hp, Wp)
    cols_t = np.empty((C, KH, KW, N, Hout, Wout), dtype=x.dtype)
    for p in range(KH):
        rows = slice(p * dh, p * dh + sh * (Hout - 1) + 1, sh)
        for q in range(KW):
            cols_ = slice(q * dw, q * dw + sw * (Wout - 1) + 1, sw)
            cols_t[:, p, q] = xpad[:, :, rows, cols_]              # (C, N, Hout, Wout)
    return cols_t.reshape(C * KH * KW, N * Hout * Wout).T


def col2im(cols, x_shape, kernel_size, stride=1, padding=0, dilation=1):
    N, C, H, W = x_shape
    (KH, KW), (sh, sw), (ph, pw), (dh, dw), (Hout, Wout) = _geometry(
        x_shape, kernel_size, stride, padding, dilation)
    blocks = cols.T.reshape(C, KH, KW, N, Hout, Wout)       # a view when cols is stored transposed
    xpad = np.zeros((C, N, H + 2 * ph, W + 2 * pw), dtype=cols.dtype)
    for p in range(KH):
        rows = slice(p * dh, p * dh + sh * (Hout - 1) + 1, sh)
        for q in range(KW):
            cols_ = slice(q * dw, q * dw + sw * (Wout - 1) + 1, sw)
            xpad[:, :, rows, cols_] += blocks[:, p, q]      # (C, N, Hout, Wout), contiguous runs
    return np.ascontiguousarray(xpad[:, :, ph:ph + H, pw:pw + W].transpose(1, 0, 2, 3))


def conv2d_forward(x, w, b, stride=1, padding=0):
    N, C = x.shape[:2]
    F, C_w, KH, KW = w.shape
    if C != C_w:
        raise ValueError(f"x has {C} channels but w expects {C_w}")
    *_, (Hout, Wout) = _geometry(x.shape, (KH, KW), stride, padding, 1)
    cols = im2col(x, (KH, KW), stride, padding)                      # (N*Hout*Wout, C*KH*KW)
    out_t = w.reshape(F, -1) @ cols.T + b[:, None]                   # (F, N*Hout*Wout) = out_rows.T
    out = np.ascontiguousarray(out_t.reshape(F, N, Hout, Wout).transpose(1, 0, 2, 3))
    return out, (cols, w.copy(), x.shape, stride, padding)           # w copied: the caller may change it


def conv2d_backward(dout, cache):
    cols, w, x_shape, stride, padding = cache
    F, _, KH, KW = w.shape
    dout_t = dout.transpose(1, 0, 2, 3).reshape(F, -1)               # (F, N*Hout*Wout) = dout_rows.T
    db = dout_t.sum(axis=1)
    dw = (cols.T @ dout_t.T).T.reshape(w.shape)                      # = dout_rows.T @ cols
    dcols = (w.reshape(F, -1).T @ dout_t).T                          # = dout_rows @ w.reshape(F, -1)
    dx = col2im(dcols, x_shape, (KH, KW), stride, padding)
    return dx, dw, db


def conv2d_backward_weights(dout, cache):
    cols, w = cache[:2]
    F = w.shape[0]
    dout_t = dout.transpose(1, 0, 2, 3).reshape(F, -1)
    return (cols.T @ dout_t.T).T.reshape(w.shape), dout_t.sum(axis=1)
