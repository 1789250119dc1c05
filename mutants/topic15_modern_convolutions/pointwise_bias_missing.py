"""The 1x1 convolution forgets to add the bias (db is still returned)."""
from solutions.topic15_modern_convolutions import modern_conv as ref
from solutions.topic15_modern_convolutions.modern_conv import *

MODULE = "modern_conv"


def pointwise_conv2d_forward(x, w, b):
    return ref.pointwise_conv2d_forward(x, w, b * 0)
