"""The fused conv + ReLU adds the bias after the ReLU instead of before."""

import numpy as np

from fastpath import layers as ref
from fastpath.layers import *

MODULE = "layers"
EXPLANATION = """\
The whitening layer is relu(conv(x) + b): the bias moves each filter's output before the ReLU
decides what is kept. Added after the ReLU, outputs that should have crossed zero are cut off (or
kept) wrongly, and the result is never below b. Add b to each chunk before np.maximum(y, 0)."""


def conv2d_relu_forward(x, w, b, stride=1, padding=0):
    out, cache = ref.conv2d_relu_forward(x, w, np.zeros_like(b), stride, padding)
    return out + b.reshape(1, -1, 1, 1), cache
