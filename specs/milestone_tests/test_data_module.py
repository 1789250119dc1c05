"""data/cifar10.py on synthetic files in the official layout: finding, validating, caching, and
downloading (from a file:// URL standing in for the official one). No network, no real data."""

import hashlib
import io
import pickle
import tarfile

import numpy as np
import pytest

from data import cifar10

PER_FILE = 4


@pytest.fixture(autouse=True)
def isolated(tmp_path, monkeypatch):
    """Small files, a private cache and data folder, and no CIFAR10_DIR from the environment."""
    monkeypatch.setattr(cifar10, "IMAGES_PER_FILE", PER_FILE)
    monkeypatch.setattr(cifar10, "CACHE_DIR", tmp_path / "cache")
    monkeypatch.setattr(cifar10, "HERE", tmp_path / "home")
    (tmp_path / "home").mkdir()
    monkeypatch.delenv(cifar10.ENV_VAR, raising=False)


def batch_bytes(seed, labels=None, drop=None):
    rng = np.random.default_rng(seed)
    d = {b"batch_label": b"synthetic", b"data": rng.integers(0, 256, (PER_FILE, 3072), np.uint8),
         b"labels": list(labels if labels is not None else rng.integers(0, 10, PER_FILE))}
    if drop:
        del d[drop]
    return pickle.dumps(d, protocol=2)


def write_folder(folder, **overrides):
    folder.mkdir(parents=True, exist_ok=True)
    for i, name in enumerate((*cifar10.TRAIN_FILES, cifar10.TEST_FILE)):
        (folder / name).write_bytes(overrides.get(name, batch_bytes(i)))
    return folder


def test_loads_an_extracted_folder_and_its_parent(tmp_path):
    folder = write_folder(tmp_path / "x" / cifar10.FOLDER_NAME)
    for given in (folder, folder.parent):
        d = cifar10.load_cifar10(given, quiet=True)
        assert d["x_train"].shape == (5 * PER_FILE, 3, 32, 32) and d["x_train"].dtype == np.uint8
        assert d["y_test"].shape == (PER_FILE,) and d["y_test"].dtype == np.int64
    raw = pickle.loads(batch_bytes(0), encoding="bytes")
    assert np.array_equal(d["x_train"][:PER_FILE].reshape(PER_FILE, -1), raw[b"data"])


def test_environment_variable(tmp_path, monkeypatch):
    folder = write_folder(tmp_path / "env")
    monkeypatch.setenv(cifar10.ENV_VAR, str(folder))
    assert cifar10.load_cifar10(quiet=True)["x_test"].shape == (PER_FILE, 3, 32, 32)


def test_second_load_comes_from_the_cache(tmp_path, monkeypatch):
    folder = write_folder(tmp_path / "c")
    first = cifar10.load_cifar10(folder, quiet=True)

    def no_decoding(*args):
        raise AssertionError("decoded again instead of reading the cache")
    monkeypatch.setattr(cifar10, "_read_split", no_decoding)
    second = cifar10.load_cifar10(folder, quiet=True)
    assert all(np.array_equal(first[k], second[k]) for k in cifar10.ARRAYS)


@pytest.mark.parametrize("bad, message", [
    (batch_bytes(9, labels=[0, 1, 12, 3]), "labels must lie in 0..9"),
    (batch_bytes(9, drop=b"labels"), "expected the keys"),
    (b"not a pickle", "not a readable CIFAR-10 pickle"),
])
def test_a_bad_file_is_named(tmp_path, bad, message):
    folder = write_folder(tmp_path / "bad", data_batch_3=bad)
    with pytest.raises(cifar10.CifarError, match=message) as err:
        cifar10.load_cifar10(folder, quiet=True)
    assert "data_batch_3" in str(err.value)


def test_wrong_count_is_named(tmp_path, monkeypatch):
    folder = write_folder(tmp_path / "count")
    monkeypatch.setattr(cifar10, "IMAGES_PER_FILE", PER_FILE + 1)
    with pytest.raises(cifar10.CifarError, match="data_batch_1: 4 images"):
        cifar10.load_cifar10(folder, quiet=True)


def test_offline_message_says_what_to_download_and_where():
    with pytest.raises(cifar10.CifarError) as err:
        cifar10.load_cifar10(download=False, quiet=True)
    text = str(err.value)
    assert cifar10.URL in text and cifar10.MD5 in text and cifar10.ENV_VAR in text


def official_archive(tmp_path):
    """A .tar.gz laid out like the official one, and its md5."""
    folder = write_folder(tmp_path / "src" / cifar10.FOLDER_NAME)
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w:gz") as tar:
        tar.add(folder, arcname=cifar10.FOLDER_NAME)
    path = tmp_path / "served.tar.gz"
    path.write_bytes(buf.getvalue())
    return path, hashlib.md5(buf.getvalue()).hexdigest()


def test_download_checks_md5_then_moves_into_place(tmp_path, monkeypatch):
    served, md5 = official_archive(tmp_path)
    monkeypatch.setattr(cifar10, "URL", served.as_uri())
    monkeypatch.setattr(cifar10, "MD5", md5)
    d = cifar10.load_cifar10(quiet=True)
    home = tmp_path / "home"
    assert d["x_train"].shape[0] == 5 * PER_FILE
    assert (home / cifar10.ARCHIVE_NAME).is_file()
    assert not (home / (cifar10.ARCHIVE_NAME + ".part")).exists()
    assert (home / cifar10.FOLDER_NAME / cifar10.TEST_FILE).is_file()


def test_corrupt_download_leaves_nothing_that_looks_complete(tmp_path, monkeypatch):
    served, _ = official_archive(tmp_path)
    monkeypatch.setattr(cifar10, "URL", served.as_uri())
    monkeypatch.setattr(cifar10, "MD5", "0" * 32)
    with pytest.raises(cifar10.CifarError, match="md5"):
        cifar10.load_cifar10(quiet=True)
    assert list((tmp_path / "home").iterdir()) == []
