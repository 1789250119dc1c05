"""sgd_step keeps the velocity in a module-level dict of its own, not in the dict it is given."""

from solutions.topic17_cifar10_from_scratch import pipeline as ref
from solutions.topic17_cifar10_from_scratch.pipeline import *

MODULE = "pipeline"

EXPLANATION = """\
Your sgd_step remembers the velocity in a dict of its own between calls, so the `velocity` the
caller passes stays empty. Two runs (or a resumed run) then share or lose their momentum, and
the checkpoint saves no velocity. Store each parameter's velocity in the `velocity` dict you
are given (velocity[k] = ... or an in-place update)."""

_VELOCITY = {}


def sgd_step(params, grads, velocity, lr, momentum=0.0, weight_decay=0.0, nesterov=False):
    ref.sgd_step(params, grads, _VELOCITY, lr, momentum, weight_decay, nesterov)
