"""im2col reads (h, w) pairs the wrong way round (the width's stride on the height and so on)."""
from solutions.topic12_im2col_vectorization import im2col as ref
from solutions.topic12_im2col_vectorization.im2col import *

MODULE = "im2col"
EXPLANATION = """\
Your im2col reads an (h, w) pair the wrong way round: the first number is for the height (rows),
the second for the width (columns). Unpack (sh, sw) = stride, (ph, pw) = padding and
(dh, dw) = dilation, and use sh, ph, dh on the rows."""


def _swap(value):
    h, w = _pair(value)
    return (w, h)


def im2col(x, kernel_size, stride=1, padding=0, dilation=1):
    return ref.im2col(x, kernel_size, _swap(stride), _swap(padding), _swap(dilation))


def _pair(value):
    return tuple(value) if isinstance(value, (tuple, list)) else (value, value)
