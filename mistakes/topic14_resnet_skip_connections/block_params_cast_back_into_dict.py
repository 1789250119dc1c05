"""The block casts its weights to x's dtype and assigns the copies back into the caller's params."""
from solutions.topic14_resnet_skip_connections import residual as ref
from solutions.topic14_resnet_skip_connections.residual import *

MODULE = "residual"
EXPLANATION = """\
Your block writes params[key] = params[key].astype(x.dtype) for every weight. The values stay
the same, but the caller's dict now holds copies: the optimizer and any checkpoint keep the old
arrays, and the next update goes to arrays your network no longer reads (and a float32 batch
turns float64 weights float32 for good). Keep a cast in a local variable,
w = params["conv1_w"].astype(x.dtype, copy=False), and never assign into params."""


def residual_block_forward(x, params, state, stride=1, train=True):
    for key in params:
        params[key] = params[key].astype(x.dtype)  # astype copies, even to the same dtype
    return ref.residual_block_forward(x, params, state, stride, train)
