"""dgamma and dbeta are summed over H, W but averaged (not summed) over the batch axis."""
from solutions.topic16_advanced_normalizations import norms as ref
from solutions.topic16_advanced_normalizations.norms import *

MODULE = "norms"
EXPLANATION = """\
Your dgamma and dbeta are summed over H and W but averaged over the batch. gamma[c] and beta[c]
touch every value of channel c in every sample, so their gradients are sums over (N, H, W):
dbeta = dout.sum(axis=(0, 2, 3)), dgamma = (dout * x_hat).sum(axis=(0, 2, 3))."""


def groupnorm_backward(dout, cache):
    x_hat = cache[0]
    dx, _, _ = ref.groupnorm_backward(dout, cache)
    return dx, (dout * x_hat).sum(axis=(2, 3)).mean(axis=0), dout.sum(axis=(2, 3)).mean(axis=0)


layernorm2d_backward = instancenorm_backward = groupnorm_backward
