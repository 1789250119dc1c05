"""im2col built as its (C,KH,KW,N,Hout,Wout) transpose and returned as .T; products oriented (F, rows): correct."""

MODULE = "im2col"

import numpy as np


def _hw(v):
    return (int(v[0]), int(v[1])) if isinstance(v, (tuple, list)) else (int(v), int(v))


def _geo(x_shape, kernel_size, stride, padding, dilation):
    N, C, H, W = x_shape
    (KH, KW), (sh, sw), (ph, pw), (dh, dw) = map(_hw, (kernel_size, stride, padding, dilation))
    for k, d, n, p in ((KH, dh, H, ph), (KW, dw, W, pw)):
        if d * (k - 1) + 1 > n + 2 * p:
            raise ValueError(f"a kernel spanning {d * (k - 1) + 1} pixels does not fit an input "
                             f"of {n} padded by {p}")
    Hout = (H + 2 * ph - dh * (KH - 1) - 1) // sh + 1
    Wout = (W + 2 * pw - dw * (KW - 1) - 1) // sw + 1
    return N, C, H, W, KH, KW, sh, sw, ph, pw, dh, dw, Hout, Wout


def im2col(x, kernel_size, stride=1, padding=0, dilation=1):
    N, C, H, W, KH, KW, sh, sw, ph, pw, dh, dw, Hout, Wout = _geo(
        x.shape, kernel_size, stride, padding, dilation)
    xc = np.pad(x.transpose(1, 0, 2, 3), ((0, 0), (0, 0), (ph, ph), (pw, pw)))
    buf = np.empty((C, KH, KW, N, Hout, Wout), dtype=x.dtype)
    for p in range(KH):
        for q in range(KW):
            buf[:, p, q] = xc[:, :, p * dh:p * dh + sh * (Hout - 1) + 1:sh,
                              q * dw:q * dw + sw * (Wout - 1) + 1:sw]
    return buf.reshape(C * KH * KW, N * Hout * Wout).T


def col2im(cols, x_shape, kernel_size, stride=1, padding=0, dilation=1):
    N, C, H, W, KH, KW, sh, sw, ph, pw, dh, dw, Hout, Wout = _geo(
        x_shape, kernel_size, stride, padding, dilation)
    blocks = cols.T.reshape(C, KH, KW, N, Hout, Wout)
    xc = np.zeros((C, N, H + 2 * ph, W + 2 * pw), dtype=cols.dtype)
    for p in range(KH):
        for q in range(KW):
            xc[:, :, p * dh:p * dh + sh * (Hout - 1) + 1:sh,
               q * dw:q * dw + sw * (Wout - 1) + 1:sw] += blocks[:, p, q]
    return np.ascontiguousarray(xc[:, :, ph:ph + H, pw:pw + W].transpose(1, 0, 2, 3))


def conv2d_forward(x, w, b, stride=1, padding=0):
    N, C, H, W = x.shape
    F = w.shape[0]
    if w.shape[1] != C:
        raise ValueError(f"w.shape[1] = {w.shape[1]} but x has C = {C} channels")
    cols = im2col(x, w.shape[2:], stride, padding)
    _, _, _, _, _, _, _, _, _, _, _, _, Hout, Wout = _geo(x.shape, w.shape[2:], stride, padding, 1)
    out_t = w.reshape(F, -1) @ cols.T + b[:, None]              # (F, N*Hout*Wout)
    out = np.ascontiguousarray(out_t.reshape(F, N, Hout, Wout).transpose(1, 0, 2, 3))
    return out.astype(x.dtype, copy=False), (x.shape, w, cols, stride, padding)


def conv2d_backward(dout, cache):
    x_shape, w, cols, stride, padding = cache
    F = w.shape[0]
    dout_t = dout.transpose(1, 0, 2, 3).reshape(F, -1)          # (F, rows)
    db = dout_t.sum(axis=1)
    dw = (cols.T @ dout_t.T).T.reshape(w.shape)
    dcols = (w.reshape(F, -1).T @ dout_t).T
    dx = col2im(dcols, x_shape, w.shape[2:], stride, padding)
    return dx, np.ascontiguousarray(dw), db
