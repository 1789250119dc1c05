"""Dilation moves the windows (multiplies the stride) instead of spreading the kernel's taps."""
from solutions.topic15_modern_convolutions import modern_conv as ref
from solutions.topic15_modern_convolutions.modern_conv import *

MODULE = "modern_conv"
EXPLANATION = """\
Your dilation moves the windows apart (it multiplies the stride) instead of spreading the taps of
one window. With dilation d, tap (p, q) of output (i, j) reads xpad[i*sh + p*dh, j*sw + q*dw]:
pass dilation to im2col as its dilation, and keep the stride as it is."""


def conv2d_forward(x, w, b, stride=1, padding=0, dilation=1, groups=1):
    (sh, sw), (dh, dw) = ref.pair(stride), ref.pair(dilation)
    return ref.conv2d_forward(x, w, b, (sh * dh, sw * dw), padding, 1, groups)
