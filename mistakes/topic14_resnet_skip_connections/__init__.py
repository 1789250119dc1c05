"""Topic 14's block mutants share this: the reference block with one switch per mistake.

`block_forward(..., mistake=NAME)` and `block_backward` are the reference residual block
(solutions/topic14_resnet_skip_connections/residual.py) built from its public pieces, except for
the one mistake named; the backward is the exact gradient of that wrong forward, so a mutant is
rejected for computing the wrong function, not for an inconsistent backward (except the
backward-only mistakes, which break the backward alone).

`bn_forward(..., mistake=NAME)` and `bn_backward` are the brief's batch norm written out in full
(self-contained: no reference cache), again with one named mistake, for the batch-norm mutants.
"""

import numpy as np

from solutions.topic14_resnet_skip_connections import residual as ref

MISTAKES = ("relu_before_addition", "projection_without_bn", "stride_on_second_conv",
            "zero_padded_shortcut", "shortcut_gradient_dropped", "output_relu_mask_skipped",
            "train_flag_ignored", "bn2_shares_bn1_state", "bn_state_copied")


def _conv_bn(x, params, state, name, bn, stride, padding, train, with_bn=True, bn_state=None):
    w = params[name]
    h, conv_cache = ref.conv2d_forward(x, w, np.zeros(w.shape[0], x.dtype), stride, padding)
    if not with_bn:
        return h, (conv_cache, None)
    out, bn_cache = ref.batchnorm2d_forward(h, params[f"{bn}_gamma"], params[f"{bn}_beta"],
                                            state[bn] if bn_state is None else bn_state,
                                            train=train)
    return out, (conv_cache, bn_cache)


def _conv_bn_backward(dout, cache, params, bn):
    conv_cache, bn_cache = cache
    if bn_cache is None:
        zeros = np.zeros_like(params[f"{bn}_gamma"])
        dgamma, dbeta = zeros, zeros.copy()
    else:
        dout, dgamma, dbeta = ref.batchnorm2d_backward(dout, bn_cache)
    dx, dw, _ = ref.conv2d_backward(dout, conv_cache)
    return dx, dw, dgamma, dbeta


def block_forward(x, params, state, stride, train, mistake):
    assert mistake in MISTAKES
    first, second = (1, stride) if mistake == "stride_on_second_conv" else (stride, 1)
    train = True if mistake == "train_flag_ignored" else train
    if mistake == "bn_state_copied":  # each BN updates a copy: the caller's state never changes
        state = {name: dict(bn) for name, bn in state.items()}
    bn2_state = state["bn1"] if mistake == "bn2_shares_bn1_state" else None
    h, c1 = _conv_bn(x, params, state, "conv1_w", "bn1", first, 1, train)
    h, r1 = ref.relu_forward(h)
    h, c2 = _conv_bn(h, params, state, "conv2_w", "bn2", second, 1, train, bn_state=bn2_state)
    shortcut, cp = x, None
    if "proj_w" in params and mistake == "zero_padded_shortcut":  # ResNet's "option A"
        c_out = params["conv1_w"].shape[0]
        sub = x[:, :c_out, ::stride, ::stride]
        shortcut = np.zeros((x.shape[0], c_out) + sub.shape[2:], x.dtype)
        shortcut[:, :sub.shape[1]] = sub
    elif "proj_w" in params:
        shortcut, cp = _conv_bn(x, params, state, "proj_w", "proj_bn", stride, 0, train,
                                with_bn=mistake != "projection_without_bn")
    if mistake == "relu_before_addition":
        h, r2 = ref.relu_forward(h)
        out = h + shortcut
    else:
        out, r2 = ref.relu_forward(h + shortcut)
    return out, (mistake, params, x.shape, stride, c1, r1, c2, r2, cp)


def block_backward(dout, cache):
    mistake, params, x_shape, stride, c1, r1, c2, r2, cp = cache
    dsum = dout if mistake == "output_relu_mask_skipped" else ref.relu_backward(dout, r2)
    dshort = dout if mistake == "relu_before_addition" else dsum
    dh, dw2, dg2, db2 = _conv_bn_backward(dsum, c2, params, "bn2")
    dx, dw1, dg1, db1 = _conv_bn_backward(ref.relu_backward(dh, r1), c1, params, "bn1")
    grads = {"conv1_w": dw1, "bn1_gamma": dg1, "bn1_beta": db1,
             "conv2_w": dw2, "bn2_gamma": dg2, "bn2_beta": db2}
    if mistake == "shortcut_gradient_dropped":
        dshort = np.zeros_like(dshort)
    if cp is not None:
        dxs, dwp, dgp, dbp = _conv_bn_backward(dshort, cp, params, "proj_bn")
        grads.update(proj_w=dwp, proj_bn_gamma=dgp, proj_bn_beta=dbp)
        return dx + dxs, grads
    if "proj_w" in params:  # zero-padded shortcut: route the gradient back to the kept pixels
        grads.update({k: np.zeros_like(params[k]) for k in ("proj_w", "proj_bn_gamma",
                                                             "proj_bn_beta")})
        kept = min(x_shape[1], dshort.shape[1])
        dx[:, :kept, ::stride, ::stride] += dshort[:, :kept]
        return dx, grads
    return dx + dshort, grads


# ------------------------------------------------------------------------------- batch norm
BN_MISTAKES = ("stats_per_pixel", "stats_per_sample", "variance_not_square_rooted",
               "single_value_not_refused", "backward_missing_mean_term",
               "backward_missing_variance_term", "dgamma_from_x", "backward_m_is_batch_size",
               "unbiased_factor_from_batch_size")
_STAT_AXES = {"stats_per_pixel": (0,), "stats_per_sample": (2, 3)}
_CHANNEL_AXES = (0, 2, 3)


def _per_channel(v):
    return v.reshape(1, -1, 1, 1)


def bn_forward(x, gamma, beta, state, train, momentum, eps, mistake):
    """The brief's batch norm with one mistake. Statistics over `axes` (the channel's (N, H, W)
    unless the mistake says otherwise); the running statistics stay (C,): the per-channel average
    of whatever statistics normalized the batch."""
    assert mistake in BN_MISTAKES
    axes = _STAT_AXES.get(mistake, _CHANNEL_AXES)
    if train:
        m = int(np.prod([x.shape[a] for a in axes]))  # values per set of statistics
        if x.size // x.shape[1] < 2 and mistake != "single_value_not_refused":
            raise ValueError("batch normalization in train mode needs more than one value per "
                             "channel (N*H*W > 1)")
        mean, var = x.mean(axis=axes, keepdims=True), x.var(axis=axes, keepdims=True)
        if mistake == "unbiased_factor_from_batch_size":
            m = x.shape[0]
        with np.errstate(divide="ignore", invalid="ignore"):
            unbiased = var.mean(axis=_CHANNEL_AXES) * m / (m - 1)
        state["running_mean"] = ((1 - momentum) * state["running_mean"]
                                 + momentum * mean.mean(axis=_CHANNEL_AXES))
        state["running_var"] = (1 - momentum) * state["running_var"] + momentum * unbiased
    else:
        mean, var = _per_channel(state["running_mean"]), _per_channel(state["running_var"])
    power = 1.0 if mistake == "variance_not_square_rooted" else 0.5
    denom = ((var + eps) ** power).astype(x.dtype, copy=False)
    x_hat = (x - mean.astype(x.dtype, copy=False)) / denom
    out = (_per_channel(gamma) * x_hat + _per_channel(beta)).astype(x.dtype, copy=False)
    return out, (mistake, axes if train else None, x, x_hat, gamma, var + eps, power)


def bn_backward(dout, cache):
    """The exact gradient of bn_forward's (possibly wrong) forward, except for the
    backward_* and dgamma_from_x mistakes, which are in the backward itself.

    With x_hat = (x - mean) / D**p, D = var + eps: dx = g / D**p - mean(g) / D**p
    - 2p * D**(p-1) * x_hat * mean(g * x_hat), means (sums / m) over the statistics' axes."""
    mistake, axes, x, x_hat, gamma, d, p = cache
    dbeta = dout.sum(axis=_CHANNEL_AXES)
    dgamma = ((x if mistake == "dgamma_from_x" else x_hat) * dout).sum(axis=_CHANNEL_AXES)
    g = dout * _per_channel(gamma)
    dx = g / d ** p
    if axes is not None:
        m = int(np.prod([x_hat.shape[a] for a in axes]))  # values per set of statistics
        if mistake == "backward_m_is_batch_size":
            m = dout.shape[0]
        if mistake != "backward_missing_mean_term":
            dx = dx - g.sum(axis=axes, keepdims=True) / m / d ** p
        if mistake != "backward_missing_variance_term":
            dx = dx - 2 * p * d ** (p - 1) * x_hat * (g * x_hat).sum(axis=axes, keepdims=True) / m
    return dx.astype(dout.dtype, copy=False), dgamma, dbeta
