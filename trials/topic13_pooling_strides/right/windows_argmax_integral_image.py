"""pooling with sliding_window_view + argmax (first maximum) and np.add.at for max pooling, an integral image (cumsum) and its adjoint difference array for average pooling."""

MODULE = "pooling"

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view


def _pair(v):
    return (int(v[0]), int(v[1])) if isinstance(v, (tuple, list)) else (int(v), int(v))


def _setup(shape, kernel_size, stride, padding):
    N, C, H, W = shape
    KH, KW = _pair(kernel_size)
    sh, sw = (KH, KW) if stride is None else _pair(stride)
    ph, pw = _pair(padding)
    return dict(N=N, C=C, H=H, W=W, KH=KH, KW=KW, sh=sh, sw=sw, ph=ph, pw=pw,
                Hout=(H + 2 * ph - KH) // sh + 1, Wout=(W + 2 * pw - KW) // sw + 1)


def maxpool2d_forward(x, kernel_size, stride=None, padding=0):
    g = _setup(x.shape, kernel_size, stride, padding)
    xpad = np.pad(x, ((0, 0), (0, 0), (g["ph"],) * 2, (g["pw"],) * 2), constant_values=-np.inf)
    win = sliding_window_view(xpad, (g["KH"], g["KW"]), axis=(2, 3))
    win = win[:, :, ::g["sh"], ::g["sw"]][:, :, :g["Hout"], :g["Wout"]]
    flat = win.reshape(*win.shape[:4], -1)             # row-major window order
    k = flat.argmax(axis=-1)                           # argmax: the FIRST maximum
    out = np.take_along_axis(flat, k[..., None], axis=-1)[..., 0]
    return out.astype(x.dtype, copy=False), (g, k, x.dtype)


def maxpool2d_backward(dout, cache):
    g, k, dtype = cache
    N, C, Hout, Wout = dout.shape
    n, c, i, j = np.indices((N, C, Hout, Wout), sparse=True)
    rows = i * g["sh"] + k // g["KW"]
    cols = j * g["sw"] + k % g["KW"]
    dxpad = np.zeros((N, C, g["H"] + 2 * g["ph"], g["W"] + 2 * g["pw"]), dtype=dtype)
    np.add.at(dxpad, (n, c, rows, cols), dout)
    return dxpad[:, :, g["ph"]:g["ph"] + g["H"], g["pw"]:g["pw"] + g["W"]].copy()


def avgpool2d_forward(x, kernel_size, stride=None, padding=0):
    g = _setup(x.shape, kernel_size, stride, padding)
    xpad = np.pad(x, ((0, 0), (0, 0), (g["ph"],) * 2, (g["pw"],) * 2))
    S = np.zeros(xpad.shape[:2] + (xpad.shape[2] + 1, xpad.shape[3] + 1), dtype=np.float64)
    S[:, :, 1:, 1:] = xpad.cumsum(axis=2, dtype=np.float64).cumsum(axis=3)
    r0 = np.arange(g["Hout"]) * g["sh"]
    c0 = np.arange(g["Wout"]) * g["sw"]
    r1, c1 = r0 + g["KH"], c0 + g["KW"]
    total = (S[:, :, r1[:, None], c1] - S[:, :, r0[:, None], c1]
             - S[:, :, r1[:, None], c0] + S[:, :, r0[:, None], c0])
    return (total / (g["KH"] * g["KW"])).astype(x.dtype), (g, x.dtype)


def avgpool2d_backward(dout, cache):
    g, dtype = cache
    N, C = dout.shape[:2]
    Hp, Wp = g["H"] + 2 * g["ph"], g["W"] + 2 * g["pw"]
    share = dout.astype(np.float64) / (g["KH"] * g["KW"])
    r0 = (np.arange(g["Hout"]) * g["sh"])[:, None]
    c0 = np.arange(g["Wout"]) * g["sw"]
    r1, c1 = r0 + g["KH"], c0 + g["KW"]
    D = np.zeros((N, C, Hp + 1, Wp + 1))               # difference array: the integral's adjoint
    for rr, cc, sign in ((r0, c0, 1), (r1, c0, -1), (r0, c1, -1), (r1, c1, 1)):
        np.add.at(D, (slice(None), slice(None), rr, cc), sign * share)
    dxpad = D.cumsum(axis=2).cumsum(axis=3)[:, :, :Hp, :Wp]
    return dxpad[:, :, g["ph"]:g["ph"] + g["H"], g["pw"]:g["pw"] + g["W"]].astype(dtype)


def global_avgpool_forward(x):
    H, W = x.shape[2:]
    return (x.sum(axis=(2, 3)) / (H * W)).astype(x.dtype, copy=False), x.shape


def global_avgpool_backward(dout, cache):
    N, C, H, W = cache
    return np.repeat(np.repeat((dout / (H * W))[:, :, None, None], H, axis=2), W, axis=3)
