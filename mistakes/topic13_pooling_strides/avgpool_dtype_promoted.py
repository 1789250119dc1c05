"""Average pooling accumulates in a float64 array, so float32 in gives float64 out."""
import numpy as np

from solutions.topic13_pooling_strides import pooling as ref
from solutions.topic13_pooling_strides.pooling import *

MODULE = "pooling"
EXPLANATION = """\
Your average pooling returns float64 for a float32 input: the sum was accumulated in a float64
array. Allocate it with dtype=x.dtype (np.zeros((N, C, Hout, Wout), dtype=x.dtype)), so float32
in gives float32 out."""


def avgpool2d_forward(x, kernel_size, stride=None, padding=0):
    out, cache = ref.avgpool2d_forward(x.astype(np.float64), kernel_size, stride, padding)
    return out, cache
