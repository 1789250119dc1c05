"""The kata command's memory, in `.kata/state.json` (gitignored): hints shown, last results.

    {"hints": {"<topic folder>": {"<section>": tiers shown}},
     "results": {"<topic folder>": {"fingerprint": "...", "result": {...}, "complete": bool}}}

A topic's result is the last spec run that touched it, whichever command started it (the
pytest plugin report_plugin.py writes it). `complete` says that run had every spec of the topic
(no file, -k or -m narrowing it, not stopped by -x): only a complete result stands for the
topic's progress; any result tells which functions were failing last.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from .topics import REPO_ROOT


class State:
    def __init__(self, root: Path = REPO_ROOT):
        self.dir = root / ".kata"
        self.path = self.dir / "state.json"
        try:
            self.data = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            self.data = {}
        self.data.setdefault("hints", {})
        self.data.setdefault("results", {})

    def hints_seen(self, folder: str) -> dict[str, int]:
        return self.data["hints"].setdefault(folder, {})

    def cached_result(self, folder: str, fingerprint: str) -> dict | None:
        """The topic's complete result, if nothing it depends on changed since."""
        entry = self.data["results"].get(folder)
        fresh = entry and entry.get("fingerprint") == fingerprint and entry.get("complete", True)
        return entry["result"] if fresh else None

    def last_result(self, folder: str, fingerprint: str | None = None) -> dict | None:
        """The last run's result for the topic (complete or not); None if there is none, or if
        `fingerprint` is given and the files changed since."""
        entry = self.data["results"].get(folder)
        if not entry or (fingerprint is not None and entry.get("fingerprint") != fingerprint):
            return None
        return entry["result"]

    def remember_result(self, folder: str, fingerprint: str, result: dict,
                        complete: bool = True) -> None:
        self.data["results"][folder] = {"fingerprint": fingerprint, "result": result,
                                        "complete": complete}

    def save(self) -> None:
        """Write atomically (a Ctrl-C mid-write leaves the old file)."""
        self.dir.mkdir(exist_ok=True)
        scratch = self.path.with_suffix(".tmp")
        scratch.write_text(json.dumps(self.data, indent=1, sort_keys=True), encoding="utf-8")
        os.replace(scratch, self.path)
