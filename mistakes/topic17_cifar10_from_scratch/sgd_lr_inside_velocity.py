"""sgd_step folds lr into the velocity (v = momentum * v + lr * g; p -= v), not torch.optim.SGD's form."""
from mistakes.topic17_cifar10_from_scratch import sgd
from solutions.topic17_cifar10_from_scratch.pipeline import *

MODULE = "pipeline"
EXPLANATION = """\
Your velocity includes the learning rate (v = momentum * v + lr * g; p -= v). That is the same
as torch.optim.SGD only while lr never changes; with a schedule (warm-up, decay) the old velocity
keeps the old rates. The brief's form keeps lr out of v: v = momentum * v + g, then p -= lr * v
(or lr * (g + momentum * v) with Nesterov)."""


def sgd_step(params, grads, velocity, lr, momentum=0.0, weight_decay=0.0, nesterov=False):
    sgd(params, grads, velocity, lr, momentum, weight_decay, nesterov, mistake="lr_inside_velocity")
