"""The depthwise backward's dw comes from the first sample of the batch only."""
from solutions.topic15_modern_convolutions import modern_conv as ref
from solutions.topic15_modern_convolutions.modern_conv import *

MODULE = "modern_conv"
EXPLANATION = """\
Your depthwise dw only sees the first sample: dw[c, 0, p, q] must sum dout * (what tap (p, q)
read) over the whole batch AND every output position: np.einsum("nchw,nchw->c", dout, view), or
(dout * view).sum(axis=(0, 2, 3)). Sum over n too, not only over h and w of dout[0]."""


def depthwise_conv2d_backward(dout, cache):
    dx, _, db = ref.depthwise_conv2d_backward(dout, cache)
    xpad, w, x_shape, settings = cache
    _, dw, _ = ref.depthwise_conv2d_backward(dout[:1], (xpad[:1], w, (1, *x_shape[1:]), settings))
    return dx, dw, db
