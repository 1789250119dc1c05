"""ReLU's backward passes the gradient where x >= 0 (PyTorch: only where x > 0)."""
from solutions.topic14_resnet_skip_connections import residual as ref
from solutions.topic14_resnet_skip_connections.residual import *

MODULE = "residual"


def relu_forward(x):
    return ref.np.maximum(x, 0), x >= 0
