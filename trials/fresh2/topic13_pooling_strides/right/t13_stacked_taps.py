"""Max pooling by np.stack of the tap slices + argmax (first max), a small geometry class: correct."""

MODULE = "pooling"

import numpy as np


def _hw(v):
    return (int(v[0]), int(v[1])) if isinstance(v, (tuple, list)) else (int(v), int(v))


class _Geo:
    def __init__(self, shape, kernel_size, stride, padding):
        self.N, self.C, self.H, self.W = shape
        self.KH, self.KW = _hw(kernel_size)
        self.sh, self.sw = (self.KH, self.KW) if stride is None else _hw(stride)
        self.ph, self.pw = _hw(padding)
        self.Hout = (self.H + 2 * self.ph - self.KH) // self.sh + 1
        self.Wout = (self.W + 2 * self.pw - self.KW) // self.sw + 1

    def taps(self):
        for p in range(self.KH):
            for q in range(self.KW):
                yield (slice(None), slice(None), slice(p, p + self.sh * (self.Hout - 1) + 1, self.sh),
                       slice(q, q + self.sw * (self.Wout - 1) + 1, self.sw))

    def pad(self, a, value):
        return np.pad(a, ((0, 0), (0, 0), (self.ph, self.ph), (self.pw, self.pw)), constant_values=value)

    def crop(self, a):
        return a[:, :, self.ph:self.ph + self.H, self.pw:self.pw + self.W].copy()


def maxpool2d_forward(x, kernel_size, stride=None, padding=0):
    g = _Geo(x.shape, kernel_size, stride, padding)
    xpad = g.pad(x, -np.inf)
    stack = np.stack([xpad[t] for t in g.taps()])          # (KH*KW, N, C, Hout, Wout)
    arg = stack.argmax(axis=0)                             # argmax keeps the first maximum
    out = np.take_along_axis(stack, arg[None], axis=0)[0]
    return out, (g, arg, x.dtype)


def maxpool2d_backward(dout, cache):
    g, arg, dtype = cache
    dxpad = np.zeros((g.N, g.C, g.H + 2 * g.ph, g.W + 2 * g.pw), dtype=dtype)
    for k, t in enumerate(g.taps()):
        dxpad[t] += np.where(arg == k, dout, 0).astype(dtype)
    return g.crop(dxpad)


def avgpool2d_forward(x, kernel_size, stride=None, padding=0):
    g = _Geo(x.shape, kernel_size, stride, padding)
    xpad = g.pad(x, 0)
    out = sum(xpad[t] for t in g.taps()) / x.dtype.type(g.KH * g.KW)
    return out.astype(x.dtype, copy=False), (g, x.dtype)


def avgpool2d_backward(dout, cache):
    g, dtype = cache
    dxpad = np.zeros((g.N, g.C, g.H + 2 * g.ph, g.W + 2 * g.pw), dtype=dtype)
    for t in g.taps():
        dxpad[t] += dout / (g.KH * g.KW)
    return g.crop(dxpad)


def global_avgpool_forward(x):
    N, C = x.shape[:2]
    return x.reshape(N, C, -1).mean(axis=2), x.shape


def global_avgpool_backward(dout, cache):
    N, C, H, W = cache
    return np.repeat(dout[:, :, None] / (H * W), H * W, axis=2).reshape(N, C, H, W).astype(dout.dtype)
