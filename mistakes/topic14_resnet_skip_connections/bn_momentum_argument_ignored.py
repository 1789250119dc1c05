"""Uses momentum 0.1 and eps 1e-5 whatever the caller passes."""
from solutions.topic14_resnet_skip_connections import residual as ref
from solutions.topic14_resnet_skip_connections.residual import *

MODULE = "residual"
EXPLANATION = """\
Your batchnorm2d_forward ignores the momentum and eps it is given and always uses 0.1 and 1e-5.
Use the arguments: the block passes the defaults, but a caller (and a spec) may pass others.
Give the defaults in the signature and use the names in the body."""


def batchnorm2d_forward(x, gamma, beta, state, train=True, momentum=0.1, eps=1e-5):
    return ref.batchnorm2d_forward(x, gamma, beta, state, train)
