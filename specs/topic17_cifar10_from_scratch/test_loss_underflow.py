"""The loss stays finite where a probability underflows: log-softmax, not log(softmax).

Subtracting each row's maximum cures overflow in exp, but not underflow: for a label whose logit
is 800 below the row's maximum, softmax gives a probability of exactly 0 in float64 and log(0) is
-inf, while the true loss, 800 plus a little, is an ordinary number. Computing log p directly,
s - log(sum(exp(s))), never takes the log of an underflowed value. Only finiteness is checked
here; the loss's value is the fixture specs' job (test_training.py).
"""

import numpy as np
import pytest

from specs.harness import Kata, fail

TOPIC = "topic17_cifar10_from_scratch"
pipe = Kata(TOPIC, "pipeline")


@pytest.mark.rules
@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_loss_is_finite_when_the_labels_probability_underflows(dtype):
    logits = np.array([[0.0, -800.0, 1.0], [2.0, 0.0, -1.0]], dtype)
    labels = np.array([1, 0])
    shifted = logits.astype(np.float64) - logits.astype(np.float64).max(axis=1, keepdims=True)
    log_p = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
    expected = -log_p[np.arange(2), labels].mean()  # about 400.74: finite
    result = pipe.call("softmax_cross_entropy_forward", logits, labels, 0.0)
    if not (isinstance(result, tuple) and len(result) == 2):
        fail("softmax_cross_entropy_forward should return a pair (loss, cache).")
    loss = float(result[0])
    if not np.isfinite(loss):
        fail(f"softmax_cross_entropy_forward({np.dtype(dtype).name} logits, label 1 of row 0 "
             f"801 below that row's maximum) returned {loss}, expected {expected:.6g}. That "
             f"label's probability underflows to 0, and log(0) = -inf (subtracting the row's "
             f"maximum prevents overflow, not this). Compute the log-probabilities directly (log-softmax): "
             f"log_p = s - np.log(np.exp(s).sum(axis=1, keepdims=True)) with s the shifted "
             f"logits; the probabilities for the backward are np.exp(log_p).")
