"""depthwise_conv2d_forward checks w's filter count but not its second axis: (C, 2, KH, KW) passes."""

from solutions.topic15_modern_convolutions import modern_conv as ref
from solutions.topic15_modern_convolutions.modern_conv import *

MODULE = "modern_conv"

EXPLANATION = """\
Your depthwise convolution checks that w has one filter per channel but not that each filter
reads one channel: a w of shape (C, 2, KH, KW) is accepted and its second input slice silently
ignored. A depthwise w is (C, 1, KH, KW): check w.shape[1] == 1 too, and raise ValueError naming
C and w's shape."""


def depthwise_conv2d_forward(x, w, b, stride=1, padding=0, dilation=1):
    if w.ndim == 4 and w.shape[0] == x.shape[1]:
        w = w[:, :1]  # only the filter count is checked; the rest of axis 1 is silently dropped
    return ref.depthwise_conv2d_forward(x, w, b, stride, padding, dilation)
