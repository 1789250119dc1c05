"""CIFAR-10: find it, download it (once), check it, decode it, cache it.

    python -m data.cifar10                  # fetch + verify + cache, then print a summary
    python -m data.cifar10 --data-dir DIR   # use an extracted `cifar-10-batches-py` folder

Where the data comes from, first match wins:
1. `--data-dir DIR` (or `load_cifar10(data_dir=DIR)`), else the environment variable CIFAR10_DIR:
   a `cifar-10-batches-py` folder, or a folder that contains one (or the official .tar.gz);
2. this folder (`data/`): `data/cifar-10-batches-py/`, or `data/cifar-10-python.tar.gz`, else
   the official archive is downloaded here: streamed to a `.part` file with a progress line,
   md5-checked, and only then renamed into place, so an interrupted or corrupt download never
   looks complete (a later run resumes the `.part` file, or restarts if the server will not).

Every batch file is read with a restricted unpickler (data/safe_pickle.py: a file that asks for
anything but arrays and lists is refused before anything in it runs) and validated (keys, shapes,
dtype, label range, counts); a problem names the file. The decoded arrays are cached as `.npy`
files under `data/cache/` (keyed by the source files' names, sizes and modification times; read
back with allow_pickle=False), so a second run loads them in about a second. Archives are unpacked
with tarfile's "data" filter where the Python has it. Standard library + NumPy only.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import sys
import tarfile
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

import numpy as np

from .safe_pickle import RefusedGlobal, load_pickle

URL = "https://www.cs.toronto.edu/~kriz/cifar-10-python.tar.gz"
MD5 = "c58f30108f718f92721af3b95e74349a"
ARCHIVE_NAME = "cifar-10-python.tar.gz"
FOLDER_NAME = "cifar-10-batches-py"
ENV_VAR = "CIFAR10_DIR"
HERE = Path(__file__).resolve().parent
CACHE_DIR = HERE / "cache"

TRAIN_FILES = tuple(f"data_batch_{i}" for i in range(1, 6))
TEST_FILE = "test_batch"
IMAGES_PER_FILE = 10_000
NUM_CLASSES = 10
CLASSES = ("airplane", "automobile", "bird", "cat", "deer",
           "dog", "frog", "horse", "ship", "truck")


class CifarError(RuntimeError):
    """Something is wrong with the data or where it should be; the message says what to do."""


# ----------------------------------------------------------------------------- finding the data
def find_batches_dir(data_dir: str | os.PathLike | None = None, download: bool = True,
                     quiet: bool = False) -> Path:
    """The `cifar-10-batches-py` folder to read, downloading/extracting the archive if needed."""
    given = data_dir if data_dir is not None else os.environ.get(ENV_VAR) or None
    root = Path(given).expanduser() if given else HERE
    if given and not root.exists():
        source = "--data-dir" if data_dir is not None else ENV_VAR
        raise CifarError(f"{source} points to {root}, which does not exist.")
    for candidate in (root, root / FOLDER_NAME):
        if (candidate / TEST_FILE).is_file():
            return candidate
    archive = root / ARCHIVE_NAME
    if not archive.is_file():
        if given or not download:
            raise CifarError(_where_to_put_it(root, "no CIFAR-10 batch files or archive found"))
        _download(URL, archive, MD5, quiet)   # md5-checked before it is renamed into place
    else:
        if not quiet:
            print(f"checking {archive} ...", flush=True)
        _check_md5(archive, MD5)
    return _extract(archive, root, quiet)


def _where_to_put_it(root: Path, problem: str) -> str:
    return (f"CIFAR-10: {problem} in {root}.\n"
            f"Download {URL} (md5 {MD5}, 163 MB) and either put it at "
            f"{HERE / ARCHIVE_NAME} (it is then checked and unpacked on the next run), or unpack "
            f"it anywhere and pass --data-dir <that folder> or set {ENV_VAR} to it.")


def _download(url: str, dest: Path, md5: str, quiet: bool) -> None:
    """Stream `url` to `dest.part` (resuming it if present), check md5, rename to `dest`."""
    part = dest.with_name(dest.name + ".part")
    dest.parent.mkdir(parents=True, exist_ok=True)
    have = part.stat().st_size if part.exists() else 0
    try:
        try:
            response = _open(url, have)
        except urllib.error.HTTPError as err:
            if err.code != 416 or not have:  # 416: the server cannot resume; start afresh
                raise
            part.unlink()
            have, response = 0, _open(url, 0)
    except (urllib.error.URLError, OSError) as err:
        raise CifarError(_where_to_put_it(dest.parent, f"download failed ({err})")) from None
    with response:
        resumed = have and getattr(response, "status", None) == 206
        total = int(response.headers.get("Content-Length") or 0) + (have if resumed else 0)
        done = have if resumed else 0
        start, last = time.perf_counter(), 0.0
        with open(part, "ab" if resumed else "wb") as f:
            while chunk := response.read(1 << 20):
                f.write(chunk)
                done += len(chunk)
                now = time.perf_counter()
                if not quiet and (now - last > 0.5 or done == total):
                    last = now
                    rate = (done - (have if resumed else 0)) / max(now - start, 1e-9) / 1e6
                    pct = f"{100 * done / total:5.1f}% " if total else ""
                    print(f"\rdownloading {url}: {pct}{done / 1e6:.1f} MB at {rate:.1f} MB/s",
                          end="", flush=True)
    if not quiet:
        print(flush=True)
    try:
        _check_md5(part, md5)
    except CifarError:
        part.unlink(missing_ok=True)  # corrupt: the next run starts afresh
        raise
    os.replace(part, dest)


def _open(url: str, have: int):
    """urlopen, asking for the bytes after the first `have` (to resume a .part file)."""
    headers = {"Range": f"bytes={have}-"} if have else {}
    return urllib.request.urlopen(urllib.request.Request(url, headers=headers), timeout=30)


def _check_md5(path: Path, expected: str) -> None:
    digest = hashlib.md5()
    with open(path, "rb") as f:
        while chunk := f.read(1 << 22):
            digest.update(chunk)
    if digest.hexdigest() != expected:
        raise CifarError(f"{path}: md5 {digest.hexdigest()} does not match the official "
                         f"{expected}; the file is corrupt or incomplete: delete it and retry.")


def _extract(archive: Path, root: Path, quiet: bool) -> Path:
    """Unpack into a temporary folder beside the target, then rename it into place."""
    target = root / FOLDER_NAME
    if not quiet:
        print(f"extracting {archive} ...", flush=True)
    with tempfile.TemporaryDirectory(dir=root, prefix=".extract-") as tmp:
        with tarfile.open(archive, "r:gz") as tar:
            members = [m for m in tar.getmembers() if m.isfile()
                       and Path(m.name).parts[:1] == (FOLDER_NAME,) and ".." not in m.name]
            if tar_has_filters():
                tar.extractall(tmp, members=members, filter="data")
            else:  # an older Python: the member checks above are the whole defence
                tar.extractall(tmp, members=members)
        if target.exists():
            shutil.rmtree(target)
        os.replace(Path(tmp) / FOLDER_NAME, target)
    return target


def tar_has_filters() -> bool:
    """Whether tarfile takes filter="data" (3.12+, 3.11.4+, 3.10.12+; older ones raise TypeError)."""
    return hasattr(tarfile, "data_filter")


# ----------------------------------------------------------------------------- decoding
def read_batch_file(path: str | os.PathLike) -> tuple[np.ndarray, np.ndarray]:
    """One official batch file -> images uint8 (N, 3, 32, 32), labels int64 (N,); validated."""
    path = Path(path)
    try:
        d = load_pickle(path)  # plain pickle.load would run whatever the file asks for
    except RefusedGlobal as err:
        raise CifarError(f"{err}. Delete this copy and use the official archive, {URL}.") from None
    except Exception as err:
        raise CifarError(f"{path}: not a readable CIFAR-10 pickle ({err}).") from None
    if not isinstance(d, dict) or b"data" not in d or b"labels" not in d:
        keys = sorted(d) if isinstance(d, dict) else type(d).__name__
        raise CifarError(f"{path}: expected the keys b'data' and b'labels', found {keys}.")
    data, labels = d[b"data"], np.asarray(d[b"labels"])
    if not isinstance(data, np.ndarray) or data.dtype != np.uint8 or data.ndim != 2 \
            or data.shape[1] != 3 * 32 * 32:
        shape = getattr(data, "shape", None)
        raise CifarError(f"{path}: b'data' should be a uint8 array of shape (N, 3072), got "
                         f"{type(data).__name__} {getattr(data, 'dtype', '')} {shape}.")
    if labels.shape != (data.shape[0],) or labels.dtype.kind not in "iu":
        raise CifarError(f"{path}: b'labels' should hold {data.shape[0]} integers, "
                         f"got {labels.dtype} {labels.shape}.")
    if labels.size and (labels.min() < 0 or labels.max() >= NUM_CLASSES):
        raise CifarError(f"{path}: labels must lie in 0..9, found {labels.min()}..{labels.max()}.")
    return data.reshape(-1, 3, 32, 32), labels.astype(np.int64)


def _read_split(folder: Path, names: tuple[str, ...]) -> tuple[np.ndarray, np.ndarray]:
    parts = []
    for name in names:
        path = folder / name
        if not path.is_file():
            raise CifarError(f"{path} is missing: {folder} is not a complete "
                             f"cifar-10-batches-py folder.")
        x, y = read_batch_file(path)
        if len(y) != IMAGES_PER_FILE:
            raise CifarError(f"{path}: {len(y)} images, the official files have "
                             f"{IMAGES_PER_FILE}.")
        parts.append((x, y))
    return np.concatenate([p[0] for p in parts]), np.concatenate([p[1] for p in parts])


def _cache_key(folder: Path) -> str:
    stats = [(n, (folder / n).stat().st_size, (folder / n).stat().st_mtime_ns)
             for n in (*TRAIN_FILES, TEST_FILE)]
    return hashlib.sha1(json.dumps([str(folder.resolve()), stats]).encode()).hexdigest()[:16]


ARRAYS = ("x_train", "y_train", "x_test", "y_test")


def load_cifar10(data_dir: str | os.PathLike | None = None, download: bool = True,
                 cache: bool = True, quiet: bool = False) -> dict[str, np.ndarray]:
    """{'x_train': uint8 (50000, 3, 32, 32), 'y_train': int64 (50000,), 'x_test', 'y_test'}.

    See the module docstring for where the data is looked for. Raises CifarError with a message
    saying what to do when it cannot be found, downloaded, or is malformed.
    """
    folder = find_batches_dir(data_dir, download=download, quiet=quiet)
    cache_dir = CACHE_DIR / _cache_key(folder)
    if cache and all((cache_dir / f"{a}.npy").is_file() for a in ARRAYS):
        return {a: _load_cached(cache_dir / f"{a}.npy") for a in ARRAYS}
    if not quiet:
        print(f"decoding {folder} (cached after this run) ...", flush=True)
    arrays = dict(zip(ARRAYS, (*_read_split(folder, TRAIN_FILES),
                               *_read_split(folder, (TEST_FILE,))), strict=True))
    if cache:
        _write_cache(cache_dir, arrays)
    return arrays


def _load_cached(path: Path) -> np.ndarray:
    """One cached array; allow_pickle=False, so a tampered cache cannot run code either."""
    try:
        return np.load(path, allow_pickle=False)
    except (ValueError, OSError) as err:
        raise CifarError(f"{path}: not a plain array file ({err}). The cache only holds arrays: "
                         f"delete {path.parent} and run again to rebuild it.") from None


def _write_cache(cache_dir: Path, arrays: dict[str, np.ndarray]) -> None:
    """Write all arrays to a temporary folder, then rename it: a cache is complete or absent."""
    try:
        CACHE_DIR.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryDirectory(dir=CACHE_DIR, prefix=".tmp-") as tmp:
            for name, arr in arrays.items():
                np.save(Path(tmp) / f"{name}.npy", arr)
            if not cache_dir.exists():
                os.replace(tmp, cache_dir)
                os.mkdir(tmp)  # so TemporaryDirectory's cleanup finds its folder
    except OSError as err:  # a read-only checkout still trains, just without the cache
        print(f"note: could not write the cache in {CACHE_DIR} ({err})", file=sys.stderr)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description="Fetch, verify and cache CIFAR-10.")
    p.add_argument("--data-dir", default=None, help=f"extracted {FOLDER_NAME} folder "
                   f"(or its parent); default ${ENV_VAR} or {HERE}")
    p.add_argument("--no-download", action="store_true")
    args = p.parse_args(argv)
    try:
        t0 = time.perf_counter()
        d = load_cifar10(args.data_dir, download=not args.no_download)
    except CifarError as err:
        print(err, file=sys.stderr)
        return 1
    print(f"CIFAR-10 ready in {time.perf_counter() - t0:.1f} s: "
          + ", ".join(f"{k} {v.dtype} {v.shape}" for k, v in d.items()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
