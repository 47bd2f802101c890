"""Defaults for running Prefect embedded, set before Prefect is first imported.

With no ``PREFECT_API_URL`` Prefect starts a temporary local server; on a new machine
its first start (database migrations) can outlast Prefect's 20 s default, so newsdag
allows longer. Anything the user sets in the environment wins.
"""

from __future__ import annotations

import os

PREFECT_DEFAULTS = {
    "PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS": "180",
    "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
}


def apply_prefect_defaults() -> None:
    for name, value in PREFECT_DEFAULTS.items():
        os.environ.setdefault(name, value)
