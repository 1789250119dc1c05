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

    Inputs:
    - x: (N, C, H, W) input.
    - gamma, beta: (C,) scale and shift, one per channel.
    - num_groups: G; channel c belongs to group c // (C // G) (contiguous blocks of C // G).
    - eps: added to the variance inside the square root; 1e-5 when left out (PyTorch's default).

    Returns (out, cache):
    - out: (N, C, H, W); mean and biased variance over each sample's group (C//G x H x W values),
      the variance centred, mean((x - mean)**2) as np.var computes it (mean(x**2) - mean(x)**2
      cancels to noise, even NaN, when the mean is large against the spread).
    - cache: whatever groupnorm_backward needs (your choice; the specs never look inside).

    Raises ValueError, with a message naming C and num_groups, when num_groups does not divide C
    (your own check: NumPy's reshape error does not count).
    Keep x's dtype (float32 in, float32 out) and never modify x, gamma or beta. No Python loop over
    samples, channels or groups: one reshape to (N, G, C // G, H, W), reductions over (2, 3, 4).
    """
    raise NotImplementedError("groupnorm_forward: see katas/topic16_advanced_normalizations/README.md")


def groupnorm_backward(dout, cache):
    """Backward pass of groupnorm_forward.

    Inputs:
    - dout: (N, C, H, W) upstream gradient.
    - cache: what your groupnorm_forward returned.

    Returns (dx, dgamma, dbeta) shaped (N, C, H, W), (C,), (C,).
    """
    raise NotImplementedError("groupnorm_backward: see katas/topic16_advanced_normalizations/README.md")


def layernorm2d_forward(x, gamma, beta, eps=1e-5):
    """Layer normalization of images as in Wu & He (2018): GroupNorm with one group.

    Statistics per sample over (C, H, W); affine per channel: gamma, beta are (C,).
    (Not torch.nn.LayerNorm((C, H, W)), whose gamma and beta are (C, H, W): see the brief.)

    Returns (out, cache) with out (N, C, H, W).
    """
    raise NotImplementedError("layernorm2d_forward: see katas/topic16_advanced_normalizations/README.md")


def layernorm2d_backward(dout, cache):
    """Backward pass of layernorm2d_forward: (dx, dgamma, dbeta) shaped (N, C, H, W), (C,), (C,)."""
    raise NotImplementedError("layernorm2d_backward: see katas/topic16_advanced_normalizations/README.md")


def instancenorm_forward(x, gamma, beta, eps=1e-5):
    """Instance normalization: GroupNorm with one group per channel (statistics over H, W).

    Inputs: x (N, C, H, W); gamma, beta (C,). Returns (out, cache) with out (N, C, H, W).
    """
    raise NotImplementedError("instancenorm_forward: see katas/topic16_advanced_normalizations/README.md")


def instancenorm_backward(dout, cache):
    """Backward pass of instancenorm_forward: (dx, dgamma, dbeta) shaped (N, C, H, W), (C,), (C,)."""
    raise NotImplementedError("instancenorm_backward: see katas/topic16_advanced_normalizations/README.md")
