"""The kata command's memory, in `.kata/state.json` (gitignored): hints shown, last results.

    {"hints": {"<topic folder>": {"<section>": tiers shown}},
     "results": {"<topic folder>": {"fingerprint": "...", "result": {...}}}}
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
        entry = self.data["results"].get(folder)
        return entry["result"] if entry and entry.get("fingerprint") == fingerprint else None

    def last_result(self, folder: str) -> dict | None:
        entry = self.data["results"].get(folder)
        return entry["result"] if entry else None

    def remember_result(self, folder: str, fingerprint: str, result: dict) -> None:
        self.data["results"][folder] = {"fingerprint": fingerprint, "result": result}

    def save(self) -> None:
        """Write atomically (a Ctrl-C mid-write leaves the old file)."""
        self.dir.mkdir(exist_ok=True)
        scratch = self.path.with_suffix(".tmp")
        scratch.write_text(json.dumps(self.data, indent=1, sort_keys=True), encoding="utf-8")
        os.replace(scratch, self.path)
