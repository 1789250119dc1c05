"""A synthetic CIFAR-10 in the official "python version" layout, for tests that must not download.

`write_official_batch` writes one batch file as the official archive stores it (the Topic 17
specs have their own writer, beside pytest, which the milestone's environment does not have);
`write_colour_dataset` writes a whole `cifar-10-batches-py` folder of noisy
one-colour-per-class images (the colours of the milestone specs' `synthetic_cifar`), which a
network learns in a few steps: the milestone's end-to-end interrupt/resume check trains on it
through tox.
"""

from __future__ import annotations

import pickle
from pathlib import Path

import numpy as np

TRAIN_FILES = tuple(f"data_batch_{i}" for i in range(1, 6))
TEST_FILE = "test_batch"
IMAGES_PER_FILE = 10_000


def write_official_batch(path, images, labels):
    """One batch file as the official archive stores it: a protocol-2 pickle of a dict with
    bytes keys; b'data' uint8 (N, 3072), each row the R plane, then G, then B."""
    flat = np.ascontiguousarray(images, np.uint8).reshape(len(images), 3 * 32 * 32)
    record = {b"batch_label": b"synthetic", b"data": flat, b"labels": list(map(int, labels))}
    Path(path).write_bytes(pickle.dumps(record, protocol=2))


def colour_images(n, rng, size=32):
    """(uint8 (n, 3, size, size), int64 (n,)): each class one colour, plus uniform noise."""
    palette = np.array([(r, g, b) for r in (40, 215) for g in (40, 128, 215) for b in (40, 215)])
    y = rng.integers(0, 10, n)
    x = palette[:10][y][:, :, None, None] + rng.integers(-30, 31, (n, 3, size, size), np.int16)
    return np.clip(x, 0, 255).astype(np.uint8), y.astype(np.int64)


def write_colour_dataset(root, seed=0) -> Path:
    """root/cifar-10-batches-py with five training batches and a test batch of 10,000 images."""
    folder = Path(root) / "cifar-10-batches-py"
    folder.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(seed)
    for name in (*TRAIN_FILES, TEST_FILE):
        write_official_batch(folder / name, *colour_images(IMAGES_PER_FILE, rng))
    return folder
