"""Depthwise backward assigns each tap's contribution to dx instead of adding it."""
import numpy as np

from solutions.topic15_modern_convolutions import modern_conv as ref
from solutions.topic15_modern_convolutions.modern_conv import *

MODULE = "modern_conv"
EXPLANATION = """\
Your depthwise dx keeps one tap's contribution where taps overlap: you assigned (=) each tap's
gradient into dxpad. A pixel read by several taps (stride smaller than the kernel's span) gets
gradient from each: use dxpad[...slice...] += dout * w[:, 0, p, q] shaped (C, 1, 1)."""


def depthwise_conv2d_backward(dout, cache):
    _, dw, db = ref.depthwise_conv2d_backward(dout, cache)
    xpad, w, (_, _, H, W), settings = cache
    dxpad = np.zeros_like(xpad)
    for p, q, tap in ref._taps(xpad, w.shape[2:], dout.shape[2:], settings):
        dxpad[tap] = dout * w[:, 0, p, q, None, None]
    ph, pw = settings["padding"]
    return dxpad[:, :, ph:ph + H, pw:pw + W].copy(), dw, db
