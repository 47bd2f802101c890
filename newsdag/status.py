"""What a data dir holds and what its last run did, read from the data dir alone.

Every run appends one line to ``runs.jsonl`` (also when it found nothing new), so the
state of scheduled runs can be checked quickly without a Prefect server: batches come
from the articles table (``batch_id``, ``ingested_at``), rows from the DuckDB views.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from datetime import datetime, timezone

from newsdag.artifacts import RunReport
from newsdag.catalog import check_data_dir, query, row_counts
from newsdag.inbox import load as load_processed
from newsdag.store import Store

RUNS = "runs.jsonl"
SHOWN_BATCHES = 5


@dataclass(frozen=True)
class RunRecord:
    """One line of ``runs.jsonl``: when a run finished and what it found."""

    finished_at: str
    inputs: list[str]
    files_read: int
    files_skipped: int
    documents: int
    new: int
    cached: int
    rejected: int
    seconds: float
    flow_run_id: str | None = None


@dataclass(frozen=True)
class BatchInfo:
    """The articles a run ingested first."""

    batch_id: str
    articles: int
    ingested_at: datetime


@dataclass
class Status:
    """The answer of ``newsdag status``."""

    data_dir: str
    rows: dict[str, int]
    batches: list[BatchInfo] = field(default_factory=list)
    files_recorded: int = 0
    runs: int = 0
    last_run: RunRecord | None = None

    def to_dict(self) -> dict:
        data = asdict(self)
        data["batches"] = [{**asdict(b), "ingested_at": b.ingested_at.isoformat()} for b in self.batches]
        return data


def record_run(store: Store, report: RunReport, flow_run_id: str | None = None, now: datetime | None = None) -> RunRecord:
    """Append the run to ``runs.jsonl`` (the caller holds the writer lock)."""
    s = report.summary
    record = RunRecord(
        finished_at=(now or datetime.now(timezone.utc)).isoformat(timespec="seconds"),
        inputs=list(report.inputs),
        files_read=report.files_read,
        files_skipped=report.files_skipped,
        documents=s.documents,
        new=s.new,
        cached=s.cached,
        rejected=s.rejected,
        seconds=round(s.seconds, 3),
        flow_run_id=flow_run_id,
    )
    store.root.mkdir(parents=True, exist_ok=True)
    with open(store.path(RUNS), "a", encoding="utf-8") as fh:
        fh.write(json.dumps(asdict(record)) + "\n")
    return record


def read_runs(store: Store) -> tuple[int, RunRecord | None]:
    """How many runs ``runs.jsonl`` records, and the last one."""
    path = store.path(RUNS)
    if not path.exists():
        return 0, None
    lines = [line for line in path.read_text("utf-8", errors="replace").splitlines() if line.strip()]
    records = []
    for line in lines:  # a line cut short (a full disk, a killed write) is skipped
        try:
            records.append(RunRecord(**json.loads(line)))
        except (ValueError, TypeError):
            continue
    return len(records), records[-1] if records else None


def read_status(store: Store) -> Status:
    """The data dir's batches, rows, processed files and last run; NoData if it has no tables."""
    check_data_dir(store)
    batches = query(
        store,
        "SELECT batch_id, count(*) AS articles, min(ingested_at) AS ingested_at FROM articles "
        "GROUP BY batch_id ORDER BY ingested_at, batch_id",
    ).to_pylist()
    runs, last = read_runs(store)
    return Status(
        data_dir=str(store.root),
        rows=row_counts(store),
        batches=[BatchInfo(b["batch_id"], b["articles"], b["ingested_at"]) for b in batches],
        files_recorded=len(load_processed(store)),
        runs=runs,
        last_run=last,
    )


def _when(value: datetime) -> str:
    return value.astimezone(timezone.utc).strftime("%Y-%m-%d %H:%M:%S UTC")


def _count(n: int, noun: str) -> str:
    """``n`` with ``noun`` in the singular or plural ("1 batch", "2 files")."""
    return f"{n} {noun}" if n == 1 else f"{n} {noun}es" if noun.endswith(("s", "ch")) else f"{n} {noun}s"


def format_status(status: Status) -> str:
    """The status as a few aligned lines, newest batches last."""
    rows = " · ".join(f"{t} {n}" for t, n in status.rows.items())
    lines = [
        f"data:      {status.data_dir}",
        f"articles:  {status.rows.get('articles', 0)} in {_count(len(status.batches), 'batch')},"
        f" rejects: {status.rows.get('rejects', 0)}",
        f"rows:      {rows}",
        f"inputs:    {_count(status.files_recorded, 'file')} recorded as processed",
    ]
    run = status.last_run
    if run is None:
        lines.append("last run:  none recorded")
    else:
        finished = _when(datetime.fromisoformat(run.finished_at))
        found = (
            f"nothing new ({_count(run.files_skipped, 'file')} unchanged)"
            if run.files_read == 0
            else f"{run.new} new, {run.cached} cached, {run.rejected} rejected from {_count(run.files_read, 'file')}"
        )
        lines.append(f"last run:  {finished} over {', '.join(run.inputs)}: {found}, {run.seconds:.1f} s"
                     f" ({_count(status.runs, 'run')} recorded)")
    if status.batches:
        lines.append("batches:")
        hidden = len(status.batches) - SHOWN_BATCHES
        if hidden > 0:
            lines.append(f"  … {hidden} earlier")
        lines.extend(
            f"  {b.batch_id}  {b.articles:>6} articles  {_when(b.ingested_at)}" for b in status.batches[-SHOWN_BATCHES:]
        )
    return "\n".join(lines)
