"""softmax_cross_entropy_backward uses the one-hot labels instead of the smoothed target."""
from mistakes.topic17_cifar10_from_scratch import cross_entropy_backward, cross_entropy_forward
from solutions.topic17_cifar10_from_scratch.pipeline import *

MODULE = "pipeline"
EXPLANATION = """\
Your backward computes (p - one_hot(y)) / N, ignoring label smoothing. The gradient is taken
against the same target as the loss: t = (1 - e) * one_hot(y) + e / K, so dlogits = (p - t) /
N * dloss. Keep t in the cache."""


def softmax_cross_entropy_forward(logits, labels, label_smoothing=0.0):
    return cross_entropy_forward(logits, labels, label_smoothing, mistake="backward_unsmoothed_target")


softmax_cross_entropy_backward = cross_entropy_backward
