"""Pads only the top and left (np.pad with (p, 0) instead of (p, p))."""
import numpy as np

from solutions.topic11_conv2d_sliding_window import conv2d as ref
from solutions.topic11_conv2d_sliding_window.conv2d import *

MODULE = "conv2d"
EXPLANATION = """\
Your padding is only above and to the left: np.pad with (ph, 0) instead of (ph, ph). Padding adds
ph rows above AND below, pw columns left AND right:
np.pad(x, ((0, 0), (0, 0), (ph, ph), (pw, pw)))."""


def conv2d_forward_naive(x, w, b, stride=1, padding=0):
    ph, pw = ref.pair(padding)
    one_side = np.pad(x, ((0, 0), (0, 0), (ph, 0), (pw, 0)))
    return ref.conv2d_forward_naive(one_side, w, b, stride=stride, padding=0)
