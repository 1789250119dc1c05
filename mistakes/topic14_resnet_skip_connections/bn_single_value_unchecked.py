"""batchnorm2d_forward in train mode accepts one value per channel and divides by m - 1 = 0."""

import numpy as np

from solutions.topic14_resnet_skip_connections import residual as ref
from solutions.topic14_resnet_skip_connections.residual import *

MODULE = "residual"

EXPLANATION = """\
With one value per channel (N*H*W = 1) your batch norm in train mode normalizes by a variance
of 0 and stores an unbiased variance divided by m - 1 = 0: inf in running_var. PyTorch refuses
such a batch. Check N*H*W > 1 in train mode first and raise ValueError saying what N*H*W is."""


def batchnorm2d_forward(x, gamma, beta, state, train=True, momentum=0.1, eps=1e-5):
    m = x.shape[0] * x.shape[2] * x.shape[3]
    if not (train and m == 1):
        return ref.batchnorm2d_forward(x, gamma, beta, state, train, momentum, eps)
    with np.errstate(divide="ignore", invalid="ignore"):
        var = x.var(axis=(0, 2, 3))
        state["running_mean"] = (1 - momentum) * state["running_mean"] + momentum * x.mean(axis=(0, 2, 3))
        state["running_var"] = (1 - momentum) * state["running_var"] + momentum * var * m / (m - 1)
    out = np.broadcast_to(beta[None, :, None, None], x.shape).astype(x.dtype)
    return out, None
