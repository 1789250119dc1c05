"""Topic 14's block mutants share this: the reference block with one switch per mistake.

`block_forward(..., mistake=NAME)` and `block_backward` are the reference residual block
(solutions/topic14_resnet_skip_connections/residual.py) built from its public pieces, except for
the one mistake named; the backward is the exact gradient of that wrong forward, so a mutant is
rejected for computing the wrong function, not for an inconsistent backward.
"""

import numpy as np

from solutions.topic14_resnet_skip_connections import residual as ref

MISTAKES = ("relu_before_addition", "projection_without_bn", "stride_on_second_conv",
            "zero_padded_shortcut", "shortcut_gradient_dropped")


def _conv_bn(x, params, state, name, bn, stride, padding, train, with_bn=True):
    w = params[name]
    h, conv_cache = ref.conv2d_forward(x, w, np.zeros(w.shape[0], x.dtype), stride, padding)
    if not with_bn:
        return h, (conv_cache, None)
    out, bn_cache = ref.batchnorm2d_forward(h, params[f"{bn}_gamma"], params[f"{bn}_beta"],
                                            state[bn], train=train)
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
    h, c1 = _conv_bn(x, params, state, "conv1_w", "bn1", first, 1, train)
    h, r1 = ref.relu_forward(h)
    h, c2 = _conv_bn(h, params, state, "conv2_w", "bn2", second, 1, train)
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
    dsum = ref.relu_backward(dout, r2)
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
