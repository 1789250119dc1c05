"""The 1x1 convolution forgets to add the bias (db is still returned)."""
from solutions.topic15_modern_convolutions import modern_conv as ref
from solutions.topic15_modern_convolutions.modern_conv import *

MODULE = "modern_conv"
EXPLANATION = """\
Your 1x1 convolution never adds the bias: each output channel f is off by b[f]. Add it once per
pixel: out = (w.reshape(F, C) @ x.reshape(N, C, H*W)).reshape(N, F, H, W) + b.reshape(F, 1, 1)."""


def pointwise_conv2d_forward(x, w, b):
    return ref.pointwise_conv2d_forward(x, w, b * 0)
