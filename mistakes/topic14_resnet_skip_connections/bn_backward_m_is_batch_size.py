"""Train-mode BN backward divides the dbeta and x_hat * dgamma terms by N instead of m = N * H * W."""
from mistakes.topic14_resnet_skip_connections import bn_backward, bn_forward
from solutions.topic14_resnet_skip_connections.residual import *

MODULE = "residual"
EXPLANATION = """\
Your train-mode batchnorm2d_backward divides by N, the batch size. Each channel's mean and
variance were taken over m = N * H * W values, so dx = gamma / sqrt(var + eps) / m * (m * dout -
dbeta - x_hat * dgamma) with m = dout.shape[0] * dout.shape[2] * dout.shape[3]."""


def batchnorm2d_forward(x, gamma, beta, state, train=True, momentum=0.1, eps=1e-5):
    return bn_forward(x, gamma, beta, state, train, momentum, eps, mistake="backward_m_is_batch_size")


def batchnorm2d_backward(dout, cache):
    return bn_backward(dout, cache)
