"""itertools.product over positions with flattened-matrix products and a dict cache: correct."""

MODULE = "conv2d"

import itertools

import numpy as np


def _hw(v):
    try:
        a, c = v
    except TypeError:
        a = c = v
    return int(a), int(c)


def conv2d_forward_naive(x, w, b, stride=1, padding=0):
    N, C, H, W = x.shape
    F, _, KH, KW = w.shape
    sh, sw = _hw(stride)
    ph, pw = _hw(padding)
    Hout, Wout = (H + 2 * ph - KH) // sh + 1, (W + 2 * pw - KW) // sw + 1
    xpad = np.zeros((N, C, H + 2 * ph, W + 2 * pw), dtype=x.dtype)
    xpad[:, :, ph:ph + H, pw:pw + W] = x
    wmat = w.reshape(F, -1)
    out = np.empty((N, F, Hout, Wout), dtype=x.dtype)
    for i, j in itertools.product(range(Hout), range(Wout)):
        patch = xpad[:, :, i * sh:i * sh + KH, j * sw:j * sw + KW].reshape(N, -1)
        out[:, :, i, j] = patch @ wmat.T + b
    return out, {"xpad": xpad, "w": w, "b_dtype": b.dtype, "s": (sh, sw), "p": (ph, pw), "H": H, "W": W}


def conv2d_backward_naive(dout, cache):
    xpad, w = cache["xpad"], cache["w"]
    (sh, sw), (ph, pw) = cache["s"], cache["p"]
    N, C = xpad.shape[:2]
    F, _, KH, KW = w.shape
    wmat = w.reshape(F, -1)
    dxpad = np.zeros_like(xpad)
    dwmat = np.zeros_like(wmat)
    for i, j in itertools.product(range(dout.shape[2]), range(dout.shape[3])):
        g = dout[:, :, i, j]
        rs, cs = slice(i * sh, i * sh + KH), slice(j * sw, j * sw + KW)
        dwmat += g.T @ xpad[:, :, rs, cs].reshape(N, -1)
        dxpad[:, :, rs, cs] += (g @ wmat).reshape(N, C, KH, KW)
    dx = np.array(dxpad[:, :, ph:ph + cache["H"], pw:pw + cache["W"]])
    db = np.einsum("nfij->f", dout).astype(cache["b_dtype"], copy=False)
    return dx, dwmat.reshape(w.shape), db
