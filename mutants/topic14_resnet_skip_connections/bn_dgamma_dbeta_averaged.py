"""dgamma and dbeta are means over (N, H, W) instead of sums."""
from solutions.topic14_resnet_skip_connections import residual as ref
from solutions.topic14_resnet_skip_connections.residual import *

MODULE = "residual"


def batchnorm2d_backward(dout, cache):
    dx, dgamma, dbeta = ref.batchnorm2d_backward(dout, cache)
    m = dout.size // dout.shape[1]
    return dx, dgamma / m, dbeta / m
