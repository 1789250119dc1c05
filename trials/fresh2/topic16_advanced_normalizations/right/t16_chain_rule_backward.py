"""GroupNorm on (N, G, M) rows with two-pass sums and a step-by-step chain-rule backward: correct."""

MODULE = "norms"

import numpy as np


def _sets(a, G):
    N, C, H, W = a.shape
    return a.reshape(N, G, (C // G) * H * W)           # one row per (sample, group) set


def groupnorm_forward(x, gamma, beta, num_groups, eps=1e-5):
    N, C, H, W = x.shape
    if num_groups <= 0 or C % num_groups:
        raise ValueError(f"num_groups={num_groups} does not divide C={C}")
    s = _sets(x, num_groups)
    M = s.shape[2]
    mean = s.sum(axis=2, keepdims=True) / M
    xc = s - mean
    var = (xc * xc).sum(axis=2, keepdims=True) / M
    std = np.sqrt(var + np.asarray(eps, dtype=x.dtype))
    x_hat = (xc / std).reshape(x.shape)
    out = x_hat * gamma[:, None, None] + beta[:, None, None]
    return out.astype(x.dtype, copy=False), {"xc": xc, "std": std, "gamma": gamma, "G": num_groups}


def groupnorm_backward(dout, cache):
    xc, std, gamma, G = cache["xc"], cache["std"], cache["gamma"], cache["G"]
    M = xc.shape[2]
    x_hat = (xc / std).reshape(dout.shape)
    dbeta = dout.sum(axis=(0, 2, 3))
    dgamma = (dout * x_hat).sum(axis=(0, 2, 3))
    dxhat = _sets(dout * gamma[:, None, None], G)
    # through x_hat = xc / std, std = sqrt(var + eps), var = mean(xc^2), xc = x - mean(x)
    dvar = (dxhat * xc).sum(axis=2, keepdims=True) * (-0.5) / std ** 3
    dxc = dxhat / std + dvar * 2.0 * xc / M
    dx = dxc - dxc.mean(axis=2, keepdims=True)
    return dx.reshape(dout.shape).astype(dout.dtype, copy=False), dgamma, dbeta


def layernorm2d_forward(x, gamma, beta, eps=1e-5):
    return groupnorm_forward(x, gamma, beta, 1, eps)


def layernorm2d_backward(dout, cache):
    return groupnorm_backward(dout, cache)


def instancenorm_forward(x, gamma, beta, eps=1e-5):
    return groupnorm_forward(x, gamma, beta, x.shape[1], eps)


def instancenorm_backward(dout, cache):
    return groupnorm_backward(dout, cache)
