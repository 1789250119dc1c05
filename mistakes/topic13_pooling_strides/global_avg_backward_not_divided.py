"""Global average pooling backward copies dout to every pixel, forgetting the 1/(H*W)."""
import numpy as np

from solutions.topic13_pooling_strides.pooling import *

MODULE = "pooling"
EXPLANATION = """\
Your global-average dx copies dout to every pixel: it is H*W times too large. out[n, c] is the
mean of H*W numbers, so each of them gets dout[n, c] / (H*W)."""


def global_avgpool_backward(dout, cache):
    shape, dtype = cache
    return np.broadcast_to(dout[:, :, None, None], shape).astype(dtype)
