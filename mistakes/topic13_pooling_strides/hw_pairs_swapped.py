"""Reads (h, w) pairs for kernel_size, stride and padding as (w, h)."""
from solutions.topic13_pooling_strides import pooling as ref
from solutions.topic13_pooling_strides.pooling import *

MODULE = "pooling"
EXPLANATION = """\
Your pooling reads an (h, w) pair the wrong way round: the first number is for the height
(rows), the second for the width (columns). Unpack (KH, KW) = kernel_size, (sh, sw) = stride,
(ph, pw) = padding, and use KH, sh, ph on the rows."""


def _swap(value):
    return None if value is None else ref.pair(value)[::-1]


def maxpool2d_forward(x, kernel_size, stride=None, padding=0):
    return ref.maxpool2d_forward(x, _swap(kernel_size), _swap(stride), _swap(padding))


def avgpool2d_forward(x, kernel_size, stride=None, padding=0):
    return ref.avgpool2d_forward(x, _swap(kernel_size), _swap(stride), _swap(padding))
