"""Eval-mode batch norm with float32 x and float64 running statistics returns float64."""
from solutions.topic14_resnet_skip_connections import residual as ref
from solutions.topic14_resnet_skip_connections.residual import *

MODULE = "residual"
EXPLANATION = """\
In eval mode your batch norm computes with the running statistics' dtype: float32 x with float64
running_mean and running_var (as init_residual_block makes them) gives a float64 out. float32 in
gives float32 out: cast the statistics to x.dtype first, or the result with .astype(x.dtype,
copy=False)."""


def batchnorm2d_forward(x, gamma, beta, state, train=True, momentum=0.1, eps=1e-5):
    if train:
        return ref.batchnorm2d_forward(x, gamma, beta, state, train, momentum, eps)
    mean = state["running_mean"].reshape(1, -1, 1, 1)
    std = ref.np.sqrt(state["running_var"] + eps).reshape(1, -1, 1, 1)
    x_hat = (x - mean) / std
    out = gamma.reshape(1, -1, 1, 1) * x_hat + beta.reshape(1, -1, 1, 1)
    _, cache = ref.batchnorm2d_forward(x, gamma, beta, state, train, momentum, eps)
    return out, cache
