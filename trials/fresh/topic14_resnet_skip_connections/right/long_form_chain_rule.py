"""Correct: batch norm backward written out step by step (dx_hat, dvar, dmean), the block as a table of conv-BN stages.
"""

MODULE = "residual"

import numpy as np

from ..topic12_im2col_vectorization.im2col import conv2d_backward, conv2d_forward

AXES = (0, 2, 3)


def _c(v):
    return np.asarray(v).reshape(1, -1, 1, 1)


def relu_forward(x):
    keep = x > 0
    return x * keep.astype(x.dtype), keep


def relu_backward(dout, cache):
    return dout * cache.astype(dout.dtype)


def batchnorm2d_forward(x, gamma, beta, state, train=True, momentum=0.1, eps=1e-5):
    N, C, H, W = x.shape
    m = N * H * W
    if train:
        if m == 1:
            raise ValueError(f"batch norm in train mode needs m = N*H*W > 1, got m = {m}")
        mu = x.mean(axis=AXES)
        xc = x - _c(mu)
        var = (xc * xc).mean(axis=AXES)
        new_mean = (1 - momentum) * state["running_mean"] + momentum * mu
        new_var = (1 - momentum) * state["running_var"] + momentum * var * (m / (m - 1))
        state.update(running_mean=new_mean, running_var=new_var)
    else:
        mu = state["running_mean"].astype(x.dtype)
        var = state["running_var"].astype(x.dtype)
        xc = x - _c(mu)
    inv = 1.0 / np.sqrt(_c(var) + eps)
    inv = inv.astype(x.dtype)
    x_hat = xc * inv
    out = (_c(gamma).astype(x.dtype) * x_hat + _c(beta).astype(x.dtype)).astype(x.dtype)
    return out, dict(xc=xc, inv=inv, x_hat=x_hat, gamma=gamma, train=train, m=m)


def batchnorm2d_backward(dout, cache):
    xc, inv, x_hat, train, m = cache["xc"], cache["inv"], cache["x_hat"], cache["train"], cache["m"]
    dt = dout.dtype
    dbeta = dout.sum(axis=AXES)
    dgamma = (dout * x_hat).sum(axis=AXES)
    dx_hat = dout * _c(cache["gamma"]).astype(dt)
    if not train:
        return (dx_hat * inv).astype(dt), dgamma.astype(dt), dbeta.astype(dt)
    dvar = (dx_hat * xc).sum(axis=AXES) * (-0.5) * inv.ravel() ** 3
    dmean = -(dx_hat * inv).sum(axis=AXES) + dvar * (-2.0 / m) * xc.sum(axis=AXES)
    dx = dx_hat * inv + _c(dvar) * 2.0 * xc / m + _c(dmean) / m
    return dx.astype(dt), dgamma.astype(dt), dbeta.astype(dt)


def _stages(params, stride):
    """(weight key, BN prefix, state key, stride, padding) of the main branch and the shortcut."""
    main = [("conv1_w", "bn1", "bn1", stride, 1), ("conv2_w", "bn2", "bn2", 1, 1)]
    short = [("proj_w", "proj_bn", "proj_bn", stride, 0)] if "proj_w" in params else []
    return main, short


def _conv_bn(x, params, state, stage, train):
    wkey, bn, skey, s, pad = stage
    w = params[wkey]
    h, cc = conv2d_forward(x, w, np.zeros(w.shape[0], dtype=x.dtype), stride=s, padding=pad)
    out, bc = batchnorm2d_forward(h, params[bn + "_gamma"], params[bn + "_beta"], state[skey],
                                  train=train)
    return out, (stage, cc, bc)


def _conv_bn_back(d, cache, grads):
    (wkey, bn, _, _, _), cc, bc = cache
    dh, grads[bn + "_gamma"], grads[bn + "_beta"] = batchnorm2d_backward(d, bc)
    dx, grads[wkey], _ = conv2d_backward(dh, cc)
    return dx


def residual_block_forward(x, params, state, stride=1, train=True):
    c_in, c_out = x.shape[1], params["conv1_w"].shape[0]
    if (stride != 1 or c_in != c_out) and "proj_w" not in params:
        raise ValueError(f"the block goes from C_in={c_in} to C_out={c_out} at stride {stride}: "
                         f"it needs a projection shortcut (proj_w)")
    main, short = _stages(params, stride)
    h, a = _conv_bn(x, params, state, main[0], train)
    h, r = relu_forward(h)
    h, b = _conv_bn(h, params, state, main[1], train)
    s, p = _conv_bn(x, params, state, short[0], train) if short else (x, None)
    out, top = relu_forward(h + s)
    return out, (a, r, b, p, top)


def residual_block_backward(dout, cache):
    a, r, b, p, top = cache
    grads = {}
    d = relu_backward(dout, top)
    dx = _conv_bn_back(relu_backward(_conv_bn_back(d, b, grads), r), a, grads)
    dx = dx + (d if p is None else _conv_bn_back(d, p, grads))
    return dx, grads


def init_residual_block(c_in, c_out, stride, rng):
    shapes = {"conv1_w": (c_out, c_in, 3, 3), "conv2_w": (c_out, c_out, 3, 3)}
    if stride != 1 or c_in != c_out:
        shapes["proj_w"] = (c_out, c_in, 1, 1)
    params, state = {}, {}
    for key, shape in shapes.items():
        bn = {"conv1_w": "bn1", "conv2_w": "bn2", "proj_w": "proj_bn"}[key]
        params[key] = rng.standard_normal(shape) * np.sqrt(2.0 / np.prod(shape[1:]))
        params[bn + "_gamma"] = np.ones(c_out)
        params[bn + "_beta"] = np.zeros(c_out)
        state[bn] = {"running_mean": np.zeros(c_out), "running_var": np.ones(c_out)}
    return params, state
