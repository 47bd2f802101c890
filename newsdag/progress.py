"""Progress of the NLP stages, reported to whoever listens (the CLI's progress bar).

The flow calls :func:`advance` as each chunk's stage completes (run or found cached):
stages may run in other processes or on other machines, where no listener could hear
them. With no listener installed it costs nothing. A module-level listener rather than a
parameter keeps the flow's signature free of callables.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Protocol


class Listener(Protocol):
    def expect(self, documents: int) -> None:
        """The run will take ``documents`` documents through every stage."""

    def advance(self, stage: str, documents: int) -> None:
        """``documents`` more documents went through ``stage`` (run or found cached)."""


_listener: Listener | None = None


def expect(documents: int) -> None:
    if _listener is not None:
        _listener.expect(documents)


def advance(stage: str, documents: int = 1) -> None:
    if _listener is not None:
        _listener.advance(stage, documents)


@contextmanager
def listening(listener: Listener) -> Iterator[None]:
    """Install ``listener`` for the duration of the block."""
    global _listener
    previous, _listener = _listener, listener
    try:
        yield
    finally:
        _listener = previous
