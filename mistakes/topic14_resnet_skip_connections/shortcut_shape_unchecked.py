"""A block without proj_w adds x as its shortcut whatever the shapes (NumPy broadcasts or raises)."""

import numpy as np

from solutions.topic12_im2col_vectorization.im2col import conv2d_forward
from solutions.topic14_resnet_skip_connections import residual as ref
from solutions.topic14_resnet_skip_connections.residual import *

MODULE = "residual"

EXPLANATION = """\
Your block adds x as the shortcut without checking that the shapes agree. A 1-channel x then
broadcasts onto every output channel, and at stride 2 a 2x2 x broadcasts over the 1x1 output;
other shapes stop on NumPy's own "could not be broadcast" error, by luck. Before adding, check
whether the block changes the shape (stride != 1 or C_in != C_out) and, if params has no proj_w,
raise ValueError naming C_in, C_out and the stride."""


def _main_branch(x, params, state, stride, train):
    """conv3x3(stride)-BN-ReLU-conv3x3-BN, from the reference's public functions."""
    def conv(inp, w, s):
        return conv2d_forward(inp, w, np.zeros(w.shape[0], inp.dtype), s, 1)[0]
    h = conv(x, params["conv1_w"], stride)
    h = ref.batchnorm2d_forward(h, params["bn1_gamma"], params["bn1_beta"], state["bn1"], train)[0]
    h = ref.relu_forward(h)[0]
    h = conv(h, params["conv2_w"], 1)
    return ref.batchnorm2d_forward(h, params["bn2_gamma"], params["bn2_beta"], state["bn2"],
                                   train)[0]


def residual_block_forward(x, params, state, stride=1, train=True):
    if "proj_w" in params or (stride == 1 and x.shape[1] == params["conv1_w"].shape[0]):
        return ref.residual_block_forward(x, params, state, stride, train)
    out = np.maximum(_main_branch(x, params, state, stride, train) + x, 0)  # broadcasts, or not
    return out, None
