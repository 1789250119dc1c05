"""The fused conv + max pool gives ties to the last maximum of each window, not the first."""

import numpy as np

from fastpath import layers as ref
from fastpath.layers import *

MODULE = "layers"
EXPLANATION = """\
When a window holds its maximum twice, the gradient goes to the first maximum in row-major
window order (top-left, top-right, bottom-left, bottom-right), as the separate max pool and
PyTorch do. Comparing with >= instead of > moves each tie to the later position."""


def _pool_blocks_last(y, out, masks):
    np.greater_equal(y[1], y[0], out=masks[0])
    np.greater_equal(y[3], y[2], out=masks[1])
    top = np.maximum(y[0], y[1])
    np.maximum(y[2], y[3], out=out)
    np.greater_equal(out, top, out=masks[2])
    np.maximum(out, top, out=out)


ref._pool_blocks = _pool_blocks_last
