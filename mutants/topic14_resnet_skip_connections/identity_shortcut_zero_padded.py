"""When the shape changes, the shortcut is x subsampled and zero-padded in channels (no projection)."""
from mutants.topic14_resnet_skip_connections import block_backward, block_forward
from solutions.topic14_resnet_skip_connections.residual import *

MODULE = "residual"


def residual_block_forward(x, params, state, stride=1, train=True):
    return block_forward(x, params, state, stride, train, mistake="zero_padded_shortcut")


def residual_block_backward(dout, cache):
    return block_backward(dout, cache)
