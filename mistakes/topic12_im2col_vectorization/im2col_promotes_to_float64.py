"""im2col builds the columns in float64 whatever the input's dtype (float32 doubles its memory)."""
import numpy as np

from solutions.topic12_im2col_vectorization import im2col as ref
from solutions.topic12_im2col_vectorization.im2col import *

MODULE = "im2col"
EXPLANATION = """\
Your cols are float64 for a float32 input, which doubles the memory of the largest array of the
layer. Allocate them with dtype=x.dtype (np.empty(..., dtype=x.dtype)), so float32 in gives
float32 out."""


def im2col(x, kernel_size, stride=1, padding=0, dilation=1):
    return ref.im2col(x, kernel_size, stride, padding, dilation).astype(np.float64)
