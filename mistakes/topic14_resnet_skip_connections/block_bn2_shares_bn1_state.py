"""The block's second batch norm reads and updates state['bn1'] instead of state['bn2']."""
from mistakes.topic14_resnet_skip_connections import block_backward, block_forward
from solutions.topic14_resnet_skip_connections.residual import *

MODULE = "residual"
EXPLANATION = """\
Your block's second batch norm uses state["bn1"], the first one's running statistics (a
copy-paste slip). Each BN has its own: conv1_w goes with bn1 and state["bn1"], conv2_w with bn2 and
state["bn2"], proj_w with proj_bn and state["proj_bn"]."""


def residual_block_forward(x, params, state, stride=1, train=True):
    return block_forward(x, params, state, stride, train, mistake="bn2_shares_bn1_state")


def residual_block_backward(dout, cache):
    return block_backward(dout, cache)
