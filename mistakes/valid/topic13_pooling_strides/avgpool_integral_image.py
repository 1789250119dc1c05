"""Average pooling by an integral image (summed-area table): four lookups per window, no offset loop.

A correct average pool written another way (issue 19): the sum of any window is
S[i + KH, j + KW] - S[i, j + KW] - S[i + KH, j] + S[i, j], where S is the running sum of the
zero-padded input over rows and columns, with a zero row and column in front. Its backward is
the exact adjoint: each window's dout / (KH*KW) goes onto the four corners of S with the same
signs, and reverse running sums spread it over the window. Pixels no window reads get an exact 0,
while the finite differences of this forward give them rounding noise of the running sums (9e-10
at kernel 2, stride 3, padding 1): the gradient spec must judge that noise against the array's
magnitude, not as an error of 100%.
"""

import numpy as np

from solutions.topic13_pooling_strides.pooling import *  # noqa: F403  (max and global pooling)
from solutions.topic13_pooling_strides.pooling import pad_spatial, pool_geometry, unpad_spatial

MODULE = "pooling"


def _corners(kernel, stride, out_hw):
    """The rows and columns of S at a window's top-left (i*sh, j*sw) and past its bottom-right."""
    (kh, kw), (sh, sw), (hout, wout) = kernel, stride, out_hw
    rows, cols = np.arange(hout) * sh, np.arange(wout) * sw
    return (rows, rows + kh), (cols, cols + kw)


def avgpool2d_forward(x, kernel_size, stride=None, padding=0):
    kernel, stride, padding, out_hw = pool_geometry(x.shape, kernel_size, stride, padding)
    xpad = pad_spatial(x, padding, 0)
    n, c, hp, wp = xpad.shape
    table = np.zeros((n, c, hp + 1, wp + 1), dtype=x.dtype)   # S[:, :, a, b] = sum of xpad[:a, :b]
    table[:, :, 1:, 1:] = xpad.cumsum(axis=2).cumsum(axis=3)
    (top, bottom), (left, right) = _corners(kernel, stride, out_hw)
    sums = (table[:, :, bottom[:, None], right] - table[:, :, top[:, None], right]
            - table[:, :, bottom[:, None], left] + table[:, :, top[:, None], left])
    out = (sums / (kernel[0] * kernel[1])).astype(x.dtype, copy=False)
    return out, (x.shape, kernel, stride, padding)


def avgpool2d_backward(dout, cache):
    (n, c, h, w), kernel, stride, padding = cache
    share = (dout / (kernel[0] * kernel[1])).astype(dout.dtype, copy=False)
    (top, bottom), (left, right) = _corners(kernel, stride, dout.shape[2:])
    dtable = np.zeros((n, c, h + 2 * padding[0] + 1, w + 2 * padding[1] + 1), dtype=dout.dtype)
    for rows, cols, sign in ((bottom, right, 1), (top, right, -1), (bottom, left, -1),
                             (top, left, 1)):
        np.add.at(dtable, (slice(None), slice(None), rows[:, None], cols), sign * share)
    # S[a, b] summed xpad[:a, :b], so dxpad[u, v] gathers dS[a, b] over a > u and b > v.
    dxpad = dtable[:, :, ::-1, ::-1].cumsum(axis=2).cumsum(axis=3)[:, :, ::-1, ::-1][:, :, 1:, 1:]
    return unpad_spatial(dxpad, padding)
