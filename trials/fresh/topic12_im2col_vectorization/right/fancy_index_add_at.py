"""Correct: classic index-array im2col (one fancy-indexing gather) and col2im with np.add.at; the convolution via tensordot.
"""

MODULE = "im2col"

import numpy as np


def _pair(v):
    return (int(v[0]), int(v[1])) if isinstance(v, (tuple, list)) else (int(v), int(v))


def _indices(x_shape, kernel_size, stride, padding, dilation):
    N, C, H, W = x_shape
    (KH, KW), (sh, sw), (ph, pw), (dh, dw) = map(_pair, (kernel_size, stride, padding, dilation))
    for axis, span, size, pad in (("height", dh * (KH - 1) + 1, H, ph),
                                  ("width", dw * (KW - 1) + 1, W, pw)):
        if span > size + 2 * pad:
            raise ValueError(f"a kernel spanning {span} pixels does not fit an input of {size} "
                             f"padded by {pad} ({axis})")
    Hout = (H + 2 * ph - dh * (KH - 1) - 1) // sh + 1
    Wout = (W + 2 * pw - dw * (KW - 1) - 1) // sw + 1
    # column axis (c, p, q), row axis (i, j)
    c = np.repeat(np.arange(C), KH * KW)[:, None]
    r = (np.tile(np.repeat(np.arange(KH) * dh, KW), C)[:, None]
         + np.repeat(np.arange(Hout) * sh, Wout)[None, :])
    s = (np.tile(np.arange(KW) * dw, KH * C)[:, None]
         + np.tile(np.arange(Wout) * sw, Hout)[None, :])
    return (N, C, H, W, ph, pw, Hout, Wout), c, r, s


def im2col(x, kernel_size, stride=1, padding=0, dilation=1):
    (N, C, H, W, ph, pw, Hout, Wout), c, r, s = _indices(x.shape, kernel_size, stride, padding,
                                                       dilation)
    xpad = np.pad(x, ((0, 0), (0, 0), (ph, ph), (pw, pw)))
    gathered = xpad[:, c, r, s]                       # (N, C*KH*KW, Hout*Wout), a fresh array
    return gathered.transpose(0, 2, 1).reshape(N * Hout * Wout, -1)


def col2im(cols, x_shape, kernel_size, stride=1, padding=0, dilation=1):
    (N, C, H, W, ph, pw, Hout, Wout), c, r, s = _indices(x_shape, kernel_size, stride, padding,
                                                       dilation)
    xpad = np.zeros((N, C, H + 2 * ph, W + 2 * pw), dtype=cols.dtype)
    per_sample = cols.reshape(N, Hout * Wout, -1).transpose(0, 2, 1)
    np.add.at(xpad, (slice(None), c, r, s), per_sample)
    return xpad[:, :, ph:ph + H, pw:pw + W].copy()


def conv2d_forward(x, w, b, stride=1, padding=0):
    N, C = x.shape[:2]
    F, Cw, KH, KW = w.shape
    if Cw != C:
        raise ValueError(f"x has {C} channels, w expects {Cw}")
    cols = im2col(x, (KH, KW), stride, padding)
    rows = np.tensordot(cols, w.reshape(F, -1), axes=(1, 1)) + b     # (N*Hout*Wout, F)
    Hout = rows.shape[0] // N
    (sh, sw), (ph, pw) = _pair(stride), _pair(padding)
    Wout = (x.shape[3] + 2 * pw - KW) // sw + 1
    out = rows.reshape(N, Hout // Wout, Wout, F).transpose(0, 3, 1, 2)
    return np.ascontiguousarray(out, dtype=x.dtype), {"cols": cols, "w": w.copy(),
                                                      "x_shape": x.shape, "geo": (stride, padding)}


def conv2d_backward(dout, cache):
    cols, w = cache["cols"], cache["w"]
    F = w.shape[0]
    rows = dout.transpose(0, 2, 3, 1).reshape(-1, F)
    db = rows.sum(axis=0)
    dw = np.tensordot(rows, cols, axes=(0, 0)).reshape(w.shape)
    dcols = rows @ w.reshape(F, -1)
    stride, padding = cache["geo"]
    dx = col2im(dcols, cache["x_shape"], w.shape[2:], stride, padding)
    return dx, dw, db
