"""conv2d_forward does not check groups: one that does not divide C stops on NumPy reshape error."""

from solutions.topic15_modern_convolutions import modern_conv as ref
from solutions.topic15_modern_convolutions.modern_conv import *

MODULE = "modern_conv"

EXPLANATION = """\
Your grouped convolution never checks its arguments: with 6 channels and groups=4 it stops on
NumPy's "cannot reshape array of size ... into shape ...", which names arrays the caller never
made, and other wrong settings may slip through silently. Check first that groups divides C and
F and that w.shape[1] == C // groups, and raise ValueError naming those numbers."""


def conv2d_forward(x, w, b, stride=1, padding=0, dilation=1, groups=1):
    n, c, h, wd = x.shape
    x.reshape(n, groups, c // groups, h, wd)  # a learner's split into groups, unchecked
    return ref.conv2d_forward(x, w, b, stride, padding, dilation, groups)
