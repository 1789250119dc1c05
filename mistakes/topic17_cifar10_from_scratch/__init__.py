"""Topic 17's loss and optimizer mutants share this: the brief's formulas written out in full.

Self-contained (the reference pipeline's internals may change): `cross_entropy_forward` /
`cross_entropy_backward` and `sgd` follow the brief line by line, except for the one mistake
named by `mistake`.
"""

import numpy as np

CE_MISTAKES = (None, "log_of_softmax", "mean_over_classes", "backward_ignores_dloss",
               "backward_unsmoothed_target")
SGD_MISTAKES = ("decay_sign", "nesterov_old_velocity", "velocity_not_stored",
                "lr_inside_velocity")


def cross_entropy_forward(logits, labels, label_smoothing, mistake=None):
    assert mistake in CE_MISTAKES
    n, k = logits.shape
    shifted = logits - logits.max(axis=1, keepdims=True)
    if mistake == "log_of_softmax":  # probabilities first, then their log: -inf where p underflows
        probs = np.exp(shifted) / np.exp(shifted).sum(axis=1, keepdims=True)
        with np.errstate(divide="ignore"):
            log_probs = np.log(probs)
    else:
        log_probs = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
        probs = np.exp(log_probs)
    target = np.full(logits.shape, label_smoothing / k, dtype=logits.dtype)
    target[np.arange(n), labels] += 1 - label_smoothing
    with np.errstate(invalid="ignore"):
        terms = target * log_probs
    loss = -terms.mean() if mistake == "mean_over_classes" else -terms.sum() / n
    one_hot = np.zeros_like(target)
    one_hot[np.arange(n), labels] = 1
    return float(loss), (mistake, probs, target, one_hot)


def cross_entropy_backward(dloss, cache):
    mistake, probs, target, one_hot = cache
    n, k = probs.shape
    if mistake == "backward_unsmoothed_target":
        target = one_hot
    scale = 1.0 if mistake == "backward_ignores_dloss" else dloss
    per_row = n * k if mistake == "mean_over_classes" else n
    return (probs - target) * (scale / per_row)


def sgd(params, grads, velocity, lr, momentum, weight_decay, nesterov, mistake):
    """torch.optim.SGD as the brief writes it, in place, with one mistake."""
    assert mistake in SGD_MISTAKES
    for name, p in params.items():
        rate = lr[name] if isinstance(lr, dict) else lr
        decay = weight_decay[name] if isinstance(weight_decay, dict) else weight_decay
        g = grads[name] - decay * p if mistake == "decay_sign" else grads[name] + decay * p
        v = velocity.get(name, np.zeros_like(p))
        old_v = v.copy()
        if mistake == "lr_inside_velocity":  # v = momentum * v + lr * g; p -= v (Sutskever's form)
            new_v = momentum * v + rate * g
            step = rate * g + momentum * new_v if nesterov else new_v
        else:
            new_v = momentum * v + g
            ahead = old_v if mistake == "nesterov_old_velocity" else new_v
            step = rate * (g + momentum * ahead) if nesterov else rate * new_v
        if mistake != "velocity_not_stored":
            velocity.setdefault(name, v)[...] = new_v
        p -= step.astype(p.dtype, copy=False)
