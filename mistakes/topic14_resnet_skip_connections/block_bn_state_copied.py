"""The block hands each batch norm a copy of its state dict: the caller's running statistics never change."""
from mistakes.topic14_resnet_skip_connections import block_backward, block_forward
from solutions.topic14_resnet_skip_connections.residual import *

MODULE = "residual"
EXPLANATION = """\
Your block gives each batch norm a copy of its state (dict(state["bn1"]) or similar), so the new
running statistics land in the copy and the caller's state never changes. Pass the dict itself,
batchnorm2d_forward(..., state["bn1"], train=train): it assigns the new arrays into that dict,
which is the caller's."""


def residual_block_forward(x, params, state, stride=1, train=True):
    return block_forward(x, params, state, stride, train, mistake="bn_state_copied")


def residual_block_backward(dout, cache):
    return block_backward(dout, cache)
