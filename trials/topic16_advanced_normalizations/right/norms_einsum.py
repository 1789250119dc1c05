"""groupnorm in einsum style: each (sample, group) set is one row of an (N, G, M) array, statistics and parameter gradients are einsum contractions."""

MODULE = "norms"

import numpy as np


def groupnorm_forward(x, gamma, beta, num_groups, eps=1e-5):
    """GroupNorm over contiguous channel groups, statistics by einsum."""
    N, C, H, W = x.shape
    if C % num_groups:
        raise ValueError(f"num_groups={num_groups} does not divide C={C}")
    G = num_groups
    M = (C // G) * H * W
    rows = x.reshape(N, G, M)
    one = x.dtype.type(1)
    mean = np.einsum("ngm->ng", rows) / x.dtype.type(M)
    centred = rows - mean[:, :, None]
    var = np.einsum("ngm,ngm->ng", centred, centred) / x.dtype.type(M)
    inv_std = one / np.sqrt(var + x.dtype.type(eps))
    x_hat = np.einsum("ngm,ng->ngm", centred, inv_std).reshape(N, C, H, W)
    out = np.einsum("nchw,c->nchw", x_hat, gamma.astype(x.dtype, copy=False)) \
        + beta.astype(x.dtype, copy=False)[None, :, None, None]
    return out, (x_hat, inv_std, gamma, G)


def groupnorm_backward(dout, cache):
    """Backward of the einsum GroupNorm: three-term dx, per-channel dgamma and dbeta."""
    x_hat, inv_std, gamma, G = cache
    N, C, H, W = dout.shape
    M = (C // G) * H * W
    dgamma = np.einsum("nchw,nchw->c", dout, x_hat)
    dbeta = np.einsum("nchw->c", dout)
    g = np.einsum("nchw,c->nchw", dout, gamma.astype(dout.dtype, copy=False)).reshape(N, G, M)
    xh = x_hat.reshape(N, G, M)
    size = dout.dtype.type(M)
    g_mean = np.einsum("ngm->ng", g) / size
    gx_mean = np.einsum("ngm,ngm->ng", g, xh) / size
    dx = inv_std[:, :, None] * (g - g_mean[:, :, None] - xh * gx_mean[:, :, None])
    return dx.reshape(N, C, H, W), dgamma, dbeta


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
