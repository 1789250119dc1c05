"""dgamma and dbeta average over the batch (sum over H, W then mean over N) instead of summing over (N, H, W); fix: .sum(axis=(0, 2, 3))."""

MODULE = "norms"

"""Topic 16: LayerNorm, GroupNorm and InstanceNorm for images. Brief: README.md beside this file.

All three are GroupNorm (Wu & He, 2018): split each sample's C channels into G contiguous groups,
normalize each (sample, group) block over its channels, H and W with the biased variance,

    x_hat = (x - mean) / sqrt(var + eps)

then scale and shift every channel: out[:, c] = gamma[c] * x_hat[:, c] + beta[c].
LayerNorm is G = 1, InstanceNorm is G = C. No statistic ever crosses the batch axis.

Run the specs with `tox -e topic16`; stuck? `HINTS.md` has three tiers per function.
"""

import numpy as np  # noqa: F401  (you will need it)


def groupnorm_forward(x, gamma, beta, num_groups, eps=1e-5):
    """Group normalization: per-sample statistics over groups of channels, per-channel affine.

    x (N, C, H, W); gamma, beta (C,); channel c is in group c // (C // num_groups).
    Returns (out, cache). Raises ValueError when num_groups does not divide C.
    """
    N, C, H, W = x.shape
    if C % num_groups != 0:
        raise ValueError(f"num_groups={num_groups} does not divide C={C}")
    G = num_groups
    xg = x.reshape(N, G, C // G, H, W)
    mean = xg.mean(axis=(2, 3, 4), keepdims=True)
    var = xg.var(axis=(2, 3, 4), keepdims=True)
    inv_std = 1.0 / np.sqrt(var + x.dtype.type(eps))
    x_hat = ((xg - mean) * inv_std).reshape(N, C, H, W)
    out = gamma.reshape(1, C, 1, 1) * x_hat + beta.reshape(1, C, 1, 1)
    cache = (x_hat, inv_std, gamma, G)
    return out.astype(x.dtype, copy=False), cache


def groupnorm_backward(dout, cache):
    """Backward pass of groupnorm_forward: (dx, dgamma, dbeta)."""
    x_hat, inv_std, gamma, G = cache
    N, C, H, W = dout.shape
    dbeta = dout.sum(axis=(2, 3)).mean(axis=0)
    dgamma = (dout * x_hat).sum(axis=(2, 3)).mean(axis=0)
    g = (dout * gamma.reshape(1, C, 1, 1)).reshape(N, G, C // G, H, W)
    xh = x_hat.reshape(N, G, C // G, H, W)
    g_mean = g.mean(axis=(2, 3, 4), keepdims=True)
    gx_mean = (g * xh).mean(axis=(2, 3, 4), keepdims=True)
    dx = inv_std * (g - g_mean - xh * gx_mean)
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
