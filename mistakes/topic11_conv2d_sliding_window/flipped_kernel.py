"""Flips the kernel (true convolution) where PyTorch's conv2d is cross-correlation."""
from solutions.topic11_conv2d_sliding_window import conv2d as ref
from solutions.topic11_conv2d_sliding_window.conv2d import *

MODULE = "conv2d"
EXPLANATION = """\
Your convolution flips the kernel (the textbook "true" convolution). Conv layers, PyTorch's
conv2d included, compute cross-correlation: out[n, f, i, j] = b[f] + sum of
xpad[n, c, i*sh + p, j*sw + q] * w[f, c, p, q], with w as it is. Drop the [::-1, ::-1]."""


def conv2d_forward_naive(x, w, b, stride=1, padding=0):
    return ref.conv2d_forward_naive(x, w[:, :, ::-1, ::-1], b, stride=stride, padding=padding)


def conv2d_backward_naive(dout, cache):
    dx, dw, db = ref.conv2d_backward_naive(dout, cache)
    return dx, dw[:, :, ::-1, ::-1], db
