"""The tuned conv computes dx by correlating the spread-out dout with the kernel as is, not flipped."""
import numpy as np

from fastpath import conv as ref
from fastpath.conv import *

MODULE = "conv"
EXPLANATION = """\
dx here is a second convolution: dout, spread out by the stride and padded, correlated with the
kernel flipped in space (w[:, :, ::-1, ::-1]) and transposed in (F, C). Input pixel h met weight p
at output i = (h + pad - p) / stride, so walking the outputs forward walks the kernel backward:
without the flip, dx is mirrored within every window."""


def _input_gradient_unflipped(dout, w, x_shape, stride, padding):
    return _correct_input_gradient(dout, np.ascontiguousarray(w[:, :, ::-1, ::-1]), x_shape,
                                   stride, padding)  # flipped again inside: no flip at all


_correct_input_gradient = ref._input_gradient
ref._input_gradient = _input_gradient_unflipped
