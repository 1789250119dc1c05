"""Depthwise forward accumulates into np.zeros(shape) (float64), whatever the input dtype."""
import numpy as np

from solutions.topic15_modern_convolutions import modern_conv as ref
from solutions.topic15_modern_convolutions.modern_conv import *

MODULE = "modern_conv"


def depthwise_conv2d_forward(x, w, b, stride=1, padding=0, dilation=1):
    out, cache = ref.depthwise_conv2d_forward(x, w, b, stride, padding, dilation)
    return out.astype(np.float64), cache
