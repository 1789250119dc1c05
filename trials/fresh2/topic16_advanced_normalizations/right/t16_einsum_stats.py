"""GroupNorm statistics and gradients all as einsum reductions, rstd = (var+eps)**-0.5: correct."""

MODULE = "norms"

import numpy as np


def groupnorm_forward(x, gamma, beta, num_groups, eps=1e-5):
    N, C, H, W = x.shape
    G = int(num_groups)
    if C % G != 0:
        raise ValueError(f"num_groups={G} does not divide C={C}")
    xg = x.reshape(N, G, C // G, H, W)
    M = xg[0, 0].size
    mean = np.einsum("ngchw->ng", xg) / M
    centred = xg - mean[:, :, None, None, None]
    var = np.einsum("ngchw,ngchw->ng", centred, centred) / M
    rstd = (var + x.dtype.type(eps)) ** -0.5
    x_hat = (centred * rstd[:, :, None, None, None]).reshape(x.shape)
    out = np.einsum("nchw,c->nchw", x_hat, gamma) + beta[None, :, None, None]
    return out.astype(x.dtype, copy=False), (x_hat, rstd, gamma, G)


def groupnorm_backward(dout, cache):
    x_hat, rstd, gamma, G = cache
    N, C, H, W = dout.shape
    dbeta = np.einsum("nchw->c", dout)
    dgamma = np.einsum("nchw,nchw->c", dout, x_hat)
    g = np.einsum("nchw,c->nchw", dout, gamma).reshape(N, G, C // G, H, W)
    xh = x_hat.reshape(N, G, C // G, H, W)
    M = g[0, 0].size
    mg = np.einsum("ngchw->ng", g)[:, :, None, None, None] / M
    mgx = np.einsum("ngchw,ngchw->ng", g, xh)[:, :, None, None, None] / M
    dx = (g - mg - xh * mgx) * rstd[:, :, None, None, None]
    return dx.reshape(N, C, H, W), dgamma, dbeta


def layernorm2d_forward(x, gamma, beta, eps=1e-5):
    return groupnorm_forward(x, gamma, beta, 1, eps=eps)


layernorm2d_backward = groupnorm_backward


def instancenorm_forward(x, gamma, beta, eps=1e-5):
    return groupnorm_forward(x, gamma, beta, x.shape[1], eps=eps)


instancenorm_backward = groupnorm_backward
