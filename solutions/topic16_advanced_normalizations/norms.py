"""Topic 16 reference: LayerNorm, GroupNorm and InstanceNorm for NCHW images.

All three are one operation, GroupNorm (Wu & He, 2018): split the C channels of each sample into
`num_groups` contiguous groups, normalize each (sample, group) block over its channels, height and
width, then scale and shift every channel with its own gamma[c] and beta[c].

    LayerNorm    = GroupNorm with 1 group   (statistics over C, H, W of one sample)
    InstanceNorm = GroupNorm with C groups  (statistics over H, W of one sample and channel)

None of them looks across the batch, so unlike BatchNorm they behave the same at batch size 1
as at 256, and the same in training and in evaluation (no running statistics).

The backward pass uses the compact formula. With M elements per group, x_hat the normalized
input, g = dout * gamma (the gradient reaching x_hat) and means taken over each group:

    dx = (g - mean(g) - x_hat * mean(g * x_hat)) / sqrt(var + eps)

the mean term comes from the mean's dependence on x, the x_hat term from the variance's.
"""

import numpy as np


def check_num_groups(num_channels, num_groups):
    """Raise a ValueError unless `num_groups` is a positive divisor of `num_channels`."""
    positive_int = isinstance(num_groups, (int, np.integer)) and num_groups >= 1
    if not (positive_int and num_channels % num_groups == 0):
        raise ValueError(f"num_groups must be a positive int that divides the channel count: "
                         f"got num_groups={num_groups!r} for C={num_channels}")


def per_channel(values):
    """A (C,) vector shaped (1, C, 1, 1), to broadcast over NCHW arrays."""
    return values.reshape(1, -1, 1, 1)


def grouped(x, num_groups):
    """View (N, C, H, W) as (N, G, C // G, H, W): group g holds channels g*C//G .. (g+1)*C//G - 1."""
    N, C, H, W = x.shape
    return x.reshape(N, num_groups, C // num_groups, H, W)


GROUP_AXES = (2, 3, 4)  # within one (sample, group) block of the grouped view


def groupnorm_forward(x, gamma, beta, num_groups, eps=1e-5):
    """Group normalization: per-sample statistics over groups of channels, per-channel affine.

    Inputs:
    - x: (N, C, H, W) input.
    - gamma, beta: (C,) scale and shift, one per channel.
    - num_groups: G, a divisor of C; channels are split into G contiguous groups of C // G.
    - eps: added to the variance before the square root; 1e-5 by default, as PyTorch's.

    Returns (out, cache): out (N, C, H, W); the mean and the biased variance are taken over each
    sample's group (C // G channels x H x W elements), the variance centred (np.var: the mean of
    (x - mean)**2; mean(x**2) - mean(x)**2 cancels to noise when the mean is large).
    Raises ValueError when num_groups does not divide C.
    """
    check_num_groups(x.shape[1], num_groups)
    xg = grouped(x, num_groups)
    mean = xg.mean(axis=GROUP_AXES, keepdims=True)
    var = xg.var(axis=GROUP_AXES, keepdims=True)  # biased (divides by M), as PyTorch normalizes
    inv_std = 1.0 / np.sqrt(var + eps)
    x_hat = ((xg - mean) * inv_std).reshape(x.shape)
    out = x_hat * per_channel(gamma) + per_channel(beta)
    return out, (x_hat, inv_std, gamma, num_groups)


def groupnorm_backward(dout, cache):
    """Backward pass of groupnorm_forward.

    Inputs:
    - dout: (N, C, H, W) upstream gradient.
    - cache: from groupnorm_forward.

    Returns (dx, dgamma, dbeta) shaped (N, C, H, W), (C,), (C,).
    """
    x_hat, inv_std, gamma, num_groups = cache
    dgamma = (dout * x_hat).sum(axis=(0, 2, 3))
    dbeta = dout.sum(axis=(0, 2, 3))
    g = grouped(dout * per_channel(gamma), num_groups)
    xg_hat = grouped(x_hat, num_groups)
    dxg = inv_std * (g - g.mean(axis=GROUP_AXES, keepdims=True)
                     - xg_hat * (g * xg_hat).mean(axis=GROUP_AXES, keepdims=True))
    return dxg.reshape(dout.shape), dgamma, dbeta


def layernorm2d_forward(x, gamma, beta, eps=1e-5):
    """Layer normalization of images as in Wu & He (2018): GroupNorm with a single group.

    Statistics per sample over (C, H, W); the affine is per channel: gamma, beta are (C,).
    (torch.nn.LayerNorm((C, H, W)) normalizes the same way but learns a (C, H, W) gamma and beta,
    one per element.)

    Returns (out, cache) with out (N, C, H, W).
    """
    return groupnorm_forward(x, gamma, beta, num_groups=1, eps=eps)


def layernorm2d_backward(dout, cache):
    """Backward pass of layernorm2d_forward: (dx, dgamma, dbeta) shaped (N, C, H, W), (C,), (C,)."""
    return groupnorm_backward(dout, cache)


def instancenorm_forward(x, gamma, beta, eps=1e-5):
    """Instance normalization: GroupNorm with one group per channel (statistics over H, W).

    Matches torch.nn.functional.instance_norm with use_input_stats=True and a (C,) affine.
    Returns (out, cache) with out (N, C, H, W).
    """
    return groupnorm_forward(x, gamma, beta, num_groups=x.shape[1], eps=eps)


def instancenorm_backward(dout, cache):
    """Backward pass of instancenorm_forward: (dx, dgamma, dbeta) shaped (N, C, H, W), (C,), (C,)."""
    return groupnorm_backward(dout, cache)
