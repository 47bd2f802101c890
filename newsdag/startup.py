"""What a run spends around its work, by part: the run summary's start-up figure.

A run over one article or a million pays the same fixed cost: the interpreter and
imports, the model, Prefect's server and flow engine, the worker pool. It is reported
apart from the work, part by part, so that a slow part shows.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


def process_age() -> float:
    """Seconds since this process started (Linux ``/proc``; 0 where it cannot be read)."""
    try:
        stat = Path("/proc/self/stat").read_text()
        started_ticks = int(stat[stat.rindex(")") + 2 :].split()[19])
        boot = next(int(line.split()[1]) for line in Path("/proc/stat").read_text().splitlines() if line.startswith("btime"))
    except (OSError, ValueError, StopIteration):
        return 0.0
    return max(0.0, time.time() - (boot + started_ticks / os.sysconf("SC_CLK_TCK")))


class StartupClock:
    """Seconds per part of the fixed cost, in the order they happened."""

    def __init__(self) -> None:
        self.parts: dict[str, float] = {}

    def add(self, name: str, seconds: float) -> None:
        self.parts[name] = self.parts.get(name, 0.0) + max(0.0, seconds)

    @contextmanager
    def part(self, name: str) -> Iterator[None]:
        started = time.perf_counter()
        try:
            yield
        finally:
            self.add(name, time.perf_counter() - started)

    @property
    def total(self) -> float:
        return sum(self.parts.values())

    def describe(self) -> str:
        """``4.9 s start-up: python 0.4 · model 0.5 · …``"""
        shown = " · ".join(f"{name} {seconds:.1f}" for name, seconds in self.parts.items() if seconds >= 0.05)
        return f"{self.total:.1f} s start-up" + (f": {shown}" if shown else "")
