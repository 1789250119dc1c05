"""Output size forgets the +1: Hout = (H + 2ph - KH) // sh, one row (and column) too few; fix: add 1."""

MODULE = "conv2d"

"""Topic 11: 2-D convolution by sliding a window. Brief: README.md beside this file.

Convolution here is cross-correlation, as in PyTorch (the kernel is not flipped):

    out[n, f, i, j] = b[f] + sum_{c, p, q} xpad[n, c, i*sh + p, j*sw + q] * w[f, c, p, q]

Run the specs with `tox -e topic11`; stuck? `HINTS.md` has three tiers per function.
"""

import numpy as np


def _pair(value):
    """An int means the same value for both axes; a pair is (h, w)."""
    if isinstance(value, (tuple, list)):
        return int(value[0]), int(value[1])
    return int(value), int(value)


def conv2d_forward_naive(x, w, b, stride=1, padding=0):
    """Forward pass of a 2-D convolution (cross-correlation), one output position at a time.

    Returns (out, cache) with out of shape (N, F, Hout, Wout).
    """
    N, C, H, W = x.shape
    F, _, KH, KW = w.shape
    sh, sw = _pair(stride)
    ph, pw = _pair(padding)
    Hout = (H + 2 * ph - KH) // sh
    Wout = (W + 2 * pw - KW) // sw

    xpad = np.pad(x, ((0, 0), (0, 0), (ph, ph), (pw, pw)))
    out = np.zeros((N, F, Hout, Wout), dtype=x.dtype)
    for i in range(Hout):
        for j in range(Wout):
            window = xpad[:, :, i * sh:i * sh + KH, j * sw:j * sw + KW]   # (N, C, KH, KW)
            out[:, :, i, j] = np.tensordot(window, w, axes=([1, 2, 3], [1, 2, 3])) + b
    cache = (x, w, b, (sh, sw), (ph, pw))
    return out, cache


def conv2d_backward_naive(dout, cache):
    """Backward pass of conv2d_forward_naive. Returns (dx, dw, db)."""
    x, w, b, (sh, sw), (ph, pw) = cache
    N, C, H, W = x.shape
    F, _, KH, KW = w.shape
    _, _, Hout, Wout = dout.shape

    xpad = np.pad(x, ((0, 0), (0, 0), (ph, ph), (pw, pw)))
    dxpad = np.zeros_like(xpad)
    dw = np.zeros_like(w)
    db = dout.sum(axis=(0, 2, 3)).astype(b.dtype)
    for i in range(Hout):
        for j in range(Wout):
            rows = slice(i * sh, i * sh + KH)
            cols = slice(j * sw, j * sw + KW)
            window = xpad[:, :, rows, cols]          # (N, C, KH, KW)
            d = dout[:, :, i, j]                     # (N, F)
            dw += np.tensordot(d, window, axes=([0], [0]))
            dxpad[:, :, rows, cols] += np.tensordot(d, w, axes=([1], [0]))
    dx = dxpad[:, :, ph:ph + H, pw:pw + W].copy()
    return dx, dw, db
