"""Draws the weights from NumPy's global random state instead of the rng it is given."""
import numpy as np

from solutions.topic14_resnet_skip_connections import residual as ref
from solutions.topic14_resnet_skip_connections.residual import *

MODULE = "residual"


def init_residual_block(c_in, c_out, stride, rng):
    return ref.init_residual_block(c_in, c_out, stride, np.random.default_rng())
