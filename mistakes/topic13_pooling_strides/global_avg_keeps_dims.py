"""Global average pooling returns (N, C, 1, 1) instead of (N, C)."""
from solutions.topic13_pooling_strides import pooling as ref
from solutions.topic13_pooling_strides.pooling import *

MODULE = "pooling"
EXPLANATION = """\
Your global average pooling returns (N, C, 1, 1). The contract is (N, C): one number per sample
and channel, ready for a fully connected layer. x.mean(axis=(2, 3)) without keepdims gives it."""


def global_avgpool_forward(x):
    out, cache = ref.global_avgpool_forward(x)
    return out[:, :, None, None], cache


def global_avgpool_backward(dout, cache):
    return ref.global_avgpool_backward(dout.reshape(dout.shape[:2]), cache)
