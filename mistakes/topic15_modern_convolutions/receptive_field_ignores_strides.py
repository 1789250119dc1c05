"""receptive_field adds (kernel - 1) * dilation per layer, forgetting the strides below it."""
from solutions.topic15_modern_convolutions import modern_conv as ref
from solutions.topic15_modern_convolutions.modern_conv import *

MODULE = "modern_conv"
EXPLANATION = """\
Your receptive field adds (k - 1) * d for each layer as if every grid were the image's. After a
stride-2 layer, one step of the next layer's input grid is 2 image pixels: keep the jump
J (the product of the strides below) and add (k - 1) * d * J."""


def receptive_field(layers):
    return ref.receptive_field([(layer[0], 1, *layer[2:]) for layer in layers])
