"""Each output sums window * filter over the whole batch too (np.sum without an axis)."""
import numpy as np

from solutions.topic11_conv2d_sliding_window import conv2d as ref
from solutions.topic11_conv2d_sliding_window.conv2d import *

MODULE = "conv2d"
EXPLANATION = """\
Every sample of your output holds the same numbers: the sum over the whole batch. At each (i, j)
you summed window * w[f] over every axis, the batch axis N included (np.sum without axis=).
Sum over the channel and kernel axes (C, KH, KW) only, so that each sample n keeps its own
out[n, f, i, j]: np.tensordot(window, w, axes=([1, 2, 3], [1, 2, 3])) gives (N, F)."""


def conv2d_forward_naive(x, w, b, stride=1, padding=0):
    out, cache = ref.conv2d_forward_naive(x, w, b, stride=stride, padding=padding)
    without_bias = out - b[:, None, None]
    summed = without_bias.sum(axis=0, keepdims=True) + b[:, None, None]
    return np.broadcast_to(summed, out.shape).astype(out.dtype), cache
