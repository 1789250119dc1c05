"""Depthwise output channel c sums filter c over every input channel (a full conv)."""
import numpy as np

from solutions.topic15_modern_convolutions import modern_conv as ref
from solutions.topic15_modern_convolutions.modern_conv import *

MODULE = "modern_conv"
EXPLANATION = """\
Your depthwise output channel c sums filter c over every input channel, like a full convolution.
Depthwise means channel c meets filter c alone: multiply each tap's (N, C, Hout, Wout) view by
w[:, 0, p, q] shaped (C, 1, 1) and sum over the taps only, never over the channels."""


def depthwise_conv2d_forward(x, w, b, stride=1, padding=0, dilation=1):
    full = np.repeat(w, x.shape[1], axis=1)                       # (C, C, KH, KW)
    return ref.conv2d_forward(x, full, b, stride, padding, dilation)


def depthwise_conv2d_backward(dout, cache):
    dx, dw_full, db = ref.conv2d_backward(dout, cache)
    return dx, dw_full.sum(axis=1, keepdims=True), db
