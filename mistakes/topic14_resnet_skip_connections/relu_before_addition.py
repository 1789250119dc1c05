"""ReLU on the residual branch before the addition: relu(BN2(...)) + shortcut, no ReLU after."""
from mistakes.topic14_resnet_skip_connections import block_backward, block_forward
from solutions.topic14_resnet_skip_connections.residual import *

MODULE = "residual"
EXPLANATION = """\
Your block applies a ReLU to the main branch before the addition and none after it:
relu(BN2(...)) + shortcut. The final ReLU comes AFTER the addition: out = relu(BN2(conv2(...)) +
shortcut), and its backward masks the gradient of the sum."""


def residual_block_forward(x, params, state, stride=1, train=True):
    return block_forward(x, params, state, stride, train, mistake="relu_before_addition")


def residual_block_backward(dout, cache):
    return block_backward(dout, cache)
