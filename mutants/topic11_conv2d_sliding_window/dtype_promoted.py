"""Allocates the output with np.zeros(shape) (float64), whatever the input's dtype."""
import numpy as np

from solutions.topic11_conv2d_sliding_window import conv2d as ref
from solutions.topic11_conv2d_sliding_window.conv2d import *

MODULE = "conv2d"


def conv2d_forward_naive(x, w, b, stride=1, padding=0):
    out, cache = ref.conv2d_forward_naive(x, w, b, stride=stride, padding=padding)
    return out.astype(np.float64), cache
