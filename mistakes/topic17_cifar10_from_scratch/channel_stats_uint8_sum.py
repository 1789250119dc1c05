"""channel_stats sums the uint8 pixels without widening them (overflow)."""
import numpy as np

from solutions.topic17_cifar10_from_scratch.pipeline import *

MODULE = "pipeline"
EXPLANATION = """\
Your channel_stats sums the uint8 pixels in uint8, which wraps around at 256. Widen first:
x.mean(axis=(0, 2, 3), dtype=np.float64), and compute the variance in float64 too (slice by
slice if memory is short)."""



def channel_stats(x_train):
    n = x_train.size // x_train.shape[1]
    mean = x_train.sum(axis=(0, 2, 3), dtype=np.uint8) / n
    var = ((x_train - mean[:, None, None]) ** 2).mean(axis=(0, 2, 3))
    return mean.astype(np.float32), np.sqrt(var).astype(np.float32)
