"""col2im divides each pixel by the number of windows it fell in (undoing im2col) instead of summing."""
from mistakes import topic12_im2col_vectorization as textbook
from solutions.topic12_im2col_vectorization.im2col import *

MODULE = "im2col"
EXPLANATION = """\
Your col2im averages the entries that came from the same pixel: it tries to undo im2col (an
inverse). The backward pass needs the adjoint instead: a pixel copied into k windows influenced
the output k times, so its gradient is the SUM of its k entries. Drop the division by the count."""


def col2im(cols, x_shape, kernel_size, stride=1, padding=0, dilation=1):
    return textbook.col2im(cols, x_shape, kernel_size, stride, padding, dilation,
                           mistake="averages_overlaps")
