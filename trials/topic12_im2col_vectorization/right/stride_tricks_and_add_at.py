"""im2col with stride tricks (sliding_window_view sliced by stride and dilation), col2im with one np.add.at over precomputed index arrays, the product with tensordot."""

MODULE = "im2col"

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view


def _pair(v):
    return (int(v[0]), int(v[1])) if isinstance(v, (tuple, list)) else (int(v), int(v))


def _sizes(x_shape, kernel_size, stride, padding, dilation):
    N, C, H, W = x_shape
    (KH, KW), (sh, sw), (ph, pw), (dh, dw) = map(_pair, (kernel_size, stride, padding, dilation))
    span_h, span_w = dh * (KH - 1) + 1, dw * (KW - 1) + 1
    for span, size, pad in ((span_h, H, ph), (span_w, W, pw)):
        if span > size + 2 * pad:
            raise ValueError(f"a kernel spanning {span} pixels does not fit an input of {size} "
                             f"padded by {pad}")
    Hout = (H + 2 * ph - span_h) // sh + 1
    Wout = (W + 2 * pw - span_w) // sw + 1
    return (KH, KW), (sh, sw), (ph, pw), (dh, dw), (span_h, span_w), (Hout, Wout)


def im2col(x, kernel_size, stride=1, padding=0, dilation=1):
    N, C, H, W = x.shape
    (KH, KW), (sh, sw), (ph, pw), (dh, dw), span, (Hout, Wout) = _sizes(
        x.shape, kernel_size, stride, padding, dilation)
    xpad = np.pad(x, ((0, 0), (0, 0), (ph, ph), (pw, pw)))
    views = sliding_window_view(xpad, span, axis=(2, 3))       # (N, C, H', W', span_h, span_w)
    views = views[:, :, ::sh, ::sw, ::dh, ::dw][:, :, :Hout, :Wout]
    return np.ascontiguousarray(views.transpose(0, 2, 3, 1, 4, 5)).reshape(
        N * Hout * Wout, C * KH * KW)


def col2im(cols, x_shape, kernel_size, stride=1, padding=0, dilation=1):
    N, C, H, W = x_shape
    (KH, KW), (sh, sw), (ph, pw), (dh, dw), _, (Hout, Wout) = _sizes(
        x_shape, kernel_size, stride, padding, dilation)
    n = np.arange(N).reshape(N, 1, 1, 1, 1, 1)
    i = np.arange(Hout).reshape(1, Hout, 1, 1, 1, 1)
    j = np.arange(Wout).reshape(1, 1, Wout, 1, 1, 1)
    c = np.arange(C).reshape(1, 1, 1, C, 1, 1)
    p = np.arange(KH).reshape(1, 1, 1, 1, KH, 1)
    q = np.arange(KW).reshape(1, 1, 1, 1, 1, KW)
    xpad = np.zeros((N, C, H + 2 * ph, W + 2 * pw), dtype=cols.dtype)
    np.add.at(xpad, (n, c, i * sh + p * dh, j * sw + q * dw),
              cols.reshape(N, Hout, Wout, C, KH, KW))
    return xpad[:, :, ph:ph + H, pw:pw + W].copy()


def conv2d_forward(x, w, b, stride=1, padding=0):
    N, C, H, W = x.shape
    F, Cw, KH, KW = w.shape
    if Cw != C:
        raise ValueError(f"x has {C} channels but w has {Cw}")
    cols = im2col(x, (KH, KW), stride, padding)
    (sh, sw), (ph, pw) = _pair(stride), _pair(padding)
    Hout, Wout = (H + 2 * ph - KH) // sh + 1, (W + 2 * pw - KW) // sw + 1
    rows = np.tensordot(cols, w.reshape(F, -1), axes=([1], [1])) + b
    out = np.moveaxis(rows.reshape(N, Hout, Wout, F), 3, 1).copy()
    return out, (cols, x.shape, w, stride, padding)


def conv2d_backward(dout, cache):
    cols, x_shape, w, stride, padding = cache
    F = w.shape[0]
    rows = np.moveaxis(dout, 1, 3).reshape(-1, F)
    db = rows.sum(axis=0)
    dw = np.tensordot(rows, cols, axes=([0], [0])).reshape(w.shape)
    dcols = np.tensordot(rows, w.reshape(F, -1), axes=([1], [0]))
    dx = col2im(dcols, x_shape, w.shape[2:], stride, padding)
    return dx, dw, db
