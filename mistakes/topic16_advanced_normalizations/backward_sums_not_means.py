"""The backward sums g and g * x_hat over each set where it should take their means."""
from mistakes.topic16_advanced_normalizations import norm_backward, norm_forward
from solutions.topic16_advanced_normalizations.norms import *

MODULE = "norms"
EXPLANATION = """\
Your backward subtracts the SUMS of g and of g * x_hat over each set, where the brief has their
MEANS: dx = inv_std * (g - mean(g) - x_hat * mean(g * x_hat)). The 1 / M comes from d mean / dx =
1 / M and d var / dx = 2 (x - mean) / M."""


def groupnorm_forward(x, gamma, beta, num_groups, eps=1e-5):
    return norm_forward(x, gamma, beta, num_groups, eps, mistake="backward_sums_not_means")


def layernorm2d_forward(x, gamma, beta, eps=1e-5):
    return groupnorm_forward(x, gamma, beta, 1, eps)


def instancenorm_forward(x, gamma, beta, eps=1e-5):
    return groupnorm_forward(x, gamma, beta, x.shape[1], eps)


groupnorm_backward = layernorm2d_backward = instancenorm_backward = norm_backward
