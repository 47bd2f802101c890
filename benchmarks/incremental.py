"""What a re-run and a new batch cost, against the first run, on BBC news.

Over the first ``--articles`` BBC articles (``../shared/data/bbc``, default 300) into a
fresh data dir, times: the fixed start-up (``newsdag run`` over one article into its own
data dir), the first run, a re-run over the unchanged corpus, and a run after
``--new`` (default 30) more articles were added. Each run's cost is its wall time minus
the start-up; the work time that ``newsdag run`` itself reports is printed beside it.
Child runs share one temporary Prefect server.

Run from the repository root: ``python benchmarks/incremental.py``. Exits 0 without
doing anything when ``../shared`` is absent.

Measured 2026-11-29 (2 shared cores, all of them used): start-up 7.0 s; first run over
300 files (298 articles) 31.8 s after start-up; re-run of the unchanged corpus under 5%
of it (0.7 s of reported work); 30 new articles 11.3% of it (5.0 s reported).
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from newsdag.runtime import apply_prefect_defaults  # noqa: E402

BBC = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "bbc"
WORK = re.compile(r"in ([\d.]+) s \(\+ ([\d.]+) s start-up\)")


def timed_run(inputs: Path, data: Path, env: dict[str, str]) -> tuple[float, float, str]:
    """Wall seconds, the work seconds the run reports, and its summary line."""
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "newsdag", "run", str(inputs), "--data-dir", str(data)],
                          env=env, capture_output=True, text=True, check=True)
    wall = time.perf_counter() - started
    summary = next(line for line in done.stdout.splitlines() if line.startswith("articles:"))
    return wall, float(WORK.search(summary).group(1)), summary


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=300)
    parser.add_argument("--new", type=int, default=30)
    args = parser.parse_args()
    if not BBC.exists():
        print(f"skipped: {BBC} not found")
        return 0
    apply_prefect_defaults()
    from prefect.settings import PREFECT_API_URL
    from prefect.testing.utilities import prefect_test_harness

    files = sorted(BBC.glob("*/*.txt"))
    with tempfile.TemporaryDirectory() as tmp, prefect_test_harness(server_startup_timeout=180):
        env = {**os.environ, "PREFECT_API_URL": PREFECT_API_URL.value()}
        root = Path(tmp)
        one, batch = root / "one", root / "batch"
        one.mkdir()
        batch.mkdir()
        (one / "a.txt").symlink_to(files[0])
        for file in files[: args.articles]:
            (batch / f"{file.parent.name}-{file.name}").symlink_to(file)

        startup, _, _ = timed_run(one, root / "one-data", env)
        results = {"first run": timed_run(batch, root / "data", env)}
        results["re-run, unchanged"] = timed_run(batch, root / "data", env)
        for file in files[args.articles : args.articles + args.new]:
            (batch / f"{file.parent.name}-{file.name}").symlink_to(file)
        results[f"+{args.new} new articles"] = timed_run(batch, root / "data", env)

    first = results["first run"][0] - startup
    print(f"start-up (a run over one article): {startup:.1f} s\n")
    print(f"{'run':<20} {'wall s':>7} {'- start-up':>10} {'vs first':>9} {'reported work s':>16}")
    for name, (wall, work, _) in results.items():
        print(f"{name:<20} {wall:>7.1f} {wall - startup:>10.1f} {(wall - startup) / first:>9.1%} {work:>16.1f}")
    print()
    for name, (_, _, summary) in results.items():
        print(f"{name}: {summary}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
