"""softmax_cross_entropy_forward exponentiates raw logits (overflow for large logits)."""
import numpy as np

from solutions.topic17_cifar10_from_scratch.pipeline import *

MODULE = "pipeline"



def softmax_cross_entropy_forward(logits, labels, label_smoothing=0.0):
    with np.errstate(over="ignore", invalid="ignore"):
        e = np.exp(logits)
        probs = e / e.sum(axis=1, keepdims=True)
        n, k = logits.shape
        target = np.full(logits.shape, label_smoothing / k, dtype=logits.dtype)
        target[np.arange(n), labels] += 1 - label_smoothing
        loss = -(target * np.log(probs)).sum() / n
    return float(loss), (probs, target)
