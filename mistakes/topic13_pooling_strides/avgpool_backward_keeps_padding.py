"""Average pooling backward returns the padded gradient: dx carries the padding's rows and columns."""
import numpy as np

from solutions.topic13_pooling_strides import pooling as ref
from solutions.topic13_pooling_strides.pooling import *

MODULE = "pooling"
EXPLANATION = """\
Your average-pooling dx is shaped like the padded input: you returned dxpad without cutting the
padding off. The padding's elements receive gradient in the offset loop, but they are not inputs:
finish with dx = dxpad[:, :, ph:ph + H, pw:pw + W], which has x's shape."""


def avgpool2d_backward(dout, cache):
    (n, c, h, w), dtype, kernel, stride, (ph, pw) = cache
    dxpad = np.zeros((n, c, h + 2 * ph, w + 2 * pw), dtype=dtype)
    share = (dout / (kernel[0] * kernel[1])).astype(dtype)
    for target in ref.window_slices(dxpad, kernel, stride, dout.shape[2:]):
        target += share
    return dxpad
