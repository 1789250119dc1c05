"""Right values, but the depthwise forward loops over output positions in Python."""
import numpy as np

from solutions.topic15_modern_convolutions import modern_conv as ref
from solutions.topic15_modern_convolutions.modern_conv import *

MODULE = "modern_conv"
EXPLANATION = """\
Your depthwise values are right, but your code loops over the output positions in Python. Loop
over the KH*KW taps instead: for tap (p, q) the strided slice
xpad[:, :, p*dh : p*dh + sh*(Hout-1) + 1 : sh, q*dw : ... : sw] holds what it reads for every
output at once."""


def depthwise_conv2d_forward(x, w, b, stride=1, padding=0, dilation=1):
    out, cache = ref.depthwise_conv2d_forward(x, w, b, stride, padding, dilation)
    xpad, _, _, settings = cache
    (sh, sw), (dh, dw) = settings["stride"], settings["dilation"]
    KH, KW = w.shape[2:]
    for i in range(out.shape[2]):
        for j in range(out.shape[3]):
            window = xpad[:, :, i * sh:i * sh + dh * (KH - 1) + 1:dh,
                          j * sw:j * sw + dw * (KW - 1) + 1:dw]
            out[:, :, i, j] = np.einsum("nckl,ckl->nc", window, w[:, 0]) + b
    return out, cache
