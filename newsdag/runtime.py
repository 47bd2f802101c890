"""Defaults for running Prefect embedded, set before Prefect is first imported.

With no ``PREFECT_API_URL`` Prefect starts a temporary local server; on a new machine
its first start (database migrations) can outlast Prefect's 20 s default, so newsdag
allows longer. Anything the user sets in the environment wins.

A run is quiet on the console: Prefect's run and task logs go to its API (and so the
UI), not between the progress bars, unless asked for (:func:`console_logs`).
"""

from __future__ import annotations

import logging
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager

PREFECT_DEFAULTS = {
    "PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS": "180",
    "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
}


def apply_prefect_defaults() -> None:
    for name, value in PREFECT_DEFAULTS.items():
        os.environ.setdefault(name, value)


# Prefect's logging config reads any of its keys from the environment; this one is the
# level of the console handler alone, so the API handler (the UI's logs) still gets all.
CONSOLE_LEVEL = "PREFECT_LOGGING_HANDLERS_CONSOLE_LEVEL"


@contextmanager
def console_logs(verbose: bool) -> Iterator[None]:
    """Prefect's run and task logs on the console only when ``verbose``; warnings and
    errors always. Set in the environment, for this process's Prefect (configured on
    first import) and every worker process it starts, and on the console handlers of a
    Prefect already configured here. Undone on exit."""
    level = "NOTSET" if verbose else os.environ.get(CONSOLE_LEVEL) or "WARNING"
    before = os.environ.get(CONSOLE_LEVEL)
    os.environ[CONSOLE_LEVEL] = level
    handlers = _prefect_console_handlers()
    levels = [h.level for h in handlers]
    for handler in handlers:
        handler.setLevel(int(level) if level.isdigit() else level)
    try:
        yield
    finally:
        for handler, old in zip(handlers, levels, strict=True):
            handler.setLevel(old)
        if before is None:
            os.environ.pop(CONSOLE_LEVEL, None)
        else:
            os.environ[CONSOLE_LEVEL] = before


def _prefect_console_handlers() -> list[logging.Handler]:
    """The console handlers of an already configured Prefect (none before its import)."""
    if "prefect.logging.handlers" not in sys.modules:
        return []
    console = sys.modules["prefect.logging.handlers"].PrefectConsoleHandler
    loggers = [logging.getLogger(), *(logging.getLogger(n) for n in list(logging.root.manager.loggerDict))]
    return list({id(h): h for lg in loggers for h in getattr(lg, "handlers", []) if isinstance(h, console)}.values())
