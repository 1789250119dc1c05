"""dw is divided by the batch size N (a mean over the batch instead of a sum)."""
from solutions.topic11_conv2d_sliding_window import conv2d as ref
from solutions.topic11_conv2d_sliding_window.conv2d import *

MODULE = "conv2d"
EXPLANATION = """\
Your dw is N times too small: you averaged it over the batch. The same weights produced every
sample's outputs, so their gradient is the SUM of every sample's contribution (any averaging
belongs to the loss, which already did it when it computed dout). Drop the division by N."""


def conv2d_backward_naive(dout, cache):
    dx, dw, db = ref.conv2d_backward_naive(dout, cache)
    return dx, dw / dout.shape[0], db
