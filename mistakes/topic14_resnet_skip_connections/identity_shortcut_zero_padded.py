"""When the shape changes, the shortcut is x subsampled and zero-padded in channels (no projection)."""
from mistakes.topic14_resnet_skip_connections import block_backward, block_forward
from solutions.topic14_resnet_skip_connections.residual import *

MODULE = "residual"
EXPLANATION = """\
When the shape changes, your shortcut subsamples x and pads the missing channels with zeros
(ResNet's option A). The brief asks for option B: a 1x1 convolution with the block's stride
followed by its own batch norm (proj_w, proj_bn_gamma, proj_bn_beta, state["proj_bn"]), and its
gradients in grads."""


def residual_block_forward(x, params, state, stride=1, train=True):
    return block_forward(x, params, state, stride, train, mistake="zero_padded_shortcut")


def residual_block_backward(dout, cache):
    return block_backward(dout, cache)
