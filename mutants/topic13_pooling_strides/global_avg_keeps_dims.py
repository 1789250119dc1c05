"""Global average pooling returns (N, C, 1, 1) instead of (N, C)."""
from solutions.topic13_pooling_strides import pooling as ref
from solutions.topic13_pooling_strides.pooling import *

MODULE = "pooling"


def global_avgpool_forward(x):
    out, cache = ref.global_avgpool_forward(x)
    return out[:, :, None, None], cache


def global_avgpool_backward(dout, cache):
    return ref.global_avgpool_backward(dout.reshape(dout.shape[:2]), cache)
