"""Train-mode backward forgets that the mean and variance depend on x: dx = gamma * inv_std * dout."""
from solutions.topic14_resnet_skip_connections import residual as ref
from solutions.topic14_resnet_skip_connections.residual import *

MODULE = "residual"
EXPLANATION = """\
In train mode your batchnorm2d_backward returns dx = dout * gamma / sqrt(var + eps), as if the
mean and variance were constants. In train mode they were computed from x, so each value also
moves its channel's mean and variance. Use dx = gamma / sqrt(var + eps) / m * (m * dout - dbeta
- x_hat * dgamma), per channel (Tier 2 of the hints derives it)."""


def batchnorm2d_backward(dout, cache):
    x_hat, gamma, inv_std, _train = cache
    return ref.batchnorm2d_backward(dout, (x_hat, gamma, inv_std, False))
