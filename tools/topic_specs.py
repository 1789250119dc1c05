"""`pytest specs/<topic> ARGS`, or `pytest ARGS` alone when ARGS name specs of their own.

What `tox -e topicNN -- ARGS` runs, so that the arguments narrow the run instead of adding to it:

    tox -e topic14                                              # pytest specs/topic14_...
    tox -e topic14 -- -k running -m rules --impl solutions      # pytest specs/topic14_... -k ...
    tox -e topic14 -- specs/topic14_.../test_batchnorm.py       # pytest specs/topic14_.../test_...
    tox -e topic14 -- specs/topic14_.../test_relu.py::test_relu_shapes

An argument names specs when it is not an option or an option's value and is a path (a node id
`path::name` counts by its path) inside specs/.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

SPECS = (Path(__file__).resolve().parents[1] / "specs").resolve()
# pytest options whose value is the next argument and may look like a path under specs/
TAKES_A_VALUE = {"-k", "-m", "-p", "-c", "-o", "-W", "--impl", "--deselect", "--ignore",
                 "--ignore-glob", "--rootdir", "--confcutdir", "--basetemp", "--kata-report",
                 "--maxfail", "--timeout", "--tb", "--durations", "--junit-xml", "--log-file"}


def names_specs(args: list[str]) -> bool:
    """Whether any argument (not an option, nor an option's value) is a path inside specs/."""
    skip_next = False
    for arg in args:
        if skip_next:
            skip_next = False
        elif arg.startswith("-"):
            skip_next = arg in TAKES_A_VALUE
        elif _inside_specs(arg.split("::", 1)[0]):
            return True
    return False


def _inside_specs(text: str) -> bool:
    path = Path(text).resolve()
    return path.exists() and (path == SPECS or SPECS in path.parents)


def command(topic_folder: str, args: list[str]) -> list[str]:
    return list(args) if names_specs(args) else [topic_folder, *args]


def main(argv: list[str]) -> int:
    if not argv:
        print("usage: python tools/topic_specs.py specs/<topic folder> [pytest arguments]")
        return 2
    args = command(argv[0], argv[1:])
    print("pytest " + " ".join(args), flush=True)
    return int(pytest.main(args))


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
