"""normalize subtracts the mean but does not divide by the standard deviation."""
import numpy as np

from solutions.topic17_cifar10_from_scratch.pipeline import *

MODULE = "pipeline"
EXPLANATION = """\
Your normalize subtracts the mean but does not divide by the standard deviation. Each channel
must end up zero-mean and unit-variance: (x - mean[c]) / std[c], with both reshaped to (1, 3, 1,
1)."""



def normalize(x, mean, std):
    return (x.astype(np.float32) - np.asarray(mean, np.float32)[:, None, None])
