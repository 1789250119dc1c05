"""Hout = (H + ph - KH) // sh + 1: the output size counts the padding once, not on both sides."""
from solutions.topic11_conv2d_sliding_window import conv2d as ref
from solutions.topic11_conv2d_sliding_window.conv2d import *

MODULE = "conv2d"
EXPLANATION = """\
Your output is too small whenever there is padding: you computed Hout = (H + ph - KH) // sh + 1,
counting the padding once. Padding adds ph rows above AND below (pw columns left and right), so
the padded image has H + 2*ph rows: Hout = (H + 2*ph - KH) // sh + 1, Wout likewise."""


def conv2d_forward_naive(x, w, b, stride=1, padding=0):
    out, cache = ref.conv2d_forward_naive(x, w, b, stride=stride, padding=padding)
    (sh, sw), (ph, pw) = ref.pair(stride), ref.pair(padding)
    Hout = max((x.shape[2] + ph - w.shape[2]) // sh + 1, 1)
    Wout = max((x.shape[3] + pw - w.shape[3]) // sw + 1, 1)
    return out[:, :, :Hout, :Wout].copy(), cache

