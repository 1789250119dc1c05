"""Which values share a mean and a variance? Candidate normalizations for the norm specs.

A normalization (batch, layer, group, instance norm) differs from the others only in its sets:
the values that share one mean and one variance. `normalize_over` normalizes x over one choice of
sets (a view of x and the axes to reduce); `closest_set` names the candidate a learner's output
is closest to, so a spec can say "your statistics run over each channel's H, W (InstanceNorm)"
instead of a guess about eps or the variance.

Inputs built by `offset_input` give every sample, channel and row its own large offset, so that
any two different choices of sets give clearly different outputs, while details (eps, a biased or
an unbiased variance) move the output only slightly (see SETS_TOLERANCE).
"""

from __future__ import annotations

import numpy as np

from .failure import fail

# How close (relative to the values, plus a small absolute part) an output must be to a candidate
# to count as "normalized over those sets": loose enough that eps or an unbiased variance (a few
# percent) does not matter here, tight enough that another choice of sets (O(1) off) never passes.
SETS_TOLERANCE = 0.1


def offset_input(shape: tuple[int, int, int, int], seed: int) -> np.ndarray:
    """float64 NCHW noise plus a large offset per sample, per channel and per row."""
    n, c, h, w = shape
    rng = np.random.default_rng(seed)
    offsets = (rng.standard_normal((n, 1, 1, 1)) + rng.standard_normal((1, c, 1, 1))
               + rng.standard_normal((1, 1, h, 1)))
    return rng.standard_normal(shape) + 8.0 * offsets


def normalize_over(x: np.ndarray, view_shape: tuple[int, ...], axes: tuple[int, ...],
                   eps: float) -> np.ndarray:
    """(x - mean) / sqrt(var + eps), mean and biased var over `axes` of x.reshape(view_shape)."""
    view = x.reshape(view_shape)
    mean = view.mean(axis=axes, keepdims=True)
    var = view.var(axis=axes, keepdims=True)
    return ((view - mean) / np.sqrt(var + eps)).reshape(x.shape)


def sets_distance(got: np.ndarray, candidate: np.ndarray) -> float:
    """The largest error of `got` against `candidate`, relative to the candidate's values."""
    return float(np.max(np.abs(got - candidate) / (np.abs(candidate) + 0.1)))


def closest_set(got: np.ndarray, candidates: dict[str, np.ndarray]) -> str | None:
    """The name of the candidate `got` matches within SETS_TOLERANCE (the closest), or None."""
    if not np.all(np.isfinite(got)):
        return None
    distances = {name: sets_distance(got, c) for name, c in candidates.items()}
    name = min(distances, key=distances.get)
    return name if distances[name] <= SETS_TOLERANCE else None


def expect_sets(got: np.ndarray, right: tuple[np.ndarray, str], wrong: dict[str, tuple],
                what: str, how: str) -> None:
    """Fail unless `got` is normalized over the right sets; name the wrong sets it matches.

    right: (normalized x, "over ... values" text); wrong: {name: (normalized x, text)};
    what: the call ("batchnorm2d_forward(train=True) with gamma=1, beta=0"); how: the fix.
    """
    expected, right_text = right
    if sets_distance(got, expected) <= SETS_TOLERANCE:
        return
    distinct = {name: value for name, (value, _) in wrong.items()
                if sets_distance(value, expected) > SETS_TOLERANCE}
    match = closest_set(got, distinct)
    if match:
        fail(f"{what} takes its mean and variance {wrong[match][1]}.\n"
             f"  It should normalize {right_text}: {how}.")
    worst = float(np.max(np.abs(got - expected)))
    fail(f"{what} is not (x - mean) / sqrt(var + eps) with the mean and variance {right_text}: "
         f"some value is off by {worst:.3g} (the values are of order 1). Check the axes you "
         f"reduce over ({how}), the square root, and that the variance is that of x - mean.")
