"""Right gradients, but scales dout by gamma in place (dout *= gamma modifies the caller's dout)."""
from solutions.topic16_advanced_normalizations import norms as ref
from solutions.topic16_advanced_normalizations.norms import *

MODULE = "norms"
EXPLANATION = """\
Your backward changes the caller's dout in place (dout *= gamma). Never modify an input: build a
new array, g = dout * gamma.reshape(1, C, 1, 1)."""


def groupnorm_backward(dout, cache):
    grads = ref.groupnorm_backward(dout, cache)
    dout *= ref.per_channel(cache[2])
    return grads


layernorm2d_backward = instancenorm_backward = groupnorm_backward
