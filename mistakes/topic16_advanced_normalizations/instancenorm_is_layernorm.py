"""instancenorm_forward normalizes over (C, H, W) like layernorm2d instead of over each channel's (H, W)."""
from solutions.topic16_advanced_normalizations import norms as ref
from solutions.topic16_advanced_normalizations.norms import *

MODULE = "norms"
EXPLANATION = """\
Your instancenorm_forward takes its statistics over (C, H, W) of a sample, as LayerNorm does.
InstanceNorm pools one channel of one sample (H, W only): GroupNorm with num_groups = C =
x.shape[1]."""


def instancenorm_forward(x, gamma, beta, eps=1e-5):
    return ref.groupnorm_forward(x, gamma, beta, 1, eps)
