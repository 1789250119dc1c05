"""The loss backward subtracts the target from the cached probabilities in place: a second call differs."""
from solutions.topic17_cifar10_from_scratch.pipeline import *

MODULE = "pipeline"
EXPLANATION = """\
Your softmax_cross_entropy_backward does probs -= target on the probabilities it finds in the
cache, so the cache now holds probs - target, and a second call on the same cache returns
(probs - 2 * target) / N. Compute (probs - target) * (dloss / N) into a new array and leave the
cache as the forward made it."""


def softmax_cross_entropy_backward(dloss, cache):
    probs, target = cache
    probs -= target  # the cached array itself
    return probs * (dloss / len(probs))
