"""Correct: both passes loop over the KH*KW kernel taps (never the output positions), with a small class as the cache.
"""

MODULE = "conv2d"

import numpy as np


class _Geometry:
    def __init__(self, x_shape, w_shape, stride, padding):
        pair = lambda v: tuple(int(t) for t in v) if isinstance(v, (tuple, list)) else (int(v),) * 2
        self.N, self.C, self.H, self.W = x_shape
        self.F, _, self.KH, self.KW = w_shape
        self.sh, self.sw = pair(stride)
        self.ph, self.pw = pair(padding)
        self.Hout = (self.H + 2 * self.ph - self.KH) // self.sh + 1
        self.Wout = (self.W + 2 * self.pw - self.KW) // self.sw + 1

    def tap(self, p, q):
        return (slice(None), slice(None),
                slice(p, p + self.sh * (self.Hout - 1) + 1, self.sh),
                slice(q, q + self.sw * (self.Wout - 1) + 1, self.sw))

    def taps(self):
        return ((p, q) for p in range(self.KH) for q in range(self.KW))


def conv2d_forward_naive(x, w, b, stride=1, padding=0):
    g = _Geometry(x.shape, w.shape, stride, padding)
    xpad = np.pad(x, ((0, 0), (0, 0), (g.ph, g.ph), (g.pw, g.pw)))
    out = np.empty((g.N, g.F, g.Hout, g.Wout), dtype=x.dtype)
    out[...] = b.reshape(1, -1, 1, 1)
    for p, q in g.taps():
        out += np.einsum("nchw,fc->nfhw", xpad[g.tap(p, q)], w[:, :, p, q])
    return out, (g, xpad, w, b.dtype)


def conv2d_backward_naive(dout, cache):
    g, xpad, w, bdtype = cache
    dxpad = np.zeros_like(xpad)
    dw = np.zeros_like(w)
    for p, q in g.taps():
        dw[:, :, p, q] = np.einsum("nfhw,nchw->fc", dout, xpad[g.tap(p, q)])
        dxpad[g.tap(p, q)] += np.einsum("nfhw,fc->nchw", dout, w[:, :, p, q])
    db = dout.sum(axis=(0, 2, 3)).astype(bdtype)
    dx = dxpad[:, :, g.ph:g.ph + g.H, g.pw:g.pw + g.W].copy()
    return dx, dw, db
