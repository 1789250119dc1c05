"""The separable block's backward passes the gradient through the ReLU where it was off."""
from solutions.topic15_modern_convolutions import modern_conv as ref
from solutions.topic15_modern_convolutions.modern_conv import *

MODULE = "modern_conv"
EXPLANATION = """\
Your block's backward lets the gradient through the ReLU everywhere. The ReLU passes gradient
only where its input was positive: multiply the pointwise backward's dhidden by the mask
hidden > 0 (kept from the forward) before the depthwise backward."""


def separable_block_backward(dout, cache):
    depthwise_cache, _, pointwise_cache = cache
    dhidden, dpw_w, dpw_b = ref.pointwise_conv2d_backward(dout, pointwise_cache)
    dx, ddw_w, ddw_b = ref.depthwise_conv2d_backward(dhidden, depthwise_cache)
    return dx, dict(zip(ref.SEPARABLE_PARAMS, (ddw_w, ddw_b, dpw_w, dpw_b)))
