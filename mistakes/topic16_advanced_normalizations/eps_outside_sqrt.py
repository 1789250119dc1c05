"""Divides by sqrt(var) + eps instead of sqrt(var + eps)."""
import numpy as np

from solutions.topic16_advanced_normalizations import norms as ref
from solutions.topic16_advanced_normalizations.norms import *

MODULE = "norms"
EXPLANATION = """\
You divide by sqrt(var) + eps instead of sqrt(var + eps). The eps belongs INSIDE the square
root, as in PyTorch; the difference shows when the variance is close to eps (the fixtures use a
large eps)."""


def groupnorm_forward(x, gamma, beta, num_groups, eps=1e-5):
    ref.check_num_groups(x.shape[1], num_groups)
    xg = ref.grouped(x, num_groups)
    mean = xg.mean(axis=ref.GROUP_AXES, keepdims=True)
    inv_std = 1.0 / (np.sqrt(xg.var(axis=ref.GROUP_AXES, keepdims=True)) + eps)
    x_hat = ((xg - mean) * inv_std).reshape(x.shape)
    out = x_hat * ref.per_channel(gamma) + ref.per_channel(beta)
    return out, (x_hat, inv_std, gamma, num_groups)


def layernorm2d_forward(x, gamma, beta, eps=1e-5):
    return groupnorm_forward(x, gamma, beta, 1, eps)


def instancenorm_forward(x, gamma, beta, eps=1e-5):
    return groupnorm_forward(x, gamma, beta, x.shape[1], eps)
