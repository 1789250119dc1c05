"""train_step runs the forward pass in eval mode."""

from solutions.topic17_cifar10_from_scratch import pipeline as ref
from solutions.topic17_cifar10_from_scratch.pipeline import *

MODULE = "pipeline"
EXPLANATION = """\
Your train_step runs the forward pass in eval mode. Training needs train mode,
net.forward(params, state, x, True): batch norm then normalizes with the batch's statistics and
updates its running averages."""



class _EvalMode:
    def __init__(self, net):
        self.net = net

    def forward(self, params, state, x, train=True):
        return self.net.forward(params, state, x, False)

    def backward(self, dlogits, cache):
        return self.net.backward(dlogits, cache)


def train_step(net, params, state, velocity, x, y, lr, momentum=0.9, weight_decay=5e-4,
               nesterov=True, label_smoothing=0.0):
    return ref.train_step(_EvalMode(net), params, state, velocity, x, y, lr, momentum,
                          weight_decay, nesterov, label_smoothing)
