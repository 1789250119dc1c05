"""Allocates the output with np.zeros(shape) (float64), whatever the input's dtype."""
import numpy as np

from solutions.topic11_conv2d_sliding_window import conv2d as ref
from solutions.topic11_conv2d_sliding_window.conv2d import *

MODULE = "conv2d"
EXPLANATION = """\
Your output is float64 for a float32 input: np.zeros(shape) or np.empty(shape) allocate float64
unless told otherwise. Allocate out with dtype=x.dtype (the hint's np.zeros((N, F, Hout, Wout),
dtype=x.dtype)), so float32 in gives float32 out."""


def conv2d_forward_naive(x, w, b, stride=1, padding=0):
    out, cache = ref.conv2d_forward_naive(x, w, b, stride=stride, padding=padding)
    return out.astype(np.float64), cache
