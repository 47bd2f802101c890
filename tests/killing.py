"""Run ``newsdag run`` in a child process and SIGKILL it when the data dir shows progress.

Shared by tests/test_faults.py and benchmarks/kill_resume.py.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path

from newsdag.catalog import query
from newsdag.store import Store
from newsdag.tables import SCHEMAS

# Columns that say when a row was made, not what it holds: they differ between runs.
_RUN_COLUMNS = {"batch_id", "ingested_at"}
# Groups named by their earliest member, which the order of ingestion decides: compared
# by membership (each row's group as its smallest member), without the first-seen columns.
_GROUPINGS = {
    "stories": "select doc_id, min(doc_id) over (partition by story_id) as story, story_articles from stories",
    "quote_echoes": "select doc_id, quote_id, min(doc_id || ':' || quote_id) over (partition by quote_group) as grp, "
                    "group_articles, group_stories, group_publishers from quotes where quote_group is not null",
}


def newsdag_run(args: Sequence[str], env: dict[str, str] | None = None) -> subprocess.Popen:
    """Start ``python -m newsdag run ARGS`` with its output discarded."""
    return subprocess.Popen(
        [sys.executable, "-m", "newsdag", "run", *args],
        env={**os.environ, **(env or {})},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )


def kill_when(process: subprocess.Popen, ready: Callable[[], bool], timeout: float = 600, delay: float = 0) -> bool:
    """SIGKILL ``process`` ``delay`` seconds after ``ready()``; True if it was killed before it ended."""
    deadline = time.monotonic() + timeout
    while process.poll() is None and time.monotonic() < deadline:
        if ready():
            time.sleep(delay)
            if process.poll() is not None:
                return False
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
            return True
        time.sleep(0.01)
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()
        return True
    return False


def count_files(folder: Path, pattern: str = "*") -> int:
    """Files matching ``pattern`` in ``folder`` (0 while it does not exist)."""
    return sum(1 for _ in folder.glob(pattern)) if folder.exists() else 0


def table_contents(data_dir: Path) -> dict[str, list[tuple]]:
    """Every table's rows, sorted, without the columns that record when they were made
    (and groups by their members)."""
    store = Store(data_dir)
    contents = {}
    for table, schema in SCHEMAS.items():
        columns = ", ".join(f'"{c}"' for c in schema.names if c not in _RUN_COLUMNS)
        rows = query(store, _GROUPINGS.get(table, f"select {columns} from {table}")).to_pylist()
        contents[table] = sorted((tuple(map(repr, row.values())) for row in rows))
    return contents
