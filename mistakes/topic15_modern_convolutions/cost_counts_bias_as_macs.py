"""conv2d_cost counts the bias additions as multiply-adds."""
from solutions.topic15_modern_convolutions import modern_conv as ref
from solutions.topic15_modern_convolutions.modern_conv import *

MODULE = "modern_conv"
EXPLANATION = """\
Your multiply-add count includes the bias additions. A bias addition is not a multiply-add, and
the contract does not count it: macs = c_out * Hout * Wout * (c_in // groups) * KH * KW, whatever
bias is (bias only changes params)."""


def conv2d_cost(c_in, c_out, kernel_size, input_hw, stride=1, padding=0, dilation=1, groups=1,
                bias=True):
    cost = ref.conv2d_cost(c_in, c_out, kernel_size, input_hw, stride, padding, dilation, groups,
                           bias)
    if bias:
        h, w = ref.pair(input_hw)
        (kh, kw), (sh, sw), (ph, pw), (dh, dw) = map(ref.pair, (kernel_size, stride, padding,
                                                                dilation))
        outputs = ref.output_size(h, kh, sh, ph, dh) * ref.output_size(w, kw, sw, pw, dw)
        cost["macs"] += c_out * outputs
    return cost
