"""The CPU a figure was measured on, in one line: speed figures are compared only within one run
on one machine, and the CPU changes between machines of the same name ("AMD EPYC" is Zen 3 in
family 25 model 1, Zen 4 in family 25 model 17)."""

from __future__ import annotations

import os
import platform
from pathlib import Path


def cpu_description() -> str:
    """'AMD EPYC (family 25 model 1; AVX2, no AVX-512; 2 cores)' from /proc/cpuinfo, or what
    platform knows elsewhere."""
    fields = {}
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            key, _, value = line.partition(":")
            fields.setdefault(key.strip(), value.strip())
    except OSError:
        return f"{platform.processor() or platform.machine()} ({os.cpu_count()} cores)"
    flags = set(fields.get("flags", "").split())
    vector = ("AVX-512" if "avx512f" in flags else
              "AVX2, no AVX-512" if "avx2" in flags else "no AVX2")
    return (f"{fields.get('model name', platform.machine())} (family {fields.get('cpu family', '?')}"
            f" model {fields.get('model', '?')}; {vector}; {os.cpu_count()} cores)")
