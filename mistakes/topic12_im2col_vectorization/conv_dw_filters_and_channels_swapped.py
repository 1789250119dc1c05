"""conv2d_backward returns dw with the filter and channel axes mixed up (a reshape instead of a transpose)."""
from solutions.topic12_im2col_vectorization import im2col as ref
from solutions.topic12_im2col_vectorization.im2col import *

MODULE = "im2col"
EXPLANATION = """\
Your dw mixes the filter and channel axes: you reshaped where a transpose belongs. dw is
(dout_rows.T @ cols).reshape(w.shape): (F, C*KH*KW) reshaped to (F, C, KH, KW), with no
transpose of its axes afterwards."""


def conv2d_backward(dout, cache):
    dx, dw, db = ref.conv2d_backward(dout, cache)
    F, C, KH, KW = dw.shape
    return dx, dw.transpose(1, 0, 2, 3).reshape(F, C, KH, KW), db
