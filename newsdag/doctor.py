"""``newsdag doctor``: check a data dir and say what is wrong; with ``repair``, fix it.

Checked: the manifest, every live part and segment (its Parquet footer), the views of
``newsdag.duckdb`` against the manifest, the caches (cached docs, Prefect cache records)
and temporary files left by killed runs. Repairing rebuilds a damaged manifest from the
parts on disk, recomputes a damaged stage part from the caches (with the model that
made it), drops a chunk whose articles part is damaged (the next run over its inputs
reads them again), deletes damaged caches and stray temporary files, and rebuilds the
views.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from newsdag.catalog import table_files, view_tables
from newsdag.errors import DamagedManifest, DataDirNotADir, NoData
from newsdag.errors import DoctorMessages as M
from newsdag.integrity import damaged_files, docs_problem, heal, part_problem, stale_chunks
from newsdag.store import DATABASE, MANIFEST, Chunk, Manifest, Store, part_name
from newsdag.tables import SCHEMAS

_TEMP = ".*.tmp*"


@dataclass(frozen=True)
class Finding:
    """One thing wrong with a data dir, and what repairing it does."""

    path: str
    problem: str
    repair: str


@dataclass
class Checkup:
    """What ``newsdag doctor`` found: counts of what it checked, the problems, what a
    repair did, and notes that are not problems."""

    data_dir: str
    checked: dict[str, int] = field(default_factory=dict)
    findings: list[Finding] = field(default_factory=list)
    repaired: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def _fix_for(relative: str) -> str:
    """What repairing the damaged live file ``relative`` does."""
    table = relative.split("/")[1] if relative.count("/") >= 2 else ""
    if "/seg-" in relative:
        return M.FIX_SEGMENT
    if table == "articles":
        return M.FIX_ARTICLES
    if table == "rejects":
        return M.FIX_REJECTS
    return M.FIX_STAGE


def _view_files(store: Store) -> dict[str, set[str]] | str:
    """The files each view of the database file reads, or why the file cannot be read."""
    if not store.database.exists():
        return M.MISSING
    try:
        with duckdb.connect(str(store.database), read_only=True) as con:
            rows = con.execute("SELECT view_name, sql FROM duckdb_views() WHERE NOT internal").fetchall()
    except duckdb.Error as exc:
        return M.UNOPENABLE.format(why=str(exc).splitlines()[0])
    return {name: set(re.findall(r"'((?:[^']|'')*)'", sql)) for name, sql in rows}


def examine(store: Store) -> Checkup:
    """Everything wrong with the data dir, found without changing it."""
    root = store.root
    if root.exists() and not root.is_dir():
        raise DataDirNotADir(str(root))
    if not root.exists() or not any((root / name).exists() for name in (MANIFEST, DATABASE, "tables")):
        raise NoData(str(root))
    checkup = Checkup(str(root))
    found = checkup.findings.append
    try:
        manifest: Manifest | None = store.load_manifest()
    except DamagedManifest as exc:
        manifest = None
        found(Finding(MANIFEST, M.DAMAGED_MANIFEST.format(why=exc.why), M.FIX_MANIFEST))
    checkup.checked["manifest"] = 1
    if manifest is not None:
        damaged = damaged_files(store, manifest, deep=True)
        held = manifest.held()
        files = {held.get(p, p) for t in SCHEMAS for p in manifest.parts(t)}
        checkup.checked["parts"] = len(files)
        for relative, problem in damaged.items():
            found(Finding(relative, problem, _fix_for(relative)))
        views = _view_files(store)
        checkup.checked["views"] = len(SCHEMAS)
        if isinstance(views, str):
            found(Finding(DATABASE, views, M.FIX_REBUILT))
        else:
            files = table_files(store, manifest)
            for name in SCHEMAS:
                expected = set().union(*(files[table] for table in view_tables(name)))
                if views.get(name) != expected:
                    why = M.MISSING if name not in views else M.VIEW_MISMATCH
                    found(Finding(f"{DATABASE} view {name}", why, M.FIX_REBUILT))
    docs = sorted((root / "cache" / "docs").glob("*.spacy"))
    checkup.checked["cached docs"] = len(docs)
    for path in docs:
        problem = docs_problem(path)
        if problem:
            found(Finding(str(path.relative_to(root)), problem, M.FIX_CACHE))
    records = sorted(p for p in (root / "cache" / "results").glob("*") if p.is_file() and not p.name.startswith("."))
    checkup.checked["cache records"] = len(records)
    for path in records:
        try:
            json.loads(path.read_bytes())
        except (ValueError, OSError):
            found(Finding(str(path.relative_to(root)), M.DAMAGED_RECORD, M.FIX_CACHE))
    from newsdag import inbox

    problem = inbox.damaged(store)
    if problem:
        found(Finding(inbox.RECORD, problem, M.FIX_PROCESSED))
    if _busy(store):
        checkup.notes.append(M.BUSY)
    else:
        for path in sorted(p for p in root.rglob(_TEMP) if p.is_file()):
            found(Finding(str(path.relative_to(root)), M.TEMP_FILE, M.FIX_TEMP))
    if manifest is not None:
        leftovers = len(list(store.unreferenced_parts(manifest)))
        if leftovers:
            checkup.notes.append(M.LEFTOVERS.format(count=leftovers))
    return checkup


def _busy(store: Store) -> bool:
    from newsdag.errors import DataDirBusy

    try:
        with store.writer_lock(sweep=False):
            return False
    except DataDirBusy:
        return True


def rebuild_manifest(store: Store, model: str) -> Manifest:
    """A manifest of the complete chunks whose parts are on disk and whole, for ``model``.

    Chunks held only by segments, or with a part missing, are left out: the next run
    over their inputs reads their articles again.
    """
    import pyarrow.parquet as pq

    from newsdag.plan import stage_keys
    from newsdag.stages import CHUNK_STAGES

    tables = 1 + sum(len(stage.tables) for stage in CHUNK_STAGES)  # the articles, and each stage's
    manifest = Manifest()
    for path in sorted((store.root / "tables" / "articles").glob("*.parquet")):
        cid = path.stem
        if cid == "empty" or cid.startswith("seg-") or part_problem(path, deep=True):
            continue
        keys = stage_keys(cid, model, CHUNK_STAGES)
        parts = {"articles": part_name("articles", cid)}
        for stage in CHUNK_STAGES:
            for table in stage.tables:
                parts[table] = part_name(table, keys[stage.name])
        if all(part_problem(store.path(p), deep=True) is None for p in parts.values()) and len(parts) == tables:
            doc_ids = pq.read_table(path, columns=["doc_id"]).column("doc_id").to_pylist()
            manifest.chunks[cid] = Chunk(cid, doc_ids, parts)
    rejects = [p for p in (store.root / "tables" / "rejects").glob("*.parquet") if p.stem != "empty"]
    whole = [p for p in rejects if part_problem(p, deep=True) is None]
    if whole:
        manifest.rejects = str(max(whole, key=lambda p: p.stat().st_mtime_ns).relative_to(store.root))
    return manifest


def _recompute(store: Store, chunk_ids: set[str], model: str, repaired: list[str]) -> None:
    """Run the stages of each chunk again (without Prefect) where its part names are the
    keys this model and code give; write_part rewrites only the parts that are gone."""
    from newsdag.plan import ChunkJob, stage_keys
    from newsdag.stages import CHUNK_STAGES

    manifest = store.load_manifest()
    for cid in sorted(chunk_ids):
        chunk = manifest.chunks[cid]
        keys = stage_keys(cid, model, CHUNK_STAGES)
        expected = {table: keys[stage.name] for stage in CHUNK_STAGES for table in stage.tables}
        if any(chunk.parts.get(t) != part_name(t, k) for t, k in expected.items()):
            repaired.append(M.OTHER_MODEL.format(chunk=cid))
            continue
        job = ChunkJob(cid, tuple(chunk.doc_ids), chunk.parts["articles"], keys, new=False)
        upstream = None
        for stage in CHUNK_STAGES:
            upstream = stage.run(store, job, upstream, model=model)
        repaired.append(M.RECOMPUTED.format(chunk=cid))


def repair(store: Store, model: str) -> Checkup:
    """Fix what :func:`examine` finds, under the writer lock; return what was done and
    what is still wrong."""
    from newsdag.catalog import publish_views
    from newsdag.stages.publish import corpus

    before = examine(store)
    repaired: list[str] = []
    with store.writer_lock():  # sweeps the temporary files of killed runs
        if any(f.path == MANIFEST for f in before.findings):
            damaged = store.path(MANIFEST)
            damaged.replace(damaged.with_name(MANIFEST + ".damaged"))
            manifest = rebuild_manifest(store, model)
            store.save_manifest(manifest)
            repaired.append(M.REBUILT_MANIFEST.format(chunks=len(manifest.chunks), name=f"{MANIFEST}.damaged"))
        for relative in heal(store, deep=True):
            repaired.append(M.REMOVED.format(path=relative))
        stale = stale_chunks(store, store.load_manifest())
        if stale:
            _recompute(store, stale, model, repaired)
        for finding in before.findings:
            if finding.path.startswith("cache/") or finding.path == "processed.json":
                store.path(finding.path).unlink(missing_ok=True)
                repaired.append(M.DELETED.format(path=finding.path))
        manifest = store.load_manifest()
        if stale_chunks(store, manifest):
            repaired.append(M.VIEWS_WAIT)
        else:
            manifest.corpus = corpus(store, manifest)  # the corpus tables of the chunks now live
            store.save_manifest(manifest)
            publish_views(store, manifest)
            repaired.append(M.VIEWS_REBUILT)
    after = examine(store)
    after.repaired = repaired + [M.DELETED.format(path=f.path) for f in before.findings if f.problem == M.TEMP_FILE]
    return after


def format_checkup(checkup: Checkup) -> str:
    """The checkup as aligned lines, problems last but one, the verdict last."""
    lines = [f"data:     {checkup.data_dir}",
             "checked:  " + " · ".join(f"{k} {v}" for k, v in checkup.checked.items())]
    lines += [f"repaired: {line}" for line in checkup.repaired]
    lines += [f"problem:  {f.path}: {f.problem} (--repair: {f.repair})" for f in checkup.findings]
    lines += [f"note:     {note}" for note in checkup.notes]
    lines.append(f"ok:       {M.HEALTHY}" if not checkup.findings else
                 M.UNHEALTHY.format(count=len(checkup.findings), data_dir=checkup.data_dir))
    return "\n".join(lines)
