"""What a convolution does to a picture: classic hand-made kernels through your conv2d_forward_naive.

    tox -e experiment11                       # your conv (the reference while yours is blank)
    tox -e experiment11 -- --data-dir DIR     # on a CIFAR-10 test image from DIR

Before a network learns its kernels, people designed them by hand. Each one here is a 3x3 weight
in the (F, C, KH, KW) layout your function takes, applied with padding 1 (same size out):
- blur (box average) and sharpen (the centre minus its neighbours), per colour channel: F = C = 3
  with the kernel on the diagonal w[f, f] and zeros elsewhere, so colours do not mix;
- vertical and horizontal edges (Sobel) and an outline (Laplacian) on the grey image (C = 1):
  bright where the brightness changes across the kernel, dark where it is flat;
- the edge strength sqrt(edges_x^2 + edges_y^2): one conv with F = 2 filters, combined after;
- a stride-2 blur: a quarter of the outputs, the image at half size.
Look at the borders too: zero padding treats the outside as black, so a blur darkens the frame
and the edge detectors light it up.
Writes runs/topic11_filters.png (runs/ is gitignored) unless --no-plot.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import numpy as np

from tools.experiment_kit import learner_or_reference, load_image, parse_args, save_figure

MODULE = "topic11_conv2d_sliding_window.conv2d"
SOBEL_X = np.array([[-1, 0, 1], [-2, 0, 2], [-1, 0, 1]], dtype=float)
KERNELS = {
    "blur": np.full((3, 3), 1 / 9),
    "sharpen": np.array([[0, -1, 0], [-1, 5, -1], [0, -1, 0]], dtype=float),
    "edges x (Sobel)": SOBEL_X,
    "edges y (Sobel)": SOBEL_X.T,
    "outline (Laplacian)": np.array([[-1, -1, -1], [-1, 8, -1], [-1, -1, -1]], dtype=float),
}
COLOUR_KERNELS = ("blur", "sharpen")


def per_channel(kernel: np.ndarray, channels: int = 3) -> np.ndarray:
    """(C, C, 3, 3) weights that apply `kernel` to each channel on its own."""
    w = np.zeros((channels, channels, *kernel.shape))
    for c in range(channels):
        w[c, c] = kernel
    return w


def grey(image: np.ndarray) -> np.ndarray:
    """(1, 1, H, W) luminance of a (3, H, W) image."""
    return np.tensordot([0.299, 0.587, 0.114], image, axes=1)[None, None]


def apply_kernels(conv, image: np.ndarray) -> dict[str, np.ndarray]:
    """name -> (H', W') or (3, H', W') output; prints one line per convolution."""
    outputs = {}
    for name, kernel in KERNELS.items():
        colour = name in COLOUR_KERNELS
        x = image[None] if colour else grey(image)
        w = per_channel(kernel) if colour else kernel[None, None]
        outputs[name] = _timed(conv, name, x, w, stride=1)[0]
    both = np.stack([SOBEL_X, SOBEL_X.T])[:, None]  # F = 2 filters over one grey channel
    gx, gy = _timed(conv, "edges x and y together (F = 2)", grey(image), both, stride=1)[0]
    outputs["edge strength"] = np.hypot(gx, gy)
    outputs["blur, stride 2"] = _timed(conv, "blur, stride 2", image[None],
                                       per_channel(KERNELS["blur"]), stride=2)[0]
    return {name: out[0] if out.ndim == 3 and out.shape[0] == 1 else out
            for name, out in outputs.items()}


def _timed(conv, name, x, w, stride):
    start = time.perf_counter()
    out, _ = conv.conv2d_forward_naive(x, w, np.zeros(w.shape[0]), stride=stride, padding=1)
    print(f"  {name:<32} x {str(x.shape):<16} w {str(w.shape):<14} -> out {str(out.shape):<16}"
          f" values {out.min():+.2f} .. {out.max():+.2f}  ({time.perf_counter() - start:.2f} s)")
    return out


def plot(image, outputs, source, impl, out=None) -> Path:
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    panels = [("input", image)] + list(outputs.items())
    fig, axes = plt.subplots(2, 4, figsize=(13, 8.4))
    for ax, (name, values) in zip(axes.flat, panels):
        if values.ndim == 3:  # colour: show as it is, clipped to [0, 1]
            ax.imshow(values.transpose(1, 2, 0).clip(0, 1), interpolation="nearest")
        else:  # signed responses: grey, 0 in the middle for edges
            limit = np.abs(values).max() or 1.0
            low = 0 if name == "edge strength" else -limit
            ax.imshow(values, cmap="gray", vmin=low, vmax=limit, interpolation="nearest")
        ax.set_title(f"{name}\n{values.shape[-2]}x{values.shape[-1]}", fontsize=10)
        ax.axis("off")
    fig.suptitle(f"conv2d_forward_naive from {impl}: hand-made 3x3 kernels, zero padding 1\n{source}",
                 fontsize=11)
    fig.tight_layout()
    return save_figure(fig, "topic11_filters.png", out)


def main(argv=None) -> int:
    args = parse_args(__doc__, "topic11_filters.png", argv)
    conv, impl = learner_or_reference(MODULE, "conv2d_forward_naive", lambda f: f(
        np.zeros((1, 1, 3, 3)), np.zeros((1, 1, 3, 3)), np.zeros(1), stride=1, padding=1),
        shape=(1, 1, 3, 3))
    image, source = load_image(args.data_dir)
    print(f"image: {source}\nconv2d_forward_naive from {impl}:")
    start = time.perf_counter()
    outputs = apply_kernels(conv, image)
    print(f"{len(outputs)} pictures in {time.perf_counter() - start:.1f} s")
    if not args.no_plot:
        print(f"plot: {plot(image, outputs, source, impl, args.out)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
