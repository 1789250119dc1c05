"""Right gradients, but zeroes each dout entry once it is used (modifies the caller's dout)."""
from solutions.topic11_conv2d_sliding_window import conv2d as ref
from solutions.topic11_conv2d_sliding_window.conv2d import *

MODULE = "conv2d"
EXPLANATION = """\
Your gradients are right, but your backward changes the dout it was given (it writes into it).
dout belongs to the caller, who may still need it (a residual block sends the same dout down two
branches). Read it, never write it: compute into new arrays (np.zeros_like, +=) instead."""


def conv2d_backward_naive(dout, cache):
    grads = ref.conv2d_backward_naive(dout, cache)
    dout[...] = 0  # "consumed"
    return grads
