"""conv2d in another loop order: loops over the KH*KW kernel taps with einsum, and dx as a full convolution of the stride-dilated dout with the flipped kernel."""

MODULE = "conv2d"

import numpy as np


def _pair(v):
    return (int(v[0]), int(v[1])) if isinstance(v, (tuple, list)) else (int(v), int(v))


def conv2d_forward_naive(x, w, b, stride=1, padding=0):
    N, C, H, W = x.shape
    F, _, KH, KW = w.shape
    sh, sw = _pair(stride)
    ph, pw = _pair(padding)
    Hout = (H + 2 * ph - KH) // sh + 1
    Wout = (W + 2 * pw - KW) // sw + 1
    xpad = np.pad(x, ((0, 0), (0, 0), (ph, ph), (pw, pw)))
    out = np.empty((N, F, Hout, Wout), dtype=x.dtype)
    out[...] = b.reshape(1, F, 1, 1)
    for p in range(KH):
        for q in range(KW):
            tap = xpad[:, :, p:p + sh * (Hout - 1) + 1:sh, q:q + sw * (Wout - 1) + 1:sw]
            out += np.einsum("nchw,fc->nfhw", tap, w[:, :, p, q])
    return out, {"x": x, "w": w, "stride": (sh, sw), "padding": (ph, pw)}


def conv2d_backward_naive(dout, cache):
    x, w = cache["x"], cache["w"]
    (sh, sw), (ph, pw) = cache["stride"], cache["padding"]
    N, C, H, W = x.shape
    F, _, KH, KW = w.shape
    _, _, Hout, Wout = dout.shape
    xpad = np.pad(x, ((0, 0), (0, 0), (ph, ph), (pw, pw)))

    db = np.einsum("nfhw->f", dout)
    dw = np.empty_like(w)
    for p in range(KH):
        for q in range(KW):
            tap = xpad[:, :, p:p + sh * (Hout - 1) + 1:sh, q:q + sw * (Wout - 1) + 1:sw]
            dw[:, :, p, q] = np.einsum("nfhw,nchw->fc", dout, tap)

    # dx: spread dout out by the stride, pad it by the kernel minus one, and slide the kernel
    # flipped in space (F and C swap roles) over it.
    Hc, Wc = sh * (Hout - 1) + 1, sw * (Wout - 1) + 1
    spread = np.zeros((N, F, Hc + 2 * (KH - 1), Wc + 2 * (KW - 1)), dtype=dout.dtype)
    spread[:, :, KH - 1:KH - 1 + Hc:sh, KW - 1:KW - 1 + Wc:sw] = dout
    flipped = w[:, :, ::-1, ::-1]
    core = np.zeros((N, C, Hc + KH - 1, Wc + KW - 1), dtype=x.dtype)
    for p in range(KH):
        for q in range(KW):
            core += np.einsum("nfhw,fc->nchw",
                              spread[:, :, p:p + Hc + KH - 1, q:q + Wc + KW - 1], flipped[:, :, p, q])
    dxpad = np.zeros((N, C, H + 2 * ph, W + 2 * pw), dtype=x.dtype)
    dxpad[:, :, :Hc + KH - 1, :Wc + KW - 1] = core
    return dxpad[:, :, ph:ph + H, pw:pw + W].copy(), dw, db
