"""conv2d_forward reshapes out_rows (N*Hout*Wout, F) straight to (N, F, Hout, Wout), without the transpose."""
from mistakes import topic12_im2col_vectorization as textbook
from solutions.topic12_im2col_vectorization.im2col import *

MODULE = "im2col"
EXPLANATION = """\
Your out has the right shape but its numbers are in the wrong places: you reshaped out_rows, whose
rows are positions (n, i, j) and columns filters f, straight to (N, F, Hout, Wout). A reshape
cannot move the filter axis in front of the positions: reshape to (N, Hout, Wout, F) first, then
transpose(0, 3, 1, 2)."""


def conv2d_forward(x, w, b, stride=1, padding=0):
    return textbook.conv2d_forward(x, w, b, stride, padding, mistake="out_reshaped_without_transpose")


def conv2d_backward(dout, cache):
    return textbook.conv2d_backward(dout, cache)
