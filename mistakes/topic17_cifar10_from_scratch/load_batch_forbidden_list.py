"""load_batch refuses a list of dangerous names instead of allowing the few it needs."""
import pickle

import numpy as np

from solutions.topic17_cifar10_from_scratch.pipeline import *

MODULE = "pipeline"
EXPLANATION = """\
Your find_class refuses the names you thought of (os.system, eval, exec, subprocess) and lets
everything else through. There are always more: pickle itself writes os.system as posix.system,
and numpy.load(..., allow_pickle=True) runs code too. Turn it around: allow only the (module,
name) pairs a CIFAR-10 file needs and refuse every other one."""

DANGEROUS = {("os", "system"), ("builtins", "eval"), ("builtins", "exec"), ("subprocess", "run")}


class ForbiddenListUnpickler(pickle.Unpickler):
    def find_class(self, module, name):
        if (module, name) in DANGEROUS:
            raise pickle.UnpicklingError(f"{self.path} asks for {module}.{name}: refused")
        return super().find_class(module, name)


def load_batch(path):
    with open(path, "rb") as f:
        unpickler = ForbiddenListUnpickler(f, encoding="bytes")
        unpickler.path = path
        batch = unpickler.load()
    return (np.asarray(batch[b"data"], np.uint8).reshape(-1, 3, 32, 32),
            np.asarray(batch[b"labels"], np.int64))
