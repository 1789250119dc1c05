"""dw is (cols.T @ dout_rows).reshape(w.shape): (C*KH*KW, F) read as (F, C, KH, KW)"""
from mistakes import topic12_im2col_vectorization as textbook
from solutions.topic12_im2col_vectorization.im2col import *

MODULE = "im2col"
EXPLANATION = """\
Your dw holds the right numbers in the wrong places: cols.T @ dout_rows is (C*KH*KW, F), one
column per filter, and reshaping it to (F, C, KH, KW) cuts it in the wrong order. Compute
dout_rows.T @ cols, which is (F, C*KH*KW) like w.reshape(F, -1), then reshape to w.shape (or
transpose before reshaping)."""


def conv2d_forward(x, w, b, stride=1, padding=0):
    return textbook.conv2d_forward(x, w, b, stride, padding)


def conv2d_backward(dout, cache):
    return textbook.conv2d_backward(dout, cache, mistake="dw_from_transposed_product")
