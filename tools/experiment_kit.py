"""What the Topic 11 and 13 experiments share: an image to look at, and your code or the reference.

- `load_image`: a CIFAR-10 test image when CIFAR-10 is on disk (`--data-dir`, `$CIFAR10_DIR` or
  `data/`; never downloaded here), else a small scene drawn by `drawn_scene` (sky, sun, hills, a
  house and a tree, with some texture), so the experiments run on a fresh clone.
- `learner_or_reference`: the topic's module from katas/ if the function the experiment needs is
  written, else the reference, with one line that says so.
"""

from __future__ import annotations

import importlib
from pathlib import Path

import numpy as np

REPO_ROOT = Path(__file__).resolve().parents[1]
RUNS = REPO_ROOT / "runs"
CIFAR_INDEX = 11  # a ship against the sky and the sea: long straight edges and flat areas


def load_image(data_dir: str | None = None, size: int = 64) -> tuple[np.ndarray, str]:
    """(image, what it is): float64 (3, H, W) in [0, 1]."""
    from data import cifar10
    try:
        folder = cifar10.find_batches_dir(data_dir, download=False, quiet=True)
        images, labels = cifar10.read_batch_file(folder / cifar10.TEST_FILE)
    except cifar10.CifarError:
        return drawn_scene(size), f"a {size}x{size} scene drawn by tools/experiment_kit.py " \
                                  f"(no CIFAR-10 on disk: --data-dir DIR uses a real image)"
    name = cifar10.CLASSES[labels[CIFAR_INDEX]]
    return images[CIFAR_INDEX] / 255.0, f"CIFAR-10 test image {CIFAR_INDEX} (a {name}, 32x32)"


def drawn_scene(size: int = 64) -> np.ndarray:
    """A landscape with edges at every angle, flat areas, fine texture and a bright sun."""
    rng = np.random.default_rng(7)
    y, x = np.mgrid[0:size, 0:size] / size
    sky = np.stack([0.45 + 0.3 * y, 0.65 + 0.2 * y, 0.95 - 0.1 * y])
    image = sky.copy()
    sun = (x - 0.78) ** 2 + (y - 0.2) ** 2 < 0.09 ** 2
    image[:, sun] = np.array([1.0, 0.9, 0.4])[:, None]
    far_hill = y > 0.55 - 0.12 * np.sin(3.1 * x + 0.5)
    image[:, far_hill] = np.array([0.35, 0.55, 0.4])[:, None]
    grass = y > 0.72 + 0.05 * np.sin(7 * x)
    texture = 0.08 * rng.standard_normal((size, size))
    image[:, grass] = (np.array([0.3, 0.6, 0.2])[:, None] + texture[grass]).clip(0, 1)
    wall = (x > 0.18) & (x < 0.42) & (y > 0.55) & (y < 0.8)
    image[:, wall] = np.array([0.85, 0.8, 0.7])[:, None]
    roof = (y > 0.38) & (y <= 0.55) & (np.abs(x - 0.3) < (y - 0.38) * 0.9)
    image[:, roof] = np.array([0.7, 0.2, 0.15])[:, None]
    door = (x > 0.27) & (x < 0.33) & (y > 0.66) & (y < 0.8)
    image[:, door] = np.array([0.35, 0.2, 0.1])[:, None]
    window = (x > 0.2) & (x < 0.25) & (y > 0.6) & (y < 0.66)
    image[:, window] = np.array([0.3, 0.5, 0.9])[:, None]
    trunk = (x > 0.6) & (x < 0.64) & (y > 0.55) & (y < 0.82)
    image[:, trunk] = np.array([0.4, 0.25, 0.1])[:, None]
    crown = (x - 0.62) ** 2 + (y - 0.47) ** 2 < 0.11 ** 2
    leaves = 0.1 * rng.standard_normal((size, size))
    image[:, crown] = (np.array([0.15, 0.45, 0.15])[:, None] + leaves[crown]).clip(0, 1)
    return image


def learner_or_reference(module: str, function: str, probe, shape: tuple) -> tuple[object, str]:
    """(the katas module if `probe(module.function)` returns (out, cache) with out of `shape`,
    else the solutions one, with a line saying why; and whose it is).

    `module` is relative to the package, e.g. 'topic11_conv2d_sliding_window.conv2d'.
    """
    mine = importlib.import_module(f"katas.{module}")
    where = f"katas/{module.replace('.', '/')}.py"
    try:
        result = probe(getattr(mine, function))
        out = result[0] if isinstance(result, tuple) else None
        if getattr(out, "shape", None) == shape:
            return mine, "katas (your code)"
        problem = (f"returns out of shape {getattr(out, 'shape', None)} where {shape} is expected"
                   if isinstance(result, tuple) else
                   f"returns a {type(result).__name__}, not the pair (out, cache)")
    except NotImplementedError:
        problem = "is not implemented yet"
    except Exception as error:  # the learner's code: say it in one line, show the reference
        problem = f"raises {type(error).__name__}: {error}"
    print(f"Your {function} ({where}) {problem}: showing the reference's. `tox -e "
          f"{module[:7]}` says what to fix; run this again once it is green.")
    return importlib.import_module(f"solutions.{module}"), "solutions (the reference)"


def parse_args(doc: str, png: str, argv=None):
    """The options both experiments take: --data-dir, --out (default runs/<png>), --no-plot."""
    import argparse
    parser = argparse.ArgumentParser(description=doc.splitlines()[0])
    parser.add_argument("--data-dir", help="a cifar-10-batches-py folder or its parent "
                                           "(default: $CIFAR10_DIR, then data/)")
    parser.add_argument("--out", type=Path, help=f"the PNG (default runs/{png})")
    parser.add_argument("--no-plot", action="store_true")
    return parser.parse_args(argv)


def save_figure(fig, name: str, out: Path | None = None) -> Path:
    """Save under runs/ (gitignored) and close; the path written."""
    path = Path(out) if out else RUNS / name
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=110)
    import matplotlib.pyplot as plt
    plt.close(fig)
    return path
