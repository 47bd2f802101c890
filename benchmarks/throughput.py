"""Throughput: newsdag end to end against the spaCy model alone, on BBC news.

In one run, over the same ``--limit`` distinct BBC articles (``../shared/data/bbc``,
default 2,000), measures

(a) the baseline: a bare ``nlp.pipe`` over the texts with the same model and
    components (newsdag's entity and quote components included), single process;
(b) ``newsdag run`` end to end (ingest → Parquet → DuckDB), ``--workers 1``;
(c) ``newsdag run`` with all cores (the default);

each as a child process whose peak RSS (summed over its process tree) is sampled. The
fixed start-up of (b) and (c) is the wall time of the same command over one article per
worker, one article a chunk (so that (c) starts its worker pool, as it does for a batch);
their throughput is tokens / (wall − start-up). The work time each run reports itself
("in X s (+ Y s start-up)") is printed beside it. Both modes also run over
``--small`` articles (default 200) to show that memory does not grow with the batch.

Last, the lake: the data dir of (c) is replicated ``--copies`` times (default 10) by
rewriting each chunk's Parquet parts under new doc_ids (the old id hashed with the copy
number) and new chunk ids, giving a lake of copies × limit articles in copies × chunks
small files per table. The top-speakers query is timed on it before and after
``newsdag compact``. Child runs share one temporary Prefect server.

Run from the repository root: ``python benchmarks/throughput.py``. Exits 0 without
doing anything when ``../shared`` is absent.

Figures of 2026-11-30 (2 cores, the machine otherwise quiet)::

    BBC articles: 2000 distinct (884531 tokens), 2 cores

                                        tokens/s  docs/s  work s start-up s peak RSS MiB
    (a) bare nlp.pipe, 1 process            4039    9.13   219.0                     895
    (b) newsdag run --workers 1             3669    8.30   241.0        6.0          977
    (c) newsdag run, 2 workers              6476   14.64   136.6       12.1         1856

    b/a = 0.91   c/b = 1.76
    single, NLP stages: tokenise 123.6 s · ner 103.3 s · quotes 12.9 s; quote extraction 5.3% of the run's work time
    single: reported in 242.2 s (+ 3.8 s start-up); over one article per worker in 0.5 s (+ 4.6 s start-up)
       all: reported in 143.5 s (+ 4.1 s start-up); over one article per worker in 6.3 s (+ 4.7 s start-up)
    peak RSS single: 200 articles 731 MiB, 2000 articles 977 MiB, ratio 1.34
    peak RSS    all: 200 articles 1507 MiB, 2000 articles 1856 MiB, ratio 1.23

    lake of 20000 articles: top speakers in 0.16 s (best 0.14 s) over small parts;
    after compaction (11.7 s, 320 files → 1 per table) 0.08 s (best 0.04 s)

A run twenty minutes earlier gave b/a = 0.93 and c/b = 2.02 (bare pipe 3,589 tokens/s).
The host is shared, so absolute speeds vary from run to run (the bare pipe has measured
from 3,600 to 4,400 tokens/s); the ratios compare runs made minutes apart. The start-up
of (c) includes starting its two worker processes, each loading the model.

What one worker spends beyond the bare pipe: the Prefect task runs, reading the
articles, saving each chunk's parsed docs for a later re-run of NER or quotes (about
1%), building the rows, Parquet writes and publishing.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from newsdag.runtime import apply_prefect_defaults  # noqa: E402

BBC = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "bbc"
WORK = re.compile(r"in ([\d.]+) s \(\+ ([\d.]+) s start-up\)")
TOKENS = re.compile(r"tokens (\d+)")
STAGE_SECONDS = re.compile(r"(\w+) \d+ run / \d+ cached \(([\d.]+) s\)")
TOP_SPEAKERS = "select speaker_canonical, count(*) from quotes group by 1 order by 2 desc limit 20"


@dataclass
class Measure:
    """One child process: wall seconds, peak RSS (MiB) and what it printed."""

    wall: float
    peak_mib: float
    stdout: str


def measured(command: list[str], env: dict[str, str]) -> Measure:
    """Run ``command``, sampling the RSS of its whole process tree (worker pools included)."""
    import psutil

    started = time.perf_counter()
    child = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    peak = 0
    done = threading.Event()

    def sample() -> None:
        nonlocal peak
        root = psutil.Process(child.pid)
        while not done.is_set():
            try:
                rss = sum(p.memory_info().rss for p in [root, *root.children(recursive=True)])
            except psutil.Error:
                rss = 0
            peak = max(peak, rss)
            time.sleep(0.05)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    stdout, _ = child.communicate()
    wall = time.perf_counter() - started
    done.set()
    sampler.join()
    if child.returncode:
        raise SystemExit(f"{' '.join(command)} failed with status {child.returncode}")
    return Measure(wall, peak / 2**20, stdout)


def bare(folder: str) -> None:
    """(a): the model alone over the texts newsdag would read; prints docs, tokens, seconds."""
    from newsdag.ingest import ingest
    from newsdag.nlp import load_pipeline

    nlp = load_pipeline()
    texts = [a.text for a in ingest([folder]).articles]
    started = time.perf_counter()
    tokens = sum(len(doc) for doc in nlp.pipe(texts, batch_size=64))
    print(json.dumps({"docs": len(texts), "tokens": tokens, "seconds": time.perf_counter() - started}))


def pick(limit: int, folder: Path) -> int:
    """Link the first ``limit`` distinct BBC articles (98 files repeat another) into ``folder``."""
    from newsdag.ingest import ingest

    folder.mkdir()
    seen: set[str] = set()
    for file in sorted(BBC.glob("*/*.txt")):
        if len(seen) == limit:
            break
        doc_id = ingest([file]).articles[0].doc_id
        if doc_id not in seen:
            seen.add(doc_id)
            (folder / f"{file.parent.name}-{file.name}").symlink_to(file)
    return len(seen)


def newsdag_run(inputs: Path, data: Path, workers: int | None, env: dict[str, str], *extra: str) -> Measure:
    extra = (*extra, "--workers", str(workers)) if workers else extra
    return measured([sys.executable, "-m", "newsdag", "run", str(inputs), "--data-dir", str(data), *extra], env)


def replicate(data: Path, copies: int) -> int:
    """Add ``copies - 1`` copies of every chunk under new doc_ids and chunk ids; return the articles."""
    import pyarrow as pa

    from newsdag.catalog import publish_views
    from newsdag.plan import chunk_id, digest
    from newsdag.store import Chunk, Store

    store = Store(data)
    with store.writer_lock():
        manifest = store.load_manifest()
        originals = list(manifest.chunks.values())
        for copy in range(1, copies):
            for chunk in originals:
                ids = {d: digest(d, str(copy)) for d in chunk.doc_ids}
                parts = {}
                for table, part in chunk.parts.items():
                    rows = store.read_part(part)
                    renamed = pa.array([ids[d] for d in rows.column("doc_id").to_pylist()], pa.string())
                    rows = rows.set_column(rows.schema.get_field_index("doc_id"), "doc_id", renamed)
                    parts[table] = store.write_part(table, digest(part, str(copy)), rows)
                cid = chunk_id(ids.values())
                manifest.chunks[cid] = Chunk(cid, list(ids.values()), parts)
        store.save_manifest(manifest)
        publish_views(store, manifest)
    return sum(len(c.doc_ids) for c in manifest.chunks.values())


def query_seconds(data: Path, repeats: int = 3) -> tuple[float, float]:
    """(first, best) seconds of the top-speakers query, each on a fresh connection."""
    from newsdag.catalog import query
    from newsdag.store import Store

    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        query(Store(data), TOP_SPEAKERS)
        times.append(time.perf_counter() - started)
    return times[0], min(times)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=int, default=2000, help="distinct articles to process")
    parser.add_argument("--small", type=int, default=200, help="articles of the small runs (memory)")
    parser.add_argument("--copies", type=int, default=10, help="copies of the processed lake to query")
    parser.add_argument("--bare", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.bare:
        bare(args.bare)
        return 0
    if not BBC.exists():
        print(f"skipped: {BBC} not found")
        return 0
    apply_prefect_defaults()
    from prefect.settings import PREFECT_API_URL
    from prefect.testing.utilities import prefect_test_harness

    cores = os.cpu_count() or 1
    with tempfile.TemporaryDirectory() as tmp, prefect_test_harness(server_startup_timeout=180):
        env = {**os.environ, "PREFECT_API_URL": PREFECT_API_URL.value()}
        root = Path(tmp)
        docs = pick(args.limit, root / "batch")
        pick(args.small, root / "small")
        pick(1, root / "one")
        pick(cores, root / "few")

        base = measured([sys.executable, __file__, "--bare", str(root / "batch")], env)
        figures = json.loads(base.stdout)
        rows = {}
        for name, workers in (("single", 1), ("all", None)):
            # The fixed cost of a run: one article, or with all cores one article per
            # worker (a run starts no more workers than it has chunks to work on).
            if workers == 1:
                startup = newsdag_run(root / "one", root / f"one-{name}", workers, env)
            else:
                startup = newsdag_run(root / "few", root / f"one-{name}", workers, env, "--chunk-size", "1")
            run = newsdag_run(root / "batch", root / f"data-{name}", workers, env)
            small = newsdag_run(root / "small", root / f"small-{name}", workers, env)
            rows[name] = (startup, run, small)

        lake = root / "data-all"
        articles = replicate(lake, args.copies)
        before = query_seconds(lake)
        compacted = measured([sys.executable, "-m", "newsdag", "compact", "--data-dir", str(lake)], env)
        after = query_seconds(lake)

    def throughput(name: str) -> tuple[float, float, int]:
        startup, run, _ = rows[name]
        tokens = int(TOKENS.search(run.stdout).group(1))
        work = run.wall - startup.wall
        return tokens / work, docs / work, tokens

    base_tps = figures["tokens"] / figures["seconds"]
    print(f"BBC articles: {docs} distinct ({figures['tokens']} tokens), {cores} cores\n")
    print(f"{'':<34} {'tokens/s':>9} {'docs/s':>7} {'work s':>7} {'start-up s':>10} {'peak RSS MiB':>12}")
    print(f"{'(a) bare nlp.pipe, 1 process':<34} {base_tps:>9.0f} {docs / figures['seconds']:>7.2f}"
          f" {figures['seconds']:>7.1f} {'':>10} {base.peak_mib:>12.0f}")
    for label, name in (("(b) newsdag run --workers 1", "single"), (f"(c) newsdag run, {cores} workers", "all")):
        startup, run, _ = rows[name]
        tps, dps, _ = throughput(name)
        print(f"{label:<34} {tps:>9.0f} {dps:>7.2f} {run.wall - startup.wall:>7.1f} {startup.wall:>10.1f}"
              f" {run.peak_mib:>12.0f}")
    single, everything = throughput("single")[0], throughput("all")[0]
    print(f"\nb/a = {single / base_tps:.2f}   c/b = {everything / single:.2f}")
    single_out = rows["single"][1].stdout
    stage_seconds = {stage: float(sec) for stage, sec in STAGE_SECONDS.findall(single_out)}
    print("single, NLP stages: " + " · ".join(f"{k} {v:.1f} s" for k, v in stage_seconds.items())
          + f"; quote extraction {stage_seconds['quotes'] / float(WORK.search(single_out).group(1)):.1%}"
          " of the run's work time")
    for name in ("single", "all"):
        startup, run, small = rows[name]
        print(f"{name:>6}: reported {WORK.search(run.stdout).group(0)}; over one article per worker "
              f"{WORK.search(startup.stdout).group(0)}")
    for name in ("single", "all"):
        _, run, small = rows[name]
        print(f"peak RSS {name:>6}: {args.small} articles {small.peak_mib:.0f} MiB, {docs} articles "
              f"{run.peak_mib:.0f} MiB, ratio {run.peak_mib / small.peak_mib:.2f}")
    print(f"\nlake of {articles} articles: top speakers in {before[0]:.2f} s (best {before[1]:.2f} s) over small "
          f"parts; after compaction ({compacted.wall:.1f} s: {compacted.stdout.strip()}) "
          f"{after[0]:.2f} s (best {after[1]:.2f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
