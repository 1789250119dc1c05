"""Reads (h, w) pairs for stride and padding as (w, h)."""
from solutions.topic11_conv2d_sliding_window import conv2d as ref
from solutions.topic11_conv2d_sliding_window.conv2d import *

MODULE = "conv2d"
EXPLANATION = """\
Your code reads an (h, w) pair the wrong way round: the first number is for the height (rows),
the second for the width (columns). With stride=(2, 1), windows step 2 rows down and 1 column
right: (sh, sw) = stride, (ph, pw) = padding."""


def conv2d_forward_naive(x, w, b, stride=1, padding=0):
    swap = lambda v: ref.pair(v)[::-1]  # noqa: E731
    return ref.conv2d_forward_naive(x, w, b, stride=swap(stride), padding=swap(padding))
