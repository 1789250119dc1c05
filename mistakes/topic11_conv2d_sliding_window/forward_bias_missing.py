"""conv2d_forward_naive never adds the bias b (the backward still returns db)."""
import numpy as np

from solutions.topic11_conv2d_sliding_window import conv2d as ref
from solutions.topic11_conv2d_sliding_window.conv2d import *

MODULE = "conv2d"
EXPLANATION = """\
Your output is the windows times the filters without the bias: every value of filter f is off by
exactly b[f]. Each output adds its filter's bias once: out[n, f, i, j] = b[f] + sum over c, p, q
of xpad * w. Add b (shape (F,)) to the (N, F) result at every (i, j)."""


def conv2d_forward_naive(x, w, b, stride=1, padding=0):
    return ref.conv2d_forward_naive(x, w, np.zeros_like(b), stride=stride, padding=padding)
