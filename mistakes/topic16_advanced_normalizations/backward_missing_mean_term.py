"""Backward drops the mean term: dx = (g - x_hat * mean(g * x_hat)) / std."""
from solutions.topic16_advanced_normalizations import norms as ref
from solutions.topic16_advanced_normalizations.norms import *

MODULE = "norms"
EXPLANATION = """\
Your backward drops the path through the mean: dx = (g - x_hat * mean(g * x_hat)) / std.
Every value also moved its set's mean, which moved every x_hat of the set: subtract mean(g) over
the set too, dx = (g - mean(g) - x_hat * mean(g * x_hat)) / std, with g = dout * gamma and
std = sqrt(var + eps)."""


def groupnorm_backward(dout, cache):
    x_hat, inv_std, gamma, num_groups = cache
    _, dgamma, dbeta = ref.groupnorm_backward(dout, cache)
    g = ref.grouped(dout * ref.per_channel(gamma), num_groups)
    xg_hat = ref.grouped(x_hat, num_groups)
    dxg = inv_std * (g - xg_hat * (g * xg_hat).mean(axis=ref.GROUP_AXES, keepdims=True))
    return dxg.reshape(dout.shape), dgamma, dbeta


layernorm2d_backward = instancenorm_backward = groupnorm_backward
