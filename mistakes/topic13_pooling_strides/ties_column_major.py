"""On a tie, the gradient goes to the first maximum scanning the window column by column."""
import numpy as np

from solutions.topic13_pooling_strides import pooling as ref
from solutions.topic13_pooling_strides.pooling import *

MODULE = "pooling"
EXPLANATION = """\
Your tie rule scans the window column by column. The contract (and PyTorch's CPU kernel) picks
the first maximum in row-major order: rows top to bottom, each row left to right. Loop over the
offsets with p (the row) outer and q (the column) inner."""


def maxpool2d_forward(x, kernel_size, stride=None, padding=0):
    kernel, stride, padding, out_hw = ref.pool_geometry(x.shape, kernel_size, stride, padding)
    xpad = ref.pad_spatial(x, padding, -np.inf)
    slices = list(ref.window_slices(xpad, kernel, stride, out_hw))  # row-major offsets
    kh, kw = kernel
    argmax = np.zeros(x.shape[:2] + out_hw, dtype=np.intp)
    out = np.full(x.shape[:2] + out_hw, -np.inf, dtype=x.dtype)
    for q in range(kw):
        for p in range(kh):
            better = slices[p * kw + q] > out
            np.copyto(out, slices[p * kw + q], where=better)
            np.copyto(argmax, p * kw + q, where=better)
    return out, (argmax, x.shape, x.dtype, kernel, stride, padding)
