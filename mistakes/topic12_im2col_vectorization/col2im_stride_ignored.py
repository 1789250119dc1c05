"""col2im puts the blocks back with step 1, as if the stride were 1 (im2col itself is right)."""
from mistakes import topic12_im2col_vectorization as textbook
from solutions.topic12_im2col_vectorization.im2col import *

MODULE = "im2col"
EXPLANATION = """\
Your col2im puts each tap's block back into consecutive rows and columns (step 1), as if the
stride were 1: entries land on pixels im2col never read from there. Use the same strided slices as
im2col: rows p*dh : p*dh + sh*(Hout-1) + 1 : sh, columns likewise with sw."""


def col2im(cols, x_shape, kernel_size, stride=1, padding=0, dilation=1):
    return textbook.col2im(cols, x_shape, kernel_size, stride, padding, dilation,
                           mistake="stride_ignored")
