"""random_crop_flip mirrors images top-bottom instead of left-right."""

from solutions.topic17_cifar10_from_scratch import pipeline as ref
from solutions.topic17_cifar10_from_scratch.pipeline import *

MODULE = "pipeline"



def random_crop_flip(x, pad, rng):
    out = ref.random_crop_flip(x, pad, rng)
    return out[:, :, ::-1, ::-1].copy()
