"""load_batch allows NumPy 2's module path only, so the official (NumPy 1.x) files are refused."""
import pickle
import pickletools

from solutions.topic17_cifar10_from_scratch import pipeline as ref
from solutions.topic17_cifar10_from_scratch.pipeline import *

MODULE = "pipeline"
EXPLANATION = """\
Your find_class allows the names your NumPy writes today (numpy._core.multiarray._reconstruct)
but not the ones in the official files, which NumPy 1.x wrote as
numpy.core.multiarray._reconstruct: the real CIFAR-10 files are refused. Allow both module paths
(and _codecs.encode, which Python 3 uses to write bytes)."""


def load_batch(path):
    with open(path, "rb") as f:
        for opcode, arg, _ in pickletools.genops(f):
            if opcode.name == "GLOBAL" and arg.startswith("numpy.core."):
                raise pickle.UnpicklingError(f"{path} asks for {arg.replace(' ', '.')}: refused")
    return ref.load_batch(path)
