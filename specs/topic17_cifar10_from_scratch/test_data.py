"""Specs for Topic 17's data functions: load_batch, channel_stats, normalize, random_crop_flip.

load_batch reads a tiny synthetic dataset written here in the official CIFAR-10 pickle layout
(as NumPy 1.x or 2.x, Python 2 or 3 wrote it), so the real loader is tested without downloading
anything, and must refuse a file that asks for a forbidden global such as os.system without
running it (specs/harness/pickles.py writes both kinds).
"""

import importlib.util
import pickle
import pickletools
from pathlib import Path

import numpy as np
import pytest

from specs.harness import Kata, expect_close, expect_dtype, expect_shape, fail
from specs.harness.pickles import (
    FORBIDDEN,
    NUMPY_1,
    NUMPY_2,
    NUMPY_LOOKALIKE,
    PLATFORM_SYSTEM,
    install_numpy_lookalike,
    official_batch_bytes,
    poisoned_batch_bytes,
)

TOPIC = "topic17_cifar10_from_scratch"
pipe = Kata(TOPIC, "pipeline")


def write_official_batch(path, images, labels, numpy_module=NUMPY_1, python2=True):
    """A batch file as the official python version stores it: a protocol-2 pickle of a dict
    with bytes keys, b'data' a uint8 (N, 3072) array (R plane, then G, then B, row-major),
    written as by NumPy 1.x under Python 2 (the official files) unless told otherwise."""
    Path(path).write_bytes(official_batch_bytes(images, labels, numpy_module, python2))


def synthetic_images(n, seed=0):
    rng = np.random.default_rng(seed)
    return (rng.integers(0, 256, (n, 3, 32, 32), dtype=np.uint8),
            rng.integers(0, 10, n))


# ----------------------------------------------------------------------------- load_batch
@pytest.mark.shape
@pytest.mark.parametrize("n", [1, 7])
def test_load_batch_shapes_and_dtypes(tmp_path, n):
    images, labels = synthetic_images(n)
    write_official_batch(tmp_path / "data_batch_1", images, labels)
    result = pipe.call("load_batch", str(tmp_path / "data_batch_1"))
    if not (isinstance(result, tuple) and len(result) == 2):
        fail("load_batch should return a pair (images, labels).")
    x, y = result
    expect_shape(x, (n, 3, 32, 32), "load_batch: images",
                 "b'data' holds one row of 3072 values per image: reshape to (N, 3, 32, 32).")
    expect_dtype(x, np.uint8, "load_batch: images")
    expect_shape(np.asarray(y), (n,), "load_batch: labels")
    expect_dtype(np.asarray(y), np.int64, "load_batch: labels")


@pytest.mark.fixture
def test_load_batch_pixel_layout(tmp_path):
    images, labels = synthetic_images(5, seed=1)
    write_official_batch(tmp_path / "test_batch", images, labels)
    x, y = pipe.call("load_batch", str(tmp_path / "test_batch"))
    if not np.array_equal(np.asarray(y), labels):
        fail("load_batch: the labels are not b'labels' in file order.")
    if not np.array_equal(x, images):
        channels_last = images.reshape(5, -1).reshape(5, 32, 32, 3).transpose(0, 3, 1, 2)
        hint = (" It looks like the row of 3072 values was read as (32, 32, 3): the file stores "
                "the whole red plane first, so it is (3, 32, 32)."
                if np.array_equal(x, channels_last) else "")
        fail("load_batch: pixel [n, c, i, j] should be data[n, c*1024 + i*32 + j]." + hint)


@pytest.mark.fixture
@pytest.mark.parametrize("python2", [True, False], ids=["python2", "python3"])
@pytest.mark.parametrize("numpy_module", [NUMPY_1, NUMPY_2], ids=["numpy1", "numpy2"])
def test_load_batch_reads_files_written_by_numpy_1_and_2(tmp_path, numpy_module, python2):
    if numpy_module == NUMPY_2 and importlib.util.find_spec("numpy._core") is None:
        pytest.skip("this NumPy predates numpy._core: it cannot rebuild arrays NumPy 2 wrote")
    images, labels = synthetic_images(3, seed=2)
    path = tmp_path / "data_batch_2"
    path.write_bytes(official_batch_bytes(images, labels, numpy_module, python2))
    writer = f"NumPy {'1.x' if numpy_module == NUMPY_1 else '2.x'} under Python {2 if python2 else 3}"
    refused = _exception_from("load_batch", str(path))
    if isinstance(refused, pickle.UnpicklingError):
        needs = sorted({arg.replace(" ", ".") for op, arg, _ in pickletools.genops(path.read_bytes())
                        if op.name == "GLOBAL"})
        fail(f"load_batch refused a valid batch file written by {writer} ({refused}). That file "
             f"asks for exactly these globals: {', '.join(needs)}. Allow all of them: copies "
             f"saved again by newer NumPy or Python are still CIFAR-10.")
    x, y = pipe.call("load_batch", str(path))
    if not (np.array_equal(x, images) and np.array_equal(np.asarray(y), labels)):
        fail(f"load_batch: a batch file written by {writer} was not decoded to its images and "
             f"labels.")


@pytest.mark.parametrize("forbidden", FORBIDDEN)
def test_load_batch_refuses_a_global_a_batch_file_does_not_need(tmp_path, monkeypatch, forbidden):
    """A pickle can name any function and have it called while loading; load_batch must refuse
    every global but the few an array and lists need, before calling anything."""
    install_numpy_lookalike(monkeypatch)
    marker = tmp_path / "created-by-the-file"
    path = tmp_path / "data_batch_1"
    path.write_bytes(poisoned_batch_bytes(forbidden, marker))
    raised = _exception_from("load_batch", str(path))
    how = "pickle.Unpickler subclass whose find_class refuses it (see the brief, 'A pickle is a program')"
    if marker.exists():
        fail(f"load_batch ran code from a file: {path.name} asks for {forbidden}"
             f"{_WHAT_IT_IS.get(forbidden, '')} with an argument that creates a file, and the file "
             f"was created (it could have been any command). pickle.load calls every function a "
             f"pickle names. Read the file with a {how}: allow only the names a CIFAR-10 file "
             f"needs (a set of (module, name) pairs), not a list of forbidden ones nor a whole "
             f"module.")
    if raised is None:
        fail(f"load_batch returned without complaint on {path.name}, which asks for {forbidden}. "
             f"Raise pickle.UnpicklingError from find_class for any global you did not allow.")
    if not isinstance(raised, pickle.UnpicklingError):
        fail(f"load_batch raised {type(raised).__name__} ({raised}) on a file that asks for "
             f"{forbidden}. The contract is pickle.UnpicklingError, what pickle raises for a "
             f"pickle it will not load: raise that from the find_class of a {how}.")
    for what, text in (("the refused global", forbidden), ("the file", path.name)):
        if text not in str(raised):
            fail(f"load_batch refused {path.name} (good), but its message does not name {what} "
                 f"({text!r}): {str(raised)!r}. Say which file asked for which global, e.g. "
                 f"f\"{{path}} asks for {{module}}.{{name}}: refused\".")


_WHAT_IT_IS = {
    PLATFORM_SYSTEM: ", which is os.system under the name pickle writes for it",
    NUMPY_LOOKALIKE: ", a stand-in for the NumPy functions that can run code (as numpy.load with "
                     "allow_pickle=True does)",
}


def _exception_from(function, *args):
    """The exception `function(*args)` raises, or None; a blank kata fails as usual."""
    try:
        pipe.function(function)(*args)
    except NotImplementedError:
        pipe.call(function, *args)  # fails with the harness's "not implemented yet"
    except Exception as err:
        return err
    return None


# ----------------------------------------------------------------------------- statistics
@pytest.mark.fixture
def test_channel_stats_values():
    rng = np.random.default_rng(2)
    x = rng.integers(0, 256, (40, 3, 6, 5), dtype=np.uint8)
    x[:, 2] = 255  # a constant channel: uint8 arithmetic would overflow here
    result = pipe.call("channel_stats", x)
    if not (isinstance(result, tuple) and len(result) == 2):
        fail("channel_stats should return a pair (mean, std).")
    mean, std = (np.asarray(v) for v in result)
    expect_shape(mean, (3,), "channel_stats: mean", "One value per channel (axis 1).")
    expect_shape(std, (3,), "channel_stats: std")
    expect_dtype(mean, np.float32, "channel_stats: mean")
    expect_dtype(std, np.float32, "channel_stats: std")
    ref = x.astype(np.float64)
    expect_close(mean, ref.mean(axis=(0, 2, 3)), "channel_stats: mean", rtol=1e-6,
                 reference="the mean over N, H and W of each channel (in float64)")
    expect_close(std, ref.std(axis=(0, 2, 3)), "channel_stats: std", rtol=1e-6,
                 reference="the population standard deviation (ddof=0) over N, H and W")


@pytest.mark.rules
@pytest.mark.parametrize("dtype", [np.uint8, np.float32, np.float64])
def test_normalize_float32_out(dtype):
    x = np.arange(2 * 3 * 4 * 5).reshape(2, 3, 4, 5).astype(dtype)
    out = pipe.call("normalize", x, np.array([1, 2, 3], np.float32),
                    np.array([2, 4, 8], np.float32))
    expect_shape(out, x.shape, "normalize: out")
    expect_dtype(out, np.float32, "normalize: out")


@pytest.mark.fixture
def test_normalize_values_per_channel():
    rng = np.random.default_rng(3)
    x = rng.integers(0, 256, (4, 3, 5, 6), dtype=np.uint8)
    mean, std = np.array([125.3, 122.9, 113.9], np.float32), np.array([63, 62, 66.7], np.float32)
    out = pipe.call("normalize", x, mean, std)
    expected = (x - mean.astype(np.float64)[:, None, None]) / std.astype(np.float64)[:, None, None]
    expect_close(out, expected, "normalize: out", rtol=1e-6,
                 reference="(x - mean[c]) / std[c] for channel c (axis 1)")


# ----------------------------------------------------------------------------- augmentation
def _find_source(out_img, x_img, pad):
    """(dy, dx, flipped) such that out_img is that crop of reflect-padded x_img, or None."""
    h, w = x_img.shape[1:]
    padded = np.pad(x_img, ((0, 0), (pad, pad), (pad, pad)), mode="reflect") if pad else x_img
    for dy in range(2 * pad + 1):
        for dx in range(2 * pad + 1):
            crop = padded[:, dy:dy + h, dx:dx + w]
            if np.array_equal(out_img, crop):
                return dy, dx, False
            if np.array_equal(out_img, crop[:, :, ::-1]):
                return dy, dx, True
    return None


@pytest.mark.shape
@pytest.mark.parametrize("shape, dtype", [((5, 3, 8, 8), np.float32), ((2, 3, 32, 32), np.uint8),
                                          ((1, 1, 6, 9), np.float64)])
def test_random_crop_flip_keeps_shape_and_dtype(shape, dtype):
    x = np.random.default_rng(4).integers(0, 200, shape).astype(dtype)
    out = pipe.call("random_crop_flip", x, 2, np.random.default_rng(0))
    expect_shape(out, shape, "random_crop_flip: out")
    expect_dtype(out, dtype, "random_crop_flip: out")


@pytest.mark.fixture
@pytest.mark.parametrize("pad", [0, 1, 2, 3])
def test_random_crop_flip_outputs_are_crops_of_the_reflect_padded_input(pad):
    x = np.random.default_rng(5).standard_normal((24, 2, 7, 6))  # every pixel distinct
    out = pipe.call("random_crop_flip", x, pad, np.random.default_rng(1))
    for n in range(len(x)):
        if _find_source(out[n], x[n], pad) is None:
            zero = np.pad(x[n], ((0, 0), (pad, pad), (pad, pad)))
            zero_hint = any(np.array_equal(out[n], zero[:, dy:dy + 7, dx:dx + 6])
                            or np.array_equal(out[n], zero[:, dy:dy + 7, dx:dx + 6][:, :, ::-1])
                            for dy in range(2 * pad + 1) for dx in range(2 * pad + 1))
            fail(f"random_crop_flip(pad={pad}): image {n} of the output is not a window of "
                 f"image {n} reflect-padded by {pad} (left-right mirrored or not)."
                 + (" It is a window of the ZERO-padded image: use np.pad(..., mode='reflect')."
                    if zero_hint else " Crop each image with its own offset, keep channels "
                    "together, and mirror along the width axis (the last one)."))


@pytest.mark.fixture
def test_random_crop_flip_covers_every_offset_and_both_flips():
    pad = 2
    x = np.random.default_rng(6).standard_normal((600, 1, 9, 9))  # no palindromic crops
    out = pipe.call("random_crop_flip", x, pad, np.random.default_rng(2))
    found = [_find_source(out[n], x[n], pad) for n in range(len(x))]
    if any(f is None for f in found):
        fail("random_crop_flip: some outputs are not crops of the reflect-padded input.")
    offsets = {(dy, dx) for dy, dx, _ in found}
    missing = {(a, b) for a in range(5) for b in range(5)} - offsets
    if missing:
        fail(f"random_crop_flip(pad=2): over 600 images these (dy, dx) offsets never occurred: "
             f"{sorted(missing)}; each of 0..2*pad (inclusive) should be equally likely.")
    flips = sum(f for _, _, f in found)
    if not 240 <= flips <= 360:
        fail(f"random_crop_flip: {flips} of 600 images were mirrored; expected about half.")


@pytest.mark.rules
def test_random_crop_flip_is_reproducible_from_the_generator():
    x = np.random.default_rng(7).standard_normal((16, 3, 8, 8)).astype(np.float32)
    a = pipe.call("random_crop_flip", x, 2, np.random.default_rng(42))
    b = pipe.call("random_crop_flip", x, 2, np.random.default_rng(42))
    c = pipe.call("random_crop_flip", x, 2, np.random.default_rng(43))
    if not np.array_equal(a, b):
        fail("random_crop_flip: two generators with the same seed gave different outputs. Draw "
             "every random number from `rng` (not np.random.*), so that a seed reproduces a run.")
    if np.array_equal(a, c):
        fail("random_crop_flip: different seeds gave the same output: use `rng`.")


@pytest.mark.rules
def test_random_crop_flip_advances_the_callers_generator():
    """Two calls on one generator are two steps of training: they must draw different crops."""
    x = np.random.default_rng(7).standard_normal((16, 3, 8, 8)).astype(np.float32)
    rng = np.random.default_rng(44)
    first = pipe.call("random_crop_flip", x, 2, rng)
    second = pipe.call("random_crop_flip", x, 2, rng)
    if np.array_equal(first, second):
        fail("random_crop_flip gave the same 16 crops and flips twice from one generator: the "
             "caller's rng did not advance, so every epoch would see the same augmentation. Draw "
             "from `rng` itself, never from a copy of it (copy.deepcopy(rng), or a generator "
             "rebuilt from its state).")
