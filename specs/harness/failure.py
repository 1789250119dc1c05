"""Failing a spec with a message alone, and naming the known mistake behind it.

Below kata.py, ownership.py and the checks: it imports mistakes.py (which imports only records,
impl and timelimit), so nothing here imports back up.
"""

from __future__ import annotations

import textwrap

import pytest

from . import mistakes, relations
from .diagnose import help_pointer


def fail(message: str, name_mistake: bool = True) -> None:
    """Fail the current spec with `message` alone (no traceback: the message is the help).

    Except for the one-line "not implemented yet", a last line says where help is. With
    `name_mistake`, a known mistake that reproduces the spec's last calls is named after the
    first line (the checks that compare one value search for it themselves).
    """
    pointer = help_pointer()
    if name_mistake and "not implemented yet" not in message and "Known mistake (" not in message:
        message = _with_known_mistake(message)
    if pointer and "not implemented yet" not in message:
        message = f"{message}\n  {pointer}"
    try:
        pytest.fail(message, pytrace=False)
    except pytest.fail.Exception as failure:
        raise failure from None  # hide "during handling of the above exception" chains


def _with_known_mistake(message: str) -> str:
    """The message with the cause of the spec's recent calls named after its first line: a known
    mistake that reproduces them (mistakes.py), else a misread argument or an exchanged output
    (relations.py); the message as it is when neither is found."""
    try:
        match = mistakes.name_from_recent_calls()
        sentences = match.sentences() if match is not None else relations.explain_recent_call()
    except Exception:
        return message
    return _after_first_line(message, sentences) if sentences else message


def _after_first_line(message: str, sentences: list[str]) -> str:
    """`sentences`, wrapped, after the message's first line (or after the whole message when
    that line ends with ':' and so introduces what follows it)."""
    named = "\n".join(textwrap.fill(sentence, 100, initial_indent="  ", subsequent_indent="  ")
                      for sentence in sentences)
    first, _, rest = message.partition("\n")
    if first.rstrip().endswith(":"):
        return f"{message}\n{named}"
    return f"{first}\n{named}" + (f"\n{rest}" if rest else "")
