"""Eval mode uses the running statistics but then updates them as train mode would."""
from solutions.topic14_resnet_skip_connections import residual as ref
from solutions.topic14_resnet_skip_connections.residual import *

MODULE = "residual"


def batchnorm2d_forward(x, gamma, beta, state, train=True, momentum=0.1, eps=1e-5):
    out, cache = ref.batchnorm2d_forward(x, gamma, beta, state, train, momentum, eps)
    if not train:
        ref.batchnorm2d_forward(x, gamma, beta, state, True, momentum, eps)
    return out, cache
