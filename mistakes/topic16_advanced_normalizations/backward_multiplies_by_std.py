"""The backward multiplies by the standard deviation instead of dividing by it."""
from mistakes.topic16_advanced_normalizations import norm_backward, norm_forward
from solutions.topic16_advanced_normalizations.norms import *

MODULE = "norms"
EXPLANATION = """\
Your backward multiplies by the standard deviation sqrt(var + eps) instead of dividing by it.
x_hat = (x - mean) / sqrt(var + eps), so dx = inv_std * (g - mean(g) - x_hat * mean(g * x_hat))
with inv_std = 1 / sqrt(var + eps): keep inv_std in the cache."""


def groupnorm_forward(x, gamma, beta, num_groups, eps=1e-5):
    return norm_forward(x, gamma, beta, num_groups, eps, mistake="backward_times_std")


def layernorm2d_forward(x, gamma, beta, eps=1e-5):
    return groupnorm_forward(x, gamma, beta, 1, eps)


def instancenorm_forward(x, gamma, beta, eps=1e-5):
    return groupnorm_forward(x, gamma, beta, x.shape[1], eps)


groupnorm_backward = layernorm2d_backward = instancenorm_backward = norm_backward
