"""separable_block_forward casts its weights to x's dtype and assigns the copies back into params."""

from solutions.topic15_modern_convolutions import modern_conv as ref
from solutions.topic15_modern_convolutions.modern_conv import *

MODULE = "modern_conv"

EXPLANATION = """\
Your block writes params[name] = params[name].astype(x.dtype) for every weight. The values stay
the same, but the caller's dict now holds copies: the optimizer and any checkpoint keep the old
arrays, and the next update goes to arrays your block no longer reads. Keep a cast in a local
variable (w = params["depthwise_w"].astype(x.dtype, copy=False)) and never assign into params."""


def separable_block_forward(x, params, stride=1, padding=0, dilation=1):
    for name in params:
        params[name] = params[name].astype(x.dtype)  # astype copies, even to the same dtype
    return ref.separable_block_forward(x, params, stride, padding, dilation)
