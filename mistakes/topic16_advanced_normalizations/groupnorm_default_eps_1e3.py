"""groupnorm_forward's default eps is 1e-3 (Keras's BatchNormalization default), not 1e-5."""
from mistakes.topic16_advanced_normalizations import norm_backward, norm_forward
from solutions.topic16_advanced_normalizations.norms import *

MODULE = "norms"
EXPLANATION = """\
Your groupnorm_forward defaults to eps=1e-3, so a caller who leaves eps out (the milestone, the
experiments) normalizes with another eps than PyTorch's group_norm: on a set whose variance is
1e-4 the output is off by tens of percent. The signature is groupnorm_forward(x, gamma, beta, num_groups,
eps=1e-5), like layernorm2d_forward and instancenorm_forward."""


def groupnorm_forward(x, gamma, beta, num_groups, eps=1e-3):
    return norm_forward(x, gamma, beta, num_groups, eps)


def layernorm2d_forward(x, gamma, beta, eps=1e-5):
    return groupnorm_forward(x, gamma, beta, 1, eps)


def instancenorm_forward(x, gamma, beta, eps=1e-5):
    return groupnorm_forward(x, gamma, beta, x.shape[1], eps)


groupnorm_backward = layernorm2d_backward = instancenorm_backward = norm_backward
