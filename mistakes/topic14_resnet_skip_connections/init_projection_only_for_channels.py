"""Creates the projection shortcut only when the channel count changes, not for stride 2 alone."""
from solutions.topic14_resnet_skip_connections import residual as ref
from solutions.topic14_resnet_skip_connections.residual import *

MODULE = "residual"
EXPLANATION = """\
Your init_residual_block creates the projection only when the channel count changes. A stride of
2 also changes the shape (the output is half as high and wide), so x cannot be added as it is:
create proj_w and proj_bn when stride != 1 or c_in != c_out."""


def init_residual_block(c_in, c_out, stride, rng):
    return ref.init_residual_block(c_in, c_out, 1 if c_in == c_out else stride, rng)
