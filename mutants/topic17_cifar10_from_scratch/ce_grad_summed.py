"""softmax_cross_entropy_backward forgets to divide by the batch size."""

from solutions.topic17_cifar10_from_scratch import pipeline as ref
from solutions.topic17_cifar10_from_scratch.pipeline import *

MODULE = "pipeline"



def softmax_cross_entropy_backward(dloss, cache):
    return ref.softmax_cross_entropy_backward(dloss, cache) * len(cache[0])
