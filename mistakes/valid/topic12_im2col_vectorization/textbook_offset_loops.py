"""The textbook im2col: a Python loop over the KH*KW kernel offsets, the batch in chunks.

A valid implementation written the way the brief and the hints describe, independent of the
reference: the loop rule ("no Python loop over output positions") must accept its loops over
kernel offsets and over chunks of the batch, and every other spec must accept it too.
"""

import numpy as np

MODULE = "im2col"
CHUNK = 64  # samples per matrix product: a handful of chunks at the milestone's batch of 512


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


def _tap(p, q, out_hw, stride, dilation):
    """The strided slice of the padded image that kernel offset (p, q) reads in every window."""
    (ho, wo), (sh, sw), (dh, dw) = out_hw, stride, dilation
    return (slice(p * dh, p * dh + sh * (ho - 1) + 1, sh), slice(q * dw, q * dw + sw * (wo - 1) + 1, sw))


def im2col(x, kernel_size, stride=1, padding=0, dilation=1):
    n, c = x.shape[:2]
    (kh, kw), st, (ph, pw), dil, (ho, wo) = _geometry(x.shape, kernel_size, stride, padding, dilation)
    xpad = np.pad(x, ((0, 0), (0, 0), (ph, ph), (pw, pw)))
    cols = np.empty((n, c, kh, kw, ho, wo), dtype=x.dtype)
    for p in range(kh):
        for q in range(kw):
            rows, columns = _tap(p, q, (ho, wo), st, dil)
            cols[:, :, p, q] = xpad[:, :, rows, columns]
    return cols.transpose(0, 4, 5, 1, 2, 3).reshape(n * ho * wo, c * kh * kw)


def col2im(cols, x_shape, kernel_size, stride=1, padding=0, dilation=1):
    n, c, h, w = x_shape
    (kh, kw), st, (ph, pw), dil, (ho, wo) = _geometry(x_shape, kernel_size, stride, padding, dilation)
    blocks = cols.reshape(n, ho, wo, c, kh, kw).transpose(0, 3, 4, 5, 1, 2)
    xpad = np.zeros((n, c, h + 2 * ph, w + 2 * pw), dtype=cols.dtype)
    for p in range(kh):
        for q in range(kw):
            rows, columns = _tap(p, q, (ho, wo), st, dil)
            xpad[:, :, rows, columns] += blocks[:, :, p, q]
    return xpad[:, :, ph:ph + h, pw:pw + w].copy()


def conv2d_forward(x, w, b, stride=1, padding=0):
    if x.shape[1] != w.shape[1]:
        raise ValueError(f"x has {x.shape[1]} channels but w expects {w.shape[1]}")
    dtype = np.result_type(x, w, b)
    x, w, b = (a.astype(dtype, copy=False) for a in (x, w, b))
    f, _, kh, kw = w.shape
    *_, (ho, wo) = _geometry(x.shape, (kh, kw), stride, padding, 1)
    out = np.empty((len(x), f, ho, wo), dtype=dtype)
    for start in range(0, len(x), CHUNK):
        part = x[start:start + CHUNK]
        cols = im2col(part, (kh, kw), stride, padding)
        res = cols @ w.reshape(f, -1).T + b
        out[start:start + CHUNK] = res.reshape(len(part), ho, wo, f).transpose(0, 3, 1, 2)
    return out, (x, w, stride, padding)


def conv2d_backward(dout, cache):
    x, w, stride, padding = cache
    f, _, kh, kw = w.shape
    dx = np.empty_like(x)
    dw = np.zeros_like(w)
    for start in range(0, len(x), CHUNK):
        part = x[start:start + CHUNK]
        d = dout[start:start + CHUNK].transpose(0, 2, 3, 1).reshape(-1, f)
        cols = im2col(part, (kh, kw), stride, padding)
        dw += (d.T @ cols).reshape(w.shape)
        dx[start:start + CHUNK] = col2im(d @ w.reshape(f, -1), part.shape, (kh, kw), stride, padding)
    return dx, dw, dout.sum(axis=(0, 2, 3))


def conv2d_backward_weights(dout, cache):
    x, w, stride, padding = cache
    f, _, kh, kw = w.shape
    dw = np.zeros_like(w)
    for start in range(0, len(x), CHUNK):   # the columns rebuilt a chunk at a time, as above
        d = dout[start:start + CHUNK].transpose(0, 2, 3, 1).reshape(-1, f)
        dw += (d.T @ im2col(x[start:start + CHUNK], (kh, kw), stride, padding)).reshape(w.shape)
    return dw, dout.sum(axis=(0, 2, 3))
