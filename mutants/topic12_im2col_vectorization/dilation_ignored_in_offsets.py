"""im2col sizes the output with the dilation but reads the taps next to each other (offset p, not p*d)."""
import numpy as np

from solutions.topic12_im2col_vectorization import im2col as ref
from solutions.topic12_im2col_vectorization.im2col import *

MODULE = "im2col"


def im2col(x, kernel_size, stride=1, padding=0, dilation=1):
    N, C, H, W = x.shape
    (KH, KW), (sh, sw) = ref.pair(kernel_size), ref.pair(stride)
    (ph, pw), (dh, dw) = ref.pair(padding), ref.pair(dilation)
    Hout = (H + 2 * ph - dh * (KH - 1) - 1) // sh + 1   # sized with the dilation ...
    Wout = (W + 2 * pw - dw * (KW - 1) - 1) // sw + 1
    adjacent = ref.im2col(x, kernel_size, stride, padding, 1)  # ... but the taps side by side
    rows = adjacent.reshape(N, -1, C * KH * KW)
    Hout1 = (H + 2 * ph - KH) // sh + 1
    windows = rows.reshape(N, Hout1, -1, C * KH * KW)[:, :Hout, :Wout]
    return np.ascontiguousarray(windows).reshape(N * Hout * Wout, C * KH * KW)
