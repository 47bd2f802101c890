"""Prefect tasks, thin wrappers over ``newsdag.stages``: ``caching`` makes one cached task
per stage record, ``chunk`` runs one chunk's stage tasks in a row in one worker, and
``ingest`` and ``publish`` are the steps before and after them."""

from newsdag.runtime import apply_prefect_defaults

apply_prefect_defaults()
