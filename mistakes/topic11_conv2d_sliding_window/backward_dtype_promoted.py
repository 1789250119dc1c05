"""The backward allocates dx and dw with np.zeros(shape) (float64), whatever the input's dtype."""
import numpy as np

from solutions.topic11_conv2d_sliding_window import conv2d as ref
from solutions.topic11_conv2d_sliding_window.conv2d import *

MODULE = "conv2d"
EXPLANATION = """\
Your gradients are float64 for a float32 input: np.zeros(shape) allocates float64 unless told
otherwise. Keep the input's dtype: np.zeros_like(xpad) and np.zeros_like(w) (or pass
dtype=x.dtype), so float32 in gives float32 out."""


def conv2d_backward_naive(dout, cache):
    dx, dw, db = ref.conv2d_backward_naive(dout, cache)
    return dx.astype(np.float64), dw.astype(np.float64), db
