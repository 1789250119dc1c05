"""Reading a CIFAR-10 pickle you did not make, without letting it run anything.

A pickle is a small program: its GLOBAL opcode names any importable function (`os.system`,
`builtins.exec`, ...) and its REDUCE opcode calls it with arguments from the file, so
`pickle.load` on a stranger's file runs whatever the stranger chose. The md5 check protects the
official download, not a folder given by --data-dir or CIFAR10_DIR, nor an archive from a mirror
or a classmate. Every CIFAR-10 pickle in this repository is therefore read with
`RestrictedUnpickler`: `pickle.Unpickler` asks `find_class(module, name)` for each global the
moment the file names it, before anything is called, and this one answers only for the few names
the official files need and refuses every other one.

What the files need (`pickletools.genops` over the official `data_batch_*` lists every GLOBAL):
`numpy.core.multiarray._reconstruct`, `numpy.ndarray` and `numpy.dtype`, the names NumPy 1.x
used to rebuild the uint8 (N, 3072) array; the dict, the lists, the ints and the byte strings are
plain opcodes. A copy re-saved by Python 3 at protocol 2 adds `_codecs.encode` (how it writes
bytes), and one re-saved by NumPy 2.x says `numpy._core.multiarray._reconstruct`. The builtin
containers are allowed too, since older protocols rebuild a set or bytearray by calling them.
Nothing else is resolved, and nothing is imported by a name taken from the file: each allowed
name maps to the object already imported here.

This module lives in data/ (not in solutions/) because both readers need it: data/cifar10.py,
which the milestone uses with any implementation, and the Topic 17 reference `load_batch`.
data/ ships with every clone, is standard library + NumPy, and depends on neither katas/ nor
solutions/. A learner writes their own, shorter restricted unpickler in their kata (the brief
shows how); the reference imports this one so that there is one list of allowed names to review.
"""

from __future__ import annotations

import codecs
import os
import pickle

import numpy as np

try:  # NumPy 2.x
    from numpy._core.multiarray import _reconstruct
except ImportError:  # NumPy 1.x
    from numpy.core.multiarray import _reconstruct

WHY = "CIFAR-10 batch files only hold arrays and lists"

_CONTAINERS = {t.__name__: t for t in (dict, list, tuple, set, frozenset, bytearray)}
ALLOWED = {
    ("numpy.core.multiarray", "_reconstruct"): _reconstruct,   # written by NumPy 1.x (official)
    ("numpy._core.multiarray", "_reconstruct"): _reconstruct,  # written by NumPy 2.x
    ("numpy", "ndarray"): np.ndarray,
    ("numpy", "dtype"): np.dtype,
    ("_codecs", "encode"): codecs.encode,  # bytes, as Python 3 writes them at protocol 2
    **{(module, name): t for module in ("builtins", "__builtin__")  # __builtin__: Python 2
       for name, t in _CONTAINERS.items()},
}


class RefusedGlobal(pickle.UnpicklingError):
    """A pickle asked for a global outside ALLOWED; nothing in it was called."""


class RestrictedUnpickler(pickle.Unpickler):
    """pickle.Unpickler that resolves only ALLOWED and raises RefusedGlobal for anything else.

    `source` names the file in the refusal message (default: the file object's name).
    """

    def __init__(self, file, *, source: str | os.PathLike | None = None, **kwargs):
        super().__init__(file, **kwargs)
        self.source = str(source if source is not None else getattr(file, "name", "the pickle"))

    def find_class(self, module: str, name: str):
        allowed = ALLOWED.get((module, name))
        if allowed is None:
            raise RefusedGlobal(f"{self.source} asks for {_printable(module, name)}: refused; {WHY}")
        return allowed


def load_pickle(path: str | os.PathLike):
    """The object in the pickle file `path`, read with RestrictedUnpickler (bytes keys kept).

    Raises RefusedGlobal (a pickle.UnpicklingError) naming the file and the refused global.
    """
    with open(path, "rb") as f:
        return RestrictedUnpickler(f, source=path, encoding="bytes").load()


def _printable(module: str, name: str) -> str:
    """'module.name', or its repr when the file put odd characters there (no terminal tricks)."""
    dotted = f"{module}.{name}"
    if all(part.isidentifier() for part in dotted.split(".")):
        return dotted
    return repr(dotted[:200])
