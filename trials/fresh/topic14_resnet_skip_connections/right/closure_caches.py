"""Correct: every forward returns a closure as its cache (the backward just calls it); BN via einsum.
"""

MODULE = "residual"

import numpy as np

from ..topic12_im2col_vectorization.im2col import conv2d_backward, conv2d_forward


def relu_forward(x):
    out = np.where(x > 0, x, np.zeros((), dtype=x.dtype))
    positive = x > 0
    return out, (lambda d: np.where(positive, d, np.zeros((), dtype=d.dtype)))


def relu_backward(dout, cache):
    return cache(dout)


def batchnorm2d_forward(x, gamma, beta, state, train=True, momentum=0.1, eps=1e-5):
    N, C, H, W = x.shape
    m = N * H * W
    if train and m < 2:
        raise ValueError(f"train-mode batch norm needs more than one value per channel; "
                         f"m = N*H*W = {m}")
    if train:
        mean = np.einsum("nchw->c", x) / m
        var = np.einsum("nchw,nchw->c", x - mean[:, None, None], x - mean[:, None, None]) / m
        state["running_mean"], state["running_var"] = (
            (1 - momentum) * state["running_mean"] + momentum * mean,
            (1 - momentum) * state["running_var"] + momentum * var * m / (m - 1))
    else:
        mean = np.asarray(state["running_mean"], dtype=x.dtype)
        var = np.asarray(state["running_var"], dtype=x.dtype)
    inv_std = (1 / np.sqrt(var + eps)).astype(x.dtype)
    x_hat = np.einsum("nchw,c->nchw", x - mean[:, None, None].astype(x.dtype), inv_std)
    out = np.einsum("nchw,c->nchw", x_hat, gamma.astype(x.dtype)) + beta.astype(x.dtype)[:, None, None]

    def backward(dout):
        dbeta = np.einsum("nchw->c", dout)
        dgamma = np.einsum("nchw,nchw->c", dout, x_hat)
        k = (gamma * inv_std).astype(dout.dtype)
        if train:
            inner = dout - (dbeta[:, None, None] + x_hat * dgamma[:, None, None]) / m
        else:
            inner = dout
        return (np.einsum("nchw,c->nchw", inner, k).astype(dout.dtype),
                dgamma.astype(dout.dtype), dbeta.astype(dout.dtype))

    return out.astype(x.dtype, copy=False), backward


def batchnorm2d_backward(dout, cache):
    return cache(dout)


def _conv_bn(x, w, gamma, beta, bn_state, stride, padding, train):
    h, conv_cache = conv2d_forward(x, w, np.zeros(len(w), dtype=x.dtype), stride, padding)
    y, bn_back = batchnorm2d_forward(h, gamma, beta, bn_state, train=train)

    def backward(d):
        dh, dgamma, dbeta = bn_back(d)
        dx, dw, _ = conv2d_backward(dh, conv_cache)
        return dx, dw, dgamma, dbeta
    return y, backward


def residual_block_forward(x, params, state, stride=1, train=True):
    C_in, C_out = x.shape[1], len(params["conv1_w"])
    changes = stride != 1 or C_in != C_out
    if changes and "proj_w" not in params:
        raise ValueError(f"shape changes (C_in {C_in} -> C_out {C_out}, stride {stride}) "
                         f"and there is no proj_w")
    P = params
    h, back1 = _conv_bn(x, P["conv1_w"], P["bn1_gamma"], P["bn1_beta"], state["bn1"], stride, 1, train)
    h, relu1 = relu_forward(h)
    h, back2 = _conv_bn(h, P["conv2_w"], P["bn2_gamma"], P["bn2_beta"], state["bn2"], 1, 1, train)
    if "proj_w" in P:
        s, backp = _conv_bn(x, P["proj_w"], P["proj_bn_gamma"], P["proj_bn_beta"],
                            state["proj_bn"], stride, 0, train)
    else:
        s, backp = x, None
    out, relu2 = relu_forward(h + s)

    def backward(dout):
        g = {}
        d = relu2(dout)
        dh, g["conv2_w"], g["bn2_gamma"], g["bn2_beta"] = back2(d)
        dx, g["conv1_w"], g["bn1_gamma"], g["bn1_beta"] = back1(relu1(dh))
        if backp is None:
            return dx + d, g
        ds, g["proj_w"], g["proj_bn_gamma"], g["proj_bn_beta"] = backp(d)
        return dx + ds, g

    return out, backward


def residual_block_backward(dout, cache):
    return cache(dout)


def init_residual_block(c_in, c_out, stride, rng):
    def he(*shape):
        return rng.standard_normal(shape) * np.sqrt(2 / (shape[1] * shape[2] * shape[3]))

    layers = [("conv1_w", "bn1", he(c_out, c_in, 3, 3)), ("conv2_w", "bn2", he(c_out, c_out, 3, 3))]
    if stride != 1 or c_in != c_out:
        layers.append(("proj_w", "proj_bn", he(c_out, c_in, 1, 1)))
    params = {k: v for name, bn, w in layers
              for k, v in ((name, w), (bn + "_gamma", np.ones(c_out)), (bn + "_beta", np.zeros(c_out)))}
    state = {bn: {"running_mean": np.zeros(c_out), "running_var": np.ones(c_out)}
             for _, bn, _ in layers}
    return params, state
