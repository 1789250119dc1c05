"""im2col by one fancy-index gather (precomputed row/column index grids, no loop at all), col2im by np.bincount on flat pixel indices, the convolution with einsum."""

MODULE = "im2col"

import numpy as np


def _pair(v):
    return (int(v[0]), int(v[1])) if isinstance(v, (tuple, list)) else (int(v), int(v))


def _index_grids(x_shape, kernel_size, stride, padding, dilation):
    """Row and column of xpad read by (i, j, p, q), shapes broadcastable to (Hout, Wout, KH, KW)."""
    N, C, H, W = x_shape
    (KH, KW), (sh, sw), (ph, pw), (dh, dw) = map(_pair, (kernel_size, stride, padding, dilation))
    Hout = (H + 2 * ph - dh * (KH - 1) - 1) // sh + 1
    Wout = (W + 2 * pw - dw * (KW - 1) - 1) // sw + 1
    if Hout < 1:
        raise ValueError(f"a kernel spanning {dh * (KH - 1) + 1} pixels does not fit an input "
                         f"of {H} padded by {ph}")
    if Wout < 1:
        raise ValueError(f"a kernel spanning {dw * (KW - 1) + 1} pixels does not fit an input "
                         f"of {W} padded by {pw}")
    rows = (np.arange(Hout)[:, None, None, None] * sh + np.arange(KH)[None, None, :, None] * dh)
    cols = (np.arange(Wout)[None, :, None, None] * sw + np.arange(KW)[None, None, None, :] * dw)
    return rows, cols, (KH, KW), (ph, pw), (Hout, Wout)


def im2col(x, kernel_size, stride=1, padding=0, dilation=1):
    N, C, H, W = x.shape
    rows, cols, (KH, KW), (ph, pw), (Hout, Wout) = _index_grids(
        x.shape, kernel_size, stride, padding, dilation)
    xpad = np.pad(x, ((0, 0), (0, 0), (ph, ph), (pw, pw)))
    g = xpad[:, :, rows, cols]                          # (N, C, Hout, Wout, KH, KW)
    return g.transpose(0, 2, 3, 1, 4, 5).reshape(N * Hout * Wout, C * KH * KW)


def col2im(cols, x_shape, kernel_size, stride=1, padding=0, dilation=1):
    N, C, H, W = x_shape
    rows, colidx, (KH, KW), (ph, pw), (Hout, Wout) = _index_grids(
        x_shape, kernel_size, stride, padding, dilation)
    Hp, Wp = H + 2 * ph, W + 2 * pw
    pix = np.broadcast_to(rows * Wp + colidx, (Hout, Wout, KH, KW))
    flat = (np.arange(N * C)[:, None, None, None, None] * (Hp * Wp) + pix[None])   # (NC, Ho, Wo, KH, KW)
    vals = cols.reshape(N, Hout, Wout, C, KH, KW).transpose(0, 3, 1, 2, 4, 5).reshape(flat.shape)
    summed = np.bincount(flat.ravel(), weights=vals.ravel(), minlength=N * C * Hp * Wp)
    xpad = summed.reshape(N, C, Hp, Wp).astype(cols.dtype)
    return xpad[:, :, ph:ph + H, pw:pw + W].copy()


def conv2d_forward(x, w, b, stride=1, padding=0):
    N, C, H, W = x.shape
    F, Cw, KH, KW = w.shape
    if C != Cw:
        raise ValueError(f"channel counts differ: x has {C}, w has {Cw}")
    (sh, sw), (ph, pw) = _pair(stride), _pair(padding)
    cols = im2col(x, (KH, KW), stride=stride, padding=padding)
    Hout, Wout = (H + 2 * ph - KH) // sh + 1, (W + 2 * pw - KW) // sw + 1
    out = np.einsum("nhwk,fk->nfhw", cols.reshape(N, Hout, Wout, -1), w.reshape(F, -1))
    out = out + b[None, :, None, None]
    return out, {"cols": cols, "x_shape": x.shape, "w": w, "stride": stride, "padding": padding}


def conv2d_backward(dout, cache):
    cols, w = cache["cols"], cache["w"]
    N, F, Hout, Wout = dout.shape
    c4 = cols.reshape(N, Hout, Wout, -1)
    db = np.einsum("nfhw->f", dout)
    dw = np.einsum("nfhw,nhwk->fk", dout, c4).reshape(w.shape)
    dcols = np.einsum("nfhw,fk->nhwk", dout, w.reshape(F, -1)).reshape(cols.shape)
    dx = col2im(dcols, cache["x_shape"], w.shape[2:], stride=cache["stride"],
                padding=cache["padding"])
    return dx, dw, db
