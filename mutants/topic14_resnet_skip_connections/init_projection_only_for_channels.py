"""Creates the projection shortcut only when the channel count changes, not for stride 2 alone."""
from solutions.topic14_resnet_skip_connections import residual as ref
from solutions.topic14_resnet_skip_connections.residual import *

MODULE = "residual"


def init_residual_block(c_in, c_out, stride, rng):
    return ref.init_residual_block(c_in, c_out, 1 if c_in == c_out else stride, rng)
