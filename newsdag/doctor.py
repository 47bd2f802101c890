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

from newsdag.errors import DamagedManifest, DataDirNotADir, NoData
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
        return "forgotten; the chunks it held are recomputed, or read again from their inputs by the next run"
    if table == "articles":
        return "its chunk is dropped; the next `newsdag run` over its inputs reads those articles again"
    if table == "rejects":
        return "forgotten; inputs are rejected again when they are next read"
    return "recomputed from the caches"


def _view_files(store: Store) -> dict[str, set[str]] | str:
    """The files each view of the database file reads, or why the file cannot be read."""
    if not store.database.exists():
        return "missing"
    try:
        with duckdb.connect(str(store.database), read_only=True) as con:
            rows = con.execute("SELECT view_name, sql FROM duckdb_views() WHERE NOT internal").fetchall()
    except duckdb.Error as exc:
        return f"cannot be opened ({str(exc).splitlines()[0]})"
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
        found(Finding(MANIFEST, f"damaged ({exc.why})", "rebuilt from the parts on disk"))
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
            found(Finding(DATABASE, views, "rebuilt"))
        else:
            for name in SCHEMAS:
                expected = {part_name(name, "empty"), *manifest.files(name)}
                if views.get(name) != expected:
                    why = "missing" if name not in views else "reads other files than the manifest's live parts"
                    found(Finding(f"{DATABASE} view {name}", why, "rebuilt"))
    docs = sorted((root / "cache" / "docs").glob("*.spacy"))
    checkup.checked["cached docs"] = len(docs)
    for path in docs:
        problem = docs_problem(path)
        if problem:
            found(Finding(str(path.relative_to(root)), problem, "deleted; recomputed by the next run"))
    records = sorted(p for p in (root / "cache" / "results").glob("*") if p.is_file() and not p.name.startswith("."))
    checkup.checked["cache records"] = len(records)
    for path in records:
        try:
            json.loads(path.read_bytes())
        except (ValueError, OSError):
            found(Finding(str(path.relative_to(root)), "damaged cache record (not JSON)", "deleted; recomputed by the next run"))
    from newsdag import inbox

    problem = inbox.damaged(store)
    if problem:
        found(Finding(inbox.RECORD, problem, "deleted; the next run reads every input again and records them anew"))
    if _busy(store):
        checkup.notes.append("a newsdag run is writing to this data dir: its temporary files were not checked")
    else:
        for path in sorted(p for p in root.rglob(_TEMP) if p.is_file()):
            found(Finding(str(path.relative_to(root)), "temporary file left by a killed run", "deleted"))
    if manifest is not None:
        leftovers = len(list(store.unreferenced_parts(manifest)))
        if leftovers:
            checkup.notes.append(f"{leftovers} parts are not live (kept as caches of earlier runs; harmless)")
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
    from newsdag.stages import ner, quotes, tokenise

    outputs = {"tokenise": tokenise.outputs, "ner": ner.outputs, "quotes": quotes.outputs}
    manifest = Manifest()
    for path in sorted((store.root / "tables" / "articles").glob("*.parquet")):
        cid = path.stem
        if cid == "empty" or cid.startswith("seg-") or part_problem(path, deep=True):
            continue
        keys = stage_keys(cid, model)
        parts = {"articles": part_name("articles", cid)}
        for stage, files in outputs.items():
            for relative in files(keys[stage]):
                if relative.endswith(".parquet"):
                    parts[relative.split("/")[1]] = relative
        if all(part_problem(store.path(p), deep=True) is None for p in parts.values()) and len(parts) == 5:
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
    from newsdag.stages import ner, quotes, tokenise

    manifest = store.load_manifest()
    for cid in sorted(chunk_ids):
        chunk = manifest.chunks[cid]
        keys = stage_keys(cid, model)
        expected = {"sentences": keys["tokenise"], "tokens": keys["tokenise"], "entities": keys["ner"], "quotes": keys["quotes"]}
        if any(chunk.parts.get(t) != part_name(t, k) for t, k in expected.items()):
            repaired.append(f"chunk {cid}: made with another model or code; the next `newsdag run` recomputes it")
            continue
        job = ChunkJob(cid, tuple(chunk.doc_ids), chunk.parts["articles"], keys, new=False)
        tok = tokenise.run(store, job, model=model)
        ent = ner.run(store, job, tok, model=model)
        quotes.run(store, job, ent, model=model)
        repaired.append(f"chunk {cid}: damaged parts recomputed")


def repair(store: Store, model: str) -> Checkup:
    """Fix what :func:`examine` finds, under the writer lock; return what was done and
    what is still wrong."""
    from newsdag.catalog import publish_views

    before = examine(store)
    repaired: list[str] = []
    with store.writer_lock():  # sweeps the temporary files of killed runs
        if any(f.path == MANIFEST for f in before.findings):
            damaged = store.path(MANIFEST)
            damaged.replace(damaged.with_name(MANIFEST + ".damaged"))
            manifest = rebuild_manifest(store, model)
            store.save_manifest(manifest)
            repaired.append(f"manifest rebuilt: {len(manifest.chunks)} chunks (the damaged one kept as {MANIFEST}.damaged)")
        for relative in heal(store, deep=True):
            repaired.append(f"{relative}: removed")
        stale = stale_chunks(store, store.load_manifest())
        if stale:
            _recompute(store, stale, model, repaired)
        for finding in before.findings:
            if finding.path.startswith("cache/") or finding.path == "processed.json":
                store.path(finding.path).unlink(missing_ok=True)
                repaired.append(f"{finding.path}: deleted")
        manifest = store.load_manifest()
        if stale_chunks(store, manifest):
            repaired.append("views not rebuilt: they wait for the chunks the next `newsdag run` recomputes")
        else:
            publish_views(store, manifest)
            repaired.append("views rebuilt")
    after = examine(store)
    after.repaired = repaired + [f"{f.path}: deleted" for f in before.findings if "temporary" in f.problem]
    return after


def format_checkup(checkup: Checkup) -> str:
    """The checkup as aligned lines, problems last but one, the verdict last."""
    lines = [f"data:     {checkup.data_dir}",
             "checked:  " + " · ".join(f"{k} {v}" for k, v in checkup.checked.items())]
    lines += [f"repaired: {line}" for line in checkup.repaired]
    lines += [f"problem:  {f.path}: {f.problem} (--repair: {f.repair})" for f in checkup.findings]
    lines += [f"note:     {note}" for note in checkup.notes]
    lines.append("ok:       nothing is wrong" if not checkup.findings else
                 f"{len(checkup.findings)} problem(s): run `newsdag doctor --repair --data-dir {checkup.data_dir}`")
    return "\n".join(lines)
