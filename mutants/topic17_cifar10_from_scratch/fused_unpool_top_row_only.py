"""The fused conv + max pool backward sends each window's gradient to its top row only."""

from solutions.topic17_cifar10_from_scratch import layers as ref
from solutions.topic17_cifar10_from_scratch.layers import *

MODULE = "layers"
EXPLANATION = """\
The fused conv + max pool backward sends each window's gradient to its top row only. Each
window's gradient goes to the position of its maximum, wherever it is in the 2x2 window."""


def _unpool_top_only(dp, masks, g):
    g[0] = dp
    g[1] = g[0] * masks[0]
    g[0] -= g[1]
    g[2:] = 0


ref._unpool_blocks = _unpool_top_only
