"""Nesterov's step looks ahead with the velocity from before this step's update."""
from mistakes.topic17_cifar10_from_scratch import sgd
from solutions.topic17_cifar10_from_scratch.pipeline import *

MODULE = "pipeline"
EXPLANATION = """\
Your Nesterov step uses the velocity from before this step's update. First update it, v =
momentum * v + g, then step with the NEW v: p -= lr * (g + momentum * v), as torch.optim.SGD
does."""


def sgd_step(params, grads, velocity, lr, momentum=0.0, weight_decay=0.0, nesterov=False):
    sgd(params, grads, velocity, lr, momentum, weight_decay, nesterov, mistake="nesterov_old_velocity")
