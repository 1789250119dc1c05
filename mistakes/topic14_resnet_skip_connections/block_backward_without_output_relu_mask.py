"""The block's backward passes dout straight to both branches, skipping the final ReLU's mask."""
from mistakes.topic14_resnet_skip_connections import block_backward, block_forward
from solutions.topic14_resnet_skip_connections.residual import *

MODULE = "residual"
EXPLANATION = """\
Your block's backward sends dout into both branches as it is, skipping the final ReLU. out =
relu(main + shortcut), so first dsum = relu_backward(dout, cache of that ReLU): the gradient is 0
wherever the sum was <= 0, and dsum (not dout) goes into the main branch and the shortcut."""


def residual_block_forward(x, params, state, stride=1, train=True):
    return block_forward(x, params, state, stride, train, mistake="output_relu_mask_skipped")


def residual_block_backward(dout, cache):
    return block_backward(dout, cache)
