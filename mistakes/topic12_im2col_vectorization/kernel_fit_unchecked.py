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


def im2col(x, kernel_size, stride=1, padding=0, dilation=1):
    try:
        return ref.im2col(x, kernel_size, stride, padding, dilation)
    except ValueError:  # where the reference checks, this version allocates with Hout < 0
        return np.empty((x.shape[0], x.shape[1], -1))
