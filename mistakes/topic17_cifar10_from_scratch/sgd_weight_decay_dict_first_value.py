"""sgd_step given weight_decay as a dict applies its first value to every parameter."""

from solutions.topic17_cifar10_from_scratch import pipeline as ref
from solutions.topic17_cifar10_from_scratch.pipeline import *

MODULE = "pipeline"

EXPLANATION = """\
Your sgd_step reads one weight decay out of the dict and uses it for every parameter. The
milestone gives each parameter its own (batch-norm biases are decayed differently), so look the
value up by the parameter's name, weight_decay[name], as you do for lr."""


def sgd_step(params, grads, velocity, lr, momentum=0.0, weight_decay=0.0, nesterov=False):
    if isinstance(weight_decay, dict):
        weight_decay = next(iter(weight_decay.values()))
    ref.sgd_step(params, grads, velocity, lr, momentum, weight_decay, nesterov)
