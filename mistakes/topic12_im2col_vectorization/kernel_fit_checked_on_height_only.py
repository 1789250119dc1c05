"""im2col checks that the kernel fits the height only: a kernel too wide gives an empty matrix."""

import numpy as np

from mistakes import topic12_im2col_vectorization as textbook
from solutions.topic12_im2col_vectorization.im2col import *

MODULE = "im2col"
EXPLANATION = """\
Your im2col refuses a kernel taller than the padded input but not one wider than it: a 2x4
kernel on a 5x3 image gives Wout = (3 + 0 - 4) // 1 + 1 = 0, and you return a matrix of 0 rows
that the convolution turns into an empty output without a word. Check Hout and Wout both, and
raise ValueError naming the kernel's span and the input size along the axis that does not fit."""


def im2col(x, kernel_size, stride=1, padding=0, dilation=1):
    (KH, KW), (sh, sw), (ph, pw), (dh, dw) = map(textbook.pair,
                                                 (kernel_size, stride, padding, dilation))
    Hout = (x.shape[2] + 2 * ph - dh * (KH - 1) - 1) // sh + 1
    Wout = (x.shape[3] + 2 * pw - dw * (KW - 1) - 1) // sw + 1
    if Hout < 1:
        raise ValueError(f"a kernel spanning {dh * (KH - 1) + 1} rows does not fit an input of "
                         f"{x.shape[2]} rows padded by {ph}")
    if Wout < 1:  # the width is never checked: no window fits, and no row comes out
        return np.empty((0, x.shape[1] * KH * KW), dtype=x.dtype)
    return textbook.im2col(x, kernel_size, stride, padding, dilation)
