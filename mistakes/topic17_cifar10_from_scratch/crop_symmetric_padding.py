"""random_crop_flip pads with np.pad's mode="symmetric" (edge pixel repeated) instead of "reflect"."""
import numpy as np

from solutions.topic17_cifar10_from_scratch.pipeline import *

MODULE = "pipeline"
EXPLANATION = """\
Your random_crop_flip pads with np.pad(..., mode="symmetric"), which repeats the edge pixel
(b a | a b c). The brief pads by reflection, mode="reflect", which mirrors around the edge pixel
without repeating it (c b | a b c): PyTorch's "reflect" padding."""


def random_crop_flip(x, pad, rng):
    n, _, h, w = x.shape
    dy, dx = rng.integers(0, 2 * pad + 1, n), rng.integers(0, 2 * pad + 1, n)
    flip = rng.random(n) < 0.5
    padded = np.pad(x, ((0, 0), (0, 0), (pad, pad), (pad, pad)), mode="symmetric")
    out = np.stack([padded[i, :, dy[i]:dy[i] + h, dx[i]:dx[i] + w] for i in range(n)])
    out[flip] = out[flip][..., ::-1]
    return out
