"""The backward returns the gradient of the padded input: dx still carries the padding's rows and columns."""
from solutions.topic11_conv2d_sliding_window import conv2d as ref
from solutions.topic11_conv2d_sliding_window.conv2d import *

MODULE = "conv2d"
EXPLANATION = """\
Your dx is shaped like xpad, the padded input: you returned dxpad as it is. The padding is not
an input of the layer, so its gradient is thrown away: cut it off at the end with
dx = dxpad[:, :, ph:ph + H, pw:pw + W], which has x's shape (N, C, H, W)."""


def conv2d_backward_naive(dout, cache):
    xpad, w, stride, padding, x_shape = cache
    _, dw, db = ref.conv2d_backward_naive(dout, cache)
    dxpad, _, _ = ref.conv2d_backward_naive(dout, (xpad, w, stride, (0, 0), xpad.shape))
    return dxpad, dw, db
