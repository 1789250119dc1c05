"""The stride sits on the second 3x3 conv instead of the first."""
from mistakes.topic14_resnet_skip_connections import block_backward, block_forward
from solutions.topic14_resnet_skip_connections.residual import *

MODULE = "residual"
EXPLANATION = """\
Your block puts the stride on the second 3x3 conv. The stride sits on the FIRST 3x3 conv (and on
the projection); the second conv keeps the size with stride 1 and padding 1. The output shape is
the same, but the values differ."""


def residual_block_forward(x, params, state, stride=1, train=True):
    return block_forward(x, params, state, stride, train, mistake="stride_on_second_conv")


def residual_block_backward(dout, cache):
    return block_backward(dout, cache)
