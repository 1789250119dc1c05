"""receptive_field adds (kernel - 1) * dilation per layer, forgetting the strides below it."""
from solutions.topic15_modern_convolutions import modern_conv as ref
from solutions.topic15_modern_convolutions.modern_conv import *

MODULE = "modern_conv"


def receptive_field(layers):
    return ref.receptive_field([(layer[0], 1, *layer[2:]) for layer in layers])
