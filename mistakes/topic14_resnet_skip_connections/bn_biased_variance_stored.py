"""Stores the biased batch variance in running_var (PyTorch stores the unbiased one)."""
from solutions.topic14_resnet_skip_connections import residual as ref
from solutions.topic14_resnet_skip_connections.residual import *

MODULE = "residual"
EXPLANATION = """\
Your running_var receives the biased batch variance (divided by m = N*H*W). PyTorch normalizes
the batch with the biased variance but stores the unbiased one in running_var: momentum * var *
m / (m - 1). Keep the biased var for x_hat and multiply by m / (m - 1) only in the running
update."""


def batchnorm2d_forward(x, gamma, beta, state, train=True, momentum=0.1, eps=1e-5):
    old_var = state["running_var"]
    out, cache = ref.batchnorm2d_forward(x, gamma, beta, state, train, momentum, eps)
    if train:
        state["running_var"] = (1 - momentum) * old_var + momentum * x.var(axis=(0, 2, 3))
    return out, cache
