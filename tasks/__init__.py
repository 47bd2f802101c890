"""Prefect tasks: one module per pipeline stage, each a thin wrapper over ``newsdag.stages``."""

from newsdag.runtime import apply_prefect_defaults

apply_prefect_defaults()
