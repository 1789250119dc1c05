"""Backward forgets the shortcut: dx has only the residual branch's contribution."""
from mistakes.topic14_resnet_skip_connections import block_backward, block_forward
from solutions.topic14_resnet_skip_connections.residual import *

MODULE = "residual"
EXPLANATION = """\
Your block's backward returns only the main branch's contribution to dx. x feeds both branches,
so its gradient is the SUM of what comes back along each: add dsum itself for an identity
shortcut, or the projection's dx for a projection."""


def residual_block_forward(x, params, state, stride=1, train=True):
    return block_forward(x, params, state, stride, train, mistake="shortcut_gradient_dropped")


def residual_block_backward(dout, cache):
    return block_backward(dout, cache)
