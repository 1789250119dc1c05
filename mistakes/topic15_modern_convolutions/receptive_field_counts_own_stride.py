"""receptive_field multiplies a layer's growth by its own stride too (jump updated too early)."""
from solutions.topic15_modern_convolutions.modern_conv import *

MODULE = "modern_conv"
EXPLANATION = """\
Your receptive field multiplies each layer's growth by its own stride: you updated the jump
before using it. A layer's stride spaces the inputs of the layers ABOVE it, not its own: first
r += (k - 1) * d * J, then J *= s."""


def receptive_field(layers):
    field, jump = 1, 1
    for layer in layers:
        kernel, stride, dilation = (*layer, 1) if len(layer) == 2 else layer
        jump *= stride
        field += (kernel - 1) * dilation * jump
    return field
