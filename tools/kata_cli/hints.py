"""HINTS.md: its convention, its parser, and which tier comes next.

The convention every topic's HINTS.md follows:

    # Topic NN hints                      (title and any text before the first `##`: not shown)

    ## conv2d_forward_naive               (one section per function, in the order to write them;
                                           the heading is the function's name, backticks allowed)
    Optional text here is shown with the section's first tier.

    ### Tier 1: nudge                     (`### Tier <n>: <label>`, n = 1, 2, 3 in that order;
    ...                                    the labels are nudge, approach, nearly the code)
    ### Tier 2: approach
    ...
    ### Tier 3: nearly the code
    ...

Also accepted, for a short section: the tiers as a numbered list at the start of a line
(`1. ...`, `2. ...`, `3. ...`; continuation lines indented), labelled nudge, approach and nearly
the code. Headings inside fenced code blocks (```, also right after a list marker) are code, not
headings. A section with neither counts as one tier. Everything is Markdown, printed as it is.
"""

from __future__ import annotations

import re
import textwrap
from dataclasses import dataclass, field

SECTION = re.compile(r"^##\s+(?!#)(.+?)\s*#*\s*$")
TIER = re.compile(r"^###\s+Tier\s+(\d+)\s*[:.\-\u2013\u2014]?\s*(.*?)\s*$", re.IGNORECASE)
FENCE = re.compile(r"^\s*(?:[-*+]\s+|\d+[.)]\s+)?(```|~~~)")
ITEM = re.compile(r"^(\d+)[.)]\s+")
LABELS = {1: "nudge", 2: "approach", 3: "nearly the code"}


@dataclass
class Tier:
    number: int
    label: str
    text: str


@dataclass
class Section:
    name: str  # the heading, without backticks or a trailing "()"
    intro: str = ""
    tiers: list[Tier] = field(default_factory=list)


def parse(markdown: str) -> list[Section]:
    """The sections of a HINTS.md, each with its tiers in file order."""
    sections: list[Section] = []
    lines: list[str] = []
    in_fence = False

    def flush() -> None:
        text = "\n".join(lines).strip("\n")
        lines.clear()
        if not sections:
            return  # the preamble before the first section
        current = sections[-1]
        if current.tiers:
            current.tiers[-1].text = text
        else:
            current.intro = text

    for line in markdown.splitlines():
        if FENCE.match(line):
            in_fence = not in_fence
        section = None if in_fence else SECTION.match(line)
        tier = None if in_fence else TIER.match(line)
        if section:
            flush()
            sections.append(Section(_clean(section.group(1))))
        elif tier and sections:
            flush()
            sections[-1].tiers.append(Tier(int(tier.group(1)), tier.group(2).strip(), ""))
        else:
            lines.append(line)
    flush()
    for section in sections:
        if not section.tiers:
            section.intro, section.tiers = _numbered_tiers(section.intro)
    return [s for s in sections if any(t.text.strip() for t in s.tiers)]


def _numbered_tiers(text: str) -> tuple[str, list[Tier]]:
    """(intro, tiers) from a numbered list 1., 2., ... at the start of lines; else one tier."""
    intro: list[str] = []
    items: list[tuple[int, list[str]]] = []
    in_fence = False
    for line in text.splitlines():
        match = None if in_fence else ITEM.match(line)
        if FENCE.match(line):
            in_fence = not in_fence
        if match and int(match.group(1)) == len(items) + 1:
            items.append((int(match.group(1)), [line[match.end():]]))
        elif items:
            items[-1][1].append(line)
        else:
            intro.append(line)
    if len(items) < 2:
        return "", [Tier(1, "hint", text)]
    tiers = [Tier(number, LABELS.get(number, ""), _item_text(lines)) for number, lines in items]
    return "\n".join(intro).strip(), tiers


def _item_text(lines: list[str]) -> str:
    """A list item's first line and its continuation lines, the latter dedented."""
    return (lines[0] + "\n" + textwrap.dedent("\n".join(lines[1:]))).strip()


def _clean(heading: str) -> str:
    name = heading.strip().strip("`").strip()
    return name[:-2] if name.endswith("()") else name


def find_section(sections: list[Section], name: str) -> Section | None:
    """The section called `name`, or the only one whose name starts with or contains it."""
    exact = [s for s in sections if s.name == name]
    if exact:
        return exact[0]
    partial = [s for s in sections if s.name.startswith(name)] or \
        [s for s in sections if name in s.name]
    return partial[0] if len(partial) == 1 else None


def render(section: Section, tier_index: int, heading: bool = True) -> str:
    """One tier as the learner reads it: '## name', the intro with tier 1, '### Tier n: label'."""
    tier = section.tiers[tier_index]
    parts = [f"## {section.name}"] if heading else []
    if tier_index == 0 and section.intro.strip():
        parts.append(section.intro.strip())
    parts.append(f"### Tier {tier.number}: {tier.label}".rstrip(": ") if tier.label
                 else f"### Tier {tier.number}")
    parts.append(tier.text.strip())
    return "\n\n".join(parts)


def next_section(sections: list[Section], seen: dict[str, int],
                 failing: str | None = None) -> Section | None:
    """Whose next tier to show: the failing function's if it has one unseen, else the first
    section with an unseen tier; None when every tier has been shown."""
    if failing:
        match = next((s for s in sections if s.name == failing), None)
        if match and seen.get(match.name, 0) < len(match.tiers):
            return match
    return next((s for s in sections if seen.get(s.name, 0) < len(s.tiers)), None)


def mentioned_function(message: str, sections: list[Section]) -> str | None:
    """The section whose name appears first in a failure message (the function being tested)."""
    found = [(message.find(s.name), s.name) for s in sections if s.name in message]
    if not found:
        return None
    # The earliest mention wins; for "a_b" vs "a_b_c" at the same spot the longer name wins.
    found.sort(key=lambda item: (item[0], -len(item[1])))
    return found[0][1]
