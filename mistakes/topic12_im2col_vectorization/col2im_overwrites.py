"""col2im assigns each kernel offset's block instead of adding it: overlapping windows lose entries."""
from mistakes import topic12_im2col_vectorization as textbook
from solutions.topic12_im2col_vectorization.im2col import *

MODULE = "im2col"
EXPLANATION = """\
Your col2im assigns (=) each tap's block into the padded image, so where windows overlap only the
last tap's entry survives. A pixel copied into several windows must collect all its copies:
use += into the slice (within one tap no pixel repeats, across taps the += sums the overlaps)."""


def col2im(cols, x_shape, kernel_size, stride=1, padding=0, dilation=1):
    return textbook.col2im(cols, x_shape, kernel_size, stride, padding, dilation,
                           mistake="overwrites")
