"""The fused conv + ReLU adds the bias after the ReLU instead of before."""

import numpy as np

from solutions.topic17_cifar10_from_scratch import layers as ref
from solutions.topic17_cifar10_from_scratch.layers import *

MODULE = "layers"
EXPLANATION = """\
The fused conv + ReLU adds the bias after the ReLU. The bias belongs to the convolution:
relu(conv(x, w) + b), so negative sums plus the bias are clipped together."""


def conv2d_relu_forward(x, w, b, stride=1, padding=0):
    out, cache = ref.conv2d_relu_forward(x, w, np.zeros_like(b), stride, padding)
    return out + b.reshape(1, -1, 1, 1), cache
