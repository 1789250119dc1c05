"""The three norms assembled from HINTS.md's tier-3 code: one reshape, no loop, no reference.

A valid implementation a learner gets by following the hints: the loop rule must accept it, and
its own num_groups check must satisfy the refusal spec.
"""

import numpy as np

MODULE = "norms"


def groupnorm_forward(x, gamma, beta, num_groups, eps=1e-5):
    N, C, H, W = x.shape
    if C % num_groups:
        raise ValueError(f"num_groups={num_groups} does not divide C={C}")
    xg = x.reshape(N, num_groups, C // num_groups, H, W)
    mean = xg.mean(axis=(2, 3, 4), keepdims=True)
    inv_std = 1.0 / np.sqrt(xg.var(axis=(2, 3, 4), keepdims=True) + eps)
    x_hat = ((xg - mean) * inv_std).reshape(N, C, H, W)
    out = x_hat * gamma.reshape(1, C, 1, 1) + beta.reshape(1, C, 1, 1)
    return out, (x_hat, inv_std, gamma, num_groups)


def groupnorm_backward(dout, cache):
    x_hat, inv_std, gamma, G = cache
    N, C, H, W = dout.shape
    dgamma = (dout * x_hat).sum(axis=(0, 2, 3))
    dbeta = dout.sum(axis=(0, 2, 3))
    g = (dout * gamma.reshape(1, C, 1, 1)).reshape(N, G, C // G, H, W)
    xh = x_hat.reshape(N, G, C // G, H, W)
    dx = inv_std * (g - g.mean(axis=(2, 3, 4), keepdims=True)
                    - xh * (g * xh).mean(axis=(2, 3, 4), keepdims=True))
    return dx.reshape(N, C, H, W), dgamma, dbeta


def layernorm2d_forward(x, gamma, beta, eps=1e-5):
    return groupnorm_forward(x, gamma, beta, num_groups=1, eps=eps)


def layernorm2d_backward(dout, cache):
    return groupnorm_backward(dout, cache)


def instancenorm_forward(x, gamma, beta, eps=1e-5):
    return groupnorm_forward(x, gamma, beta, num_groups=x.shape[1], eps=eps)


def instancenorm_backward(dout, cache):
    return groupnorm_backward(dout, cache)
