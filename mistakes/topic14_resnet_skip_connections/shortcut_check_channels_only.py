"""The missing-projection check looks at the channels only: at stride 2 the identity broadcasts."""

import numpy as np

from mistakes.topic14_resnet_skip_connections.shortcut_shape_unchecked import _main_branch
from solutions.topic14_resnet_skip_connections import residual as ref
from solutions.topic14_resnet_skip_connections.residual import *

MODULE = "residual"

EXPLANATION = """\
Your block refuses a channel change without proj_w, but not a stride of 2: there the identity x
(H x W) is added to an output of about half that size, and NumPy either broadcasts it (a 2x2
input onto a 1x1 output) or fails with its own error. The stride changes the shape too: raise
ValueError when stride != 1 or C_in != C_out and params has no proj_w."""


def residual_block_forward(x, params, state, stride=1, train=True):
    c_in, c_out = x.shape[1], params["conv1_w"].shape[0]
    if "proj_w" in params or (stride == 1 and c_in == c_out):
        return ref.residual_block_forward(x, params, state, stride, train)
    if c_in != c_out:
        raise ValueError(f"a block from {c_in} to {c_out} channels needs a projection shortcut")
    return np.maximum(_main_branch(x, params, state, stride, train) + x, 0), None
