"""Throughput: newsdag end to end against the spaCy model alone, on BBC news.

In one run, over the same ``--limit`` distinct BBC articles (``../shared/data/bbc``,
default 800), measures

(a1) the baseline a user would write instead: a bare ``nlp.pipe`` over the texts with
     the same model and components (newsdag's entity and quote components included),
     one process; (a2) the same with ``n_process`` = the cores;
(b) ``newsdag run`` end to end (ingest → Parquet → DuckDB), ``--workers 1``;
(c) ``newsdag run`` with all cores (the default);

each as a child process whose peak RSS (summed over its process tree) is sampled. The
bare pipe's time is its ``nlp.pipe`` loop (the model loaded before); newsdag's is the
work its summary reports ("in X s"), its fixed start-up (imports, model, Prefect's
server and flow engine, the worker pool) reported apart. The batch runs share one
Prefect server. The fixed start-up is measured as a user meets it: the whole command
over one article (``--workers 1``), or one article per worker with all cores, each on
its own temporary server; printed as wall = work + start-up by part + exit.

Then peak RSS over ``--small`` (200) and ``--large`` (2,000) articles per mode, and the
lake: the data dir of (c) replicated to ``--lake`` articles (200,000) by
``benchmarks/lake.py`` and compacted; a first run over it computes the corpus stages
cold, then ``--add`` (30) new articles are added with ``--workers 1`` and what that run
spends outside its NLP stages is printed, and the ``top_speakers`` query timed.

Run from the repository root: ``python benchmarks/throughput.py``. Exits 0 without
doing anything when ``../shared`` is absent.

Figures of 2026-12-01 (2 cores, the machine otherwise quiet)::

    BBC articles: 800 distinct (311512 tokens), 2 cores

                                          tokens/s  work s peak RSS MiB
    (a1) bare nlp.pipe, n_process=1           7683    40.5          729
    (a2) bare nlp.pipe, n_process=2          13647    22.8         1388
    (b) newsdag run --workers 1               6861    45.4          912
    (c) newsdag run, 2 workers               11453    27.2         2028

    b / a1 = 0.893   c / a2 = 0.839   c / b = 1.67   a2 / a1 = 1.78
    single, stage seconds: tokenise 22.2 · ner 18.6 · quotes 1.8 · actors 0.6 · echoes 0.3
       all, stage seconds: tokenise 25.5 · ner 19.6 · quotes 2.1 · actors 0.7 · echoes 0.4

    start-up single (one article, --workers 1): 6.1 s wall = 0.7 s work + 4.9 s (python 0.2 · checks 0.2 · model 0.7 · prefect 0.8 · server 2.1 · flow 0.8) + 0.5 s exit
    start-up    all (2 articles, one per worker): 8.5 s wall = 1.6 s work + 6.5 s (python 0.2 · checks 0.2 · model 0.7 · prefect 0.8 · server 1.5 · flow 0.9 · workers 2.2) + 0.4 s exit

    peak RSS single: 200 articles 764 MiB, 2000 articles 1183 MiB, ratio 1.55
    peak RSS    all: 200 articles 1643 MiB, 2000 articles 2287 MiB, ratio 1.39

That run had chunks of 128 articles; the default is back to 64, with which the memory
ratio was 1.26-1.34 before. The issue's targets are 0.95 for b / a1 and c / a2: the
remaining gap is inside the NLP stages (their seconds exceed the bare pipe by 5% on one
worker: building the rows, the Parquet parts and the parsed docs for later stages) and,
with two workers, in the workers slowing each other (the same stages take 10% longer)
beside the run's own process and Prefect's server. The 200,000-article lake did not
finish: its first, cold echoes stage ran for more than 12 minutes (with every copy a
copy, as in earlier lakes, it took 30 s). The copies then shared most runs of five words
of their quotations, so every quotation was checked against hundreds of others; the
copies' quotations are now in words of their own, and the lake sections of a later run
(``--limit 100 --small 20 --large 0``, its lake replicated from 100 articles) gave::

    lake of 200000 articles (compacted in 107 s: files:  articles 8000 → 2 · sentences 8000 → 1 · tokens 8000 → 7 · entities 8000 → 2 · quotes 8000 → 2); first run over it, corpus stages cold: 358.1 s
    adding 30 articles: 1.90 s outside the NLP stages (actors 0.10 s, echoes 0.20 s, the rest 1.60 s); reported in 3.8 s (+ 2.8 s start-up: python 0.2 · checks 0.3 · model 0.8 · prefect 0.9 · flow 0.6); peak RSS 800 MiB
    top_speakers: 0.42 s (best of 3 0.42 s)
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
WORK = re.compile(r"in ([\d.]+) s \(\+ ([\d.]+) s start-up(?:: ([^)]*))?\)")
TOKENS = re.compile(r"tokens (\d+)")
STAGE_SECONDS = re.compile(r"(\w+) \d+ run / \d+ cached \(([\d.]+) s\)")
NLP_STAGES = ("tokenise", "ner", "quotes")


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


def bare(folder: str, processes: int) -> None:
    """(a): the model alone over the texts newsdag would read, on ``processes`` processes;
    prints docs, tokens, seconds."""
    from newsdag.ingest import ingest
    from newsdag.nlp import load_pipeline

    nlp = load_pipeline()
    texts = [a.text for a in ingest([folder]).articles]
    started = time.perf_counter()
    tokens = sum(len(doc) for doc in nlp.pipe(texts, batch_size=64, n_process=processes))
    print(json.dumps({"docs": len(texts), "tokens": tokens, "seconds": time.perf_counter() - started}))


def pick(limit: int, folder: Path, skip: int = 0) -> int:
    """Link ``limit`` distinct BBC articles (98 files repeat another), after the first
    ``skip`` of them, into ``folder``."""
    from newsdag.ingest import ingest

    folder.mkdir()
    seen: set[str] = set()
    for file in sorted(BBC.glob("*/*.txt")):
        if len(seen) == skip + limit:
            break
        doc_id = ingest([file]).articles[0].doc_id
        if doc_id not in seen:
            seen.add(doc_id)
            if len(seen) > skip:
                (folder / f"{file.parent.name}-{file.name}").symlink_to(file)
    return len(seen) - skip


def newsdag_run(inputs: Path, data: Path, workers: int | None, env: dict[str, str], *extra: str) -> Measure:
    extra = (*extra, "--workers", str(workers)) if workers else extra
    return measured([sys.executable, "-m", "newsdag", "run", str(inputs), "--data-dir", str(data), *extra], env)


def query_seconds(data: Path, repeats: int = 3) -> tuple[float, float]:
    """(first, best) seconds of the ``top_speakers`` named query, each on a fresh connection."""
    from newsdag.analytics import run_query
    from newsdag.store import Store

    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        run_query(Store(data), "top_speakers")
        times.append(time.perf_counter() - started)
    return times[0], min(times)


def outside_nlp(run: Measure) -> tuple[float, dict[str, float]]:
    """The run's reported work seconds less its NLP stages', and its corpus stages' seconds."""
    stages = {stage: float(sec) for stage, sec in STAGE_SECONDS.findall(run.stdout)}
    work = float(WORK.search(run.stdout).group(1))
    return work - sum(stages.get(s, 0.0) for s in NLP_STAGES), {s: stages.get(s, 0.0) for s in ("actors", "echoes")}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=int, default=800, help="distinct articles of the throughput runs")
    parser.add_argument("--small", type=int, default=200, help="articles of the small memory runs")
    parser.add_argument("--large", type=int, default=2000, help="articles of the large memory runs (0: none)")
    parser.add_argument("--lake", type=int, default=200_000, help="articles of the replicated lake (0: none)")
    parser.add_argument("--add", type=int, default=30, help="new articles added to the lake")
    parser.add_argument("--bare", help=argparse.SUPPRESS)
    parser.add_argument("--processes", type=int, default=1, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.bare:
        bare(args.bare, args.processes)
        return 0
    if not BBC.exists():
        print(f"skipped: {BBC} not found")
        return 0
    apply_prefect_defaults()
    from prefect.settings import PREFECT_API_URL
    from prefect.testing.utilities import prefect_test_harness

    from lake import replicate

    cores = os.cpu_count() or 1
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        docs = pick(args.limit, root / "batch")
        pick(args.add, root / "add", skip=max(args.limit, args.large))
        pick(args.small, root / "small")
        if args.large:
            pick(args.large, root / "large")
        pick(1, root / "one")
        pick(cores, root / "few")
        pick(1, root / "warm", skip=max(args.limit, args.large) + args.add)

        bares = {n: measured([sys.executable, __file__, "--bare", str(root / "batch"), "--processes", str(n)], dict(os.environ))
                 for n in (1, cores)}
        runs: dict[str, dict[str, Measure]] = {}
        for name, workers in (("single", 1), ("all", None)):
            # The fixed cost of a run on its own embedded server, as a user's run has it:
            # one article, or with all cores one article per worker (a run starts no more
            # workers than it has chunks to work on).
            if workers == 1:
                startup = newsdag_run(root / "one", root / f"one-{name}", workers, dict(os.environ))
            else:
                startup = newsdag_run(root / "few", root / f"one-{name}", workers, dict(os.environ), "--chunk-size", "1")
            runs[name] = {"startup": startup}
        # The batch runs share one server, so that its start is not counted in their work.
        with prefect_test_harness(server_startup_timeout=180):
            env = {**os.environ, "PREFECT_API_URL": PREFECT_API_URL.value()}
            for name, workers in (("single", 1), ("all", None)):
                runs[name]["run"] = newsdag_run(root / "batch", root / f"data-{name}", workers, env)
            report_throughput(docs, cores, bares, runs)
            for name, workers in (("single", 1), ("all", None)):
                small = newsdag_run(root / "small", root / f"small-{name}", workers, env)
                if args.large:
                    large = newsdag_run(root / "large", root / f"large-{name}", workers, env)
                    print(f"peak RSS {name:>6}: {args.small} articles {small.peak_mib:.0f} MiB, {args.large} articles "
                          f"{large.peak_mib:.0f} MiB, ratio {large.peak_mib / small.peak_mib:.2f}", flush=True)
            if args.lake:
                lake = root / "data-all"
                articles = replicate(lake, args.lake)
                compacted = measured([sys.executable, "-m", "newsdag", "compact", "--data-dir", str(lake)], env)
                cold = newsdag_run(root / "warm", lake, 1, env)
                added = newsdag_run(root / "add", lake, 1, env)
                queried = query_seconds(lake)
                rest, corpus = outside_nlp(added)
                print(f"\nlake of {articles} articles (compacted in {compacted.wall:.0f} s: {compacted.stdout.strip()}); "
                      f"first run over it, corpus stages cold: {WORK.search(cold.stdout).group(1)} s")
                print(f"adding {args.add} articles: {rest:.2f} s outside the NLP stages (actors {corpus['actors']:.2f} s,"
                      f" echoes {corpus['echoes']:.2f} s, the rest {rest - sum(corpus.values()):.2f} s);"
                      f" reported {WORK.search(added.stdout).group(0)}; peak RSS {added.peak_mib:.0f} MiB")
                print(f"top_speakers: {queried[0]:.2f} s (best of 3 {queried[1]:.2f} s)", flush=True)
    return 0


def report_throughput(docs: int, cores: int, bares: dict[int, Measure], runs: dict[str, dict[str, Measure]]) -> None:
    """Print the throughput table, its ratios and the start-up of one-article runs."""

    def work(run: Measure) -> float:
        return float(WORK.search(run.stdout).group(1))

    def tps(name: str) -> float:
        run = runs[name]["run"]
        return int(TOKENS.search(run.stdout).group(1)) / work(run)

    def bare_tps(n: int) -> float:
        figures = json.loads(bares[n].stdout)
        return figures["tokens"] / figures["seconds"]

    tokens = json.loads(bares[1].stdout)["tokens"]
    print(f"BBC articles: {docs} distinct ({tokens} tokens), {cores} cores\n")
    print(f"{'':<36} {'tokens/s':>9} {'work s':>7} {'peak RSS MiB':>12}")
    for n in (1, cores):
        print(f"{f'(a{n}) bare nlp.pipe, n_process={n}':<36} {bare_tps(n):>9.0f}"
              f" {json.loads(bares[n].stdout)['seconds']:>7.1f} {bares[n].peak_mib:>12.0f}")
    for label, name in (("(b) newsdag run --workers 1", "single"), (f"(c) newsdag run, {cores} workers", "all")):
        run = runs[name]["run"]
        print(f"{label:<36} {tps(name):>9.0f} {work(run):>7.1f} {run.peak_mib:>12.0f}")
    print(f"\nb / a1 = {tps('single') / bare_tps(1):.3f}   c / a{cores} = {tps('all') / bare_tps(cores):.3f}"
          f"   c / b = {tps('all') / tps('single'):.2f}   a{cores} / a1 = {bare_tps(cores) / bare_tps(1):.2f}")
    for name in ("single", "all"):
        stages = {stage: float(sec) for stage, sec in STAGE_SECONDS.findall(runs[name]["run"].stdout)}
        print(f"{name:>6}, stage seconds: " + " · ".join(f"{k} {v:.1f}" for k, v in stages.items()))
    print()
    for name, what in (("single", "one article, --workers 1"), ("all", f"{cores} articles, one per worker")):
        startup = runs[name]["startup"]
        spent, fixed, parts = WORK.search(startup.stdout).groups()
        print(f"start-up {name:>6} ({what}): {startup.wall:.1f} s wall = {float(spent):.1f} s work + {fixed} s"
              f" ({parts or '?'}) + {startup.wall - float(spent) - float(fixed):.1f} s exit")
    print(flush=True)


if __name__ == "__main__":
    sys.exit(main())
