"""Correct: every window from one sliding_window_view; max via argmax over the flattened window (first maximum), backward per tap.
"""

MODULE = "pooling"

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view


def _pair(v):
    return (int(v[0]), int(v[1])) if isinstance(v, (tuple, list)) else (int(v), int(v))


def _setup(x, kernel_size, stride, padding, fill):
    KH, KW = _pair(kernel_size)
    sh, sw = _pair(kernel_size if stride is None else stride)
    ph, pw = _pair(padding)
    xpad = np.pad(x, ((0, 0), (0, 0), (ph, ph), (pw, pw)), constant_values=fill)
    win = sliding_window_view(xpad, (KH, KW), axis=(2, 3))[:, :, ::sh, ::sw]
    return win, dict(shape=x.shape, dtype=x.dtype, k=(KH, KW), s=(sh, sw), p=(ph, pw))


def _scatter(per_tap, geo, Hout, Wout):
    """Add per_tap(k) (N, C, Hout, Wout) into every tap's strided slice; crop the padding."""
    (N, C, H, W), (KH, KW), (sh, sw), (ph, pw) = geo["shape"], geo["k"], geo["s"], geo["p"]
    dxpad = np.zeros((N, C, H + 2 * ph, W + 2 * pw), dtype=geo["dtype"])
    for k in range(KH * KW):
        p, q = divmod(k, KW)
        dxpad[:, :, p:p + sh * (Hout - 1) + 1:sh, q:q + sw * (Wout - 1) + 1:sw] += per_tap(k)
    return dxpad[:, :, ph:ph + H, pw:pw + W].copy()


def maxpool2d_forward(x, kernel_size, stride=None, padding=0):
    win, geo = _setup(x, kernel_size, stride, padding, -np.inf)
    flat = win.reshape(win.shape[:4] + (-1,))                  # (N, C, Hout, Wout, KH*KW)
    arg = flat.argmax(axis=-1)                                  # first maximum, row-major
    out = np.take_along_axis(flat, arg[..., None], axis=-1)[..., 0]
    return out.astype(x.dtype), (arg, geo)


def maxpool2d_backward(dout, cache):
    arg, geo = cache
    return _scatter(lambda k: np.where(arg == k, dout, 0), geo, *dout.shape[2:])


def avgpool2d_forward(x, kernel_size, stride=None, padding=0):
    win, geo = _setup(x, kernel_size, stride, padding, 0)
    return win.mean(axis=(-2, -1)).astype(x.dtype), geo


def avgpool2d_backward(dout, cache):
    KH, KW = cache["k"]
    share = (dout / (KH * KW)).astype(cache["dtype"], copy=False)
    return _scatter(lambda k: share, cache, *dout.shape[2:])


def global_avgpool_forward(x):
    H, W = x.shape[2:]
    return (x.sum(axis=(2, 3)) / (H * W)).astype(x.dtype), x


def global_avgpool_backward(dout, cache):
    x = cache
    H, W = x.shape[2:]
    return np.repeat(np.repeat((dout / (H * W))[:, :, None, None], H, axis=2), W,
                     axis=3).astype(x.dtype, copy=False)
