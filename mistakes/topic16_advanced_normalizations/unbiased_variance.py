"""Normalizes with the unbiased variance (divides by M - 1) instead of the biased one."""
import numpy as np

from solutions.topic16_advanced_normalizations import norms as ref
from solutions.topic16_advanced_normalizations.norms import *

MODULE = "norms"
EXPLANATION = """\
You normalize with the unbiased variance (divided by M - 1). These norms normalize with the
biased variance, np.var's default (divided by M), as PyTorch does."""


def groupnorm_forward(x, gamma, beta, num_groups, eps=1e-5):
    ref.check_num_groups(x.shape[1], num_groups)
    xg = ref.grouped(x, num_groups)
    mean = xg.mean(axis=ref.GROUP_AXES, keepdims=True)
    inv_std = 1.0 / np.sqrt(xg.var(axis=ref.GROUP_AXES, ddof=1, keepdims=True) + eps)
    x_hat = ((xg - mean) * inv_std).reshape(x.shape)
    out = x_hat * ref.per_channel(gamma) + ref.per_channel(beta)
    return out, (x_hat, inv_std, gamma, num_groups)


def layernorm2d_forward(x, gamma, beta, eps=1e-5):
    return groupnorm_forward(x, gamma, beta, 1, eps)


def instancenorm_forward(x, gamma, beta, eps=1e-5):
    return groupnorm_forward(x, gamma, beta, x.shape[1], eps)
