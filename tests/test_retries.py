"""Task retries: an OSError is retried with backoff, a deterministic error fails at once."""

from __future__ import annotations

import pytest
from prefect.states import Failed

from newsdag.errors import NoInputs
from tasks.retries import IO_RETRIES, is_transient


@pytest.mark.parametrize(
    ("error", "retried"),
    [(OSError("disk"), True), (TimeoutError("nfs"), True), (NoInputs("x"), False), (ValueError("bad"), False)],
)
def test_only_io_errors_are_transient(error, retried) -> None:
    assert is_transient(None, None, Failed(data=error)) is retried


def test_the_backoff_grows() -> None:
    delays = IO_RETRIES["retry_delay_seconds"](IO_RETRIES["retries"])
    assert delays == sorted(delays) and delays[0] < delays[-1]


@pytest.mark.parametrize(("error", "attempts"), [(OSError, 4), (NoInputs, 1)])
def test_a_task_is_retried_only_for_io_errors(prefect_harness, error, attempts) -> None:
    from prefect import flow, task

    calls: list[int] = []

    @task(**{**IO_RETRIES, "retry_delay_seconds": 0})
    def flaky() -> None:
        calls.append(1)
        raise error("x")

    @flow
    def run() -> None:
        flaky()

    with pytest.raises(error):
        run()
    assert len(calls) == attempts
