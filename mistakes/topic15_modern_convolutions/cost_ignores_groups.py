"""conv2d_cost counts every filter as seeing all c_in channels, whatever the groups."""
from solutions.topic15_modern_convolutions import modern_conv as ref
from solutions.topic15_modern_convolutions.modern_conv import *

MODULE = "modern_conv"
EXPLANATION = """\
Your counts treat every filter as seeing all c_in channels. With groups, each filter sees only its
group's c_in // groups channels: params = c_out * (c_in // groups) * KH * KW (+ c_out), and macs
use (c_in // groups) * KH * KW per output."""


def conv2d_cost(c_in, c_out, kernel_size, input_hw, stride=1, padding=0, dilation=1, groups=1,
                bias=True):
    return ref.conv2d_cost(c_in, c_out, kernel_size, input_hw, stride, padding, dilation, 1, bias)
