"""load_batch allows only the three globals of the official files: NumPy 2 and Python 3 copies are refused."""
import pickle
import pickletools

from solutions.topic17_cifar10_from_scratch import pipeline as ref
from solutions.topic17_cifar10_from_scratch.pipeline import *

MODULE = "pipeline"
EXPLANATION = """\
Your find_class allows exactly the globals of the official files (numpy.core.multiarray
._reconstruct, numpy.ndarray, numpy.dtype), so a copy saved again since is refused: NumPy 2 writes
numpy._core.multiarray._reconstruct, and Python 3 writes bytes through _codecs.encode. Allow those
two names as well; they rebuild the same arrays and bytes."""

OFFICIAL = {"numpy.core.multiarray _reconstruct", "numpy ndarray", "numpy dtype"}


def load_batch(path):
    with open(path, "rb") as f:
        for opcode, arg, _ in pickletools.genops(f):
            if opcode.name == "GLOBAL" and arg not in OFFICIAL:
                raise pickle.UnpicklingError(f"{path} asks for {arg.replace(' ', '.')}: refused")
    return ref.load_batch(path)
