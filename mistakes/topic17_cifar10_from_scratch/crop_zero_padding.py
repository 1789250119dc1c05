"""random_crop_flip pads with zeros instead of reflecting."""
import numpy as np

from solutions.topic17_cifar10_from_scratch.pipeline import *

MODULE = "pipeline"
EXPLANATION = """\
Your random_crop_flip pads with zeros. The brief pads by reflection: np.pad(x, ((0, 0), (0, 0),
(pad, pad), (pad, pad)), mode="reflect"), so a shifted crop shows image content at its border,
not black bars."""



def random_crop_flip(x, pad, rng):
    n, _, h, w = x.shape
    dy, dx = rng.integers(0, 2 * pad + 1, n), rng.integers(0, 2 * pad + 1, n)
    flip = rng.random(n) < 0.5
    padded = np.pad(x, ((0, 0), (0, 0), (pad, pad), (pad, pad)))
    out = np.stack([padded[i, :, dy[i]:dy[i] + h, dx[i]:dx[i] + w] for i in range(n)])
    out[flip] = out[flip][..., ::-1]
    return out
