"""relu_backward keeps dout where dout > 0 instead of where the forward's input was > 0."""
import numpy as np

from solutions.topic14_resnet_skip_connections.residual import *

MODULE = "residual"
EXPLANATION = """\
Your relu_backward keeps the gradient where dout itself is positive. The mask comes from the
FORWARD's input: the gradient passes where x was > 0 (keep that mask in the cache) and is 0
elsewhere, whatever the sign of dout."""


def relu_backward(dout, cache):
    return np.where(dout > 0, dout, 0).astype(dout.dtype, copy=False)
