"""Pooling assembled from HINTS.md's tier-3 code: offset loops, argmax index cache, no reference.

A valid implementation a learner gets by following the hints: the loop rule must accept its
KH*KW offset loops and the ownership check its dx (a slice of its own padded buffer).
"""

import numpy as np

MODULE = "pooling"


def _geometry(x_shape, kernel_size, stride, padding):
    def pair(v):
        return (int(v[0]), int(v[1])) if isinstance(v, (tuple, list)) else (int(v), int(v))
    (kh, kw), (ph, pw) = pair(kernel_size), pair(padding)
    sh, sw = (kh, kw) if stride is None else pair(stride)
    hout = (x_shape[2] + 2 * ph - kh) // sh + 1
    wout = (x_shape[3] + 2 * pw - kw) // sw + 1
    return (kh, kw), (sh, sw), (ph, pw), (hout, wout)


def _slice(p, q, stride, out_hw):
    (sh, sw), (hout, wout) = stride, out_hw
    return (slice(None), slice(None), slice(p, p + sh * (hout - 1) + 1, sh),
            slice(q, q + sw * (wout - 1) + 1, sw))


def maxpool2d_forward(x, kernel_size, stride=None, padding=0):
    (kh, kw), st, (ph, pw), out_hw = _geometry(x.shape, kernel_size, stride, padding)
    xpad = x
    if ph or pw:
        xpad = np.pad(x, ((0, 0), (0, 0), (ph, ph), (pw, pw)), constant_values=-np.inf)
    out = xpad[_slice(0, 0, st, out_hw)].copy()
    offsets = np.min_scalar_type(kh * kw)
    argmax = np.zeros(out.shape, dtype=offsets)
    better = np.empty(out.shape, dtype=bool)
    for p in range(kh):
        for q in range(kw):
            candidate = xpad[_slice(p, q, st, out_hw)]
            np.greater(candidate, out, out=better)         # strictly: the first maximum stays
            np.maximum(out, candidate, out=out)
            np.maximum(argmax, better * offsets.type(p * kw + q), out=argmax)
    return out, (argmax, x.shape, (kh, kw), st, (ph, pw))


def maxpool2d_backward(dout, cache):
    argmax, (n, c, h, w), (kh, kw), st, (ph, pw) = cache
    dxpad = np.zeros((n, c, h + 2 * ph, w + 2 * pw), dtype=dout.dtype)
    overlapping = st[0] < kh or st[1] < kw
    for p in range(kh):
        for q in range(kw):
            chosen = argmax == p * kw + q
            target = dxpad[_slice(p, q, st, dout.shape[2:])]
            if overlapping:
                target += dout * chosen
            else:
                np.multiply(dout, chosen, out=target)
    return dxpad[:, :, ph:ph + h, pw:pw + w]


def avgpool2d_forward(x, kernel_size, stride=None, padding=0):
    (kh, kw), st, (ph, pw), out_hw = _geometry(x.shape, kernel_size, stride, padding)
    xpad = np.pad(x, ((0, 0), (0, 0), (ph, ph), (pw, pw)))
    out = np.zeros((*x.shape[:2], *out_hw), dtype=x.dtype)
    for p in range(kh):
        for q in range(kw):
            out += xpad[_slice(p, q, st, out_hw)]
    out /= kh * kw
    return out, (x.shape, (kh, kw), st, (ph, pw))


def avgpool2d_backward(dout, cache):
    (n, c, h, w), (kh, kw), st, (ph, pw) = cache
    dxpad = np.zeros((n, c, h + 2 * ph, w + 2 * pw), dtype=dout.dtype)
    share = dout / (kh * kw)
    for p in range(kh):
        for q in range(kw):
            dxpad[_slice(p, q, st, dout.shape[2:])] += share
    return dxpad[:, :, ph:ph + h, pw:pw + w]


def global_avgpool_forward(x):
    return x.mean(axis=(2, 3)), x.shape


def global_avgpool_backward(dout, cache):
    n, c, h, w = cache
    share = dout[:, :, None, None] / (h * w)
    return np.broadcast_to(share, (n, c, h, w)).copy()
