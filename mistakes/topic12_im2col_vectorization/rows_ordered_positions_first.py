"""im2col orders the rows (i, j, n) (positions first) instead of (n, i, j)."""
from solutions.topic12_im2col_vectorization import im2col as ref
from solutions.topic12_im2col_vectorization.im2col import *

MODULE = "im2col"
EXPLANATION = """\
Your rows are ordered (i, j, n): all samples' first position, then the next position. The
contract is (n, i, j), row-major: all of sample 0's positions first, then sample 1's. Put the
batch axis first, then Hout and Wout, before you reshape."""


def im2col(x, kernel_size, stride=1, padding=0, dilation=1):
    cols = ref.im2col(x, kernel_size, stride, padding, dilation)
    N = x.shape[0]
    return cols.reshape(N, -1, cols.shape[1]).transpose(1, 0, 2).reshape(cols.shape)
