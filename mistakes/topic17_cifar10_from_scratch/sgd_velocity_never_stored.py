"""sgd_step computes the new velocity but never stores it in velocity, so momentum is lost between steps."""
from mistakes.topic17_cifar10_from_scratch import sgd
from solutions.topic17_cifar10_from_scratch.pipeline import *

MODULE = "pipeline"
EXPLANATION = """\
Your sgd_step computes the new velocity but never writes it back, so every step starts from the
old velocity (zeros) and momentum never builds up. Update velocity[k] in place: v =
velocity.setdefault(k, np.zeros_like(p)); v *= momentum; v += g."""


def sgd_step(params, grads, velocity, lr, momentum=0.0, weight_decay=0.0, nesterov=False):
    sgd(params, grads, velocity, lr, momentum, weight_decay, nesterov, mistake="velocity_not_stored")
