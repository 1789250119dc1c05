"""conv2d_cost counts one output per input pixel (H*W), ignoring stride, padding and the kernel's size."""
from solutions.topic15_modern_convolutions import modern_conv as ref
from solutions.topic15_modern_convolutions.modern_conv import *

MODULE = "modern_conv"
EXPLANATION = """\
Your multiply-add count uses the input's H*W as the number of output positions. Each OUTPUT is one
dot product, and a strided, padded or unpadded convolution has Hout*Wout of them, with
Hout = (H + 2*ph - dh*(KH-1) - 1) // sh + 1: macs = c_out * Hout * Wout * (c_in // groups) * KH * KW."""


def conv2d_cost(c_in, c_out, kernel_size, input_hw, stride=1, padding=0, dilation=1, groups=1,
                bias=True):
    cost = ref.conv2d_cost(c_in, c_out, kernel_size, input_hw, stride, padding, dilation, groups,
                           bias)
    (KH, KW), (H, W) = ref.pair(kernel_size), ref.pair(input_hw)
    cost["macs"] = c_out * H * W * (c_in // groups) * KH * KW
    return cost
