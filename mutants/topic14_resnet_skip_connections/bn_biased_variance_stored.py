"""Stores the biased batch variance in running_var (PyTorch stores the unbiased one)."""
from solutions.topic14_resnet_skip_connections import residual as ref
from solutions.topic14_resnet_skip_connections.residual import *

MODULE = "residual"


def batchnorm2d_forward(x, gamma, beta, state, train=True, momentum=0.1, eps=1e-5):
    old_var = state["running_var"]
    out, cache = ref.batchnorm2d_forward(x, gamma, beta, state, train, momentum, eps)
    if train:
        state["running_var"] = (1 - momentum) * old_var + momentum * x.var(axis=(0, 2, 3))
    return out, cache
