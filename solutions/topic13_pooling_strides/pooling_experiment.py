"""What pooling keeps: max and average pooling of one image at several window sizes and strides.

    tox -e experiment13                       # your pooling (the reference while yours is blank)
    tox -e experiment13 -- --data-dir DIR     # on a CIFAR-10 test image from DIR

The same colour image (N = 1, C = 3) goes through maxpool2d_forward and avgpool2d_forward with
windows of 2, 4 and 8 (stride = kernel_size: no overlap) and with a 3x3 window at stride 2
(overlapping windows), then global_avgpool_forward. The pooled images are shown at the same size
as the input, each output value as a block, so you see what survives: max pooling keeps the
brightest value of each window (thin bright lines and highlights survive and thicken, dark detail
disappears), average pooling keeps the mean (everything blurs, contrast fades); the global average
is one colour per channel. A second row does the same to the grey image's edge strength (the
Sobel edges of Topic 11), the kind of map a conv layer passes to a pool: max pooling keeps where an
edge was, average pooling dilutes it. Writes runs/topic13_pooling.png unless --no-plot.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import numpy as np

from tools.experiment_kit import learner_or_reference, load_image, parse_args, save_figure

MODULE = "topic13_pooling_strides.pooling"
SETTINGS = [(2, 2), (4, 4), (8, 8), (3, 2)]  # (kernel_size, stride)


def edge_strength(image: np.ndarray) -> np.ndarray:
    """(1, 1, H, W) Sobel edge magnitude of the grey image, scaled to [0, 1]."""
    grey = np.tensordot([0.299, 0.587, 0.114], image, axes=1)
    padded = np.pad(grey, 1, mode="edge")
    H, W = grey.shape
    window = np.lib.stride_tricks.sliding_window_view(padded, (3, 3))[:H, :W]
    sobel = np.array([[-1, 0, 1], [-2, 0, 2], [-1, 0, 1]])
    gx, gy = (window * sobel).sum((-2, -1)), (window * sobel.T).sum((-2, -1))
    strength = np.hypot(gx, gy)
    return (strength / (strength.max() or 1.0))[None, None]


def pool_everything(pooling, x: np.ndarray) -> dict[str, np.ndarray]:
    """'max k2 s2' -> (C, H', W'), ..., 'global average' -> (C, 1, 1); one line each."""
    outputs = {}
    for kind, forward in (("max", pooling.maxpool2d_forward), ("average", pooling.avgpool2d_forward)):
        for kernel, stride in SETTINGS:
            name = f"{kind} {kernel}x{kernel}, stride {stride}"
            start = time.perf_counter()
            out, _ = forward(x, kernel, stride=stride)
            outputs[name] = out[0]
            kept = out[0].size / x[0].size
            print(f"  {name:<26} {str(x.shape):<15} -> {str(out.shape):<15} keeps {kept:6.1%} "
                  f"of the values, mean {out.mean():.3f} (input {x.mean():.3f})  "
                  f"({time.perf_counter() - start:.2f} s)")
    pooled, _ = pooling.global_avgpool_forward(x)
    outputs["global average"] = pooled[0][:, None, None]
    print(f"  {'global average':<26} {str(x.shape):<15} -> {str(pooled.shape):<15} "
          f"one value per channel")
    return outputs


def plot(rows: list[tuple[str, np.ndarray, dict]], source: str, impl: str, out=None) -> Path:
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    columns = 1 + len(rows[0][2])
    fig, axes = plt.subplots(len(rows), columns, figsize=(2.0 * columns, 2.5 * len(rows) + 0.8))
    for (label, x, outputs), line in zip(rows, axes):
        for ax, (name, values) in zip(line, [(label, x[0])] + list(outputs.items())):
            shown = values.transpose(1, 2, 0)
            shown = shown[..., 0] if shown.shape[-1] == 1 else shown
            ax.imshow(shown.clip(0, 1), cmap="gray" if shown.ndim == 2 else None, vmin=0, vmax=1,
                      interpolation="nearest")
            ax.set_title(f"{name.replace(', ', chr(10))}\n{values.shape[-2]}x{values.shape[-1]}",
                         fontsize=8)
            ax.axis("off")
    fig.suptitle(f"pooling from {impl}; {source}", fontsize=10)
    fig.tight_layout()
    return save_figure(fig, "topic13_pooling.png", out)


def main(argv=None) -> int:
    args = parse_args(__doc__, "topic13_pooling.png", argv)
    pooling, impl = learner_or_reference(
        MODULE, "maxpool2d_forward", lambda f: f(np.zeros((1, 1, 4, 4)), 2), shape=(1, 1, 2, 2))
    image, source = load_image(args.data_dir)
    print(f"image: {source}\npooling from {impl}:")
    rows = []
    for label, x in (("input", image[None]), ("edge strength", edge_strength(image))):
        print(f"{label}:")
        rows.append((label, x, pool_everything(pooling, x)))
    if not args.no_plot:
        print(f"plot: {plot(rows, source, impl, args.out)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
