"""Adds eps as np.float64(eps), which under NumPy 2 turns float32 inputs into a float64 result."""
import numpy as np

from solutions.topic16_advanced_normalizations import norms as ref
from solutions.topic16_advanced_normalizations.norms import *

MODULE = "norms"
EXPLANATION = """\
You add eps as np.float64(eps), which under NumPy 2 turns a float32 input into a float64 result.
Add the plain Python float (var + eps), which keeps float32, or cast the result back with
.astype(x.dtype)."""


def groupnorm_forward(x, gamma, beta, num_groups, eps=1e-5):
    return ref.groupnorm_forward(x, gamma, beta, num_groups, np.float64(eps))


def layernorm2d_forward(x, gamma, beta, eps=1e-5):
    return groupnorm_forward(x, gamma, beta, 1, eps)


def instancenorm_forward(x, gamma, beta, eps=1e-5):
    return groupnorm_forward(x, gamma, beta, x.shape[1], eps)
