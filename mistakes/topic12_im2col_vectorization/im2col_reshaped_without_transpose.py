"""im2col reshapes its (N, C, KH, KW, Hout, Wout) taps straight to 2-D, no transpose (so does col2im)."""
from mistakes import topic12_im2col_vectorization as textbook
from solutions.topic12_im2col_vectorization.im2col import *

MODULE = "im2col"
EXPLANATION = """\
Your cols has the right shape but its numbers are in the wrong places: you reshaped the
(N, C, KH, KW, Hout, Wout) array of taps straight to (N*Hout*Wout, C*KH*KW). A reshape only cuts
the numbers in memory order into new rows; it cannot move the position axes (Hout, Wout) in front
of the channel and kernel axes. Transpose first, to (N, Hout, Wout, C, KH, KW), then reshape (and
undo it the same way in col2im)."""


def im2col(x, kernel_size, stride=1, padding=0, dilation=1):
    return textbook.im2col(x, kernel_size, stride, padding, dilation, mistake="reshaped_without_transpose")


def col2im(cols, x_shape, kernel_size, stride=1, padding=0, dilation=1):
    return textbook.col2im(cols, x_shape, kernel_size, stride, padding, dilation,
                           mistake="reshaped_without_transpose")
