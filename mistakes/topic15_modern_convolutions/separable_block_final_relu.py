"""The separable block applies a ReLU after the pointwise convolution too (the brief: no final activation)."""
from solutions.topic15_modern_convolutions import modern_conv as ref
from solutions.topic15_modern_convolutions.modern_conv import *

MODULE = "modern_conv"
EXPLANATION = """\
Your block ends with a ReLU after the pointwise convolution, so its negative outputs are 0. The
block is depthwise -> ReLU -> pointwise and stops there: it replaces one convolution layer, and
whatever followed that layer (a norm, an activation) follows the block. Remove the final ReLU
(and its mask in the backward)."""


def separable_block_forward(x, params, stride=1, padding=0, dilation=1):
    out, cache = ref.separable_block_forward(x, params, stride, padding, dilation)
    active = out > 0
    return out * active, (cache, active)


def separable_block_backward(dout, cache):
    inner, active = cache
    return ref.separable_block_backward(dout * active, inner)
