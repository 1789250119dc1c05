"""evaluate skips the last, smaller batch."""
import numpy as np

from solutions.topic17_cifar10_from_scratch import pipeline as ref
from solutions.topic17_cifar10_from_scratch.pipeline import *

MODULE = "pipeline"
EXPLANATION = """\
Your evaluate skips the last, smaller batch, so some images are never predicted. Loop with
range(0, len(x), batch_size) and take x[start:start + batch_size]: the last slice is simply
shorter."""



def evaluate(net, params, state, x, y, batch_size=1000, flip_tta=False):
    keep = len(x) // batch_size * batch_size
    acc, pred = ref.evaluate(net, params, state, x[:keep], y[:keep], batch_size, flip_tta)
    return acc, np.concatenate([pred, np.zeros(len(x) - keep, np.int64)])
