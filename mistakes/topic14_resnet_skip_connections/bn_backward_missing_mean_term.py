"""Train-mode BN backward forgets the path through the mean: dx lacks the -dbeta term."""
from mistakes.topic14_resnet_skip_connections import bn_backward, bn_forward
from solutions.topic14_resnet_skip_connections.residual import *

MODULE = "residual"
EXPLANATION = """\
In train mode your batchnorm2d_backward leaves out the path through the mean: every value moved
its channel's mean, which moved every x_hat of the channel. dx has three terms: dx = gamma /
sqrt(var + eps) / m * (m * dout - dbeta - x_hat * dgamma); the -dbeta term is the mean's."""


def batchnorm2d_forward(x, gamma, beta, state, train=True, momentum=0.1, eps=1e-5):
    return bn_forward(x, gamma, beta, state, train, momentum, eps, mistake="backward_missing_mean_term")


def batchnorm2d_backward(dout, cache):
    return bn_backward(dout, cache)
