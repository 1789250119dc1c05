"""ReLU's backward passes the gradient where x >= 0 (PyTorch: only where x > 0)."""
from solutions.topic14_resnet_skip_connections import residual as ref
from solutions.topic14_resnet_skip_connections.residual import *

MODULE = "residual"
EXPLANATION = """\
Your ReLU lets the gradient through where the input was >= 0. At exactly 0 the gradient is 0, as
in PyTorch: keep the mask x > 0 (strictly greater) and return dout only there."""


def relu_forward(x):
    return ref.np.maximum(x, 0), x >= 0
