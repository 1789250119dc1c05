"""layernorm2d_forward normalizes each channel over (H, W) alone (that is InstanceNorm)."""
from solutions.topic16_advanced_normalizations import norms as ref
from solutions.topic16_advanced_normalizations.norms import *

MODULE = "norms"
EXPLANATION = """\
Your layernorm2d_forward takes statistics over each channel's (H, W) alone: that is
InstanceNorm. LayerNorm of an image pools the whole sample, (C, H, W): GroupNorm with
num_groups=1."""


def layernorm2d_forward(x, gamma, beta, eps=1e-5):
    return ref.groupnorm_forward(x, gamma, beta, x.shape[1], eps)
