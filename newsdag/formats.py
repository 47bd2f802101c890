"""Output formats of the analytics commands (kept free of heavy imports for the CLI)."""

from __future__ import annotations

from enum import Enum


class ResultFormat(str, Enum):
    """How ``newsdag query`` prints or saves a result."""

    table = "table"
    csv = "csv"
    json = "json"
    parquet = "parquet"


class ExportFormat(str, Enum):
    """The file format ``newsdag export`` writes every table in."""

    csv = "csv"
    json = "json"
    parquet = "parquet"
