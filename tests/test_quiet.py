"""A run is quiet on the console: progress and summary only, Prefect's logs go to its API."""

from __future__ import annotations

import logging
import os
import subprocess
import sys
from datetime import datetime, timezone

from newsdag.runtime import CONSOLE_LEVEL, console_logs
from tests.conftest import REPO, SEED


def _run(data_dir, api_url: str, *extra: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "PREFECT_API_URL": api_url, "PYTHONPATH": str(REPO)}
    env.pop(CONSOLE_LEVEL, None)
    return subprocess.run(
        [sys.executable, "-m", "newsdag", "run", str(SEED), "--data-dir", str(data_dir), "--workers", "2", *extra],
        env=env, capture_output=True, text=True, timeout=600, cwd=REPO,
    )


def test_run_prints_no_task_logs_but_the_api_has_them(prefect_harness, tmp_path) -> None:
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import LogFilter, LogFilterTimestamp
    from prefect.settings import PREFECT_API_URL

    started = datetime.now(timezone.utc)
    done = _run(tmp_path / "data", PREFECT_API_URL.value())
    assert done.returncode == 0, done.stderr
    assert "articles: 1 (1 new, 0 cached)" in done.stdout
    assert "Task run" not in done.stderr and "Flow run" not in done.stderr and "INFO" not in done.stderr
    assert "tokenise" in done.stderr  # the progress bars
    with get_client(sync_client=True) as client:
        logs = client.read_logs(LogFilter(timestamp=LogFilterTimestamp(after_=started)))
    task_logs = [log for log in logs if log.task_run_id and "Finished in state" in log.message]
    assert len(task_logs) >= 3  # tokenise, ner, quotes at least

    verbose = _run(tmp_path / "data", PREFECT_API_URL.value(), "--verbose")
    assert verbose.returncode == 0, verbose.stderr
    assert "Task run" in verbose.stderr and "Finished in state" in verbose.stderr


def test_console_handlers_keep_warnings_and_get_their_level_back() -> None:
    from prefect.logging.handlers import PrefectConsoleHandler

    handler = PrefectConsoleHandler()
    logging.getLogger("newsdag-test-console").addHandler(handler)
    try:
        with console_logs(verbose=False):
            assert handler.level == logging.WARNING and os.environ[CONSOLE_LEVEL] == "WARNING"
            assert logging.WARNING >= handler.level > logging.INFO  # warnings and errors still show
        assert handler.level == logging.NOTSET and CONSOLE_LEVEL not in os.environ
        with console_logs(verbose=True):
            assert handler.level == logging.NOTSET
    finally:
        logging.getLogger("newsdag-test-console").removeHandler(handler)
