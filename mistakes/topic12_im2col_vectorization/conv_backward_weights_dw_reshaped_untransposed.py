"""conv2d_backward_weights reshapes the (C*KH*KW, F) product to w.shape without transposing it."""
from solutions.topic12_im2col_vectorization.im2col import *

MODULE = "im2col"
EXPLANATION = """\
Your dw reshapes the (C*KH*KW, F) product cols.T @ dout_rows straight to (F, C, KH, KW): the
numbers land on the wrong filters and taps. Transpose it to (F, C*KH*KW) first."""


def conv2d_backward_weights(dout, cache):
    cols, w = cache[:2]
    F = w.shape[0]
    dout_t = dout.transpose(1, 0, 2, 3).reshape(F, -1)
    return (cols.T @ dout_t.T).reshape(w.shape), dout_t.sum(axis=1)
