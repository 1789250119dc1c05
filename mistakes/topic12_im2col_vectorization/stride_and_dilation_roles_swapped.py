"""im2col and col2im spread the taps by the stride and step the windows by the dilation."""
from mistakes import topic12_im2col_vectorization as textbook
from solutions.topic12_im2col_vectorization.im2col import *

MODULE = "im2col"
EXPLANATION = """\
Your windows step by the dilation and your taps are spread apart by the stride: the two roles are
swapped. The stride is the step between two windows (window (i, j) starts at row i*sh, column
j*sw); the dilation is the gap between the taps of one window (tap (p, q) is p*dh rows and q*dw
columns from the window's corner): cols[(n, i, j), (c, p, q)] = xpad[n, c, i*sh + p*dh, j*sw + q*dw]."""


# the textbook im2col and col2im, called with the stride and the dilation swapped
def im2col(x, kernel_size, stride=1, padding=0, dilation=1):
    return textbook.im2col(x, kernel_size, stride=dilation, padding=padding, dilation=stride)


def col2im(cols, x_shape, kernel_size, stride=1, padding=0, dilation=1):
    return textbook.col2im(cols, x_shape, kernel_size, stride=dilation, padding=padding,
                           dilation=stride)
