"""groupnorm on a 2-D matrix: one row per (sample, group) set, explicit sums divided by M, and dx in its 1/M form (M*g - sum g - x_hat * sum(g*x_hat))."""

MODULE = "norms"

import numpy as np


def groupnorm_forward(x, gamma, beta, num_groups, eps=1e-5):
    """GroupNorm with the (N*G, M) matrix of sets."""
    N, C, H, W = x.shape
    if C % num_groups:
        raise ValueError(f"num_groups={num_groups} does not divide C={C}")
    rows = x.reshape(N * num_groups, -1)
    M = rows.shape[1]
    mean = rows.sum(axis=1, keepdims=True) / M
    diff = rows - mean
    var = (diff ** 2).sum(axis=1, keepdims=True) / M
    std = np.sqrt(var + np.asarray(eps, dtype=x.dtype))
    x_hat = (diff / std).reshape(x.shape)
    out = x_hat * gamma[:, None, None] + beta[:, None, None]
    return out.astype(x.dtype, copy=False), (x_hat, std, gamma, num_groups)


def groupnorm_backward(dout, cache):
    """dx = (M * g - sum(g) - x_hat * sum(g * x_hat)) / (M * std), per row."""
    x_hat, std, gamma, num_groups = cache
    N, C = dout.shape[:2]
    dbeta = dout.sum(axis=(0, 2, 3))
    dgamma = (x_hat * dout).sum(axis=(0, 2, 3))
    g = (dout * gamma[:, None, None]).reshape(N * num_groups, -1)
    xh = x_hat.reshape(N * num_groups, -1)
    M = g.shape[1]
    dx = (M * g - g.sum(axis=1, keepdims=True)
          - xh * (g * xh).sum(axis=1, keepdims=True)) / (M * std)
    return dx.reshape(dout.shape).astype(dout.dtype, copy=False), dgamma, dbeta


def layernorm2d_forward(x, gamma, beta, eps=1e-5):
    """LayerNorm of images: GroupNorm with a single group (per-channel affine)."""
    return groupnorm_forward(x, gamma, beta, num_groups=1, eps=eps)


def layernorm2d_backward(dout, cache):
    """Backward pass of layernorm2d_forward."""
    return groupnorm_backward(dout, cache)


def instancenorm_forward(x, gamma, beta, eps=1e-5):
    """InstanceNorm: GroupNorm with one group per channel."""
    return groupnorm_forward(x, gamma, beta, num_groups=x.shape[1], eps=eps)


def instancenorm_backward(dout, cache):
    """Backward pass of instancenorm_forward."""
    return groupnorm_backward(dout, cache)
