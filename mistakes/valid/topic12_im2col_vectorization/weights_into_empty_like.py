"""conv2d_backward_weights writing dw with out= into np.empty_like(w): allocated like w, no product with it.

A valid implementation: the rule spec watches the cached filters for products, and an array made
*like* w, written by a product of dout and the columns, is not a product with w.
"""
import numpy as np

from solutions.topic12_im2col_vectorization.im2col import *  # noqa: F403

MODULE = "im2col"


def conv2d_backward_weights(dout, cache):
    cols, w = cache[:2]
    F = w.shape[0]
    dout_t = dout.transpose(1, 0, 2, 3).reshape(F, -1)
    dw = np.empty_like(w)
    np.matmul(dout_t, cols, out=dw.reshape(F, -1))
    return dw, dout_t.sum(axis=1) * 1.0
