"""col2im starts from np.zeros(padded shape) (float64), so float32 columns give a float64 image."""
from mistakes import topic12_im2col_vectorization as textbook
from solutions.topic12_im2col_vectorization.im2col import *

MODULE = "im2col"
EXPLANATION = """\
Your col2im returns float64 for float32 columns: np.zeros(shape) allocates float64 unless told
otherwise. Allocate the padded image with dtype=cols.dtype, so float32 in gives float32 out."""


def col2im(cols, x_shape, kernel_size, stride=1, padding=0, dilation=1):
    return textbook.col2im(cols, x_shape, kernel_size, stride, padding, dilation,
                           mistake="promotes_to_float64")
