"""Train-mode BN backward forgets the path through the variance: dx lacks the -x_hat * dgamma term."""
from mistakes.topic14_resnet_skip_connections import bn_backward, bn_forward
from solutions.topic14_resnet_skip_connections.residual import *

MODULE = "residual"
EXPLANATION = """\
In train mode your batchnorm2d_backward leaves out the path through the variance: every value
moved its channel's variance, which rescaled every x_hat of the channel. dx has three terms: dx =
gamma / sqrt(var + eps) / m * (m * dout - dbeta - x_hat * dgamma); the -x_hat * dgamma term is the
variance's."""


def batchnorm2d_forward(x, gamma, beta, state, train=True, momentum=0.1, eps=1e-5):
    return bn_forward(x, gamma, beta, state, train, momentum, eps, mistake="backward_missing_variance_term")


def batchnorm2d_backward(dout, cache):
    return bn_backward(dout, cache)
