"""dgamma sums dout * x (the raw input) instead of dout * x_hat (the normalized input)."""
from solutions.topic16_advanced_normalizations import norms as ref
from solutions.topic16_advanced_normalizations.norms import *

MODULE = "norms"
EXPLANATION = """\
Your dgamma sums dout * x, the raw input. out = gamma * x_hat + beta, so dgamma = (dout *
x_hat).sum(axis=(0, 2, 3)): the normalized input, which you can keep in the cache."""


def groupnorm_forward(x, gamma, beta, num_groups, eps=1e-5):
    out, cache = ref.groupnorm_forward(x, gamma, beta, num_groups, eps)
    return out, (cache, x)


def groupnorm_backward(dout, cache):
    cache, x = cache
    dx, _, dbeta = ref.groupnorm_backward(dout, cache)
    return dx, (dout * x).sum(axis=(0, 2, 3)), dbeta


def layernorm2d_forward(x, gamma, beta, eps=1e-5):
    return groupnorm_forward(x, gamma, beta, 1, eps)


def instancenorm_forward(x, gamma, beta, eps=1e-5):
    return groupnorm_forward(x, gamma, beta, x.shape[1], eps)


layernorm2d_backward = instancenorm_backward = groupnorm_backward
