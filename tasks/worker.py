"""A pool worker's set-up: what every worker process loads once, before its first chunk."""

from __future__ import annotations

import time

from newsdag.gender import first_names
from newsdag.lifeline import guard_worker
from newsdag.nlp import load_pipeline

# When this worker process was ready (time.time()); None in the run's own process. Read
# as ``worker.ready_at``: Prefect may ship a task's function by value, with globals of its own.
ready_at: float | None = None


def start(model: str) -> None:
    """The pool's initializer: the parent watch, then the model, the name lists and the
    modules the first chunk needs, so that loading them is the run's start-up and not
    its first chunk's work."""
    global ready_at
    guard_worker()
    load_pipeline(model)
    first_names()
    import datasketch  # noqa: F401  (the echoes stage's hashing, in prepare_corpus)
    import prefect.task_engine  # noqa: F401  (what runs the first task)

    ready_at = time.time()
