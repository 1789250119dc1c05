"""Topics as folders: discovery, `11` -> `topic11_conv2d_sliding_window`, kata files, blanks.

A topic is a folder `katas/topicNN_<name>/`. Its kata files are the `.py` files in that folder
or in git for it (`__init__.py` and private `_*.py` left out): one in git but not on the disk is
missing.

The blank of a kata file is found in git's history of that file: the newest version with the most
stub functions (a body that is only a docstring and `raise NotImplementedError`). A learner who
commits their work keeps a way back to the blank that way.
"""

from __future__ import annotations

import ast
import re
import subprocess
from dataclasses import dataclass
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]
TOPIC_PATTERN = re.compile(r"^topic(\d+)_(\w+)$")
MAX_HISTORY = 50  # versions of a kata file looked at when searching for its blank


class KataError(Exception):
    """A problem the learner can fix, said in one line (the CLI prints it and exits 2)."""


@dataclass(frozen=True)
class Topic:
    number: int
    folder: str  # e.g. topic11_conv2d_sliding_window
    root: Path = REPO_ROOT

    @property
    def title(self) -> str:
        return self.folder.split("_", 1)[1]

    @property
    def kata_dir(self) -> Path:
        return self.root / "katas" / self.folder

    @property
    def specs_dir(self) -> Path:
        return self.root / "specs" / self.folder

    @property
    def hints_path(self) -> Path:
        return self.kata_dir / "HINTS.md"

    @property
    def brief(self) -> str:
        return f"katas/{self.folder}/README.md"

    def has_specs(self) -> bool:
        return any(self.specs_dir.glob("test_*.py"))

    def kata_files(self) -> list[Path]:
        """The learner's files of this topic: on the disk, or in git (then they are missing)."""
        tracked = _git(self.root, "ls-files", "--", f"katas/{self.folder}/*.py") or ""
        names = {Path(line).name for line in tracked.splitlines()}
        names |= {path.name for path in self.kata_dir.glob("*.py")}
        return [self.kata_dir / name for name in sorted(names) if not name.startswith("_")]

    def missing_files(self) -> list[Path]:
        return [path for path in self.kata_files() if not path.exists()]

    def relative(self, path: Path) -> str:
        return path.relative_to(self.root).as_posix()


def discover(root: Path = REPO_ROOT) -> list[Topic]:
    """Every topic folder under katas/, in number order."""
    topics = []
    for folder in (root / "katas").glob("topic*_*"):
        match = TOPIC_PATTERN.match(folder.name)
        if match and folder.is_dir():
            topics.append(Topic(int(match.group(1)), folder.name, root))
    return sorted(topics, key=lambda t: t.number)


def resolve(name: str, root: Path = REPO_ROOT) -> Topic:
    """'11', 'topic11' or the folder's name -> the Topic; KataError with the choices otherwise."""
    topics = discover(root)
    wanted = name.strip().lower().removeprefix("katas/").rstrip("/")
    for topic in topics:
        if wanted in (str(topic.number), f"topic{topic.number}", topic.folder, topic.title):
            return topic
    choices = ", ".join(str(t.number) for t in topics) or "none yet"
    raise KataError(f"no topic {name!r}: the topics are {choices} (folders katas/topicNN_*; "
                    f"`./kata status` lists them).")


def require_kata_files(topic: Topic) -> None:
    """KataError naming the first missing kata file and how to get it back."""
    missing = topic.missing_files()
    if missing:
        raise KataError(f"{topic.relative(missing[0])} is missing: `./kata reset {topic.number}` "
                        f"restores the blank kata.")


# ---- blanks -------------------------------------------------------------------------------

def stub_count(source: str) -> int:
    """How many functions are stubs (docstring and/or `raise NotImplementedError` only)."""
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return -1
    return sum(1 for node in ast.walk(tree)
               if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and _is_stub(node))


def function_count(source: str) -> int:
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return -1
    return sum(1 for node in ast.walk(tree)
               if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))
               and not node.name.startswith("_"))


def _is_stub(node: ast.FunctionDef | ast.AsyncFunctionDef) -> bool:
    body = list(node.body)
    if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant) \
            and isinstance(body[0].value.value, str):
        body = body[1:]
    if len(body) != 1 or not isinstance(body[0], ast.Raise) or body[0].exc is None:
        return False
    exc = body[0].exc.func if isinstance(body[0].exc, ast.Call) else body[0].exc
    return isinstance(exc, ast.Name) and exc.id == "NotImplementedError"


def looks_blank(source: str) -> bool:
    """Every public function is a stub (what a kata looks like before anyone touched it)."""
    public = function_count(source)
    return public > 0 and stub_count(source) >= public


def _git(root: Path, *args: str) -> str | None:
    try:
        done = subprocess.run(["git", *args], cwd=root, capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.TimeoutExpired):
        return None
    return done.stdout if done.returncode == 0 else None


def blank_version(topic: Topic, path: Path) -> str:
    """The blank kata for `path` from git's history (see the module docstring); KataError if none."""
    relative = topic.relative(path)
    log = _git(topic.root, "log", f"-{MAX_HISTORY}", "--format=%H", "--", relative)
    commits = log.split() if log else []
    best, best_stubs = None, -1
    for commit in commits:  # newest first: a later blank only wins with more stubs
        text = _git(topic.root, "show", f"{commit}:{relative}")
        if text is None:
            continue
        stubs = stub_count(text)
        if stubs > best_stubs:
            best, best_stubs = text, stubs
    if best is None:
        raise KataError(f"cannot find the blank of {relative} in git's history (is this a git "
                        f"clone of the kata repository?).")
    return best


def untouched(topic: Topic, path: Path) -> bool:
    """True when the file is still the blank kata (by its stubs, or byte for byte as in git)."""
    if not path.exists():
        return False
    source = path.read_text(encoding="utf-8", errors="replace")
    if looks_blank(source):
        return True
    try:
        return source == blank_version(topic, path)
    except KataError:
        return False
