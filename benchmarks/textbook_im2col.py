"""The textbook im2col convolution (Topic 12's hints, tier 3), as a benchmark variant.

It builds the full column matrix, (N*Hout*Wout, C*KH*KW), about KH*KW times the input, and in the
backward pass a second one (dcols) that col2im scatters back: the same recipe as the reference
solution, laid out so that every copy is contiguous (columns stored as their transpose, the input
channel-major, products oriented so that no result needs a transposing copy). strided_im2col.py is
the same recipe in the layout the hints taught before; fastpath/conv.py avoids the full columns.
Stride and padding are ints here (the benchmark's cases are square).
"""

import numpy as np


def _size(size, kernel, stride, padding):
    return (size + 2 * padding - kernel) // stride + 1


def im2col(x, k, stride, padding):
    N, C, H, W = x.shape
    Hout, Wout = _size(H, k, stride, padding), _size(W, k, stride, padding)
    xpad = np.pad(x.transpose(1, 0, 2, 3), ((0, 0), (0, 0), (padding, padding), (padding, padding)))
    cols_t = np.empty((C, k, k, N, Hout, Wout), dtype=x.dtype)
    for p in range(k):
        for q in range(k):
            cols_t[:, p, q] = xpad[:, :, p:p + stride * (Hout - 1) + 1:stride,
                                   q:q + stride * (Wout - 1) + 1:stride]
    return cols_t.reshape(C * k * k, N * Hout * Wout).T


def col2im(cols, x_shape, k, stride, padding):
    N, C, H, W = x_shape
    Hout, Wout = _size(H, k, stride, padding), _size(W, k, stride, padding)
    blocks = cols.T.reshape(C, k, k, N, Hout, Wout)
    xpad = np.zeros((C, N, H + 2 * padding, W + 2 * padding), dtype=cols.dtype)
    for p in range(k):
        for q in range(k):
            xpad[:, :, p:p + stride * (Hout - 1) + 1:stride,
                 q:q + stride * (Wout - 1) + 1:stride] += blocks[:, p, q]
    inner = xpad[:, :, padding:padding + H, padding:padding + W]
    return np.ascontiguousarray(inner.transpose(1, 0, 2, 3))


def conv2d_forward(x, w, b, stride=1, padding=0):
    F, _, k, _ = w.shape
    N, _, H, W = x.shape
    Hout, Wout = _size(H, k, stride, padding), _size(W, k, stride, padding)
    cols = im2col(x, k, stride, padding)
    out_t = w.reshape(F, -1) @ cols.T + b[:, None]
    out = np.ascontiguousarray(out_t.reshape(F, N, Hout, Wout).transpose(1, 0, 2, 3))
    return out, (cols, w, x.shape, stride, padding)


def conv2d_backward(dout, cache):
    cols, w, x_shape, stride, padding = cache
    F, _, k, _ = w.shape
    dout_t = dout.transpose(1, 0, 2, 3).reshape(F, -1)
    db = dout_t.sum(axis=1)
    dw = (cols.T @ dout_t.T).T.reshape(w.shape)
    dx = col2im((w.reshape(F, -1).T @ dout_t).T, x_shape, k, stride, padding)
    return dx, dw, db
