"""Average pooling backward assigns each window's share instead of adding it."""
import numpy as np

from solutions.topic13_pooling_strides import pooling as ref
from solutions.topic13_pooling_strides.pooling import *

MODULE = "pooling"
EXPLANATION = """\
Your average-pooling dx keeps one window's share where windows overlap: you assigned (=) each
offset's share into dxpad. An element in several windows gets dout / (KH*KW) from each of them:
use += into the slice."""


def avgpool2d_backward(dout, cache):
    (n, c, h, w), dtype, kernel, stride, padding = cache
    dxpad = np.zeros((n, c, h + 2 * padding[0], w + 2 * padding[1]), dtype=dtype)
    for target in ref.window_slices(dxpad, kernel, stride, dout.shape[2:]):
        target[...] = dout / (kernel[0] * kernel[1])
    return ref.unpad_spatial(dxpad, padding)
