"""im2col orders the columns (p, q, c) (channels last) instead of (c, p, q)."""
from solutions.topic12_im2col_vectorization import im2col as ref
from solutions.topic12_im2col_vectorization.im2col import *

MODULE = "im2col"
EXPLANATION = """\
Your columns are ordered (p, q, c): kernel position first, channel last. The contract is
(c, p, q), the order in which w.reshape(F, -1) flattens (F, C, KH, KW), so that row r of cols
times row f of w.reshape(F, -1) is one output. Move the channel axis before the kernel axes
before you reshape."""


def im2col(x, kernel_size, stride=1, padding=0, dilation=1):
    cols = ref.im2col(x, kernel_size, stride, padding, dilation)
    KH, KW = _pair(kernel_size)
    C = x.shape[1]
    return cols.reshape(-1, C, KH * KW).transpose(0, 2, 1).reshape(cols.shape)


def _pair(value):
    return tuple(value) if isinstance(value, (tuple, list)) else (value, value)
