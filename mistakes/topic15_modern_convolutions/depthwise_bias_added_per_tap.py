"""The depthwise forward adds the bias inside the tap loop: KH*KW times instead of once."""
from solutions.topic15_modern_convolutions import modern_conv as ref
from solutions.topic15_modern_convolutions.modern_conv import *

MODULE = "modern_conv"
EXPLANATION = """\
Your depthwise output adds the bias once per kernel tap, KH*KW times: every channel is off by
(KH*KW - 1) * b[c]. The bias belongs to the output, not to a tap: add b.reshape(C, 1, 1) once,
after (or before) the loop over the taps."""


def depthwise_conv2d_forward(x, w, b, stride=1, padding=0, dilation=1):
    taps = w.shape[2] * w.shape[3]
    return ref.depthwise_conv2d_forward(x, w, b * taps, stride, padding, dilation)
