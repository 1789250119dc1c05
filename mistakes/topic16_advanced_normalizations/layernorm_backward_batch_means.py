"""layernorm2d_backward takes the means of its dx terms over the whole batch instead of per sample."""
from mistakes.topic16_advanced_normalizations import norm_backward, norm_forward
from solutions.topic16_advanced_normalizations.norms import *

MODULE = "norms"
EXPLANATION = """\
Your layernorm2d_backward takes mean(g) and mean(g * x_hat) over the whole batch. Each sample
was normalized with its own mean and variance, so those means run over that sample's set only
(axes (2, 3, 4) of the grouped shape, keepdims=True), never over the batch axis."""


def layernorm2d_forward(x, gamma, beta, eps=1e-5):
    return norm_forward(x, gamma, beta, 1, eps, mistake="backward_batch_means")


layernorm2d_backward = norm_backward
