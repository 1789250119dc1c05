"""Running statistics updated as momentum * running + (1 - momentum) * batch."""
from solutions.topic14_resnet_skip_connections import residual as ref
from solutions.topic14_resnet_skip_connections.residual import *

MODULE = "residual"
EXPLANATION = """\
Your running statistics are updated as momentum * running + (1 - momentum) * batch. In PyTorch's
convention momentum is the weight of the NEW batch: running = (1 - momentum) * running +
momentum * batch (the opposite of an optimizer's momentum)."""


def batchnorm2d_forward(x, gamma, beta, state, train=True, momentum=0.1, eps=1e-5):
    return ref.batchnorm2d_forward(x, gamma, beta, state, train, 1 - momentum, eps)
