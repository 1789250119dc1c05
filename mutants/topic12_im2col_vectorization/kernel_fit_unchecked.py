"""im2col does not check that the kernel fits: a negative output size reaches np.empty."""

import numpy as np

from solutions.topic12_im2col_vectorization import im2col as ref
from solutions.topic12_im2col_vectorization.im2col import *

MODULE = "im2col"

EXPLANATION = """\
Your im2col computes Hout and Wout without checking them: for a 6x6 kernel on a 3x3 image they
are negative, and the error comes from NumPy ("negative dimensions are not allowed"), or, when
both are negative, not at all. Compare the kernel's span with the padded input first and raise
ValueError naming both sizes."""


def _pair(value):
    return (int(value[0]), int(value[1])) if isinstance(value, (tuple, list)) else (int(value),) * 2


def im2col(x, kernel_size, stride=1, padding=0, dilation=1):
    (kh, kw), (sh, sw), (ph, pw), (dh, dw) = map(_pair, (kernel_size, stride, padding, dilation))
    n, c, h, w = x.shape
    ho = (h + 2 * ph - dh * (kh - 1) - 1) // sh + 1
    wo = (w + 2 * pw - dw * (kw - 1) - 1) // sw + 1
    if ho < 1 or wo < 1:
        np.empty((n, c, kh, kw, ho, 1))  # where a learner's buffer would be allocated
    return ref.im2col(x, kernel_size, stride, padding, dilation)
