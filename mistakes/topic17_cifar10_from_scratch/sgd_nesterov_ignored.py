"""sgd_step ignores nesterov (always classical momentum)."""

from solutions.topic17_cifar10_from_scratch import pipeline as ref
from solutions.topic17_cifar10_from_scratch.pipeline import *

MODULE = "pipeline"
EXPLANATION = """\
Your sgd_step ignores nesterov=True and always takes the classical step p -= lr * v. With
Nesterov, the step looks ahead along the new velocity: p -= lr * (g + momentum * v)."""



def sgd_step(params, grads, velocity, lr, momentum=0.0, weight_decay=0.0, nesterov=False):
    ref.sgd_step(params, grads, velocity, lr, momentum, weight_decay, False)
