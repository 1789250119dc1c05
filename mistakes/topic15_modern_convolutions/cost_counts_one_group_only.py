"""conv2d_cost divides the filters by the groups too: it counts one group's c_out // groups filters."""
from solutions.topic15_modern_convolutions import modern_conv as ref
from solutions.topic15_modern_convolutions.modern_conv import *

MODULE = "modern_conv"
EXPLANATION = """\
Your counts are those of ONE group: (c_out // groups) filters of (c_in // groups) channels. There
are groups such groups side by side, so all c_out filters count, each with (c_in // groups) * KH * KW
weights: params = c_out * (c_in // groups) * KH * KW (+ c_out biases), and macs likewise per
output position."""


def conv2d_cost(c_in, c_out, kernel_size, input_hw, stride=1, padding=0, dilation=1, groups=1,
                bias=True):
    cost = ref.conv2d_cost(c_in, c_out, kernel_size, input_hw, stride, padding, dilation, groups,
                           bias)
    weights = ref.conv2d_cost(c_in, c_out, kernel_size, input_hw, stride, padding, dilation,
                              groups, False)["params"]
    return {"params": cost["params"] - weights + weights // groups,
            "macs": cost["macs"] // groups}
