"""Right values, but the depthwise conv loops over channels in Python (one conv per channel)."""
import numpy as np

from solutions.topic15_modern_convolutions import modern_conv as ref
from solutions.topic15_modern_convolutions.modern_conv import *

MODULE = "modern_conv"
EXPLANATION = """\
Your depthwise values are right, but your code loops over the channels in Python. The rule is a
loop over the KH*KW taps only: multiply each tap's (N, C, Hout, Wout) view by w[:, 0, p, q]
shaped (C, 1, 1), which broadcasts over the channels at once."""


def depthwise_conv2d_forward(x, w, b, stride=1, padding=0, dilation=1):
    per_channel = [ref.depthwise_conv2d_forward(x[:, c:c + 1], w[c:c + 1], b[c:c + 1], stride,
                                                padding, dilation) for c in range(x.shape[1])]
    out = np.concatenate([out for out, _ in per_channel], axis=1)
    return out, [cache for _, cache in per_channel]


def depthwise_conv2d_backward(dout, cache):
    grads = [ref.depthwise_conv2d_backward(dout[:, c:c + 1], channel_cache)
             for c, channel_cache in enumerate(cache)]
    return tuple(np.concatenate(parts, axis=axis) for parts, axis in zip(zip(*grads), (1, 0, 0)))
