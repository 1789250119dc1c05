"""Depthwise forward accumulates into np.zeros(shape) (float64), whatever the input dtype."""
import numpy as np

from solutions.topic15_modern_convolutions import modern_conv as ref
from solutions.topic15_modern_convolutions.modern_conv import *

MODULE = "modern_conv"
EXPLANATION = """\
Your depthwise output is float64 for a float32 input: np.zeros(shape) allocates float64. Allocate
out with dtype=x.dtype (np.zeros((N, C, Hout, Wout), dtype=x.dtype)), so float32 in gives float32
out."""


def depthwise_conv2d_forward(x, w, b, stride=1, padding=0, dilation=1):
    out, cache = ref.depthwise_conv2d_forward(x, w, b, stride, padding, dilation)
    return out.astype(np.float64), cache
