"""sliding_window_view windows for the forwards, one-hot routing scattered per tap: correct."""

MODULE = "pooling"

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view


def _hw(v):
    return (int(v[0]), int(v[1])) if isinstance(v, (tuple, list)) else (int(v), int(v))


def _setup(x, kernel_size, stride, padding, fill):
    KH, KW = _hw(kernel_size)
    sh, sw = _hw(stride if stride is not None else (KH, KW))
    ph, pw = _hw(padding)
    xpad = np.pad(x, ((0, 0), (0, 0), (ph, ph), (pw, pw)), constant_values=fill)
    win = sliding_window_view(xpad, (KH, KW), axis=(2, 3))[:, :, ::sh, ::sw]
    return win, (x.shape, x.dtype, KH, KW, sh, sw, ph, pw)


def _scatter(per_tap, geo):
    (N, C, H, W), dtype, KH, KW, sh, sw, ph, pw = geo
    Hout, Wout = per_tap.shape[2:4]
    dxpad = np.zeros((N, C, H + 2 * ph, W + 2 * pw), dtype=dtype)
    for p in range(KH):
        for q in range(KW):
            dxpad[:, :, p:p + sh * (Hout - 1) + 1:sh, q:q + sw * (Wout - 1) + 1:sw] += per_tap[..., p, q]
    return dxpad[:, :, ph:ph + H, pw:pw + W].copy()


def maxpool2d_forward(x, kernel_size, stride=None, padding=0):
    win, geo = _setup(x, kernel_size, stride, padding, -np.inf)
    flat = win.reshape(win.shape[:4] + (-1,))
    arg = flat.argmax(axis=-1)
    return flat.max(axis=-1), (geo, arg)


def maxpool2d_backward(dout, cache):
    geo, arg = cache
    KH, KW = geo[2], geo[3]
    onehot = (arg[..., None] == np.arange(KH * KW)) * dout[..., None]
    return _scatter(onehot.reshape(dout.shape + (KH, KW)).astype(geo[1], copy=False), geo)


def avgpool2d_forward(x, kernel_size, stride=None, padding=0):
    win, geo = _setup(x, kernel_size, stride, padding, 0)
    out = win.sum(axis=(-2, -1)) / (geo[2] * geo[3])
    return out.astype(x.dtype, copy=False), geo


def avgpool2d_backward(dout, cache):
    geo = cache
    KH, KW = geo[2], geo[3]
    share = np.broadcast_to((dout / (KH * KW))[..., None, None], dout.shape + (KH, KW))
    return _scatter(share.astype(geo[1], copy=False), geo)


def global_avgpool_forward(x):
    return x.mean(axis=(-2, -1)), (x.shape, x.dtype)


def global_avgpool_backward(dout, cache):
    shape, dtype = cache
    dx = np.zeros(shape, dtype=dtype)
    dx += (dout / (shape[2] * shape[3]))[:, :, None, None]
    return dx
