"""conv2d_backward lays dout out with dout.reshape(-1, F), without moving the filter axis last."""
from mistakes import topic12_im2col_vectorization as textbook
from solutions.topic12_im2col_vectorization.im2col import *

MODULE = "im2col"
EXPLANATION = """\
Your gradients use dout in the wrong layout: dout.reshape(-1, F) cuts the (N, F, Hout, Wout)
numbers into rows of F in memory order, which mixes filters and positions. dout_rows must be laid
out like out_rows (rows (n, i, j), columns f): dout.transpose(0, 2, 3, 1).reshape(-1, F)."""


def conv2d_forward(x, w, b, stride=1, padding=0):
    return textbook.conv2d_forward(x, w, b, stride, padding)


def conv2d_backward(dout, cache):
    return textbook.conv2d_backward(dout, cache, mistake="dout_reshaped_without_transpose")
