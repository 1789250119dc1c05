"""Refusals: an impossible input must be refused by the learner's own check, in words.

A ValueError is not enough. NumPy raises ValueError too when a wrong shape reaches a reshape,
a broadcast or a matmul deeper in the code ("cannot reshape array of size 486 into shape
(9,4,9)"): that refusal is luck (another shape may slip through silently) and its message
speaks of arrays the caller never made. So a refusal must
- be a ValueError,
- not be NumPy's own (raised inside NumPy, or worded as NumPy words its errors),
- name the offending numbers the brief promises (e.g. C=6 and groups=4).
"""

from __future__ import annotations

import re
import traceback
from collections.abc import Iterable
from pathlib import Path

import numpy as np

from .kata import Kata, fail

_NUMPY_DIR = Path(np.__file__).resolve().parent
# How NumPy (and matmul, einsum) word a shape error, specific enough that a learner's own message
# ("cannot reshape 6 channels into 4 groups") is not mistaken for one.
_NUMPY_WORDING = re.compile(
    r"cannot reshape array of size|operands could not be broadcast together|"
    r"could not broadcast input array from shape|shapes \(.*\) and \(.*\) not aligned|"
    r"mismatch in its core dimension|non-broadcastable output operand|einstein sum subscripts|"
    r"negative dimensions are not allowed|zero-size array to reduction operation|"
    r"setting an array element with a sequence|all the input array dimensions",
    re.IGNORECASE)


def expect_refusal(kata: Kata, function: str, args: tuple, kwargs: dict, situation: str,
                   advice: str, numbers: Iterable[int] = ()) -> None:
    """`kata.function(*args, **kwargs)` must raise the learner's own ValueError naming `numbers`.

    situation: the impossible input in words ("6 channels and groups=4"), for messages;
    advice: what to check and what to say; numbers: the values the message must name.
    """
    try:
        kata.function(function)(*args, **kwargs)
    except ValueError as err:
        _expect_own_message(function, err, situation, advice, [int(n) for n in numbers])
        return
    except NotImplementedError:
        kata.call(function, *args, **kwargs)  # fails with the harness's usual "not implemented"
    except Exception as err:
        fail(f"{function} with {situation} raised {type(err).__name__}: {err}. Raise ValueError "
             f"instead: {advice}")
    fail(f"{function} with {situation} returned without complaint. Raise ValueError: {advice}")


def is_numpy_error(err: BaseException) -> bool:
    """True when `err` came out of NumPy itself rather than a `raise` in the learner's code."""
    frames = traceback.extract_tb(err.__traceback__)
    if frames and Path(frames[-1].filename).resolve().is_relative_to(_NUMPY_DIR):
        return True
    return bool(_NUMPY_WORDING.search(str(err)))


def names_number(message: str, number: int) -> bool:
    """Does `message` contain `number` as a whole number (so 4 is not found in 24 or 4.5)?"""
    return re.search(rf"(?<![\d.]){number}(?![\d]|\.\d)", message) is not None


def _expect_own_message(function, err, situation, advice, numbers) -> None:
    message = str(err).strip() or "(no message)"
    if is_numpy_error(err):
        fail(f"{function} with {situation} raised NumPy's own ValueError from deeper in the "
             f"computation ({message!r}), not a check of yours. That is luck: NumPy stops only "
             f"some wrong inputs (others broadcast silently), and its message names arrays the "
             f"caller never made. Check the arguments first and raise ValueError yourself: "
             f"{advice}")
    missing = [n for n in dict.fromkeys(numbers) if not names_number(message, n)]
    if missing:
        wanted = ", ".join(str(n) for n in dict.fromkeys(numbers))
        fail(f"{function} with {situation} raised ValueError({message!r}), which does not name "
             f"{', '.join(str(n) for n in missing)}. Name the offending numbers ({wanted}) so the "
             f"caller sees what to fix: {advice}")
