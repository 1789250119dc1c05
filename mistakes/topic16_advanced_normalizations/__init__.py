"""Topic 16's mutants share this: GroupNorm written out from the brief, with one switch per mistake.

`norm_forward(x, gamma, beta, num_groups, eps, mistake=NAME)` and `norm_backward(dout, cache)`
are self-contained (no reference cache or private helper): the brief's GroupNorm, where each set
of values that shares a mean and a variance is one block of a view of x, reduced over `axes`.
A mistake either changes the sets (the view and the axes), or one line of the forward or of the
backward; the backward is otherwise the exact gradient of the forward over those sets.
"""

import numpy as np

MISTAKES = (None, "last_axis", "affine_on_last_axis", "backward_batch_means", "batch_axis",
            "groups_swapped", "affine_grads_per_group", "backward_times_std",
            "backward_sums_not_means", "x_modified_in_place", "variance_not_centred")


def sets_of(x, num_groups, mistake):
    """(view of x, axes): every set of values sharing a mean is one block reduced over axes."""
    n, c, h, w = x.shape
    if mistake == "last_axis":  # torch.nn.LayerNorm(W) on NCHW: each row of each channel
        return x, (3,)
    if mistake == "batch_axis":  # each channel over the whole batch: BatchNorm
        return x, (0, 2, 3)
    if mistake == "groups_swapped":  # num_groups read as channels per group
        return x.reshape(n, c // num_groups, num_groups, h, w), (2, 3, 4)
    return x.reshape(n, num_groups, c // num_groups, h, w), (2, 3, 4)


def check_groups(channels, num_groups):
    if channels % num_groups:
        raise ValueError(f"num_groups={num_groups} does not divide C={channels}")


def norm_forward(x, gamma, beta, num_groups, eps, mistake=None):
    assert mistake in MISTAKES
    check_groups(x.shape[1], num_groups)
    xs, axes = sets_of(x, num_groups, mistake)
    mean = xs.mean(axis=axes, keepdims=True)
    if mistake == "variance_not_centred":
        var = (xs * xs).mean(axis=axes, keepdims=True)
    else:
        var = xs.var(axis=axes, keepdims=True)
    inv_std = 1.0 / np.sqrt(var + eps)
    x_hat = ((xs - mean) * inv_std).reshape(x.shape)
    if mistake == "x_modified_in_place":
        xs -= mean  # xs is a view of the caller's x
    if mistake == "affine_on_last_axis":  # gamma (C,) lines up with W, not with C
        out = x_hat * gamma + beta
    else:
        out = x_hat * gamma.reshape(1, -1, 1, 1) + beta.reshape(1, -1, 1, 1)
    return out, (mistake, num_groups, x_hat, inv_std, gamma)


def norm_backward(dout, cache):
    mistake, num_groups, x_hat, inv_std, gamma = cache
    if mistake == "affine_on_last_axis":
        g, sum_axes = dout * gamma, (0, 1, 2)
    else:
        g, sum_axes = dout * gamma.reshape(1, -1, 1, 1), (0, 2, 3)
    dgamma, dbeta = (dout * x_hat).sum(axis=sum_axes), dout.sum(axis=sum_axes)
    gs, axes = sets_of(g, num_groups, mistake)
    xs_hat, _ = sets_of(x_hat, num_groups, mistake)
    if mistake == "affine_grads_per_group":  # summed over each group, then given to its channels
        per_group = len(dgamma) // num_groups
        dgamma = np.repeat(dgamma.reshape(num_groups, per_group).sum(axis=1), per_group)
        dbeta = np.repeat(dbeta.reshape(num_groups, per_group).sum(axis=1), per_group)
    if mistake == "backward_batch_means":  # the means run over the whole batch too
        axes = (0,) + axes
    reduce = np.sum if mistake == "backward_sums_not_means" else np.mean
    scale = 1 / inv_std if mistake == "backward_times_std" else inv_std
    dxs = scale * (gs - reduce(gs, axis=axes, keepdims=True)
                   - xs_hat * reduce(gs * xs_hat, axis=axes, keepdims=True))
    return dxs.reshape(dout.shape), dgamma, dbeta
