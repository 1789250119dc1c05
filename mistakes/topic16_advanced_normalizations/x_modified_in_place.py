"""The forward subtracts the mean in place on a reshaped view of x, changing the caller's x."""
from mistakes.topic16_advanced_normalizations import norm_backward, norm_forward
from solutions.topic16_advanced_normalizations.norms import *

MODULE = "norms"
EXPLANATION = """\
Your forward subtracts the mean in place (xg -= mean) on x.reshape(...), which is a VIEW of
the caller's x, so their input changes. Never modify an input: write xg - mean, which builds a new
array."""


def groupnorm_forward(x, gamma, beta, num_groups, eps=1e-5):
    return norm_forward(x, gamma, beta, num_groups, eps, mistake="x_modified_in_place")


def layernorm2d_forward(x, gamma, beta, eps=1e-5):
    return groupnorm_forward(x, gamma, beta, 1, eps)


def instancenorm_forward(x, gamma, beta, eps=1e-5):
    return groupnorm_forward(x, gamma, beta, x.shape[1], eps)


groupnorm_backward = layernorm2d_backward = instancenorm_backward = norm_backward
