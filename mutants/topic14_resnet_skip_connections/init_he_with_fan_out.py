"""He initialization with fan_out = C_out * KH * KW instead of fan_in = C_in * KH * KW."""
import numpy as np

from solutions.topic14_resnet_skip_connections import residual as ref
from solutions.topic14_resnet_skip_connections.residual import *

MODULE = "residual"


def init_residual_block(c_in, c_out, stride, rng):
    params, state = ref.init_residual_block(c_in, c_out, stride, rng)
    for key in ("conv1_w", "conv2_w", "proj_w"):
        if key in params:
            w = params[key]
            fan_in, fan_out = np.prod(w.shape[1:]), w.shape[0] * np.prod(w.shape[2:])
            params[key] = w * np.sqrt(fan_in / fan_out)
    return params, state
