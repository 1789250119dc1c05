"""The fused BN + ReLU normalizes with the batch's statistics in eval mode too."""

from fastpath import layers as ref
from fastpath.layers import *

MODULE = "layers"
EXPLANATION = """\
In eval mode BN normalizes with the running statistics and leaves them alone, exactly as the
separate batchnorm2d_forward does. The fused call computed the batch's mean and variance (and
updated the running ones) in eval mode too: evaluation then depends on the batch."""


def batchnorm2d_relu_forward(x, gamma, beta, state, train=True, momentum=0.1, eps=1e-5):
    return ref.batchnorm2d_relu_forward(x, gamma, beta, state, True, momentum, eps)
