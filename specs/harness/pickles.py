"""CIFAR-10 batch files for the loading specs: as the official files are written, and poisoned.

`official_batch_bytes` writes a batch the way NumPy 1.x or 2.x and Python 2 or 3 would have, so
the specs check every layout a real copy can have without needing those versions installed:
- the NumPy version shows only in the module path of the array's rebuild function,
  `numpy.core.multiarray._reconstruct` (1.x, the official files) or `numpy._core.multiarray`
  (2.x); the stream is written with the installed NumPy and that GLOBAL line rewritten;
- Python 2 wrote its `str` as BINSTRING opcodes (read back as bytes with encoding="bytes"),
  Python 3 writes bytes at protocol 2 as a call to `_codecs.encode`.

`poisoned_batch_bytes` is a batch whose b'data' is a call to a forbidden global (FORBIDDEN:
`os.system`, `builtins.exec`, ...) that would create a marker file: plain `pickle.load` creates it, a
restricted unpickler must refuse the global before anything runs.
"""

from __future__ import annotations

import io
import os
import pickle
import re
import shlex
import struct
import sys
import types
from pathlib import Path

import numpy as np

NUMPY_1 = "numpy.core.multiarray"   # where NumPy 1.x's _reconstruct lives (the official files)
NUMPY_2 = "numpy._core.multiarray"  # NumPy 2.x
# Globals a batch file must not get: the shell, the same function under the name pickle really
# writes for it on this platform (posix.system / nt.system: a list of forbidden names misses it),
# Python code, and a function under numpy that is not an array name (numpy also has functions
# that run code, e.g. numpy.load(..., allow_pickle=True): allowing "anything from numpy" is not
# safe). That last one is a stand-in installed by `install_numpy_lookalike`.
PLATFORM_SYSTEM = f"{os.system.__module__}.system"
NUMPY_LOOKALIKE = "numpy.spec_lookalike.create_file"
FORBIDDEN = ("os.system", PLATFORM_SYSTEM, "builtins.exec", NUMPY_LOOKALIKE)


def install_numpy_lookalike(monkeypatch) -> None:
    """Make NUMPY_LOOKALIKE importable for this test (pytest's monkeypatch undoes it)."""
    module_name, function = NUMPY_LOOKALIKE.rsplit(".", 1)
    module = types.ModuleType(module_name)
    setattr(module, function, lambda path: open(path, "w").close())
    monkeypatch.setitem(sys.modules, module_name, module)


def official_batch_bytes(images: np.ndarray, labels, numpy_module: str = NUMPY_1,
                         python2: bool = True) -> bytes:
    """A protocol-2 pickle of {b'batch_label', b'labels', b'data', b'filenames'} as written by
    NumPy `numpy_module` (NUMPY_1 or NUMPY_2) under Python 2 (`python2`) or Python 3."""
    batch = {b"batch_label": b"synthetic batch", b"labels": [int(v) for v in labels],
             b"data": np.ascontiguousarray(images.reshape(len(images), -1), dtype=np.uint8),
             b"filenames": [f"img_{i}.png".encode() for i in range(len(images))]}
    stream = _python2_dumps(batch) if python2 else pickle.dumps(batch, protocol=2)
    stream, found = re.subn(rb"cnumpy\._?core\.multiarray\n_reconstruct\n",
                            b"c" + numpy_module.encode() + b"\n_reconstruct\n", stream)
    assert found == 1, "the array's rebuild function was not written as expected"
    return stream


def poisoned_batch_bytes(global_name: str, marker: Path) -> bytes:
    """A batch file whose b'data' calls `global_name` ('module.name', from FORBIDDEN) with an
    argument that creates the file `marker`, written opcode by opcode (pickletools names them)."""
    module, name = global_name.rsplit(".", 1)
    call = (pickle.GLOBAL + f"{module}\n{name}\n".encode()
            + _binunicode(_creating(marker, name)) + pickle.TUPLE1 + pickle.REDUCE)
    return (pickle.PROTO + b"\x02" + pickle.EMPTY_DICT + pickle.MARK
            + _short_binstring(b"data") + call
            + _short_binstring(b"labels") + pickle.EMPTY_LIST
            + pickle.SETITEMS + pickle.STOP)


def _creating(marker: Path, function: str) -> str:
    """The argument that makes `function` (system or exec) create `marker`."""
    if function == "exec":
        return f"open({str(marker)!r}, 'w').close()"
    if function != "system":
        return str(marker)
    if os.name == "nt":
        return f'type nul > "{marker}"'
    return f"touch {shlex.quote(str(marker))}"


def _binunicode(text: str) -> bytes:
    data = text.encode()
    return pickle.BINUNICODE + struct.pack("<I", len(data)) + data


def _short_binstring(data: bytes) -> bytes:
    return pickle.SHORT_BINSTRING + bytes([len(data)]) + data


class _Python2Pickler(pickle._Pickler):
    """The pure-Python pickler, writing str and bytes as Python 2 wrote its str: BINSTRING."""

    dispatch = pickle._Pickler.dispatch.copy()

    def save_python2_str(self, obj):
        data = obj.encode("latin-1") if isinstance(obj, str) else obj
        if len(data) < 256:
            self.write(_short_binstring(data))
        else:
            self.write(pickle.BINSTRING + struct.pack("<i", len(data)) + data)
        self.memoize(obj)

    dispatch[str] = save_python2_str
    dispatch[bytes] = save_python2_str


def _python2_dumps(obj) -> bytes:
    buffer = io.BytesIO()
    _Python2Pickler(buffer, protocol=2).dump(obj)
    return buffer.getvalue()
