"""Correct: max over a stacked (KH*KW, ...) array of tap slices; average pooling by an integral image and its backward by a 2-D difference array.
"""

MODULE = "pooling"

import numpy as np


def _pair(v):
    return (int(v[0]), int(v[1])) if isinstance(v, (tuple, list)) else (int(v), int(v))


def _geo(shape, kernel_size, stride, padding):
    N, C, H, W = shape
    KH, KW = _pair(kernel_size)
    sh, sw = (KH, KW) if stride is None else _pair(stride)
    ph, pw = _pair(padding)
    return dict(N=N, C=C, H=H, W=W, KH=KH, KW=KW, sh=sh, sw=sw, ph=ph, pw=pw,
                Hout=(H + 2 * ph - KH) // sh + 1, Wout=(W + 2 * pw - KW) // sw + 1)


def _at(g, p, q):
    return (Ellipsis, slice(p, p + g["sh"] * (g["Hout"] - 1) + 1, g["sh"]),
            slice(q, q + g["sw"] * (g["Wout"] - 1) + 1, g["sw"]))


def maxpool2d_forward(x, kernel_size, stride=None, padding=0):
    g = _geo(x.shape, kernel_size, stride, padding)
    xpad = np.pad(x, ((0, 0), (0, 0), (g["ph"],) * 2, (g["pw"],) * 2), constant_values=-np.inf)
    taps = np.stack([xpad[_at(g, p, q)] for p in range(g["KH"]) for q in range(g["KW"])])
    arg = taps.argmax(axis=0)                   # the first maximum in row-major window order
    out = taps.max(axis=0).astype(x.dtype, copy=False)
    return out, (g, arg, x.dtype)


def maxpool2d_backward(dout, cache):
    g, arg, dtype = cache
    dxpad = np.zeros((g["N"], g["C"], g["H"] + 2 * g["ph"], g["W"] + 2 * g["pw"]), dtype=dtype)
    for k in range(g["KH"] * g["KW"]):
        dxpad[_at(g, *divmod(k, g["KW"]))] += (arg == k) * dout
    return dxpad[:, :, g["ph"]:g["ph"] + g["H"], g["pw"]:g["pw"] + g["W"]].copy()


def avgpool2d_forward(x, kernel_size, stride=None, padding=0):
    g = _geo(x.shape, kernel_size, stride, padding)
    xpad = np.pad(x.astype(np.float64), ((0, 0), (0, 0), (g["ph"] + 1, g["ph"]), (g["pw"] + 1, g["pw"])))
    S = xpad.cumsum(axis=2).cumsum(axis=3)      # S[.., r, c] = sum of the padded rows < r, cols < c
    KH, KW = g["KH"], g["KW"]
    total = S[_at(g, KH, KW)] - S[_at(g, 0, KW)] - S[_at(g, KH, 0)] + S[_at(g, 0, 0)]
    return (total / (KH * KW)).astype(x.dtype), (g, x.dtype)


def avgpool2d_backward(dout, cache):
    g, dtype = cache
    KH, KW = g["KH"], g["KW"]
    share = dout.astype(np.float64) / (KH * KW)
    D = np.zeros((g["N"], g["C"], g["H"] + 2 * g["ph"] + 1, g["W"] + 2 * g["pw"] + 1))
    D[_at(g, 0, 0)] += share                     # each window adds `share` to its rectangle
    D[_at(g, KH, 0)] -= share
    D[_at(g, 0, KW)] -= share
    D[_at(g, KH, KW)] += share
    dxpad = D.cumsum(axis=2).cumsum(axis=3)
    return dxpad[:, :, g["ph"]:g["ph"] + g["H"], g["pw"]:g["pw"] + g["W"]].astype(dtype)


def global_avgpool_forward(x):
    return np.einsum("nchw->nc", x) / np.asarray(x.shape[2] * x.shape[3], dtype=x.dtype), x.shape


def global_avgpool_backward(dout, cache):
    N, C, H, W = cache
    dx = np.zeros(cache, dtype=dout.dtype)
    dx += dout[:, :, None, None] / np.asarray(H * W, dtype=dout.dtype)
    return dx
