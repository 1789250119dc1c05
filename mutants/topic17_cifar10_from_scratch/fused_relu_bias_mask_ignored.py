"""The whitening bias gradient without dx ignores the ReLU's mask (sums dx everywhere)."""

import numpy as np

from solutions.topic17_cifar10_from_scratch import layers as ref
from solutions.topic17_cifar10_from_scratch.layers import *

MODULE = "layers"
EXPLANATION = """\
The whitening bias gradient sums the gradient everywhere, ignoring the ReLU's mask. The bias
only affects the outputs the ReLU let through: sum the gradient where the pre-activation was >
0."""


def conv2d_maxpool2d_relu_bias_backward(dout, cache):
    xh, *rest = cache.data
    return ref.conv2d_maxpool2d_relu_bias_backward(dout, ref._Fast(np.ones_like(xh), *rest))[0], \
        ref.conv2d_maxpool2d_backward(dout, cache, False)[1]
