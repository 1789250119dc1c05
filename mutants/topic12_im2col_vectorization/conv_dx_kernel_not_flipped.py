"""conv2d_backward computes dx by correlating dout with the kernel as is, not flipped in space."""
import numpy as np

from solutions.topic12_im2col_vectorization import im2col as ref
from solutions.topic12_im2col_vectorization.im2col import *

MODULE = "im2col"


def conv2d_forward(x, w, b, stride=1, padding=0):
    out, cache = ref.conv2d_forward(x, w, b, stride, padding)
    # dx of a correlation is dout correlated with the flipped kernel; a dx that skips the flip is
    # the correct dx of the convolution whose kernel is w flipped: keep that one's cache too.
    _, flipped_cache = ref.conv2d_forward(x, np.ascontiguousarray(w[:, :, ::-1, ::-1]), b,
                                          stride, padding)
    return out, (cache, flipped_cache)


def conv2d_backward(dout, cache):
    cache, flipped_cache = cache
    _, dw, db = ref.conv2d_backward(dout, cache)
    dx, _, _ = ref.conv2d_backward(dout, flipped_cache)
    return dx, dw, db
