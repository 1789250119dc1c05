"""The fused conv + max pool rounds the pooled size up, pooling the odd last row and column too."""

import numpy as np

from solutions.topic17_cifar10_from_scratch import layers as ref
from solutions.topic17_cifar10_from_scratch.layers import *

MODULE = "layers"
EXPLANATION = """\
The fused conv + max pool pools an odd last row and column too. A 2x2 max pool with stride 2
drops them, as maxpool2d_forward does: the pooled size is H // 2 by W // 2."""


def conv2d_maxpool2d_forward(x, w, b, padding=1):
    out, cache = ref.conv2d_forward(x, w, b, 1, padding)
    h, w_ = out.shape[2:]
    if h % 2:
        out = np.concatenate([out, out[:, :, -1:]], axis=2)
    if w_ % 2:
        out = np.concatenate([out, out[:, :, :, -1:]], axis=3)
    return ref.maxpool2d_forward(out, 2)[0], None
