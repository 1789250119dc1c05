"""The milestone's pictures: what a learner looks at after the run.

- curves.png: training loss, and accuracy on the training batches beside the held-out accuracy
  (a fixed slice of the test set, evaluated after every epoch): the gap between the two is what
  augmentation and regularization are about;
- gallery.png: test images with their true and predicted labels, the most confident mistakes
  first (many are understandable: a cat/dog, a truck seen from the front);
- feature_maps.png: one test image, and the most active channels after the whitening layer and
  after each conv group: the maps shrink (31 -> 15 -> 7 -> 3 pixels) as the channels grow;
- confusion.png: which classes are taken for which (flip TTA, the whole test set).

matplotlib is optional (it is not a core dependency): without it the PNGs are skipped with a note.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

CLASSES = ("airplane", "automobile", "bird", "cat", "deer",
           "dog", "frog", "horse", "ship", "truck")
GALLERY = (4, 8)          # rows, columns
MAPS_PER_STAGE = 12


def write_plots(out: Path, report: dict) -> list[str]:
    """Write curves.png, gallery.png, feature_maps.png, confusion.png into out; their paths."""
    try:
        import matplotlib
        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        print("note: matplotlib is not installed, so no PNGs (pip install matplotlib)")
        return []
    paths = [_curves(plt, out, report["history"], report["heldout"], report["heldout_size"]),
             _gallery(plt, out, report["heldout_images"], report["heldout_labels"],
                      report["heldout_logits"]),
             _feature_maps(plt, out, report["feature_image"], report["feature_maps"],
                           CLASSES[int(report["heldout_labels"][0])] if len(report["heldout_labels"])
                           else ""),
             _confusion(plt, out, report["labels"], report["predictions"])]
    paths = [p for p in paths if p is not None]
    print("plots: " + ", ".join(str(p) for p in paths))
    return [str(p) for p in paths]


# ----------------------------------------------------------------------------- curves
def _curves(plt, out: Path, history: list, heldout: list, heldout_size: int) -> Path:
    epochs = [h["epoch"] for h in history]
    fig, (a, b) = plt.subplots(1, 2, figsize=(11, 4))
    a.plot(epochs, [h["loss"] for h in history], color="tab:blue")
    a.set(xlabel="epoch", ylabel="training loss (label-smoothed)", title="training loss")
    b.plot(epochs, [100 * h["acc"] for h in history], color="tab:blue",
           label="training batches (augmented, while learning)")
    if heldout:
        b.plot([h["epoch"] for h in heldout], [100 * h["acc"] for h in heldout], "o-",
               color="tab:orange", label=f"held-out: {heldout_size} test images, after each epoch")
        last = heldout[-1]
        b.annotate(f"{100 * last['acc']:.1f}%", (last["epoch"], 100 * last["acc"]),
                   textcoords="offset points", xytext=(-10, 8), ha="right", color="tab:orange")
    b.set(xlabel="epoch", ylabel="accuracy (%)", title="accuracy", ylim=(0, 100))
    b.legend(loc="lower right", fontsize=8)
    for ax in (a, b):
        ax.grid(alpha=0.3)
    return _save(plt, fig, out / "curves.png")


# ----------------------------------------------------------------------------- gallery
def softmax(logits: np.ndarray) -> np.ndarray:
    z = np.asarray(logits, np.float64)
    z = np.exp(z - z.max(axis=1, keepdims=True))
    return z / z.sum(axis=1, keepdims=True)


def gallery_order(labels: np.ndarray, logits: np.ndarray) -> np.ndarray:
    """Indices of the mistakes by the confidence of their (wrong) prediction, highest first,
    then the correct predictions, most confident first."""
    probs = softmax(logits)
    predicted = probs.argmax(axis=1)
    confidence = probs.max(axis=1)
    wrong = predicted != np.asarray(labels)
    return np.lexsort((-confidence, ~wrong))


def _gallery(plt, out: Path, images: np.ndarray, labels: np.ndarray, logits: np.ndarray):
    if not len(labels):
        return None
    order = gallery_order(labels, logits)[:GALLERY[0] * GALLERY[1]]
    probs = softmax(logits)
    rows, cols = GALLERY
    fig, axes = plt.subplots(rows, cols, figsize=(cols * 1.55, rows * 1.85))
    for ax in np.ravel(axes):
        ax.axis("off")
    mistakes = int(np.sum(probs.argmax(axis=1) != labels))
    for ax, i in zip(np.ravel(axes), order, strict=False):
        pred, true = int(probs[i].argmax()), int(labels[i])
        ax.imshow(images[i].transpose(1, 2, 0), interpolation="nearest")
        ok = pred == true
        text = (f"{CLASSES[pred]} {100 * probs[i, pred]:.0f}%" if ok else
                f"{CLASSES[pred]} {100 * probs[i, pred]:.0f}%\ntrue: {CLASSES[true]}")
        ax.set_title(text, fontsize=7.5, color="tab:green" if ok else "tab:red")
    fig.suptitle(f"{len(labels)} held-out test images, no TTA: {mistakes} mistakes; the most "
                 f"confident mistakes first (red: predicted, confidence, true label), then the "
                 f"most confident right answers (green)", fontsize=8.5)
    return _save(plt, fig, out / "gallery.png")


# ----------------------------------------------------------------------------- feature maps
STAGES = ("after the whitening layer", "after group 1", "after group 2", "after group 3")


def _feature_maps(plt, out: Path, image: np.ndarray, maps: list, label: str):
    """One row per stage: its most active channels (largest mean), on one colour scale per row."""
    if not maps:
        return None
    cols = MAPS_PER_STAGE + 1
    fig, axes = plt.subplots(len(maps), cols, figsize=(cols * 0.95, len(maps) * 1.15))
    axes = np.atleast_2d(axes)
    for ax in axes.ravel():
        ax.axis("off")
    axes[0, 0].imshow(image.transpose(1, 2, 0), interpolation="nearest")
    axes[0, 0].set_title(f"input: {label}", fontsize=7)
    for row, fmap in enumerate(maps):
        fmap = np.asarray(fmap, np.float64)
        top = np.argsort(-fmap.mean(axis=(1, 2)))[:MAPS_PER_STAGE]
        vmax = max(float(fmap[top].max()), 1e-12)
        stage = STAGES[row] if row < len(STAGES) else f"stage {row}"
        axes[row, 1].text(0, 1.1, f"{stage}: {fmap.shape[0]} channels of {fmap.shape[1]}x"
                          f"{fmap.shape[2]}, the {len(top)} most active (brighter: stronger)",
                          fontsize=7, transform=axes[row, 1].transAxes)
        for col, c in enumerate(top, 1):
            axes[row, col].imshow(fmap[c], cmap="magma", vmin=0, vmax=vmax,
                                  interpolation="nearest")
    fig.subplots_adjust(left=0.01, right=0.99, top=0.9, bottom=0.02, hspace=0.45, wspace=0.08)
    return _save(plt, fig, out / "feature_maps.png", tight=False)


# ----------------------------------------------------------------------------- confusion
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


def _save(plt, fig, path: Path, tight: bool = True) -> Path:
    if tight:
        fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return path
