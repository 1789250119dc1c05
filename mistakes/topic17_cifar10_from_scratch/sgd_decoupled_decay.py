"""sgd_step applies weight decay to the weights directly (AdamW style), outside momentum."""

from solutions.topic17_cifar10_from_scratch import pipeline as ref
from solutions.topic17_cifar10_from_scratch.pipeline import *

MODULE = "pipeline"
EXPLANATION = """\
Your sgd_step decays the weights directly (p -= lr * wd * p, AdamW style), outside the momentum.
torch.optim.SGD adds the decay to the gradient first, g = grad + weight_decay * p, and that g
then goes into the velocity."""



def sgd_step(params, grads, velocity, lr, momentum=0.0, weight_decay=0.0, nesterov=False):
    for name, p in params.items():
        rate = lr[name] if isinstance(lr, dict) else lr
        p -= rate * weight_decay * p
    ref.sgd_step(params, grads, velocity, lr, momentum, 0.0, nesterov)
