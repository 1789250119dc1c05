"""Max pooling backward cuts dx out of the padded gradient at [0:H, 0:W] instead of [p:p+H]."""
import numpy as np

from solutions.topic13_pooling_strides import pooling as ref
from solutions.topic13_pooling_strides.pooling import *

MODULE = "pooling"
EXPLANATION = """\
Your max-pooling dx is shifted by the padding: you cut dxpad[:, :, :H, :W], the top-left corner,
instead of the middle. The real elements of the padded array are
dxpad[:, :, ph:ph + H, pw:pw + W]."""


def maxpool2d_backward(dout, cache):
    argmax, (n, c, h, w), dtype, kernel, stride, padding = cache
    dxpad = np.zeros((n, c, h + 2 * padding[0], w + 2 * padding[1]), dtype=dtype)
    for offset, target in enumerate(ref.window_slices(dxpad, kernel, stride, dout.shape[2:])):
        np.add(target, dout, out=target, where=argmax == offset)
    return dxpad[:, :, :h, :w].copy()
