"""depthwise and pointwise refuse mismatched weights with a message that names no number."""

from solutions.topic15_modern_convolutions import modern_conv as ref
from solutions.topic15_modern_convolutions.modern_conv import *

MODULE = "modern_conv"

EXPLANATION = """\
Your depthwise (or pointwise) convolution refuses mismatched weights, as it should, but its
message says only that something is wrong. The brief promises a message naming the numbers: say
what x has and what w has (e.g. "x has 3 channels, w has 2 filters"), so the caller sees what
to fix without a debugger."""


def depthwise_conv2d_forward(x, w, b, stride=1, padding=0, dilation=1):
    if w.shape[0] != x.shape[1] or w.shape[1] != 1:
        raise ValueError("wrong weight shape for a depthwise convolution")
    return ref.depthwise_conv2d_forward(x, w, b, stride, padding, dilation)


def pointwise_conv2d_forward(x, w, b):
    if w.shape[1] != x.shape[1]:
        raise ValueError("wrong weight shape for a pointwise convolution")
    return ref.pointwise_conv2d_forward(x, w, b)
