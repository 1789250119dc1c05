"""The variance is the mean of x**2, without subtracting the mean first."""
from mistakes.topic16_advanced_normalizations import norm_backward, norm_forward
from solutions.topic16_advanced_normalizations.norms import *

MODULE = "norms"
EXPLANATION = """\
Your variance is the mean of x**2 over the set, without subtracting the set's mean first. The
variance is the mean of (x - mean)**2 (np.var(..., axis=(2, 3, 4), keepdims=True) computes it):
only then does each set end up with variance v / (v + eps)."""


def groupnorm_forward(x, gamma, beta, num_groups, eps=1e-5):
    return norm_forward(x, gamma, beta, num_groups, eps, mistake="variance_not_centred")


def layernorm2d_forward(x, gamma, beta, eps=1e-5):
    return groupnorm_forward(x, gamma, beta, 1, eps)


def instancenorm_forward(x, gamma, beta, eps=1e-5):
    return groupnorm_forward(x, gamma, beta, x.shape[1], eps)


groupnorm_backward = layernorm2d_backward = instancenorm_backward = norm_backward
