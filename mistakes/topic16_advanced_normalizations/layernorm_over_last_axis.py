"""layernorm2d_forward normalizes each row over W alone, as torch.nn.LayerNorm(W) does on NCHW."""
from mistakes.topic16_advanced_normalizations import norm_backward, norm_forward
from solutions.topic16_advanced_normalizations.norms import *

MODULE = "norms"
EXPLANATION = """\
Your layernorm2d_forward takes its statistics over the last axis (W) only, as
torch.nn.LayerNorm(normalized_shape=W) would on an NCHW tensor. LayerNorm of an image pools the
whole sample, (C, H, W): GroupNorm with num_groups=1, i.e. x.reshape(N, 1, C, H, W) reduced over
axes (2, 3, 4)."""


def layernorm2d_forward(x, gamma, beta, eps=1e-5):
    return norm_forward(x, gamma, beta, 1, eps, mistake="last_axis")


layernorm2d_backward = norm_backward
