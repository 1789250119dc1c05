"""Ignores eps (divides by sqrt(var)): a constant input gives 0 / 0 = NaN."""
import numpy as np

from solutions.topic16_advanced_normalizations import norms as ref
from solutions.topic16_advanced_normalizations.norms import *

MODULE = "norms"
EXPLANATION = """\
You divide by sqrt(var) without eps, so a constant set (variance 0) gives 0 / 0 = NaN. Add eps
inside the square root: 1 / np.sqrt(var + eps). A constant input must give beta."""


def groupnorm_forward(x, gamma, beta, num_groups, eps=1e-5):
    ref.check_num_groups(x.shape[1], num_groups)
    xg = ref.grouped(x, num_groups)
    mean = xg.mean(axis=ref.GROUP_AXES, keepdims=True)
    with np.errstate(divide="ignore", invalid="ignore"):
        inv_std = 1.0 / np.sqrt(xg.var(axis=ref.GROUP_AXES, keepdims=True))
        x_hat = ((xg - mean) * inv_std).reshape(x.shape)
    out = x_hat * ref.per_channel(gamma) + ref.per_channel(beta)
    return out, (x_hat, inv_std, gamma, num_groups)


def layernorm2d_forward(x, gamma, beta, eps=1e-5):
    return groupnorm_forward(x, gamma, beta, 1, eps)


def instancenorm_forward(x, gamma, beta, eps=1e-5):
    return groupnorm_forward(x, gamma, beta, x.shape[1], eps)
