"""sgd_step creates a missing velocity with np.zeros(p.shape): float64 for a float32 parameter."""
import numpy as np

from solutions.topic17_cifar10_from_scratch.pipeline import *

MODULE = "pipeline"
EXPLANATION = """\
Your sgd_step creates a missing velocity with np.zeros(p.shape), which is float64 whatever p is:
a float32 network then keeps float64 velocities (twice the memory, checkpoints of another dtype)
and runs every momentum update in float64. Create it with np.zeros_like(p), which has p's shape
and dtype."""


def sgd_step(params, grads, velocity, lr, momentum=0.0, weight_decay=0.0, nesterov=False):
    for name, p in params.items():
        rate = lr[name] if isinstance(lr, dict) else lr
        decay = weight_decay[name] if isinstance(weight_decay, dict) else weight_decay
        g = grads[name] + decay * p if decay else grads[name].copy()
        v = velocity.setdefault(name, np.zeros(p.shape))  # float64, whatever p's dtype
        v *= momentum
        v += g
        step = g + momentum * v if nesterov else v
        p -= (rate * step).astype(p.dtype, copy=False)
