"""dgamma and dbeta are summed over H, W but averaged (not summed) over the batch axis."""
from solutions.topic16_advanced_normalizations import norms as ref
from solutions.topic16_advanced_normalizations.norms import *

MODULE = "norms"


def groupnorm_backward(dout, cache):
    x_hat = cache[0]
    dx, _, _ = ref.groupnorm_backward(dout, cache)
    return dx, (dout * x_hat).sum(axis=(2, 3)).mean(axis=0), dout.sum(axis=(2, 3)).mean(axis=0)


layernorm2d_backward = instancenorm_backward = groupnorm_backward
