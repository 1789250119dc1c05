"""load_batch reads each 3072-value row as (32, 32, 3) instead of (3, 32, 32)."""
import numpy as np

from solutions.topic17_cifar10_from_scratch import pipeline as ref
from solutions.topic17_cifar10_from_scratch.pipeline import *

MODULE = "pipeline"
EXPLANATION = """\
Your load_batch reads each row of 3072 values as (32, 32, 3). The file stores the whole red
plane first (1024 values, row by row), then green, then blue: that is C-order (3, 32, 32), so
row.reshape(3, 32, 32) with no transpose."""



def load_batch(path):
    x, y = ref.load_batch(path)
    return np.ascontiguousarray(x.reshape(len(x), 32, 32, 3).transpose(0, 3, 1, 2)), y
