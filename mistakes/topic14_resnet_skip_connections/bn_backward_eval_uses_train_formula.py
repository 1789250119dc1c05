"""Eval-mode backward uses the train-mode formula (as if the running statistics depended on x)."""
from solutions.topic14_resnet_skip_connections import residual as ref
from solutions.topic14_resnet_skip_connections.residual import *

MODULE = "residual"
EXPLANATION = """\
In eval mode your batchnorm2d_backward uses the train-mode formula, with the -dbeta and -x_hat *
dgamma terms. In eval mode the mean and variance are the running statistics: constants that do
not depend on x. So only the direct term remains: dx = dout * gamma / sqrt(running_var + eps).
Keep the mode in your cache and branch on it."""


def batchnorm2d_backward(dout, cache):
    x_hat, gamma, inv_std, _train = cache
    return ref.batchnorm2d_backward(dout, (x_hat, gamma, inv_std, True))
