"""Eval-mode backward uses the train-mode formula (as if the running statistics depended on x)."""
from solutions.topic14_resnet_skip_connections import residual as ref
from solutions.topic14_resnet_skip_connections.residual import *

MODULE = "residual"


def batchnorm2d_backward(dout, cache):
    x_hat, gamma, inv_std, _train = cache
    return ref.batchnorm2d_backward(dout, (x_hat, gamma, inv_std, True))
