"""Backward drops the variance term: dx = (g - mean(g)) / std, as if the std were a constant."""
from solutions.topic16_advanced_normalizations import norms as ref
from solutions.topic16_advanced_normalizations.norms import *

MODULE = "norms"
EXPLANATION = """\
Your backward drops the path through the variance: dx = (g - mean(g)) / std, as if the
standard deviation were a constant. Every value also moved its set's variance: add the third
term, dx = (g - mean(g) - x_hat * mean(g * x_hat)) / std, with g = dout * gamma, std =
sqrt(var + eps) and the means over the set (axes (2, 3, 4) of the grouped shape)."""


def groupnorm_backward(dout, cache):
    x_hat, inv_std, gamma, num_groups = cache
    _, dgamma, dbeta = ref.groupnorm_backward(dout, cache)
    g = ref.grouped(dout * ref.per_channel(gamma), num_groups)
    dxg = inv_std * (g - g.mean(axis=ref.GROUP_AXES, keepdims=True))
    return dxg.reshape(dout.shape), dgamma, dbeta


layernorm2d_backward = instancenorm_backward = groupnorm_backward
