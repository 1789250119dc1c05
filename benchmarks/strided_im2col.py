"""The former textbook im2col convolution (Topic 12's hints before issue 20), as a benchmark variant.

The same loop over kernel taps and the same matrix products as textbook_im2col.py, in the layout
the hints used to teach: columns built as (N, C, KH, KW, Hout, Wout) and transposed into rows by a
second, badly strided copy; col2im's `+=` per tap reading a 6-D transposed view of dcols; dw as
`dout_rows.T @ cols`. `bench_conv.py --yours` shows it beside the textbook recipe and yours: the
difference is memory layout only (which copy is contiguous, which axis is innermost).
Stride and padding are ints here (the benchmark's cases are square).
"""

import numpy as np


def _size(size, kernel, stride, padding):
    return (size + 2 * padding - kernel) // stride + 1


def im2col(x, k, stride, padding):
    N, C, H, W = x.shape
    Hout, Wout = _size(H, k, stride, padding), _size(W, k, stride, padding)
    xpad = np.pad(x, ((0, 0), (0, 0), (padding, padding), (padding, padding)))
    cols6 = np.empty((N, C, k, k, Hout, Wout), dtype=x.dtype)
    for p in range(k):
        for q in range(k):
            cols6[:, :, p, q] = xpad[:, :, p:p + stride * (Hout - 1) + 1:stride,
                                     q:q + stride * (Wout - 1) + 1:stride]
    return cols6.transpose(0, 4, 5, 1, 2, 3).reshape(N * Hout * Wout, C * k * k)


def col2im(cols, x_shape, k, stride, padding):
    N, C, H, W = x_shape
    Hout, Wout = _size(H, k, stride, padding), _size(W, k, stride, padding)
    blocks = cols.reshape(N, Hout, Wout, C, k, k).transpose(0, 3, 4, 5, 1, 2)
    xpad = np.zeros((N, C, H + 2 * padding, W + 2 * padding), dtype=cols.dtype)
    for p in range(k):
        for q in range(k):
            xpad[:, :, p:p + stride * (Hout - 1) + 1:stride,
                 q:q + stride * (Wout - 1) + 1:stride] += blocks[:, :, p, q]
    return xpad[:, :, padding:padding + H, padding:padding + W].copy()


def conv2d_forward(x, w, b, stride=1, padding=0):
    F, _, k, _ = w.shape
    N, _, H, W = x.shape
    Hout, Wout = _size(H, k, stride, padding), _size(W, k, stride, padding)
    cols = im2col(x, k, stride, padding)
    out_rows = cols @ w.reshape(F, -1).T + b
    out = np.ascontiguousarray(out_rows.reshape(N, Hout, Wout, F).transpose(0, 3, 1, 2))
    return out, (cols, w, x.shape, stride, padding)


def conv2d_backward(dout, cache):
    cols, w, x_shape, stride, padding = cache
    F, _, k, _ = w.shape
    dout_rows = dout.transpose(0, 2, 3, 1).reshape(-1, F)
    db = dout_rows.sum(axis=0)
    dw = (dout_rows.T @ cols).reshape(w.shape)
    dx = col2im(dout_rows @ w.reshape(F, -1), x_shape, k, stride, padding)
    return dx, dw, db
