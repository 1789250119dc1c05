"""depthwise_conv2d_forward never checks that the dilated kernel fits: an empty output comes back."""

import numpy as np

from solutions.topic15_modern_convolutions import modern_conv as ref
from solutions.topic15_modern_convolutions.modern_conv import *

MODULE = "modern_conv"

EXPLANATION = """\
Your depthwise convolution computes Hout and Wout without checking them: a 2x2 kernel with
dilation 5 spans 6 pixels, so on a 5x5 input Hout = (5 + 0 - 6) // 1 + 1 = 0 and you return an
empty (N, C, 0, 0) array without a word (a larger span gives a negative size and NumPy's own
"negative dimensions" error). Compare the span d*(K-1)+1 with the padded input first and raise
ValueError naming both, as conv2d_forward does."""


def depthwise_conv2d_forward(x, w, b, stride=1, padding=0, dilation=1):
    N, C, H, W = x.shape
    if w.shape[:2] != (C, 1):
        raise ValueError(f"w should be (C, 1, KH, KW) = ({C}, 1, KH, KW), got {w.shape}")
    settings = ref._settings(stride, padding, dilation)
    (sh, sw), (ph, pw), (dh, dw) = settings["stride"], settings["padding"], settings["dilation"]
    KH, KW = w.shape[2:]
    out_hw = ((H + 2 * ph - dh * (KH - 1) - 1) // sh + 1,   # unchecked
              (W + 2 * pw - dw * (KW - 1) - 1) // sw + 1)
    xpad = ref._pad(x, settings)
    out = np.empty((N, C, *out_hw), dtype=np.result_type(x, w, b))
    out[...] = b[:, None, None]
    for p, q, tap in ref._taps(xpad, (KH, KW), out_hw, settings):
        out += xpad[tap] * w[:, 0, p, q, None, None]
    return out, (xpad, w, x.shape, settings)
