"""random_crop_flip uses one crop offset and one flip decision for the whole batch."""
import numpy as np

from solutions.topic17_cifar10_from_scratch.pipeline import *

MODULE = "pipeline"
EXPLANATION = """\
Your random_crop_flip draws one offset and one flip for the whole batch. Draw them per image: n
vertical offsets, n horizontal offsets and n coins (rng.integers(0, 2 * pad + 1, n),
rng.random(n) < 0.5), so the batch sees many different crops."""



def random_crop_flip(x, pad, rng):
    n, _, h, w = x.shape
    dy, dx = rng.integers(0, 2 * pad + 1, 2)
    padded = np.pad(x, ((0, 0), (0, 0), (pad, pad), (pad, pad)), mode="reflect")
    out = padded[:, :, dy:dy + h, dx:dx + w]
    return (out[..., ::-1] if rng.random() < 0.5 else out).copy()
