"""The report of one pipeline run, as the markdown a flow run publishes as its artifact.

Everything here is plain data and string building, so what a run reports can be tested
and reused without a Prefect server; the flow only hands the markdown to Prefect.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from newsdag.plan import RunSummary
from newsdag.store import Store

ARTIFACT_KEY = "newsdag-run"
TOP_SPEAKERS = 10


@dataclass
class RunReport:
    """What a run did: the summary plus the files it read or skipped, speakers and timings."""

    summary: RunSummary
    inputs: list[str]
    data_dir: str
    runner: str
    files_read: int
    files_skipped: int
    timings: dict[str, float] = field(default_factory=dict)
    speakers: list[tuple[str, int]] = field(default_factory=list)

    @property
    def nothing_new(self) -> bool:
        """True when every input file was processed before, so the run read none."""
        return self.files_read == 0


def top_speakers(store: Store, quote_parts: Iterable[str], limit: int = TOP_SPEAKERS) -> list[tuple[str, int]]:
    """The most quoted resolved speakers in ``quote_parts``, most quotes first, then by name."""
    counts: Counter[str] = Counter()
    for part in quote_parts:
        column = store.read_part(part, columns=["speaker_canonical"]).column(0)
        counts.update(name for name in column.to_pylist() if name)
    return sorted(counts.items(), key=lambda item: (-item[1], item[0]))[:limit]


def _cell(value: object) -> str:
    """A value made safe for one markdown table cell."""
    return str(value).replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ")


def _table(header: tuple[str, ...], rows: Iterable[tuple[object, ...]], align: str) -> list[str]:
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join(align) + "|"]
    lines.extend("| " + " | ".join(_cell(v) for v in row) + " |" for row in rows)
    return lines


def headline(report: RunReport) -> str:
    """One line saying what the run did, for the artifact's title and the run's log."""
    files = f"files: {report.files_read} read, {report.files_skipped} unchanged"
    if report.nothing_new:
        return f"nothing new; {files}"
    s = report.summary
    return f"{s.new} new, {s.cached} cached, {s.rejected} rejected articles; {files}"


def markdown(report: RunReport) -> str:
    """The artifact: counts per table, new / cached / rejected articles, speakers, timings."""
    s = report.summary
    lines = [
        f"# newsdag: {headline(report)}",
        "",
        f"Inputs {', '.join(f'`{p}`' for p in report.inputs)} into `{report.data_dir}`"
        f" · runner `{report.runner}` · {s.seconds:.1f} s",
        "",
        "## Articles",
        "",
        *_table(
            ("", "count"),
            [
                ("new", s.new),
                ("cached", s.cached),
                ("rejected inputs", s.rejected),
                ("duplicates of other files", s.duplicates),
                ("files read", report.files_read),
                ("files unchanged, skipped", report.files_skipped),
            ],
            ("---", "---:"),
        ),
        "",
        "## Rows per table",
        "",
    ]
    lines += _table(("table", "rows"), s.rows.items(), ("---", "---:")) if s.rows else ["No tables yet."]
    lines += ["", "## Top speakers of the batch", ""]
    if report.speakers:
        lines += _table(("speaker", "quotes"), report.speakers, ("---", "---:"))
    else:
        lines.append("No attributed quotations in this batch.")
    lines += ["", "## Timings", ""]
    rows = [
        (stage, f"{seconds:.2f}", s.stages.get(stage, {}).get("run", ""), s.stages.get(stage, {}).get("cached", ""))
        for stage, seconds in report.timings.items()
    ]
    lines += _table(("stage", "seconds", "chunks run", "chunks cached"), rows, ("---", "---:", "---:", "---:"))
    return "\n".join(lines) + "\n"
