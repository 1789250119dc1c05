"""im2col by fancy indexing with broadcast row/column indices, col2im by np.add.at (no Python loops): correct."""

MODULE = "im2col"

import numpy as np


def _hw(v):
    return (int(v[0]), int(v[1])) if isinstance(v, (tuple, list)) else (int(v), int(v))


def _index(x_shape, kernel_size, stride, padding, dilation):
    """Padded-image row and column index of every (output, tap) pair, and the sizes."""
    N, C, H, W = x_shape
    (KH, KW), (sh, sw), (ph, pw), (dh, dw) = map(_hw, (kernel_size, stride, padding, dilation))
    span_h, span_w = dh * (KH - 1) + 1, dw * (KW - 1) + 1
    if span_h > H + 2 * ph:
        raise ValueError(f"a kernel spanning {span_h} pixels does not fit an input of {H} padded by {ph}")
    if span_w > W + 2 * pw:
        raise ValueError(f"a kernel spanning {span_w} pixels does not fit an input of {W} padded by {pw}")
    Hout, Wout = (H + 2 * ph - span_h) // sh + 1, (W + 2 * pw - span_w) // sw + 1
    rows = np.arange(Hout)[:, None] * sh + np.arange(KH)[None, :] * dh     # (Hout, KH)
    cols = np.arange(Wout)[:, None] * sw + np.arange(KW)[None, :] * dw     # (Wout, KW)
    idx = (rows[:, None, :, None], cols[None, :, None, :])                 # -> (Hout, Wout, KH, KW)
    return idx, (ph, pw), (Hout, Wout), (KH, KW)


def im2col(x, kernel_size, stride=1, padding=0, dilation=1):
    N, C = x.shape[:2]
    (r, c), (ph, pw), (Hout, Wout), (KH, KW) = _index(x.shape, kernel_size, stride, padding, dilation)
    xpad = np.pad(x, ((0, 0), (0, 0), (ph, ph), (pw, pw)))
    six = xpad[:, :, r, c]                                                 # (N, C, Hout, Wout, KH, KW)
    return six.transpose(0, 2, 3, 1, 4, 5).reshape(N * Hout * Wout, C * KH * KW)


def col2im(cols, x_shape, kernel_size, stride=1, padding=0, dilation=1):
    N, C, H, W = x_shape
    (r, c), (ph, pw), (Hout, Wout), (KH, KW) = _index(x_shape, kernel_size, stride, padding, dilation)
    six = cols.reshape(N, Hout, Wout, C, KH, KW).transpose(0, 3, 1, 2, 4, 5)
    xpad = np.zeros((N, C, H + 2 * ph, W + 2 * pw), dtype=cols.dtype)
    np.add.at(xpad, (slice(None), slice(None), r, c), six)
    return xpad[:, :, ph:ph + H, pw:pw + W].copy()


def conv2d_forward(x, w, b, stride=1, padding=0):
    F, Cw, KH, KW = w.shape
    if Cw != x.shape[1]:
        raise ValueError(f"w expects {Cw} input channels, x has {x.shape[1]}")
    cols = im2col(x, (KH, KW), stride, padding)
    _, _, (Hout, Wout), _ = _index(x.shape, (KH, KW), stride, padding, 1)
    out = (cols @ w.reshape(F, -1).T + b).reshape(x.shape[0], Hout, Wout, F)
    return out.transpose(0, 3, 1, 2).astype(x.dtype), (x.shape, w, cols, stride, padding)


def conv2d_backward(dout, cache):
    x_shape, w, cols, stride, padding = cache
    F = w.shape[0]
    g = dout.transpose(0, 2, 3, 1).reshape(-1, F)
    dx = col2im(g @ w.reshape(F, -1), x_shape, w.shape[2:], stride, padding)
    return dx, (g.T @ cols).reshape(w.shape), g.sum(axis=0)
