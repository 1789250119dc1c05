"""The grouped conv splits cols with cols.reshape(G, rows, K): a reshape, no transpose, mixes the groups."""
import numpy as np

from solutions.topic12_im2col_vectorization.im2col import col2im, im2col
from solutions.topic15_modern_convolutions import modern_conv as ref
from solutions.topic15_modern_convolutions.modern_conv import *

MODULE = "modern_conv"
EXPLANATION = """\
Your grouped convolution mixes the groups: cols.reshape(G, rows, K) cuts the column matrix in
memory order, so "group g" gets a block of rows (positions) with every group's columns, not group
g's columns at every position. Split the columns: cols.reshape(rows, G, K).transpose(1, 0, 2),
and put dcols back the same way in the backward. With groups=1 both agree, which hides it."""


def _sizes(x, w, stride, padding, dilation):
    (sh, sw), (ph, pw), (dh, dw) = map(ref.pair, (stride, padding, dilation))
    KH, KW = w.shape[2:]
    return ((x.shape[2] + 2 * ph - dh * (KH - 1) - 1) // sh + 1,
            (x.shape[3] + 2 * pw - dw * (KW - 1) - 1) // sw + 1)


def conv2d_forward(x, w, b, stride=1, padding=0, dilation=1, groups=1):
    N, C = x.shape[:2]
    F, C_per_group, KH, KW = w.shape
    if groups < 1 or C % groups or F % groups or C_per_group != C // groups:
        return ref.conv2d_forward(x, w, b, stride, padding, dilation, groups)  # refuses it
    Hout, Wout = _sizes(x, w, stride, padding, dilation)
    K = C_per_group * KH * KW
    cols = im2col(x, (KH, KW), stride, padding, dilation)            # (R, C*KH*KW)
    cols_g = cols.reshape(groups, -1, K)                              # the mistake
    w_g = w.reshape(groups, F // groups, K)
    out_g = cols_g @ w_g.transpose(0, 2, 1)                           # (G, R, F/G)
    out = out_g.transpose(1, 0, 2).reshape(N, Hout, Wout, F).transpose(0, 3, 1, 2)
    out = np.ascontiguousarray(out + b[:, None, None])
    return out, (cols, w, x.shape, (stride, padding, dilation), groups)


def conv2d_backward(dout, cache):
    cols, w, x_shape, (stride, padding, dilation), groups = cache
    F, _, KH, KW = w.shape
    K = cols.shape[1] // groups
    cols_g = cols.reshape(groups, -1, K)
    w_g = w.reshape(groups, F // groups, K)
    dout_g = dout.transpose(0, 2, 3, 1).reshape(-1, groups, F // groups).transpose(1, 0, 2)
    dw = (dout_g.transpose(0, 2, 1) @ cols_g).reshape(w.shape)
    dcols = (dout_g @ w_g).reshape(cols.shape)                        # the same mistake, undone
    dx = col2im(dcols, x_shape, (KH, KW), stride, padding, dilation)
    return dx, dw, dout.sum(axis=(0, 2, 3))
