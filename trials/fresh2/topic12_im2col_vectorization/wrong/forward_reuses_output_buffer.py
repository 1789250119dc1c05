"""conv2d_forward writes into a module-level buffer kept between calls and returns it, so the next call overwrites a held result; fix: return a fresh array each call."""

MODULE = "im2col"

"""Topic 12: im2col vectorization. Brief: README.md beside this file.

im2col copies every receptive field into one row of a matrix, so that a convolution becomes one
matrix product:

    cols[(n, i, j), (c, p, q)] = xpad[n, c, i*sh + p*dh, j*sw + q*dw]
    out = cols @ w.reshape(F, -1).T          # then reshape (N, Hout, Wout, F) -> (N, F, Hout, Wout)

col2im is its adjoint: it adds every entry of a column matrix back onto the pixel it came from.

Run the specs with `tox -e topic12`; stuck? `HINTS.md` has three tiers per function.
"""

import numpy as np


def _pair(value):
    """An int means the same value for both axes; a pair is (h, w)."""
    if isinstance(value, (tuple, list)):
        return int(value[0]), int(value[1])
    return int(value), int(value)


def _geometry(x_shape, kernel_size, stride, padding, dilation):
    """All the sizes im2col and col2im need; refuses a kernel that does not fit."""
    N, C, H, W = x_shape
    KH, KW = _pair(kernel_size)
    sh, sw = _pair(stride)
    ph, pw = _pair(padding)
    dh, dw = _pair(dilation)
    span_h = dh * (KH - 1) + 1
    span_w = dw * (KW - 1) + 1
    if span_h > H + 2 * ph:
        raise ValueError(f"a kernel spanning {span_h} pixels does not fit an input of {H} "
                         f"padded by {ph} (height)")
    if span_w > W + 2 * pw:
        raise ValueError(f"a kernel spanning {span_w} pixels does not fit an input of {W} "
                         f"padded by {pw} (width)")
    Hout = (H + 2 * ph - span_h) // sh + 1
    Wout = (W + 2 * pw - span_w) // sw + 1
    return N, C, H, W, KH, KW, sh, sw, ph, pw, dh, dw, Hout, Wout


def im2col(x, kernel_size, stride=1, padding=0, dilation=1):
    """Copy every receptive field of x into one row of a matrix: (N*Hout*Wout, C*KH*KW)."""
    N, C, H, W, KH, KW, sh, sw, ph, pw, dh, dw, Hout, Wout = _geometry(
        x.shape, kernel_size, stride, padding, dilation)
    xpad = np.pad(x, ((0, 0), (0, 0), (ph, ph), (pw, pw)))
    # cols6[n, c, p, q, i, j] = xpad[n, c, i*sh + p*dh, j*sw + q*dw]
    cols6 = np.empty((N, C, KH, KW, Hout, Wout), dtype=x.dtype)
    for p in range(KH):
        for q in range(KW):
            r0, c0 = p * dh, q * dw
            cols6[:, :, p, q] = xpad[:, :, r0:r0 + sh * (Hout - 1) + 1:sh,
                                     c0:c0 + sw * (Wout - 1) + 1:sw]
    # rows (n, i, j), columns (c, p, q)
    return cols6.transpose(0, 4, 5, 1, 2, 3).reshape(N * Hout * Wout, C * KH * KW)


def col2im(cols, x_shape, kernel_size, stride=1, padding=0, dilation=1):
    """The adjoint of im2col: add every entry of `cols` back onto the pixel it was copied from."""
    N, C, H, W, KH, KW, sh, sw, ph, pw, dh, dw, Hout, Wout = _geometry(
        x_shape, kernel_size, stride, padding, dilation)
    cols6 = cols.reshape(N, Hout, Wout, C, KH, KW).transpose(0, 3, 4, 5, 1, 2)
    xpad = np.zeros((N, C, H + 2 * ph, W + 2 * pw), dtype=cols.dtype)
    for p in range(KH):
        for q in range(KW):
            r0, c0 = p * dh, q * dw
            xpad[:, :, r0:r0 + sh * (Hout - 1) + 1:sh,
                 c0:c0 + sw * (Wout - 1) + 1:sw] += cols6[:, :, p, q]
    return xpad[:, :, ph:ph + H, pw:pw + W].copy()


_OUT = {}


def conv2d_forward(x, w, b, stride=1, padding=0):
    """Forward pass of a 2-D convolution (cross-correlation) as one matrix product."""
    N, C, H, W = x.shape
    F, Cw, KH, KW = w.shape
    if Cw != C:
        raise ValueError(f"w has {Cw} channels but x has {C}: they must be equal")
    sh, sw = _pair(stride)
    ph, pw = _pair(padding)
    cols = im2col(x, (KH, KW), stride=(sh, sw), padding=(ph, pw))
    Hout = (H + 2 * ph - KH) // sh + 1
    Wout = (W + 2 * pw - KW) // sw + 1
    out_rows = cols @ w.reshape(F, -1).T + b                    # (N*Hout*Wout, F)
    key = (N, F, Hout, Wout, out_rows.dtype.str)
    if key not in _OUT:
        _OUT[key] = np.empty((N, F, Hout, Wout), dtype=out_rows.dtype)
    out = _OUT[key]
    out[...] = out_rows.reshape(N, Hout, Wout, F).transpose(0, 3, 1, 2)
    cache = (x.shape, w, cols, (sh, sw), (ph, pw))
    return out, cache


def conv2d_backward(dout, cache):
    """Backward pass of conv2d_forward. Returns (dx, dw, db)."""
    x_shape, w, cols, stride, padding = cache
    F, C, KH, KW = w.shape
    dout_rows = dout.transpose(0, 2, 3, 1).reshape(-1, F)       # (N*Hout*Wout, F)
    db = dout_rows.sum(axis=0)
    dw = (dout_rows.T @ cols).reshape(w.shape)
    dcols = dout_rows @ w.reshape(F, -1)
    dx = col2im(dcols, x_shape, (KH, KW), stride=stride, padding=padding)
    return dx, dw, db
