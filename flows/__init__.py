"""Prefect flows: the DAG only; all work happens in ``tasks`` over ``newsdag``."""

from newsdag.runtime import apply_prefect_defaults

apply_prefect_defaults()
