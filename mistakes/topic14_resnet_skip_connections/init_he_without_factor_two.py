"""He initialization with std sqrt(1 / fan_in) instead of sqrt(2 / fan_in)."""
import numpy as np

from solutions.topic14_resnet_skip_connections import residual as ref
from solutions.topic14_resnet_skip_connections.residual import *

MODULE = "residual"
EXPLANATION = """\
Your conv weights have standard deviation sqrt(1 / fan_in): that is LeCun's initialization,
without He's factor 2. A ReLU zeroes half of its inputs and the factor 2 makes up for it: use
rng.standard_normal(shape) * np.sqrt(2 / fan_in), fan_in = C_in * KH * KW."""


def init_residual_block(c_in, c_out, stride, rng):
    params, state = ref.init_residual_block(c_in, c_out, stride, rng)
    for key in ("conv1_w", "conv2_w", "proj_w"):
        if key in params:
            params[key] = params[key] / np.sqrt(2)
    return params, state
