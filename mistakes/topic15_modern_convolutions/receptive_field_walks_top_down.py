"""receptive_field walks the stack from the last layer to the first: the jumps multiply the wrong layers."""
from solutions.topic15_modern_convolutions.modern_conv import *

MODULE = "modern_conv"
EXPLANATION = """\
Your receptive field walks the layers from the last to the first while growing the jump J, so a
layer's stride scales the layers BELOW it instead of those above it. One step of layer l's input
grid is the product of the strides of the layers before it: walk first layer to last, with
r += (k - 1) * d * J, then J *= s."""


def receptive_field(layers):
    field, jump = 1, 1
    for layer in reversed(list(layers)):
        kernel, stride, dilation = (*layer, 1) if len(layer) == 2 else layer
        field += (kernel - 1) * dilation * jump
        jump *= stride
    return field
