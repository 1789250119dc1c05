"""receptive_field treats every layer as undilated."""
from solutions.topic15_modern_convolutions import modern_conv as ref
from solutions.topic15_modern_convolutions.modern_conv import *

MODULE = "modern_conv"


def receptive_field(layers):
    return ref.receptive_field([tuple(layer[:2]) for layer in layers])
