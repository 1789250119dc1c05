"""Uses momentum 0.1 and eps 1e-5 whatever the caller passes."""
from solutions.topic14_resnet_skip_connections import residual as ref
from solutions.topic14_resnet_skip_connections.residual import *

MODULE = "residual"


def batchnorm2d_forward(x, gamma, beta, state, train=True, momentum=0.1, eps=1e-5):
    return ref.batchnorm2d_forward(x, gamma, beta, state, train)
