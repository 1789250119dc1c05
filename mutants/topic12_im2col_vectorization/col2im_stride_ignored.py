"""col2im puts the blocks back with step 1, as if the stride were 1 (im2col itself is right)."""
import numpy as np

from solutions.topic12_im2col_vectorization import im2col as ref
from solutions.topic12_im2col_vectorization.im2col import *

MODULE = "im2col"


def _sizes(x_shape, kernel_size, stride, padding, dilation):
    """(N, C, H, W, KH, KW, sh, sw, ph, pw, dh, dw, Hout, Wout), all pairs unpacked."""
    N, C, H, W = x_shape
    (KH, KW), (sh, sw) = ref.pair(kernel_size), ref.pair(stride)
    (ph, pw), (dh, dw) = ref.pair(padding), ref.pair(dilation)
    Hout = (H + 2 * ph - dh * (KH - 1) - 1) // sh + 1
    Wout = (W + 2 * pw - dw * (KW - 1) - 1) // sw + 1
    return N, C, H, W, KH, KW, sh, sw, ph, pw, dh, dw, Hout, Wout


def col2im(cols, x_shape, kernel_size, stride=1, padding=0, dilation=1):
    N, C, H, W, KH, KW, sh, sw, ph, pw, dh, dw, Hout, Wout = _sizes(
        x_shape, kernel_size, stride, padding, dilation)
    blocks = cols.reshape(N, Hout, Wout, C, KH, KW).transpose(4, 5, 0, 3, 1, 2)
    xpad = np.zeros((N, C, H + 2 * ph, W + 2 * pw), dtype=cols.dtype)
    for p in range(KH):
        for q in range(KW):
            xpad[:, :, p * dh:p * dh + Hout, q * dw:q * dw + Wout] += blocks[p, q]
    return xpad[:, :, ph:ph + H, pw:pw + W].copy()
