"""data/cifar10.py on synthetic files in the official layout: finding, validating, caching, and
downloading (from a file:// URL standing in for the official one), and loading safely: a batch
file or cache that asks for code is refused before it runs, and archives are unpacked with or
without tarfile's filters. No network, no real data."""

import hashlib
import io
import pickle
import tarfile

import numpy as np
import pytest

from data import cifar10
from specs.harness.pickles import (
    FORBIDDEN,
    NUMPY_1,
    NUMPY_2,
    install_numpy_lookalike,
    official_batch_bytes,
    poisoned_batch_bytes,
)

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
         b"labels": [int(v) for v in (labels if labels is not None else rng.integers(0, 10, PER_FILE))]}
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


@pytest.mark.parametrize("python2", [True, False], ids=["python2", "python3"])
@pytest.mark.parametrize("numpy_module", [NUMPY_1, NUMPY_2], ids=["numpy1", "numpy2"])
def test_the_official_layout_loads_as_each_numpy_and_python_wrote_it(tmp_path, numpy_module, python2):
    rng = np.random.default_rng(1)
    images = rng.integers(0, 256, (PER_FILE, 3, 32, 32), dtype=np.uint8)
    labels = rng.integers(0, 10, PER_FILE)
    batch = official_batch_bytes(images, labels, numpy_module, python2)
    folder = write_folder(tmp_path / "v", test_batch=batch)
    d = cifar10.load_cifar10(folder, quiet=True)
    assert np.array_equal(d["x_test"], images) and np.array_equal(d["y_test"], labels)


SAFE_LOADING_MESSAGE = "data_batch_1 asks for {}: refused; CIFAR-10 batch files only hold arrays and lists"


@pytest.mark.parametrize("forbidden", FORBIDDEN)
def test_a_forbidden_global_is_refused_before_it_runs(tmp_path, monkeypatch, forbidden):
    install_numpy_lookalike(monkeypatch)
    marker = tmp_path / "ran"
    folder = write_folder(tmp_path / "p", data_batch_1=poisoned_batch_bytes(forbidden, marker))
    with pytest.raises(cifar10.CifarError) as err:
        cifar10.load_cifar10(folder, quiet=True)
    assert SAFE_LOADING_MESSAGE.format(forbidden) in str(err.value)
    assert str(folder / "data_batch_1") in str(err.value) and cifar10.URL in str(err.value)
    assert not marker.exists(), f"{forbidden} ran"


@pytest.mark.parametrize("forbidden", FORBIDDEN)
def test_the_poisoned_files_do_run_code_under_plain_pickle(tmp_path, monkeypatch, forbidden):
    """So that the refusal spec above can fail: plain pickle.loads creates the marker."""
    install_numpy_lookalike(monkeypatch)
    marker = tmp_path / "ran"
    pickle.loads(poisoned_batch_bytes(forbidden, marker), encoding="bytes")
    assert marker.exists()


def test_a_refused_name_with_control_characters_is_shown_escaped(tmp_path):
    """Protocol 4 names globals with any string: a refusal must not print terminal escapes."""
    def short_unicode(text):
        return pickle.SHORT_BINUNICODE + bytes([len(text)]) + text.encode()
    stream = (pickle.PROTO + b"\x04" + short_unicode("os\x1b[2J") + short_unicode("system")
              + pickle.STACK_GLOBAL + pickle.STOP)
    folder = write_folder(tmp_path / "esc", data_batch_1=stream)
    with pytest.raises(cifar10.CifarError) as err:
        cifar10.load_cifar10(folder, quiet=True)
    assert "asks for 'os\\x1b[2J.system': refused" in str(err.value)
    assert "\x1b" not in str(err.value)


def test_the_command_line_prints_the_refusal(tmp_path, capsys):
    marker = tmp_path / "ran"
    folder = write_folder(tmp_path / "p", data_batch_1=poisoned_batch_bytes("os.system", marker))
    assert cifar10.main(["--data-dir", str(folder)]) == 1
    assert SAFE_LOADING_MESSAGE.format("os.system") in capsys.readouterr().err
    assert not marker.exists()


class _RunsWhenUnpickled:
    """An object whose pickle calls builtins.exec (as in an object array saved to a .npy)."""

    def __init__(self, marker):
        self.marker = marker

    def __reduce__(self):
        return exec, (f"open({str(self.marker)!r}, 'w').close()",)


def test_a_cache_file_holding_pickled_objects_is_refused(tmp_path):
    folder = write_folder(tmp_path / "c")
    cifar10.load_cifar10(folder, quiet=True)
    (cached,) = (tmp_path / "cache").glob("*/x_test.npy")
    marker = tmp_path / "ran"
    np.save(cached, np.array([_RunsWhenUnpickled(marker)], dtype=object), allow_pickle=True)
    with pytest.raises(cifar10.CifarError, match="not a plain array file") as err:
        cifar10.load_cifar10(folder, quiet=True)
    assert str(cached) in str(err.value)
    assert not marker.exists()
    np.load(cached, allow_pickle=True)  # the file really is dangerous: loaded with pickles, it runs
    assert marker.exists()


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


def hostile_archive(tmp_path):
    """The official layout plus members that must never be written: a path climbing out with
    '..', an absolute path, a symlink to a system file, and a file outside the batches folder."""
    folder = write_folder(tmp_path / "src" / cifar10.FOLDER_NAME)
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w:gz") as tar:
        tar.add(folder, arcname=cifar10.FOLDER_NAME)
        for name in (f"{cifar10.FOLDER_NAME}/../escaped", str(tmp_path / "absolute"), "elsewhere"):
            info = tarfile.TarInfo(name)
            info.size = 4
            tar.addfile(info, io.BytesIO(b"evil"))
        link = tarfile.TarInfo(f"{cifar10.FOLDER_NAME}/link")
        link.type, link.linkname = tarfile.SYMTYPE, "/etc/passwd"
        tar.addfile(link)
    path = tmp_path / "home" / cifar10.ARCHIVE_NAME
    path.write_bytes(buf.getvalue())
    return path, hashlib.md5(buf.getvalue()).hexdigest()


@pytest.mark.filterwarnings("ignore::DeprecationWarning")  # 3.12-3.13 warn when no filter is given
@pytest.mark.parametrize("has_filters", [True, False], ids=["tar-filter", "older-python"])
def test_extraction_keeps_only_the_batch_files_with_or_without_tar_filters(tmp_path, monkeypatch,
                                                                           has_filters):
    """Where tarfile has filters, filter="data" is passed; a Python before 3.10.12/3.11.4 rejects
    the argument (simulated here), so then it is not passed and the member checks still hold."""
    archive, md5 = hostile_archive(tmp_path)
    monkeypatch.setattr(cifar10, "MD5", md5)
    monkeypatch.setattr(cifar10, "tar_has_filters", lambda: has_filters)
    filters_seen = []
    real_extractall = tarfile.TarFile.extractall

    def extractall(self, path=".", members=None, **kwargs):
        if not has_filters and "filter" in kwargs:
            raise TypeError("extractall() got an unexpected keyword argument 'filter'")
        filters_seen.append(kwargs.get("filter"))
        return real_extractall(self, path, members, **kwargs)
    monkeypatch.setattr(tarfile.TarFile, "extractall", extractall)
    d = cifar10.load_cifar10(quiet=True)
    assert d["x_train"].shape[0] == 5 * PER_FILE
    assert filters_seen == (["data"] if has_filters else [None])
    extracted = sorted(p.name for p in (tmp_path / "home" / cifar10.FOLDER_NAME).iterdir())
    assert extracted == sorted((*cifar10.TRAIN_FILES, cifar10.TEST_FILE))
    home = sorted(p.name for p in (tmp_path / "home").iterdir())
    assert home == sorted([cifar10.ARCHIVE_NAME, cifar10.FOLDER_NAME])
    assert not (tmp_path / "absolute").exists() and not (tmp_path / "escaped").exists()


def test_corrupt_download_leaves_nothing_that_looks_complete(tmp_path, monkeypatch):
    served, _ = official_archive(tmp_path)
    monkeypatch.setattr(cifar10, "URL", served.as_uri())
    monkeypatch.setattr(cifar10, "MD5", "0" * 32)
    with pytest.raises(cifar10.CifarError, match="md5"):
        cifar10.load_cifar10(quiet=True)
    assert list((tmp_path / "home").iterdir()) == []
