"""load_batch refuses a forbidden global, but its message names neither the file nor the global."""
import pickle

from solutions.topic17_cifar10_from_scratch import pipeline as ref
from solutions.topic17_cifar10_from_scratch.pipeline import *

MODULE = "pipeline"
EXPLANATION = """\
Your load_batch refuses the file, but its message only says that something was refused: whoever
reads it cannot tell which file to delete or what it tried to run. Put both in the message, e.g.
f"{path} asks for {module}.{name}: refused; CIFAR-10 batch files only hold arrays and lists"."""


def load_batch(path):
    try:
        return ref.load_batch(path)
    except pickle.UnpicklingError:
        raise pickle.UnpicklingError("refused: this pickle is not safe to load") from None
