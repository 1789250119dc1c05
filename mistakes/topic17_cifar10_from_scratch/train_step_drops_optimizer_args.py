"""train_step calls sgd_step(params, grads, velocity, lr) alone: no momentum, decay or Nesterov."""
import numpy as np

from solutions.topic17_cifar10_from_scratch import pipeline as ref
from solutions.topic17_cifar10_from_scratch.pipeline import *

MODULE = "pipeline"
EXPLANATION = """\
Your train_step calls sgd_step with the learning rate only, so sgd_step's defaults (momentum 0,
no weight decay, no Nesterov) replace the momentum, weight_decay and nesterov train_step was
given. Pass them all on: sgd_step(params, grads, velocity, lr, momentum, weight_decay,
nesterov)."""


def train_step(net, params, state, velocity, x, y, lr, momentum=0.9, weight_decay=5e-4,
               nesterov=True, label_smoothing=0.0):
    logits, cache = net.forward(params, state, x, True)
    loss, loss_cache = ref.softmax_cross_entropy_forward(logits, y, label_smoothing)
    grads = net.backward(ref.softmax_cross_entropy_backward(1.0, loss_cache), cache)
    ref.sgd_step(params, grads, velocity, lr)
    return loss, float(np.mean(logits.argmax(axis=1) == y))
