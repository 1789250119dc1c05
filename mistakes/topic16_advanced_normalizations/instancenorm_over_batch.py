"""instancenorm_forward pools each channel over the whole batch (BatchNorm) instead of per sample."""
from mistakes.topic16_advanced_normalizations import norm_backward, norm_forward
from solutions.topic16_advanced_normalizations.norms import *

MODULE = "norms"
EXPLANATION = """\
Your instancenorm_forward takes each channel's statistics over the whole batch, as BatchNorm
does. InstanceNorm pools one channel of ONE sample, its H x W values: GroupNorm with num_groups =
C, reduced over axes (2, 3, 4) of x.reshape(N, C, 1, H, W), so no sample depends on the others."""


def instancenorm_forward(x, gamma, beta, eps=1e-5):
    return norm_forward(x, gamma, beta, x.shape[1], eps, mistake="batch_axis")


instancenorm_backward = norm_backward
