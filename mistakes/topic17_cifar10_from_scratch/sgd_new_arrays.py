"""sgd_step stores new arrays in params instead of updating them in place."""

from solutions.topic17_cifar10_from_scratch import pipeline as ref
from solutions.topic17_cifar10_from_scratch.pipeline import *

MODULE = "pipeline"
EXPLANATION = """\
Your sgd_step puts new arrays into params (p = p - ...) instead of updating them in place. The
caller and the checkpoints hold the original arrays: update them with p -= ..., and velocity[k]
likewise."""



def sgd_step(params, grads, velocity, lr, momentum=0.0, weight_decay=0.0, nesterov=False):
    copies = {k: v.copy() for k, v in params.items()}
    ref.sgd_step(copies, grads, velocity, lr, momentum, weight_decay, nesterov)
    params.update(copies)
