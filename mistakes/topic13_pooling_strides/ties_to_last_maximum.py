"""On a tie, the gradient goes to the LAST maximum of the window (>= where > is needed)."""
import numpy as np

from solutions.topic13_pooling_strides import pooling as ref
from solutions.topic13_pooling_strides.pooling import *

MODULE = "pooling"
EXPLANATION = """\
Your running maximum takes over on equal values (>=), so on a tie the gradient goes to the LAST
maximum of the window. Update only where a new slice is strictly greater (>): the first maximum
in row-major order keeps the gradient."""


def maxpool2d_forward(x, kernel_size, stride=None, padding=0):
    kernel, stride, padding, out_hw = ref.pool_geometry(x.shape, kernel_size, stride, padding)
    xpad = ref.pad_spatial(x, padding, -np.inf)
    argmax = np.zeros(x.shape[:2] + out_hw, dtype=np.intp)
    out = np.full(x.shape[:2] + out_hw, -np.inf, dtype=x.dtype)
    for offset, candidate in enumerate(ref.window_slices(xpad, kernel, stride, out_hw)):
        better = candidate >= out
        np.copyto(out, candidate, where=better)
        np.copyto(argmax, offset, where=better)
    return out, (argmax, x.shape, x.dtype, kernel, stride, padding)
