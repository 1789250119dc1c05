"""The whitening bias gradient without dx ignores the ReLU's mask (sums dx everywhere)."""

import numpy as np

from fastpath import layers as ref
from fastpath.layers import *

MODULE = "layers"
EXPLANATION = """\
The whitening bias sits before a ReLU, so its gradient is dx summed only where x > 0 (the
ReLU's output was positive). Without the mask, the gradient sums dx over every pixel, including
those where the ReLU output 0 and no gradient can flow back to the bias."""


def conv2d_maxpool2d_relu_bias_backward(dout, cache):
    xh, *rest = cache.data
    return ref.conv2d_maxpool2d_relu_bias_backward(dout, ref._Fast(np.ones_like(xh), *rest))[0], \
        ref.conv2d_maxpool2d_backward(dout, cache, False)[1]
