"""sgd_step subtracts the weight decay from the gradient (g - wd * p) instead of adding it."""
from mistakes.topic17_cifar10_from_scratch import sgd
from solutions.topic17_cifar10_from_scratch.pipeline import *

MODULE = "pipeline"
EXPLANATION = """\
Your sgd_step computes g = grad - weight_decay * p, which pushes the weights AWAY from zero.
L2 weight decay adds the gradient of (wd / 2) * p**2: g = grad + weight_decay * p, and p -= lr *
... then shrinks p."""


def sgd_step(params, grads, velocity, lr, momentum=0.0, weight_decay=0.0, nesterov=False):
    sgd(params, grads, velocity, lr, momentum, weight_decay, nesterov, mistake="decay_sign")
