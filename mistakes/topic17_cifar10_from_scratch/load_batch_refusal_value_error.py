"""load_batch refuses a forbidden global with ValueError instead of pickle.UnpicklingError."""
import pickle

from solutions.topic17_cifar10_from_scratch import pipeline as ref
from solutions.topic17_cifar10_from_scratch.pipeline import *

MODULE = "pipeline"
EXPLANATION = """\
Your load_batch refuses the file with a ValueError. The contract (the docstring) is
pickle.UnpicklingError, what pickle raises for any pickle it cannot load, so that a caller can
catch one exception for "this is not a usable pickle". Raise pickle.UnpicklingError from
find_class."""


def load_batch(path):
    try:
        return ref.load_batch(path)
    except pickle.UnpicklingError as err:
        raise ValueError(str(err)) from None
