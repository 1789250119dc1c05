"""dgamma and dbeta are summed over each group's channels, one value per group."""
from mistakes.topic16_advanced_normalizations import norm_backward, norm_forward
from solutions.topic16_advanced_normalizations.norms import *

MODULE = "norms"
EXPLANATION = """\
Your dgamma and dbeta add up the whole group's channels, giving every channel of a group the
same value. gamma and beta are per channel, so their gradients are too: sum dout * x_hat and dout
over (N, H, W) only, axes (0, 2, 3) of the (N, C, H, W) arrays."""


def groupnorm_forward(x, gamma, beta, num_groups, eps=1e-5):
    return norm_forward(x, gamma, beta, num_groups, eps, mistake="affine_grads_per_group")


def layernorm2d_forward(x, gamma, beta, eps=1e-5):
    return groupnorm_forward(x, gamma, beta, 1, eps)


def instancenorm_forward(x, gamma, beta, eps=1e-5):
    return groupnorm_forward(x, gamma, beta, x.shape[1], eps)


groupnorm_backward = layernorm2d_backward = instancenorm_backward = norm_backward
