"""The fused conv + max pool backward sends each window's gradient to its top row only."""

from fastpath import layers as ref
from fastpath.layers import *

MODULE = "layers"
EXPLANATION = """\
Each pooled gradient goes back to the one position of its 2x2 window that held the maximum,
which can be in either row. Routing it with the top row's mask only loses every window whose
maximum was in the bottom row: use the third mask (maximum in the bottom row) first."""


def _unpool_top_only(dp, masks, g):
    g[0] = dp
    g[1] = g[0] * masks[0]
    g[0] -= g[1]
    g[2:] = 0


ref._unpool_blocks = _unpool_top_only
