"""Max pooling pads with zeros, so the padding wins over negative inputs."""
import numpy as np

from solutions.topic13_pooling_strides import pooling as ref
from solutions.topic13_pooling_strides.pooling import *

MODULE = "pooling"
EXPLANATION = """\
Your max pooling pads with zeros, so at the border a window of negative numbers returns 0, a
value that is not in the input. Max pooling pads with -inf, which never wins a max:
np.pad(x, ..., constant_values=-np.inf)."""


def maxpool2d_forward(x, kernel_size, stride=None, padding=0):
    ph, pw = ref.pair(padding)
    zero_padded = np.pad(x, ((0, 0), (0, 0), (ph, ph), (pw, pw)))
    out, (argmax, _, dtype, kernel, stride_, _) = ref.maxpool2d_forward(
        zero_padded, kernel_size, stride, 0)
    return out, (argmax, x.shape, dtype, kernel, stride_, (ph, pw))
