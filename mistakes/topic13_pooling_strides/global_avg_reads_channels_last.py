"""Global average pooling reshapes x to (N, H*W, C) and averages axis 1: NCHW read as channels-last."""
import numpy as np

from solutions.topic13_pooling_strides.pooling import *

MODULE = "pooling"
EXPLANATION = """\
Your global average has the right shape (N, C) but averages the wrong numbers: x.reshape(N, -1, C)
reads the NCHW array as if it were channels-last, so each "channel" collects pixels of several
channels. In NCHW the H*W values of one channel are contiguous: x.mean(axis=(2, 3)), or
x.reshape(N, C, H * W).mean(axis=2)."""


def global_avgpool_forward(x):
    N, C, H, W = x.shape
    return x.reshape(N, H * W, C).mean(axis=1), x.shape


def global_avgpool_backward(dout, cache):
    N, C, H, W = cache
    share = (dout / (H * W)).astype(dout.dtype)
    return np.ascontiguousarray(np.broadcast_to(share[:, None, :], (N, H * W, C))).reshape(cache)
