"""random_crop_flip, another valid draw order: image by image, the flip, then both offsets.

Every random choice the brief fixes is kept (offsets uniform over 0..2*pad per image and axis,
an independent fair flip, all drawn from rng); only the order of the draws differs, which the
brief leaves free: every spec must accept it."""

import numpy as np

from solutions.topic17_cifar10_from_scratch.pipeline import *

MODULE = "pipeline"


def random_crop_flip(x, pad, rng):
    n, _, h, w = x.shape
    out = np.empty_like(x)
    for i in range(n):
        flip = rng.integers(0, 2) == 1
        dy, dx = rng.integers(0, 2 * pad + 1, 2)
        padded = np.pad(x[i], ((0, 0), (pad, pad), (pad, pad)), mode="reflect")
        crop = padded[:, dy:dy + h, dx:dx + w]
        out[i] = crop[:, :, ::-1] if flip else crop
    return out
