"""sgd_step adds weight decay into grads in place."""

from solutions.topic17_cifar10_from_scratch import pipeline as ref
from solutions.topic17_cifar10_from_scratch.pipeline import *

MODULE = "pipeline"
EXPLANATION = """\
Your sgd_step adds the weight decay into grads in place (grads[k] += wd * p). grads must stay as
they were: build a new array, g = grads[k] + wd * p."""



def sgd_step(params, grads, velocity, lr, momentum=0.0, weight_decay=0.0, nesterov=False):
    for name, p in params.items():
        decay = weight_decay[name] if isinstance(weight_decay, dict) else weight_decay
        grads[name] += decay * p
    ref.sgd_step(params, grads, velocity, lr, momentum, 0.0, nesterov)
