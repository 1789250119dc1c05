"""load_batch reads the file with plain pickle.load, which runs any function the file names."""
import pickle

import numpy as np

from solutions.topic17_cifar10_from_scratch.pipeline import *

MODULE = "pipeline"
EXPLANATION = """\
Your load_batch hands the file to pickle.load, which calls every function the pickle names: a
batch file that asks for os.system runs its command on your machine before you see an array.
Read files you did not make with a pickle.Unpickler subclass whose find_class returns only the
names a CIFAR-10 file needs and raises pickle.UnpicklingError, naming the file and the global,
for anything else."""


def load_batch(path):
    with open(path, "rb") as f:
        batch = pickle.load(f, encoding="bytes")
    return (np.asarray(batch[b"data"], np.uint8).reshape(-1, 3, 32, 32),
            np.asarray(batch[b"labels"], np.int64))
