"""load_batch returns NumPy arrays, not the pickle's own containers.

b'labels' is a Python list in the file; the rest of the pipeline indexes labels with an index
array (y[batch]) and compares them elementwise (predictions == y), which a list does not do. The
brief's table: images uint8 (N, 3, 32, 32), labels int64 (N,).
"""

import pickle

import numpy as np
import pytest

from specs.harness import Kata, fail

TOPIC = "topic17_cifar10_from_scratch"
pipe = Kata(TOPIC, "pipeline")


@pytest.mark.shape
def test_load_batch_returns_arrays(tmp_path):
    rng = np.random.default_rng(170)
    images = rng.integers(0, 256, (3, 3072), dtype=np.uint8)
    batch = {b"batch_label": b"synthetic", b"labels": [4, 0, 9], b"data": images,
             b"filenames": [b"a.png", b"b.png", b"c.png"]}
    path = tmp_path / "data_batch_1"
    path.write_bytes(pickle.dumps(batch, protocol=2))
    result = pipe.call("load_batch", str(path))
    if not (isinstance(result, tuple) and len(result) == 2):
        fail("load_batch should return a pair (images, labels).")
    fixes = {"images": "np.asarray(d[b'data'], dtype=np.uint8).reshape(-1, 3, 32, 32)",
             "labels": "np.asarray(d[b'labels'], dtype=np.int64) (the file holds a Python "
                       "list), so that y[batch] and predictions == y work"}
    for (name, fix), value in zip(fixes.items(), result):
        if not isinstance(value, np.ndarray):
            fail(f"load_batch returned the {name} as a {type(value).__name__}, not a NumPy "
                 f"array: return {fix}.")
