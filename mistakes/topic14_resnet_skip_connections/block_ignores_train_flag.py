"""The block calls its batch norms in train mode whatever train it is given."""
from mistakes.topic14_resnet_skip_connections import block_backward, block_forward
from solutions.topic14_resnet_skip_connections.residual import *

MODULE = "residual"
EXPLANATION = """\
Your block calls batchnorm2d_forward without passing its train flag, so in eval mode
(train=False) the block still normalizes with batch statistics and updates the running averages.
Pass train=train to every batch norm of the block (bn1, bn2 and proj_bn)."""


def residual_block_forward(x, params, state, stride=1, train=True):
    return block_forward(x, params, state, stride, train, mistake="train_flag_ignored")


def residual_block_backward(dout, cache):
    return block_backward(dout, cache)
