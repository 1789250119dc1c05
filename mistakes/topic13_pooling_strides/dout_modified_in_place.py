"""Right gradients, but max pooling backward scales the caller's dout in place."""
from solutions.topic13_pooling_strides import pooling as ref
from solutions.topic13_pooling_strides.pooling import *

MODULE = "pooling"
EXPLANATION = """\
Your gradients are right, but your backward changes the dout it was given. dout belongs to the
caller, who may still need it: read it, never write into it (compute into a new array)."""


def maxpool2d_backward(dout, cache):
    dx = ref.maxpool2d_backward(dout, cache)
    dout *= 0.5  # "consumed"
    return dx
