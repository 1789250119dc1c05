"""avgpool2d_forward accumulates in np.zeros's default float64 and never casts back, so float32 in gives float64 out; fix: dtype=x.dtype (or cast the result)."""

MODULE = "pooling"

"""Topic 13: max, average and global average pooling, with strides. Brief: README.md beside this file.

Max pooling keeps the largest element of each KH x KW window; padding is -inf (it never wins).
Average pooling keeps the mean of each window; padding is 0 and counts in the divisor KH*KW.

    out[n, c, i, j] = max / mean over p < KH, q < KW of xpad[n, c, i*sh + p, j*sw + q]

Vectorize: no Python loop over the output positions (a loop over the KH*KW window offsets is fine).
Run the specs with `tox -e topic13`; stuck? `HINTS.md` has three tiers per function.
"""

import numpy as np


def _pair(value):
    """An int means the same value for both axes; a pair is (h, w)."""
    if isinstance(value, (tuple, list)):
        return int(value[0]), int(value[1])
    return int(value), int(value)


def _geometry(x_shape, kernel_size, stride, padding):
    N, C, H, W = x_shape
    KH, KW = _pair(kernel_size)
    sh, sw = (KH, KW) if stride is None else _pair(stride)
    ph, pw = _pair(padding)
    Hout = (H + 2 * ph - KH) // sh + 1
    Wout = (W + 2 * pw - KW) // sw + 1
    return KH, KW, sh, sw, ph, pw, Hout, Wout


def _window(a, p, q, sh, sw, Hout, Wout):
    """The strided slice of the padded array `a` that offset (p, q) of every window reads."""
    return a[:, :, p:p + sh * (Hout - 1) + 1:sh, q:q + sw * (Wout - 1) + 1:sw]


def maxpool2d_forward(x, kernel_size, stride=None, padding=0):
    """Forward pass of 2-D max pooling. Returns (out, cache)."""
    KH, KW, sh, sw, ph, pw, Hout, Wout = _geometry(x.shape, kernel_size, stride, padding)
    xpad = np.pad(x, ((0, 0), (0, 0), (ph, ph), (pw, pw)), constant_values=-np.inf)
    out = _window(xpad, 0, 0, sh, sw, Hout, Wout).copy()
    arg = np.zeros(out.shape, dtype=np.int64)          # offset number p*KW + q of the maximum
    for p in range(KH):
        for q in range(KW):
            if p == 0 and q == 0:
                continue
            candidate = _window(xpad, p, q, sh, sw, Hout, Wout)
            better = candidate > out                   # strictly: ties keep the first maximum
            out[better] = candidate[better]
            arg[better] = p * KW + q
    cache = (x.shape, x.dtype, arg, (KH, KW, sh, sw, ph, pw, Hout, Wout))
    return out, cache


def maxpool2d_backward(dout, cache):
    """Backward pass of maxpool2d_forward: each window's dout goes to its (first) maximum."""
    x_shape, dtype, arg, (KH, KW, sh, sw, ph, pw, Hout, Wout) = cache
    N, C, H, W = x_shape
    dxpad = np.zeros((N, C, H + 2 * ph, W + 2 * pw), dtype=dtype)
    for p in range(KH):
        for q in range(KW):
            chosen = arg == p * KW + q
            _window(dxpad, p, q, sh, sw, Hout, Wout)[...] += np.where(chosen, dout, 0)
    return dxpad[:, :, ph:ph + H, pw:pw + W].copy()


def avgpool2d_forward(x, kernel_size, stride=None, padding=0):
    """Forward pass of 2-D average pooling (zero padding counts in the divisor)."""
    KH, KW, sh, sw, ph, pw, Hout, Wout = _geometry(x.shape, kernel_size, stride, padding)
    xpad = np.pad(x, ((0, 0), (0, 0), (ph, ph), (pw, pw)))
    total = np.zeros((x.shape[0], x.shape[1], Hout, Wout))
    for p in range(KH):
        for q in range(KW):
            total += _window(xpad, p, q, sh, sw, Hout, Wout)
    out = total / (KH * KW)
    cache = (x.shape, x.dtype, (KH, KW, sh, sw, ph, pw, Hout, Wout))
    return out, cache


def avgpool2d_backward(dout, cache):
    """Backward pass of avgpool2d_forward: each window element gets dout / (KH*KW)."""
    x_shape, dtype, (KH, KW, sh, sw, ph, pw, Hout, Wout) = cache
    N, C, H, W = x_shape
    dxpad = np.zeros((N, C, H + 2 * ph, W + 2 * pw), dtype=dtype)
    share = dout / (KH * KW)
    for p in range(KH):
        for q in range(KW):
            _window(dxpad, p, q, sh, sw, Hout, Wout)[...] += share
    return dxpad[:, :, ph:ph + H, pw:pw + W].copy()


def global_avgpool_forward(x):
    """Mean over the spatial axes: (N, C, H, W) -> (N, C)."""
    out = x.mean(axis=(2, 3))
    return out, (x.shape, x.dtype)


def global_avgpool_backward(dout, cache):
    """Backward pass of global_avgpool_forward: each pixel gets dout / (H*W)."""
    (N, C, H, W), dtype = cache
    dx = np.empty((N, C, H, W), dtype=dtype)
    dx[...] = (dout / (H * W))[:, :, None, None]
    return dx
