"""Correct: forward from one sliding_window_view and a single einsum; backward loops over the kernel taps.
"""

MODULE = "conv2d"

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view


def _hw(v):
    return (int(v[0]), int(v[1])) if isinstance(v, (tuple, list)) else (int(v), int(v))


def _windows(xpad, KH, KW, sh, sw):
    # (N, C, Hout, Wout, KH, KW), a read-only view
    return sliding_window_view(xpad, (KH, KW), axis=(2, 3))[:, :, ::sh, ::sw]


def conv2d_forward_naive(x, w, b, stride=1, padding=0):
    (sh, sw), (ph, pw) = _hw(stride), _hw(padding)
    KH, KW = w.shape[2:]
    xpad = np.pad(x, [(0, 0), (0, 0), (ph, ph), (pw, pw)])
    win = _windows(xpad, KH, KW, sh, sw)
    out = np.einsum("nchwpq,fcpq->nfhw", win, w) + b[None, :, None, None]
    return out.astype(x.dtype, copy=False), {"xpad": xpad, "w": w, "b": b, "s": (sh, sw),
                                             "p": (ph, pw), "shape": x.shape}


def conv2d_backward_naive(dout, cache):
    xpad, w, (sh, sw), (ph, pw) = cache["xpad"], cache["w"], cache["s"], cache["p"]
    N, C, H, W = cache["shape"]
    KH, KW = w.shape[2:]
    Hout, Wout = dout.shape[2:]
    win = _windows(xpad, KH, KW, sh, sw)
    dw = np.einsum("nfhw,nchwpq->fcpq", dout, win).astype(w.dtype, copy=False)
    db = np.einsum("nfhw->f", dout).astype(cache["b"].dtype, copy=False)
    dxpad = np.zeros(xpad.shape, dtype=xpad.dtype)
    for p in range(KH):
        for q in range(KW):
            dxpad[:, :, p:p + sh * (Hout - 1) + 1:sh, q:q + sw * (Wout - 1) + 1:sw] += np.einsum(
                "nfhw,fc->nchw", dout, w[:, :, p, q])
    return np.ascontiguousarray(dxpad[:, :, ph:ph + H, pw:pw + W]), dw, db
