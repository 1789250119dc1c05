"""sliding_window_view + einsum forward, tap-loop scatter backward: correct, no loop over output positions."""

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
    xpad = np.pad(x, ((0, 0), (0, 0), (ph, ph), (pw, pw)))
    out = np.einsum("ncijpq,fcpq->nfij", _windows(xpad, KH, KW, sh, sw), w)
    out = out + b[None, :, None, None]
    return out.astype(x.dtype, copy=False), (x, w, b, sh, sw, ph, pw)


def conv2d_backward_naive(dout, cache):
    x, w, b, sh, sw, ph, pw = cache
    N, C, H, W = x.shape
    F, _, KH, KW = w.shape
    Hout, Wout = dout.shape[2:]
    xpad = np.pad(x, ((0, 0), (0, 0), (ph, ph), (pw, pw)))
    dw = np.einsum("nfij,ncijpq->fcpq", dout, _windows(xpad, KH, KW, sh, sw))
    db = dout.sum(axis=(0, 2, 3))
    per_tap = np.einsum("nfij,fcpq->pqncij", dout, w)
    dxpad = np.zeros_like(xpad)
    for p in range(KH):
        for q in range(KW):
            dxpad[:, :, p:p + sh * (Hout - 1) + 1:sh, q:q + sw * (Wout - 1) + 1:sw] += per_tap[p, q]
    dx = dxpad[:, :, ph:ph + H, pw:pw + W].copy()
    return dx, dw.astype(w.dtype, copy=False), db.astype(b.dtype, copy=False)
