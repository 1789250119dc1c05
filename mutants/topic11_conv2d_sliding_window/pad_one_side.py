"""Pads only the top and left (np.pad with (p, 0) instead of (p, p))."""
import numpy as np

from solutions.topic11_conv2d_sliding_window import conv2d as ref
from solutions.topic11_conv2d_sliding_window.conv2d import *

MODULE = "conv2d"


def conv2d_forward_naive(x, w, b, stride=1, padding=0):
    ph, pw = ref.pair(padding)
    one_side = np.pad(x, ((0, 0), (0, 0), (ph, 0), (pw, 0)))
    return ref.conv2d_forward_naive(one_side, w, b, stride=stride, padding=0)
