"""evaluate returns its predictions as floats (np.zeros(N) filled with argmax labels)."""

import numpy as np

from solutions.topic17_cifar10_from_scratch import pipeline as ref
from solutions.topic17_cifar10_from_scratch.pipeline import *

MODULE = "pipeline"

EXPLANATION = """\
Your evaluate collects the predicted labels in np.zeros(N), a float array: 3.0 instead of 3.
Comparisons still work, but a confusion matrix or an index with them fails. Make the array
integer (np.zeros(N, dtype=np.int64), or keep argmax's own integers)."""


def evaluate(net, params, state, x, y, batch_size=1000, flip_tta=False):
    accuracy, predictions = ref.evaluate(net, params, state, x, y, batch_size, flip_tta)
    return accuracy, np.zeros(len(x)) + predictions
