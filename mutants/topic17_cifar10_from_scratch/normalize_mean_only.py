"""normalize subtracts the mean but does not divide by the standard deviation."""
import numpy as np

from solutions.topic17_cifar10_from_scratch.pipeline import *

MODULE = "pipeline"



def normalize(x, mean, std):
    return (x.astype(np.float32) - np.asarray(mean, np.float32)[:, None, None])
