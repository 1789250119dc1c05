"""Max pooling backward assigns each window's gradient instead of adding it (overlaps lose it)."""
import numpy as np

from solutions.topic13_pooling_strides import pooling as ref
from solutions.topic13_pooling_strides.pooling import *

MODULE = "pooling"
EXPLANATION = """\
Your max-pooling backward assigns (=) each window's dout to its maximum, so where overlapping
windows chose the same element, gradient is lost: only the last window's share survives. An
element chosen by several windows receives the sum: dxpad[...slice...] += dout * chosen."""


def maxpool2d_backward(dout, cache):
    argmax, (n, c, h, w), dtype, kernel, stride, padding = cache
    dxpad = np.zeros((n, c, h + 2 * padding[0], w + 2 * padding[1]), dtype=dtype)
    for offset, target in enumerate(ref.window_slices(dxpad, kernel, stride, dout.shape[2:])):
        np.copyto(target, dout, where=argmax == offset)
    return ref.unpad_spatial(dxpad, padding)
