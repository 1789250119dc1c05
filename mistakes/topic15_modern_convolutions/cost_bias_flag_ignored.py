"""conv2d_cost always counts c_out bias parameters, even with bias=False."""
from solutions.topic15_modern_convolutions import modern_conv as ref
from solutions.topic15_modern_convolutions.modern_conv import *

MODULE = "modern_conv"
EXPLANATION = """\
Your parameter count includes c_out biases even when bias=False (layers followed by batch norm,
like ResNet's, have none). Add the c_out biases only when bias is true:
params = c_out * (c_in // groups) * KH * KW + (c_out if bias else 0)."""


def conv2d_cost(c_in, c_out, kernel_size, input_hw, stride=1, padding=0, dilation=1, groups=1,
                bias=True):
    return ref.conv2d_cost(c_in, c_out, kernel_size, input_hw, stride, padding, dilation, groups,
                           True)
