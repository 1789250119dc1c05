"""conv2d_forward returns a buffer it reuses between calls: the next call overwrites the last output."""
import numpy as np

from solutions.topic12_im2col_vectorization import im2col as ref
from solutions.topic12_im2col_vectorization.im2col import *

MODULE = "im2col"
EXPLANATION = """\
Your conv2d_forward returns a buffer it reuses between calls, so the next call overwrites an
output someone still holds. Return a fresh array on every call (np.empty inside the call, or
.copy()); a buffer may live between calls only if it is never returned or kept in a cache."""
_buffers = {}


def conv2d_forward(x, w, b, stride=1, padding=0):
    out, cache = ref.conv2d_forward(x, w, b, stride, padding)
    key = (out.shape, out.dtype)
    if key not in _buffers:
        _buffers[key] = np.empty_like(out)
    np.copyto(_buffers[key], out)
    return _buffers[key], cache
