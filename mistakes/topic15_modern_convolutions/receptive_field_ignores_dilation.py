"""receptive_field treats every layer as undilated."""
from solutions.topic15_modern_convolutions import modern_conv as ref
from solutions.topic15_modern_convolutions.modern_conv import *

MODULE = "modern_conv"
EXPLANATION = """\
Your receptive field treats every layer as undilated. A dilated kernel's taps are d pixels apart,
so layer l widens the field by (k - 1) * d steps of its input grid: r += (k - 1) * d * J (a
2-tuple has d = 1)."""


def receptive_field(layers):
    return ref.receptive_field([tuple(layer[:2]) for layer in layers])
