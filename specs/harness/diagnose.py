"""Where a mismatch lives, what usually causes that pattern, and where to read up.

`explain_mismatch(got, expected, bad)` looks at a wrong result (NCHW-like: the last two axes are
spatial when there are three or more) and returns sentences for the learner, most telling first:
- NaN or inf in the result; an expected result that is all zero (an input the forward ignores);
- a relation between the whole arrays that explains the error: all zero, the wrong sign, a
  constant factor (a mean where a sum belongs), a constant offset or one per channel (a bias),
  flipped or transposed (kernel orientation, (h, w) swapped), shifted by a row or a column
  (padding offset), samples, channels, rows or columns in another order (axis mix-ups), the axes
  permuted and reshaped back (a reshape where a transpose belongs), the right numbers elsewhere;
- small differences only (an epsilon, a variance's divisor); every element wrong (the core);
- where the wrong elements are: the border (padding), every s-th row or column (stride), the last
  rows or columns (output size, loop ends), everything but the first row/column (window starts),
  one sample or one channel (axis mix-ups), positions left at zero (never written), positions that
  should be zero (a mask);
- a small text map of the wrong elements of one 2-D slice.

`shape_advice(got_shape, expected_shape)` does the same for a wrong shape, and `help_pointer()`
names the hint command and the brief of the topic whose spec is running.
"""

from __future__ import annotations

import itertools
import os
import re

import numpy as np

MAP_MAX_SIDE = 16
RELATION_RTOL = 1e-5  # relative to the array's scale: float32 rounding stays well below it
RELATION_SHARE = 1e-3  # and a relation must explain all but this share of the error
MAX_SHIFT = 2
PROBE = 64  # elements compared before whole arrays
MAX_SLICES = 64  # samples/channels/rows/columns compared pairwise when looking for a mix-up
ZERO_FLOOR = 1e-3  # values under this fraction of the largest expected magnitude count as zero
SMALL_ERROR = 1e-3  # errors under this fraction of the largest expected magnitude are "small"
MOSTLY = 0.9  # this share of the non-zero elements wrong counts as "nearly every element"


WINDOWS, STATISTICS, LOSS, OPTIMIZER, BLOCK, OTHER = (
    "windows", "statistics", "loss", "optimizer", "block", "other")
_FAMILY_WORDS = (  # first match wins: a name's words -> the kind of computation
    (BLOCK, ("residual_block", "separable_block")),
    (STATISTICS, ("norm", "channel_stats", "normalize")),
    (WINDOWS, ("conv", "pool", "im2col", "col2im", "depthwise", "pointwise")),
    (LOSS, ("cross_entropy", "softmax", "loss")),
    (OPTIMIZER, ("sgd", "adam", "momentum", "optimizer")),
)


def family_of(function: str) -> str:
    """What kind of computation a public function is, for advice that fits it: windows (convs,
    pooling), statistics (the norms), loss, optimizer, block (layers wired together), other."""
    name = function.lower()
    for family, words in _FAMILY_WORDS:
        if any(word in name for word in words):
            return family
    return OTHER


# What "every element is wrong" and "the differences are small" point at, per family.
CORE = {
    WINDOWS: "which inputs each window reads (in a convolution, which weights they meet), the "
             "axes you sum over, and in a backward pass that overlapping windows' contributions "
             "add up (+=)",
    STATISTICS: "the statistics: which axes the mean and variance run over (per channel over "
                "N, H, W for batch norm; per sample, or per sample and group, for the others), "
                "the biased variance (divide by the count), eps inside the square root, and in "
                "a backward its three terms (through x_hat, through the variance, through the "
                "mean)",
    LOSS: "the log-softmax (z - max - log(sum(exp(z - max))) per row), the target row (label "
          "smoothing), the mean over the batch, and in a backward (softmax - target) / N",
    OPTIMIZER: "the update: weight decay added to the gradient, the velocity updated from it, "
               "then the parameter moved against it, in that order and with those signs",
    BLOCK: "the wiring: which layer feeds which and in what order, which mask each ReLU uses "
           "(taken from the forward's values, never from a gradient), and in a backward the "
           "gradients of every path that meets added up",
    OTHER: "",
}
SMALL = {
    WINDOWS: "float32 intermediates, or a term left out at an edge",
    STATISTICS: "where eps goes (inside the square root), a biased vs an unbiased variance, or "
                "float32 intermediates",
    LOSS: "an epsilon added inside a log, label smoothing's share, or float32 intermediates",
    OPTIMIZER: "the order of two updates, or where weight decay is added",
    BLOCK: "an eps or a momentum in a batch norm, or float32 intermediates",
    OTHER: "an epsilon, the order of two updates, or float32 intermediates",
}


def explain_mismatch(got: np.ndarray, expected: np.ndarray, bad: np.ndarray,
                     family: str = WINDOWS) -> list[str]:
    """Sentences about how `got` differs from `expected`; `bad` marks the wrong elements.

    `family` (see family_of) keeps the advice to what applies: windows, stride, padding and
    `+=` only for convolutions and pooling."""
    got = np.asarray(got, dtype=np.float64)
    expected = np.asarray(expected, dtype=np.float64)
    if got.shape != expected.shape or not bad.any():
        return []
    if not np.all(np.isfinite(got)):
        return ["Your result holds NaN or inf. Usual causes: exp of a large number (subtract the "
                "maximum first), log of 0, 0/0 (an epsilon missing), or an array made with "
                "np.empty and never fully written."]
    if got.size == 1:
        return []
    if not np.any(expected):
        return ["Every expected value is 0 here. If it comes from finite differences, your "
                "forward does not depend on this input at all: is it used in the forward?"]
    windows = family == WINDOWS
    clamped = _clamped_at_zero(got, expected, bad)
    if clamped:
        return clamped
    relation = _whole_array_relation(got, expected, windows)
    if relation:
        return relation
    scale = float(np.max(np.abs(expected)))
    largest = float(np.max(np.abs(got - expected))) / scale
    if largest < SMALL_ERROR:
        return [f"The differences are small (at most {largest:.1e} of the largest value): the "
                f"method is right and a detail differs, such as "
                f"{SMALL.get(family, SMALL[OTHER])}."]
    signal = np.abs(expected) > ZERO_FLOOR * scale
    starts = _window_starts(bad) if got.ndim >= 3 and windows else []
    if starts:
        return starts + _text_map(bad)
    if bad.all() or bad[signal].mean() >= MOSTLY:
        every = "Every" if bad[signal].all() else "Nearly every"
        which = "" if bad.all() or signal.all() else " that should be non-zero"
        return [f"{every} element{which} is wrong, so the error is not at an edge or at "
                f"particular positions but in the core computation"
                f"{': ' + CORE[family] if CORE.get(family) else ''}."]
    sentences = []
    if got.ndim >= 3:
        sentences += _spatial_pattern(bad) if windows else []
        sentences += _confined_to_one(bad, axis=0, noun="sample" if got.ndim < 4 else "sample/filter",
                                      where="axis 0 (N for images, F for weights)")
    if got.ndim == 4:
        sentences += _confined_to_one(bad, axis=1, noun="channel", where="the channel axis (axis 1)")
    if not np.any(got[bad]):
        sentences.append("Every wrong element is 0 in your result: those positions are never "
                         "written (a loop that stops early, or a slice that misses them).")
    elif not np.any(signal[bad]):
        sentences.append("Every wrong element should be 0: something lets values through where "
                         "it should not (a mask such as ReLU's x > 0, or max pooling's single "
                         "maximum per window).")
    if got.ndim >= 2:
        sentences += _text_map(bad)
    elif bad.size <= 4 * MAP_MAX_SIDE:
        wrong = [str(int(i)) for i in np.flatnonzero(bad)]
        many = len(wrong) > 1
        sentences.append(f"Only ind{'ices' if many else 'ex'} {', '.join(wrong)} (of 0-{bad.size - 1}) "
                         f"{'are' if many else 'is'} wrong.")
    return sentences


# ---- relations between the whole arrays -----------------------------------------------------

def _close(a: np.ndarray, b: np.ndarray, tol: float) -> bool:
    if a.shape != b.shape:
        return False
    # A few elements first: on a big array most candidate relations fail there, at once.
    if not np.all(np.abs(a.flat[:PROBE] - b.flat[:PROBE]) <= tol):
        return False
    return bool(np.all(np.abs(a - b) <= tol))


def _clamped_at_zero(got: np.ndarray, expected: np.ndarray, bad: np.ndarray) -> list[str]:
    """Wrong elements that are 0 where a negative number belongs: a 0 won a maximum (a pad of 0
    in max pooling, a ReLU too many), rather than a position never written."""
    wrong_got, wrong_expected = got[bad], expected[bad]
    if np.any(wrong_got) or not np.all(wrong_expected < 0):
        return []
    every = "Every wrong element" if not np.all(bad) else "Everything you returned"
    return [f"{every} is 0 where a negative value belongs (the expected values there are all "
            f"negative): a 0 wins over them. Usual causes: padding with 0 before a maximum (max "
            f"pooling pads with -inf, so a pad never wins), or a ReLU / np.maximum(..., 0) "
            f"that does not belong here."]


def _whole_array_relation(got: np.ndarray, expected: np.ndarray, windows: bool = True) -> list[str]:
    if not np.any(got):
        return ["Everything you returned is zero: is the result ever written into the output "
                "array (or is it computed and then dropped)? If it is, look for a value that "
                "becomes 0 on the way: an integer dtype that wraps around (uint8 arithmetic "
                "overflows silently: convert to float first) or an integer division."]
    scale = float(np.max(np.abs(expected)))
    tol = min(RELATION_RTOL * scale, RELATION_SHARE * float(np.max(np.abs(got - expected))))
    finders = (_constant_factor, _constant_offset, _orientation, _shift, _axis_mixup,
               _reshaped_not_transposed, _same_numbers_elsewhere) if windows else \
        (_constant_factor, _constant_offset, _axis_mixup, _reshaped_not_transposed,
         _same_numbers_elsewhere)
    for finder in finders:
        found = finder(got, expected, tol)
        if found:
            return found
    return []


def _constant_factor(got, expected, tol) -> list[str]:
    ratio = float(np.sum(got * expected)) / float(np.sum(expected * expected))
    if abs(ratio - 1) < 1e-3 or not _close(got, ratio * expected, tol):
        return []
    if abs(ratio + 1) < 1e-6:
        return ["Your result is the expected one with the opposite sign everywhere: look for a "
                "subtraction that should be an addition, or a minus sign in a derivative."]
    big, words = (ratio, "times the expected one") if abs(ratio) > 1 else (1 / ratio, "of the expected one")
    factor = _nice_number(big)
    amount = f"{factor} {words}" if abs(ratio) > 1 else f"1/{factor} {words}"
    named = _factor_names(abs(big), got.shape)
    return [f"Your result is exactly {amount} (the same factor everywhere): the arithmetic is "
            f"right but scaled. Usual causes: a mean where a sum belongs or the reverse (dividing "
            f"by the batch size or the number of positions), a scale applied twice or "
            f"forgotten.{named}"]


def _nice_number(value: float) -> str:
    rounded = round(value)
    if rounded and abs(value - rounded) < 1e-6 * abs(value):
        return str(int(rounded))
    return f"{value:.4g}"


def _factor_names(factor: float, shape: tuple[int, ...]) -> str:
    """' 6 is ...' when the factor equals a size of the result's axes (or a product of them)."""
    if len(shape) < 2:
        return ""
    names = {4: ["N (axis 0)", "C (axis 1)", "H", "W"],
             2: ["the size of axis 0 (the batch size, if rows are samples)", "the size of axis 1"],
             }.get(len(shape), [f"the size of axis {i}" for i in range(len(shape))])
    candidates = {}
    for i, size in enumerate(shape):
        candidates.setdefault(size, names[i])
    if len(shape) == 4:
        candidates.setdefault(shape[2] * shape[3], "H*W")
        candidates.setdefault(shape[0] * shape[2] * shape[3], "N*H*W")
        height, width = shape[2], shape[3]
        if height != width:  # a product of the wrong two sizes: H*H or W*W for H*W
            candidates.setdefault(width / height, "W/H (H*H used where H*W belongs?)")
            candidates.setdefault(height / width, "H/W (W*W used where H*W belongs?)")
    match = next((name for size, name in candidates.items()
                  if size != 1 and abs(factor - size) < 1e-6 * size), None)
    return f" Here the factor equals {match} of this array." if match else ""


def _constant_offset(got, expected, tol) -> list[str]:
    difference = got - expected
    if _close(difference, np.full_like(difference, difference.flat[0]), tol):
        return [f"Your result is the expected one plus {difference.flat[0]:.6g} everywhere: a "
                f"constant term (a bias, an epsilon, a +1) is added where it should not be, or "
                f"is missing."]
    if got.ndim >= 2 and got.shape[1] > 1:
        per_channel = difference.mean(axis=tuple(a for a in range(got.ndim) if a != 1), keepdims=True)
        if _close(difference, np.broadcast_to(per_channel, got.shape), tol):
            axis = "the channel (axis 1)" if got.ndim >= 3 else "the column (axis 1)"
            return [f"Your result differs from the expected one by an amount that depends only on "
                    f"{axis}: that is how a bias looks when it is missing, added twice, or taken "
                    f"from the wrong filter/channel."]
    return []


def _orientation(got, expected, tol) -> list[str]:
    if got.ndim < 2:
        return []
    if _close(got, expected[..., ::-1, ::-1], tol):
        return ["Your result is the expected one rotated by 180 degrees (flipped in both "
                "spatial directions): a kernel applied flipped, or a flipped gradient. "
                "Convolution here is cross-correlation, as in PyTorch: the kernel is not flipped."]
    if _close(got, expected[..., ::-1, :], tol) or _close(got, expected[..., :, ::-1], tol):
        return ["Your result is the expected one mirrored along one spatial axis: check the "
                "direction of a row or column index (counting from the end?)."]
    if _close(got, np.swapaxes(expected, -1, -2), tol):
        return ["Your result is the expected one transposed (height and width swapped): check "
                "where (h, w) pairs, KH/KW and the H/W axes are used."]
    return []


def _shift(got, expected, tol) -> list[str]:
    if got.ndim < 3:
        return []
    height, width = got.shape[-2:]
    for dy in range(-MAX_SHIFT, MAX_SHIFT + 1):
        for dx in range(-MAX_SHIFT, MAX_SHIFT + 1):
            if (dy, dx) == (0, 0) or height - abs(dy) < 2 or width - abs(dx) < 2:
                continue
            mine = got[..., max(dy, 0):height + min(dy, 0), max(dx, 0):width + min(dx, 0)]
            theirs = expected[..., max(-dy, 0):height + min(-dy, 0), max(-dx, 0):width + min(-dx, 0)]
            if _close(mine, theirs, tol):
                return [f"Your result is the expected one shifted by {_moves(dy, dx)} (apart from "
                        f"the edge): your windows start off by that much. Check the padding "
                        f"(the same amount on both sides?) and where window (i, j) starts "
                        f"(i*stride, j*stride)."]
    return []


def _moves(dy: int, dx: int) -> str:
    parts = []
    if dy:
        parts.append(f"{abs(dy)} row{'s' if abs(dy) > 1 else ''} {'down' if dy > 0 else 'up'}")
    if dx:
        parts.append(f"{abs(dx)} column{'s' if abs(dx) > 1 else ''} "
                     f"{'right' if dx > 0 else 'left'}")
    return " and ".join(parts)


def _axis_mixup(got, expected, tol) -> list[str]:
    if got.ndim < 2:
        return []
    if got.ndim == 4 and got.shape[0] == got.shape[1] and \
            _close(got, np.swapaxes(expected, 0, 1), tol):
        return ["Your result is the expected one with the batch and channel axes swapped: "
                "keep NCHW order (batch, channels, height, width)."]
    nouns = {2: ("row", "column"), 3: ("index",), 4: ("sample/filter", "channel")}[min(got.ndim, 4)]
    for axis, noun in enumerate(nouns):
        if not 2 <= got.shape[axis] <= MAX_SLICES:
            continue
        mapping = _slice_mapping(got, expected, axis, tol)
        moved = {mine: theirs for mine, theirs in mapping.items() if mine != theirs}
        if not moved:
            continue
        if len(set(mapping.values())) == 1 and len(mapping) == got.shape[axis]:
            source = next(iter(mapping.values()))
            return [f"Every {noun} of yours equals the expected {noun} {source}: an index over "
                    f"axis {axis} seems stuck at {source}."]
        pairs = ", ".join(f"your {noun} {mine} is the expected {noun} {theirs}"
                          for mine, theirs in sorted(moved.items())[:3])
        return [f"Some {noun}s are in the wrong place ({pairs}): an index over axis {axis} is "
                f"mixed up (the order in which you flatten, or of the axes in a reshape or "
                f"transpose?)."]
    return []


def _slice_mapping(got, expected, axis: int, tol: float) -> dict[int, int]:
    """your slice i -> the expected slice j it equals (i itself when it matches; only slices
    that equal one)."""
    mapping = {}
    mine_slices, their_slices = np.moveaxis(got, axis, 0), np.moveaxis(expected, axis, 0)  # views
    for mine in range(got.shape[axis]):
        order = [mine] + [i for i in range(expected.shape[axis]) if i != mine]
        for theirs in order:
            if _close(mine_slices[mine], their_slices[theirs], tol):
                mapping[mine] = theirs
                break
    return mapping


def _reshaped_not_transposed(got, expected, tol) -> list[str]:
    """got == expected with its axes permuted, then reshaped back to the expected shape."""
    if not 2 <= got.ndim <= 4:
        return []
    for perm in itertools.permutations(range(got.ndim)):
        if perm == tuple(range(got.ndim)):
            continue
        if _close(got, expected.transpose(perm).reshape(got.shape), tol):
            return [f"Your result holds the expected numbers in another order: it is the "
                    f"expected one with its axes in the order {perm}, reshaped to this shape. A "
                    f"reshape where a transpose belongs? (reshape never moves numbers between "
                    f"axes; transpose does.)"]
    return []


def _same_numbers_elsewhere(got, expected, tol) -> list[str]:
    if not _close(np.sort(got, axis=None), np.sort(expected, axis=None), tol):
        return []
    return ["Your result has exactly the expected numbers, in other places: the arithmetic is "
            "right and the indexing is not (an axis order, a flattening order, or a reshape "
            "where a transpose belongs)."]


# ---- where the wrong elements are -----------------------------------------------------------

def _spatial_pattern(bad: np.ndarray) -> list[str]:
    plane = bad.reshape(-1, *bad.shape[-2:]).any(axis=0)  # wrong anywhere at (row, column)
    rows, cols = plane.any(axis=1), plane.any(axis=0)
    height, width = plane.shape
    border = _border_width(plane)
    if border:
        return [f"The errors are confined to the border ({border} element"
                f"{'s' if border > 1 else ''} wide): look at the padding (its width on each "
                f"side, the value it pads with, and whether padded positions count, e.g. in an "
                f"average's divisor)."]
    sentences = []
    for axis_name, line, length in (("row", rows, height), ("column", cols, width)):
        step = _periodic_step(line)
        if step:
            sentences.append(f"Only every {_ordinal(step)} {axis_name} is wrong: look at how the "
                             f"stride is applied along that axis.")
        elif length > 2 and line[-1] and not line[: length // 2].any():
            sentences.append(f"Only the last {axis_name}s are wrong: check the output size (the "
                             f"last window) and the end of your loop ranges.")
    return sentences


def _window_starts(bad: np.ndarray) -> list[str]:
    """Right only in the first output row and/or column: every later window starts elsewhere."""
    right = ~bad.reshape(-1, *bad.shape[-2:]).any(axis=0)  # right in every slice at (row, column)
    height, width = right.shape
    if height * width < 4 or not right[0, 0] or right[1:, 1:].any():
        return []
    first_row, first_column = right[0, :].all(), right[:, 0].all()
    if first_row and first_column:
        which = "the first row and the first column are"
    elif first_row and not right[1:, 0].any():
        which = "the first row is"
    elif first_column and not right[0, 1:].any():
        which = "the first column is"
    elif not right[0, 1:].any() and not right[1:, 0].any():
        which = "the first window, (0, 0), is"
    else:
        return []
    return [f"Only {which} right: every later window starts at the wrong place. Window (i, j) "
            f"starts at row i*stride and column j*stride of the padded input (is the stride "
            f"applied?)."]


def _ordinal(n: int) -> str:
    return f"{n}{ {2: 'nd', 3: 'rd'}.get(n, 'th') }"


def _border_width(plane: np.ndarray) -> int:
    """1 or 2 when the wrong elements all lie within that distance of the edge, else 0.

    Errors along the bottom or right edge alone are left to the "last rows/columns" sentence.
    """
    height, width = plane.shape
    for border in (1, 2):
        if height <= 2 * border or width <= 2 * border:
            return 0
        if not plane[border:-border, border:-border].any():
            sides = (plane[:border].any(), plane[-border:].any(),
                     plane[:, :border].any(), plane[:, -border:].any())
            top, bottom, left, right = sides
            return border if top or left or (bottom and right) else 0
    return 0



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


def _confined_to_one(bad: np.ndarray, axis: int, noun: str, where: str) -> list[str]:
    if bad.shape[axis] < 2:
        return []
    per_index = bad.any(axis=tuple(a for a in range(bad.ndim) if a != axis))
    wrong = np.flatnonzero(per_index)
    if len(wrong) == 1:
        return [f"Only {noun} {int(wrong[0])} is wrong, the others match: look at {where} "
                f"(an index fixed at one value, or a sum/mean over the wrong axis)."]
    if len(wrong) == bad.shape[axis] - 1 and not per_index[0]:
        return [f"Only {noun} 0 is right: an accumulation over {where} may keep the first "
                f"value only, or an index may be stuck at 0."]
    return []


def _text_map(bad: np.ndarray) -> list[str]:
    """A picture of the first wrong 2-D slice: 'x' wrong, '.' right (none when all are wrong)."""
    planes = bad.reshape(-1, *bad.shape[-2:])
    wrong_planes = np.flatnonzero(planes.any(axis=(1, 2)))
    first = int(wrong_planes[0])
    plane = planes[first]
    if plane.all():
        return []  # a whole slice is wrong: the sample/channel sentences say where
    index = np.unravel_index(first, bad.shape[:-2]) if bad.ndim > 2 else ()
    label = "".join(f"{int(i)}, " for i in index)
    height, width = plane.shape
    crop = plane[:MAP_MAX_SIDE, :MAP_MAX_SIDE]
    shown = f"[{label}:{min(height, MAP_MAX_SIDE)}, :{min(width, MAP_MAX_SIDE)}] of " \
        f"{height}x{width}" if crop.shape != plane.shape else f"[{label}:, :]"
    heading = f"Map of {shown} (x = wrong, . = right)"
    if bad.ndim > 2 and len(wrong_planes) > 1:
        heading += f"; {len(wrong_planes)} of {len(planes)} such slices have errors"
    picture = ["".join("x" if cell else "." for cell in row) for row in crop]
    return [heading + ":"] + [f"  {row}" for row in picture]


# ---- shapes ---------------------------------------------------------------------------------

def shape_advice(got: tuple[int, ...], expected: tuple[int, ...]) -> list[str]:
    """Sentences about how a wrong shape differs from the expected one."""
    got, expected = tuple(got), tuple(expected)
    if len(got) == len(expected) + 1:
        extra = [i for i in range(len(got)) if got[:i] + got[i + 1:] == expected]
        if extra:
            return [f"It has an extra axis {extra[0]} (of size {got[extra[0]]}) and is otherwise "
                    f"the expected shape: sum (or average) over that axis too, as the brief's "
                    f"formula does, or drop a keepdims."]
    if len(got) + 1 == len(expected):
        missing = [i for i in range(len(expected)) if expected[:i] + expected[i + 1:] == got]
        if missing:
            return [f"Axis {missing[0]} (of size {expected[missing[0]]}) is missing and the rest "
                    f"is the expected shape: a sum or an index over that axis that should not "
                    f"be there, or a squeeze (keepdims=True keeps it)."]
    if len(got) != len(expected):
        return [f"It has {len(got)} axes where {len(expected)} are expected: an axis is missing "
                f"or extra (a sum without keepdims, a reshape, a squeeze?)."]
    if sorted(got) == sorted(expected) and len(got) >= 2:
        if got[:-2] == expected[:-2] and got[-2:] == expected[-2:][::-1]:
            return ["Height and width are swapped: check the order of (h, w) pairs and of "
                    "KH/KW, H/W."]
        return ["The same sizes in another order: the axes are permuted (NCHW is batch, "
                "channels, height, width)."]
    differ = [i for i, (a, b) in enumerate(zip(got, expected)) if a != b]
    spatial = len(got) >= 3 and all(i >= len(got) - 2 for i in differ)
    if spatial:
        extra = [got[i] - expected[i] for i in differ]
        if all(e > 0 and e % 2 == 0 for e in extra):
            return [f"It is {' and '.join(str(e) for e in extra)} larger in the spatial axes: "
                    f"padding still attached? (cut it off: [..., ph:ph + H, pw:pw + W])."]
        if len(extra) == 2 and extra[0] * extra[1] < 0:
            return ["One spatial axis is too large and the other too small: are (h, w) pairs "
                    "(stride, padding, kernel size) read as (w, h)?"]
        if all(e == 1 for e in extra):
            return ["One row or column too many: check the output-size formula (floor "
                    "division, then + 1) and your loop ranges."]
        if all(e < 0 for e in extra):
            return ["Too small in the spatial axes: check the output-size formula (floor "
                    "division, then + 1), your loop ranges, and that the padding goes on both "
                    "sides."]
    return []


# ---- where to read up -----------------------------------------------------------------------

TOPIC_IN_NODE = re.compile(r"specs/(topic(\d+)_\w+)/")


def help_pointer() -> str:
    """'(stuck? `./kata hint 11` ...)' for the topic whose spec is running, '' outside a spec."""
    match = TOPIC_IN_NODE.search(os.environ.get("PYTEST_CURRENT_TEST", "").replace("\\", "/"))
    if not match:
        return ""
    folder, number = match.groups()
    return f"(stuck? `./kata hint {int(number)}` gives a hint; the brief: katas/{folder}/README.md)"
