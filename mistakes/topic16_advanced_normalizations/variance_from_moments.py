"""The variance is mean(x**2) - mean(x)**2: in float32 a mean of 1e4 cancels it to noise (or NaN)."""
import numpy as np

from mistakes.topic16_advanced_normalizations import check_groups, norm_backward
from solutions.topic16_advanced_normalizations.norms import *

MODULE = "norms"
EXPLANATION = """\
Your variance is mean(x**2) - mean(x)**2. It is the same number on paper, but in floating point
it subtracts two huge, nearly equal numbers: for float32 values around 1e4 with a spread of 1,
both are about 1e8, stored to within 8, so the difference comes out as anything from -24 to 24
instead of 1, and sqrt of a negative variance is NaN. Subtract the mean first and square what is
left, mean((x - mean)**2) (np.var does): the numbers stay of the size of the spread."""


def groupnorm_forward(x, gamma, beta, num_groups, eps=1e-5):
    check_groups(x.shape[1], num_groups)
    n, c, h, w = x.shape
    xs = x.reshape(n, num_groups, c // num_groups, h, w)
    mean = xs.mean(axis=(2, 3, 4), keepdims=True)
    var = (xs * xs).mean(axis=(2, 3, 4), keepdims=True) - mean * mean
    with np.errstate(invalid="ignore"):
        inv_std = 1.0 / np.sqrt(var + eps)
    x_hat = ((xs - mean) * inv_std).reshape(x.shape)
    out = x_hat * gamma.reshape(1, -1, 1, 1) + beta.reshape(1, -1, 1, 1)
    return out, (None, num_groups, x_hat, inv_std, gamma)


def layernorm2d_forward(x, gamma, beta, eps=1e-5):
    return groupnorm_forward(x, gamma, beta, 1, eps)


def instancenorm_forward(x, gamma, beta, eps=1e-5):
    return groupnorm_forward(x, gamma, beta, x.shape[1], eps)


groupnorm_backward = layernorm2d_backward = instancenorm_backward = norm_backward
