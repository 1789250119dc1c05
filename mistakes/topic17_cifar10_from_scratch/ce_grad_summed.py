"""softmax_cross_entropy_backward forgets to divide by the batch size."""

from solutions.topic17_cifar10_from_scratch import pipeline as ref
from solutions.topic17_cifar10_from_scratch.pipeline import *

MODULE = "pipeline"
EXPLANATION = """\
Your softmax_cross_entropy_backward returns (p - t) * dloss without dividing by the batch size.
The loss is the MEAN over the N rows, so each row's gradient is (p - t) / N, times dloss."""



def softmax_cross_entropy_backward(dloss, cache):
    return ref.softmax_cross_entropy_backward(dloss, cache) * len(cache[0])
