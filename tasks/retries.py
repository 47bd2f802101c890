"""Retries for the tasks: I/O failures may pass, a deterministic error never does.

An ``OSError`` (a full or flaky disk, a network file system) is retried with growing
delays; anything else, above all a ``NewsdagError`` or bad input, fails at once, since
running the same code on the same data again would fail the same way.
"""

from __future__ import annotations

from typing import Any

from prefect import Task
from prefect.client.schemas.objects import TaskRun
from prefect.states import State
from prefect.tasks import exponential_backoff

from newsdag.errors import NewsdagError


def is_transient(task: Task, task_run: TaskRun, state: State) -> bool:
    """Retry only when the task failed with an OSError."""
    try:
        state.result()
    except NewsdagError:
        return False
    except OSError:
        return True
    except Exception:
        return False
    return False


IO_RETRIES: dict[str, Any] = {
    "retries": 3,
    "retry_delay_seconds": exponential_backoff(backoff_factor=2),
    "retry_jitter_factor": 0.5,
    "retry_condition_fn": is_transient,
}
