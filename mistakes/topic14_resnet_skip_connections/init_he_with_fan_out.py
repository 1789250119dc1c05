"""He initialization with fan_out = C_out * KH * KW instead of fan_in = C_in * KH * KW."""
import numpy as np

from solutions.topic14_resnet_skip_connections import residual as ref
from solutions.topic14_resnet_skip_connections.residual import *

MODULE = "residual"
EXPLANATION = """\
Your He initialization uses fan_out = C_out * KH * KW. The brief follows the paper: fan_in =
C_in * KH * KW, the number of inputs one output sums over, so std = sqrt(2 / fan_in) (9 * c_in
for conv1, 9 * c_out for conv2, c_in for the projection)."""


def init_residual_block(c_in, c_out, stride, rng):
    params, state = ref.init_residual_block(c_in, c_out, stride, rng)
    for key in ("conv1_w", "conv2_w", "proj_w"):
        if key in params:
            w = params[key]
            fan_in, fan_out = np.prod(w.shape[1:]), w.shape[0] * np.prod(w.shape[2:])
            params[key] = w * np.sqrt(fan_in / fan_out)
    return params, state
