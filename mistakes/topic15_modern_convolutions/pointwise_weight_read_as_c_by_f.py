"""The 1x1 convolution reads its weights with w.reshape(C, F) (and transposes), not w.reshape(F, C)."""
from solutions.topic15_modern_convolutions import modern_conv as ref
from solutions.topic15_modern_convolutions.modern_conv import *

MODULE = "modern_conv"
EXPLANATION = """\
Your pointwise convolution reads w (F, C, 1, 1) as a (C, F) matrix: w.reshape(C, F) keeps the
numbers in memory order, so each of its rows mixes several filters. The weights of filter f are
w[f, :, 0, 0]: the matrix is w.reshape(F, C), and out = w.reshape(F, C) @ x.reshape(N, C, H*W)."""


def _misread(w):
    F, C = w.shape[:2]
    return w.reshape(C, F).T.reshape(F, C, 1, 1)


def pointwise_conv2d_forward(x, w, b):
    if w.shape[1:] != (x.shape[1], 1, 1):
        return ref.pointwise_conv2d_forward(x, w, b)  # the shape check still refuses it
    return ref.pointwise_conv2d_forward(x, _misread(w), b)


def pointwise_conv2d_backward(dout, cache):
    dx, dw_misread, db = ref.pointwise_conv2d_backward(dout, cache)
    F, C = dw_misread.shape[:2]
    return dx, dw_misread.reshape(F, C).T.reshape(F, C, 1, 1), db
