"""The projection shortcut is the 1x1 strided conv alone, without its batch normalization."""
from mistakes.topic14_resnet_skip_connections import block_backward, block_forward
from solutions.topic14_resnet_skip_connections.residual import *

MODULE = "residual"
EXPLANATION = """\
Your projection shortcut is the 1x1 strided convolution alone. The projection is conv1x1
followed by its own batch norm (proj_bn_gamma, proj_bn_beta, state["proj_bn"]), like the main
branch's convolutions, and grads must hold the gradients of that BN too."""


def residual_block_forward(x, params, state, stride=1, train=True):
    return block_forward(x, params, state, stride, train, mistake="projection_without_bn")


def residual_block_backward(dout, cache):
    return block_backward(dout, cache)
