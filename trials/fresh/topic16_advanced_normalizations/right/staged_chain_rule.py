"""Correct, unusual style: the backward written as the textbook staged chain rule (dvar, then dmean, then dx) instead of the compact formula, sets moved to the last axis with one reshape to (N, G, M).
"""

MODULE = "norms"

import numpy as np


def groupnorm_forward(x, gamma, beta, num_groups, eps=1e-5):
    N, C, H, W = x.shape
    G = num_groups
    if C != G * (C // G):
        raise ValueError(f"C={C} is not a multiple of num_groups={G}")
    rows = x.reshape(N, G, -1)                        # every set is one row of M values
    mu = rows.mean(axis=-1, keepdims=True)
    xmu = rows - mu
    var_eps = (xmu * xmu).mean(axis=-1, keepdims=True) + eps
    ivar = var_eps ** -0.5
    x_hat = xmu * ivar
    scale = gamma.reshape(1, C, 1, 1)
    out = x_hat.reshape(x.shape) * scale + beta.reshape(1, C, 1, 1)
    cache = (xmu, var_eps, ivar, x_hat, gamma, x.shape)
    return out.astype(x.dtype, copy=False), cache


def groupnorm_backward(dout, cache):
    xmu, var_eps, ivar, x_hat, gamma, shape = cache
    N, C, H, W = shape
    M = xmu.shape[-1]
    dbeta = dout.sum(axis=(0, 2, 3))
    dgamma = (dout * x_hat.reshape(shape)).sum(axis=(0, 2, 3))
    dxhat = (dout * gamma.reshape(1, C, 1, 1)).reshape(xmu.shape)
    dvar = (dxhat * xmu).sum(axis=-1, keepdims=True) * -0.5 * var_eps ** -1.5
    dmu = -(dxhat * ivar).sum(axis=-1, keepdims=True) - 2.0 * dvar * xmu.mean(axis=-1,
                                                                                keepdims=True)
    dx = dxhat * ivar + dvar * 2.0 * xmu / M + dmu / M
    return dx.reshape(shape), dgamma, dbeta


def layernorm2d_forward(x, gamma, beta, eps=1e-5):
    return groupnorm_forward(x, gamma, beta, num_groups=1, eps=eps)


def layernorm2d_backward(dout, cache):
    return groupnorm_backward(dout, cache)


def instancenorm_forward(x, gamma, beta, eps=1e-5):
    return groupnorm_forward(x, gamma, beta, num_groups=x.shape[1], eps=eps)


def instancenorm_backward(dout, cache):
    return groupnorm_backward(dout, cache)
