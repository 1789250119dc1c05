"""conv2d_cost works out Hout and Wout as if the kernel were not dilated."""
from solutions.topic15_modern_convolutions import modern_conv as ref
from solutions.topic15_modern_convolutions.modern_conv import *

MODULE = "modern_conv"
EXPLANATION = """\
Your cost computes Hout and Wout as if the kernel were not dilated. A dilated kernel spans
dh*(KH-1) + 1 rows: Hout = (H + 2*ph - dh*(KH-1) - 1) // sh + 1, and the macs count follows."""


def conv2d_cost(c_in, c_out, kernel_size, input_hw, stride=1, padding=0, dilation=1, groups=1,
                bias=True):
    return ref.conv2d_cost(c_in, c_out, kernel_size, input_hw, stride, padding, 1, groups, bias)
