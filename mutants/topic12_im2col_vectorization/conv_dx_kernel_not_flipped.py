"""conv2d_backward computes dx by correlating dout with the kernel as is, not flipped in space."""
import numpy as np

from solutions.topic12_im2col_vectorization import im2col as ref
from solutions.topic12_im2col_vectorization.im2col import *

MODULE = "im2col"


def conv2d_backward(dout, cache):
    x, w, stride, padding = cache
    _, dw, db = ref.conv2d_backward(dout, cache)
    w_unflipped = np.ascontiguousarray(w[:, :, ::-1, ::-1])  # flipped again inside: no flip
    dx = ref._input_gradient(dout.astype(w.dtype), w_unflipped, x.shape, stride, padding)
    return dx, dw, db
