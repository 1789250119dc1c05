"""Updates the running statistics in place (*=, +=), changing the caller's arrays."""
from solutions.topic14_resnet_skip_connections import residual as ref
from solutions.topic14_resnet_skip_connections.residual import *

MODULE = "residual"
EXPLANATION = """\
Your batchnorm2d_forward updates the running statistics in place (*=, += or [...] =), so the
caller's old arrays change. Assign new arrays instead: state["running_mean"] = (1 - momentum) *
state["running_mean"] + momentum * mean builds a new array and leaves the old one (held, e.g.,
by a checkpoint) as it was."""


def batchnorm2d_forward(x, gamma, beta, state, train=True, momentum=0.1, eps=1e-5):
    old = {key: state[key] for key in ("running_mean", "running_var")}
    out, cache = ref.batchnorm2d_forward(x, gamma, beta, state, train, momentum, eps)
    for key, array in old.items():
        array[...] = state[key]
        state[key] = array
    return out, cache
