"""Prefect tasks: one module per pipeline stage, each a thin wrapper over ``newsdag.stages``,
and ``chunk``, which runs one chunk's stage tasks in a row in one worker."""

from newsdag.runtime import apply_prefect_defaults

apply_prefect_defaults()
