"""conv2d_backward_weights computes dx with col2im and throws it away."""
from solutions.topic12_im2col_vectorization.im2col import *

MODULE = "im2col"
EXPLANATION = """\
Your conv2d_backward_weights still computes dx (dcols, then col2im) and drops it: the values are
right, but the work it exists to skip is done anyway. Compute only db and dw."""


def conv2d_backward_weights(dout, cache):
    cols, w, x_shape, stride, padding = cache
    F, _, KH, KW = w.shape
    dout_t = dout.transpose(1, 0, 2, 3).reshape(F, -1)
    col2im((w.reshape(F, -1).T @ dout_t).T, x_shape, (KH, KW), stride, padding)
    return (cols.T @ dout_t.T).T.reshape(w.shape), dout_t.sum(axis=1)
