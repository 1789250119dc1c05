"""relu_backward multiplies dout by the mask as float64 (mask.astype(float)), so float32 becomes float64."""
from solutions.topic14_resnet_skip_connections.residual import *

MODULE = "residual"
EXPLANATION = """\
Your relu_backward multiplies dout by the mask turned into float64 (mask.astype(float)), so a
float32 dout gives a float64 dx. Keep the input's dtype: np.where(mask, dout, 0) selects without
changing it (or dout * mask, with the bool mask as it is)."""


def relu_backward(dout, cache):
    return dout * cache.astype(float)
