"""Global average pooling backward copies dout to every pixel, forgetting the 1/(H*W)."""
import numpy as np

from solutions.topic13_pooling_strides.pooling import *

MODULE = "pooling"


def global_avgpool_backward(dout, cache):
    shape, dtype = cache
    return np.broadcast_to(dout[:, :, None, None], shape).astype(dtype)
