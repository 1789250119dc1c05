"""The milestone's pictures: training curves, confusion matrix, first-layer filters.

matplotlib is optional (it is not a core dependency): without it the PNGs are skipped with a note.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

CLASSES = ("airplane", "automobile", "bird", "cat", "deer",
           "dog", "frog", "horse", "ship", "truck")


def write_plots(out: Path, report: dict) -> list[str]:
    """Write curves.png, confusion.png, filters.png into out; returns their paths."""
    try:
        import matplotlib
        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        print("note: matplotlib is not installed, so no PNGs (pip install matplotlib)")
        return []
    paths = [_curves(plt, out, report["history"]),
             _confusion(plt, out, report["labels"], report["predictions"]),
             _filters(plt, out, report["whiten_w"], report["conv1_w"])]
    print("plots: " + ", ".join(str(p) for p in paths))
    return [str(p) for p in paths]


def _curves(plt, out: Path, history: list) -> Path:
    epochs = [h["epoch"] for h in history]
    fig, (a, b) = plt.subplots(1, 2, figsize=(10, 4))
    a.plot(epochs, [h["loss"] for h in history])
    a.set(xlabel="epoch", ylabel="training loss (label-smoothed)", title="loss")
    b.plot(epochs, [100 * h["acc"] for h in history])
    b.set(xlabel="epoch", ylabel="training accuracy (%)", title="accuracy on augmented batches")
    for ax in (a, b):
        ax.grid(alpha=0.3)
    return _save(plt, fig, out / "curves.png")


def confusion_matrix(labels: np.ndarray, predictions: np.ndarray, k: int = 10) -> np.ndarray:
    """counts[true, predicted]."""
    return np.bincount(labels * k + predictions, minlength=k * k).reshape(k, k)


def _confusion(plt, out: Path, labels, predictions) -> Path:
    cm = confusion_matrix(np.asarray(labels), np.asarray(predictions))
    fig, ax = plt.subplots(figsize=(7, 6))
    ax.imshow(cm, cmap="Blues")
    for i in range(10):
        for j in range(10):
            ax.text(j, i, cm[i, j], ha="center", va="center", fontsize=7,
                    color="white" if cm[i, j] > cm.max() / 2 else "black")
    ax.set_xticks(range(10), CLASSES, rotation=45, ha="right")
    ax.set_yticks(range(10), CLASSES)
    acc = np.trace(cm) / max(cm.sum(), 1)
    ax.set(xlabel="predicted", ylabel="true",
           title=f"test confusion matrix, flip TTA ({100 * acc:.1f}%)")
    return _save(plt, fig, out / "confusion.png")


def _filters(plt, out: Path, whiten_w: np.ndarray, conv1_w: np.ndarray) -> Path:
    """The 24 whitening filters (2x2 RGB) and the first 3x3 conv group's filters composed with
    them (the linear part, 4x4 RGB: what each first-group filter looks for in pixels)."""
    composed = np.zeros((conv1_w.shape[0], 3, 4, 4))
    for i in range(3):
        for j in range(3):
            composed[:, :, i:i + 2, j:j + 2] += np.einsum("fw,wcab->fcab", conv1_w[:, :, i, j],
                                                          whiten_w)
    rows = [("whitening (2x2)", whiten_w), ("group 1 conv composed with whitening (4x4)",
                                            composed)]
    fig, axes = plt.subplots(2, 1, figsize=(12, 4.5))
    for ax, (title, w) in zip(axes, rows, strict=True):
        ax.imshow(_tile(w))
        ax.set_title(title)
        ax.axis("off")
    return _save(plt, fig, out / "filters.png")


def _tile(w: np.ndarray, per_row: int = 32) -> np.ndarray:
    """Filters (F, 3, k, k) -> one RGB image, each filter scaled to [0, 1] on its own."""
    f, _, k, _ = w.shape
    lo = w.min(axis=(1, 2, 3), keepdims=True)
    hi = w.max(axis=(1, 2, 3), keepdims=True)
    w = (w - lo) / np.maximum(hi - lo, 1e-12)
    rows = -(-f // per_row)
    img = np.ones((rows * (k + 1), per_row * (k + 1), 3))
    for n in range(f):
        r, c = divmod(n, per_row)
        img[r * (k + 1):r * (k + 1) + k, c * (k + 1):c * (k + 1) + k] = w[n].transpose(1, 2, 0)
    return img


def _save(plt, fig, path: Path) -> Path:
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return path
