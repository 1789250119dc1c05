"""conv2d_backward_weights still computes dcols (the product with w) and drops it, without col2im."""
from solutions.topic12_im2col_vectorization.im2col import *

MODULE = "im2col"
EXPLANATION = """\
Your conv2d_backward_weights computes dcols = dout_rows @ w_rows, which only dx needs: the values
are right, but the largest array of the backward is built for nothing. Compute only db and dw."""


def conv2d_backward_weights(dout, cache):
    cols, w = cache[:2]
    F = w.shape[0]
    dout_t = dout.transpose(1, 0, 2, 3).reshape(F, -1)
    dcols = (w.reshape(F, -1).T @ dout_t).T   # noqa: F841  (the mistake: dx's product, unused)
    return (cols.T @ dout_t.T).T.reshape(w.shape), dout_t.sum(axis=1)
