"""normalize uses each image's own mean and std per channel, ignoring the mean and std given."""
import numpy as np

from solutions.topic17_cifar10_from_scratch.pipeline import *

MODULE = "pipeline"
EXPLANATION = """\
Your normalize uses each image's own mean and standard deviation, ignoring the mean and std it
is given. Every image must be normalized with the SAME numbers, the training set's channel_stats:
(x - mean[c]) / std[c], with mean and std reshaped to (1, 3, 1, 1), so that a test image is
transformed exactly as the training images were."""


def normalize(x, mean, std):
    x = x.astype(np.float32)
    return (x - x.mean(axis=(2, 3), keepdims=True)) / x.std(axis=(2, 3), keepdims=True)
