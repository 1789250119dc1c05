"""Divides by sqrt(var) + eps instead of sqrt(var + eps)."""
import numpy as np

from solutions.topic14_resnet_skip_connections import residual as ref
from solutions.topic14_resnet_skip_connections.residual import *

MODULE = "residual"
EXPLANATION = """\
You divide by sqrt(var) + eps instead of sqrt(var + eps). The eps belongs INSIDE the square
root, as in PyTorch: inv_std = 1 / np.sqrt(var + eps). The two differ most when a channel's
variance is close to eps, which a spec checks."""


def batchnorm2d_forward(x, gamma, beta, state, train=True, momentum=0.1, eps=1e-5):
    # sqrt(var) + eps = sqrt(var + eps') with eps' = 2 eps sqrt(var) + eps^2, channel by channel
    var = x.var(axis=(0, 2, 3)) if train else state["running_var"]
    shifted = np.sqrt(var) + eps
    out, (x_hat, g, inv_std, mode) = ref.batchnorm2d_forward(x, gamma, beta, state, train,
                                                             momentum, 0.0)
    rescale = (np.sqrt(var) / shifted).reshape(1, -1, 1, 1)
    x_hat = x_hat * rescale
    out = gamma.reshape(1, -1, 1, 1) * x_hat + beta.reshape(1, -1, 1, 1)
    return out.astype(x.dtype), (x_hat.astype(x.dtype), g, (1 / shifted).astype(x.dtype), mode)
