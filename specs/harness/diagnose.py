"""Where a mismatch lives, and what usually causes that pattern.

`explain_mismatch(got, expected, bad)` looks at the set of wrong elements of an NCHW-like array
(or any array whose last two axes are spatial) and returns sentences for the learner: errors
confined to the border (padding), to every s-th row or column (stride), to one channel or one
sample (axis mix-ups), a result equal to the expected one transposed or flipped (kernel
orientation, (h, w) swapped), plus a small text map of the mismatches in a 2-D slice.
"""

from __future__ import annotations

import numpy as np

MAP_MAX_SIDE = 16


def explain_mismatch(got: np.ndarray, expected: np.ndarray, bad: np.ndarray) -> list[str]:
    """Sentences about the pattern of `bad` (a boolean mask of the wrong elements)."""
    if got.shape != expected.shape or not bad.any():
        return []
    sentences = []
    sentences += _orientation(got, expected)
    if got.ndim >= 2:
        sentences += _spatial_pattern(bad)
    if got.ndim >= 3:
        sentences += _confined_to_one(bad, axis=0, noun="sample", hint="the batch axis")
    if got.ndim == 4:
        sentences += _confined_to_one(bad, axis=1, noun="channel", hint="the channel axis")
    if np.allclose(got, 0):
        sentences.append("Everything you returned is zero: is the result ever written into "
                         "the output array?")
    elif got.ndim >= 2:
        sentences += _text_map(bad)
    return sentences


def _orientation(got: np.ndarray, expected: np.ndarray) -> list[str]:
    if got.ndim < 2:
        return []
    close = lambda a, b: a.shape == b.shape and np.allclose(a, b, rtol=1e-6, atol=1e-9)  # noqa: E731
    if close(got, expected[..., ::-1, ::-1]):
        return ["Your result is the expected one flipped in both spatial directions: the kernel "
                "is probably applied rotated by 180 degrees (convolution here is "
                "cross-correlation, as in PyTorch: no flip)."]
    if close(got, expected[..., ::-1, :]) or close(got, expected[..., :, ::-1]):
        return ["Your result is the expected one mirrored along one spatial axis: check the "
                "direction of a row or column index."]
    if close(got, np.swapaxes(expected, -1, -2)):
        return ["Your result is the expected one transposed (height and width swapped): check "
                "where (h, w) pairs and the H/W axes are used."]
    return []


def _spatial_pattern(bad: np.ndarray) -> list[str]:
    rows = bad.any(axis=tuple(range(bad.ndim - 2)) + (bad.ndim - 1,)) if bad.ndim > 2 else bad.any(1)
    cols = bad.any(axis=tuple(range(bad.ndim - 1))) if bad.ndim > 2 else bad.any(0)
    height, width = bad.shape[-2:]
    sentences = []
    if height > 2 and width > 2 and _on_border(rows, cols) and not bad[..., 1:-1, 1:-1].any():
        sentences.append("The errors are confined to the border: look at the padding "
                         "(its width on each side, and that it pads with zeros).")
    else:
        for axis_name, line in (("row", rows), ("column", cols)):
            step = _periodic_step(line)
            if step:
                sentences.append(f"Only every {step}-th {axis_name} is wrong: look at how the "
                                 f"stride is applied along that axis.")
    if height > 1 and (rows[-1] and not rows[: height // 2].any()):
        sentences.append("Only the last rows are wrong: check the output size (the last window) "
                         "and the end of your loop ranges.")
    elif width > 1 and (cols[-1] and not cols[: width // 2].any()):
        sentences.append("Only the last columns are wrong: check the output size (the last "
                         "window) and the end of your loop ranges.")
    return sentences


def _on_border(rows: np.ndarray, cols: np.ndarray) -> bool:
    return bool(rows[0] or rows[-1] or cols[0] or cols[-1])


def _periodic_step(line: np.ndarray) -> int:
    """s if exactly the indices congruent mod s (s >= 2) are marked, else 0."""
    marked = np.flatnonzero(line)
    if len(line) < 4 or len(marked) < 2 or len(marked) == len(line):
        return 0
    step = int(np.gcd.reduce(np.diff(marked)))
    if step < 2:
        return 0
    expected = np.arange(marked[0] % step, len(line), step)
    return step if np.array_equal(marked, expected) else 0


def _confined_to_one(bad: np.ndarray, axis: int, noun: str, hint: str) -> list[str]:
    if bad.shape[axis] < 2:
        return []
    per_index = bad.any(axis=tuple(a for a in range(bad.ndim) if a != axis))
    wrong = np.flatnonzero(per_index)
    if len(wrong) == 1:
        return [f"Only {noun} {int(wrong[0])} is wrong, the others match: look at {hint} "
                f"(an index fixed at one value, or a sum/mean over the wrong axis)."]
    if len(wrong) == bad.shape[axis] - 1 and not per_index[0]:
        return [f"Only {noun} 0 is right: an accumulation over {hint} may keep the first "
                f"value only, or an index may be stuck."]
    return []


def _text_map(bad: np.ndarray) -> list[str]:
    """A picture of the first wrong 2-D slice: 'x' wrong, '.' right."""
    leading = np.argwhere(bad.reshape(-1, *bad.shape[-2:]).any(axis=(1, 2)))[0][0]
    plane = bad.reshape(-1, *bad.shape[-2:])[leading]
    if max(plane.shape) > MAP_MAX_SIDE:
        return []
    index = np.unravel_index(leading, bad.shape[:-2]) if bad.ndim > 2 else ()
    label = "".join(f"{int(i)}, " for i in index)
    picture = ["".join("x" if cell else "." for cell in row) for row in plane]
    return [f"Map of [{label}:, :] (x = wrong):"] + [f"  {row}" for row in picture]
