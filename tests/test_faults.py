"""Runs killed with SIGKILL at several points, then completed, equal one clean run."""

from __future__ import annotations

from pathlib import Path

import pytest

from newsdag.store import Store
from tests.killing import count_files, kill_when, newsdag_run, table_contents

PEOPLE = ["Ada Brennan", "Omar Castillo", "Lena Duarte", "Victor Ekwueme", "Mira Fontaine", "Tomas Gruber"]
PLACES = ["Leeds", "Lisbon", "Nairobi", "Quebec", "Tromso", "Osaka"]


def _article(n: int) -> str:
    person, place = PEOPLE[n % len(PEOPLE)], PLACES[n % len(PLACES)]
    other = PEOPLE[(n + 1) % len(PEOPLE)]
    return (
        f"Report {n}: flooding in {place}\n\n"
        f"Water levels in {place} rose for the {n + 2}th day on Tuesday, officials said.\n\n"
        f"“We have never seen anything like this,” said {person}, who runs a shelter in the city. "
        f"“Families are sleeping in the gym.”\n\n"
        f"{other} said that the council had asked for {n + 3} more pumps. "
        f"According to {person.split()[1]}, the repairs will take weeks.\n"
    )


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("corpus")
    for n in range(16):
        (folder / f"{n:02d}.txt").write_text(_article(n), encoding="utf-8")
    (folder / "blank.txt").write_text("   \n")
    return folder


@pytest.fixture(scope="module")
def server_env(prefect_harness) -> dict[str, str]:
    """Child runs talk to the test session's Prefect server instead of starting their own."""
    from prefect.settings import PREFECT_API_URL

    return {"PREFECT_API_URL": PREFECT_API_URL.value()}


def _run(corpus: Path, data: Path, env: dict[str, str]):
    return newsdag_run([str(corpus), "--data-dir", str(data), "--chunk-size", "2"], env)


def test_killed_runs_then_one_to_completion_equal_a_clean_run(corpus, server_env, tmp_path) -> None:
    clean = tmp_path / "clean"
    assert _run(corpus, clean, server_env).wait(timeout=600) == 0

    data = tmp_path / "faulted"
    tables = data / "tables"
    kill_points = [
        lambda: count_files(tables / "articles") >= 1,  # ingest has written its parts
        lambda: count_files(tables / "tokens") >= 3,  # mid tokenise
        lambda: count_files(tables / "entities") >= 5,  # NER under way, some chunks cached
        lambda: count_files(tables / "quotes") >= 8,  # every stage done: publishing
    ]
    killed = [kill_when(_run(corpus, data, server_env), ready) for ready in kill_points]
    assert sum(killed) >= 3, f"the runs ended before they could be killed: {killed}"
    assert _run(corpus, data, server_env).wait(timeout=600) == 0

    assert table_contents(data) == table_contents(clean)
    store = Store(data)
    assert list(store.unreferenced_parts(store.load_manifest())) == []
    assert not list(data.rglob(".*.tmp*")), "temporary files of killed writes were left behind"


def test_a_run_killed_before_publishing_leaves_the_previous_tables(corpus, server_env, tmp_path) -> None:
    data = tmp_path / "data"
    first = corpus.parent / "first"
    first.mkdir(exist_ok=True)
    for name in ("00.txt", "01.txt"):
        (first / name).write_text((corpus / name).read_text("utf-8"), encoding="utf-8")
    assert _run(first, data, server_env).wait(timeout=600) == 0
    before = table_contents(data)

    killed = kill_when(_run(corpus, data, server_env), lambda: count_files(data / "tables" / "entities") >= 3)
    assert killed
    assert table_contents(data) == before


# --- the processes of a run end with it ---------------------------------------------

import json  # noqa: E402
import os  # noqa: E402
import signal  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402
import textwrap  # noqa: E402
import time  # noqa: E402

from newsdag.lifeline import descendants  # noqa: E402


def _start(args: list[str], env: dict[str, str | None] | None = None) -> subprocess.Popen:
    """``python -m newsdag ARGS`` in a session of its own, its stderr kept; a None in
    ``env`` leaves that variable out."""
    merged = {**os.environ, **(env or {})}
    return subprocess.Popen(
        [sys.executable, "-m", "newsdag", *args], env={k: v for k, v in merged.items() if v is not None},
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, start_new_session=True,
    )


def _wait_for(ready, process: subprocess.Popen, timeout: float = 300) -> None:
    deadline = time.monotonic() + timeout
    while not ready():
        assert process.poll() is None, process.stderr.read()
        assert time.monotonic() < deadline, "the run never got there"
        time.sleep(0.05)


def _snapshot(folder: Path) -> dict[str, tuple[int, int]]:
    return {str(p): (p.stat().st_size, p.stat().st_mtime_ns) for p in folder.rglob("*") if p.is_file()}


def _alive(pids) -> list[str]:
    alive = []
    for pid in pids:
        try:
            state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
        except OSError:
            continue
        if state not in ("Z", "X"):
            alive.append(Path(f"/proc/{pid}/cmdline").read_text().replace("\0", " ")[:120])
    return alive


@pytest.mark.skipif(not Path("/proc").is_dir(), reason="descendants are found in /proc")
def test_nothing_of_a_run_killed_with_sigkill_outlives_it(corpus, tmp_path) -> None:
    """With its own temporary Prefect server and a pool of workers: kill -9 of the run
    leaves no process alive 5 s later, and no file of the data dir changes after that."""
    data = tmp_path / "data"
    process = _start(["run", str(corpus), "--data-dir", str(data), "--chunk-size", "2", "--workers", "2"],
                     {"PREFECT_API_URL": None})
    _wait_for(lambda: count_files(data / "tables" / "tokens") >= 2, process, timeout=600)
    children = descendants(process.pid)
    assert len(children) >= 3, children  # the reaper, the server, the workers
    os.kill(process.pid, signal.SIGKILL)
    process.wait()
    time.sleep(5)
    assert _alive(children) == []
    before = _snapshot(data)
    time.sleep(3)
    assert _snapshot(data) == before


@pytest.mark.skipif(not Path("/proc").is_dir(), reason="descendants are found in /proc")
@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT])
def test_sigterm_and_ctrl_c_end_the_run_at_once(corpus, server_env, tmp_path, signum) -> None:
    data = tmp_path / "data"
    process = _start(["run", str(corpus), "--data-dir", str(data), "--chunk-size", "2", "--workers", "2"], server_env)
    _wait_for(lambda: count_files(data / "tables" / "tokens") >= 2, process)
    children = descendants(process.pid)
    sent = time.monotonic()
    process.send_signal(signum)
    _, stderr = process.communicate(timeout=30)
    assert time.monotonic() - sent < 5
    assert process.returncode == 128 + signum, stderr[-3000:]
    assert f"interrupted by {signal.Signals(signum).name}" in stderr and "Traceback" not in stderr
    time.sleep(1)
    assert _alive(children) == []
    assert _run(corpus, data, server_env).wait(timeout=600) == 0  # the next run completes


def test_a_worker_ends_when_its_run_is_gone(tmp_path) -> None:
    """A worker process (started as the task runner starts them) exits as soon as its
    parent dies, and never writes into the data dir after that."""
    marker = tmp_path / "written"
    script = textwrap.dedent(f"""
        import multiprocessing, sys, time
        from pathlib import Path

        def work():
            time.sleep(3)
            from newsdag.store import atomic_write
            atomic_write(Path({str(marker)!r}), b"late")

        if __name__ == "__main__":
            from newsdag.lifeline import guard_worker
            context = multiprocessing.get_context("spawn")
            with context.Pool(1, initializer=guard_worker) as pool:
                pool.apply_async(work)
                time.sleep(1)
                print(pool._pool[0].pid, flush=True)
                time.sleep(60)
    """)
    (tmp_path / "parent.py").write_text(script)
    parent = subprocess.Popen([sys.executable, str(tmp_path / "parent.py")], stdout=subprocess.PIPE, text=True,
                              env={**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)})
    worker = int(parent.stdout.readline())
    os.kill(parent.pid, signal.SIGKILL)
    parent.wait()
    time.sleep(4)
    assert _alive([worker]) == []
    assert not marker.exists()


# --- damaged parts are recomputed by the next run -----------------------------------


@pytest.mark.parametrize("force", [False, True])
def test_a_truncated_part_is_recomputed_by_the_next_run(prefect_harness, corpus, tmp_path, force) -> None:
    from typer.testing import CliRunner

    from newsdag.cli import app

    runner = CliRunner()
    data = tmp_path / "data"
    args = ["run", str(corpus), "--data-dir", str(data), "--chunk-size", "4", "--workers", "1"]
    assert runner.invoke(app, args).exit_code == 0
    clean = table_contents(data)
    manifest = Store(data).load_manifest()
    chunks = sorted(manifest.chunks.values(), key=lambda c: c.chunk_id)
    damaged = [data / chunks[0].parts["tokens"], data / chunks[1].parts["quotes"], data / chunks[2].parts["entities"]]
    for path in damaged:
        path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])
    status = runner.invoke(app, ["status", "--data-dir", str(data)])
    assert status.exit_code == 2 and "newsdag doctor" in status.output, status.output
    compact = runner.invoke(app, ["compact", "--data-dir", str(data)])
    assert compact.exit_code == 2 and "doctor --repair" in compact.output, compact.output
    # A run over only some of the inputs still recomputes every damaged part.
    again = runner.invoke(app, [*args[:1], str(corpus / "00.txt"), *args[2:], *(["--force"] if force else [])])
    assert again.exit_code == 0, again.output
    assert table_contents(data) == clean
    assert runner.invoke(app, ["doctor", "--data-dir", str(data)]).exit_code == 0


# --- every error path: one line saying what is wrong and what to do ------------------


@pytest.fixture
def small_lake(nlp, corpus, tmp_path) -> Path:
    from tests.conftest import run_stages

    store = Store(tmp_path / "lake")
    run_stages(store, [str(corpus / "00.txt"), str(corpus / "01.txt")], chunk_size=2)
    return store.root


def _cli(*args: str):
    from typer.testing import CliRunner

    from newsdag.cli import app

    return CliRunner().invoke(app, list(args))


def _one_line_error(result, *needles: str, code: int = 2) -> None:
    lines = [line for line in result.output.strip().splitlines() if line.strip()]
    assert result.exit_code == code, result.output
    assert len(lines) == 1 and lines[0].startswith("error:"), result.output
    assert "Traceback" not in result.output
    for needle in needles:
        assert needle in lines[0], lines[0]


@pytest.mark.parametrize(
    "command",
    [["run", "SEEDS"], ["status"], ["sql", "select 1"], ["compact"], ["doctor"], ["query", "overview"],
     ["export", "--out", "OUT"], ["report", "--out", "OUT/r.html"]],
)
def test_a_data_dir_that_is_a_file_is_said_so(tmp_path, command) -> None:
    (tmp_path / "file").write_text("not a data dir")
    command = [str(tmp_path / "seeds") if c == "SEEDS" else c.replace("OUT", str(tmp_path / "out")) for c in command]
    (tmp_path / "seeds").mkdir()
    _one_line_error(_cli(*command, "--data-dir", str(tmp_path / "file")), "is a file")


@pytest.mark.parametrize("command", [["sql", "select 1 as x"], ["query", "overview"]])
def test_out_into_a_missing_folder_is_said_so(small_lake, tmp_path, command) -> None:
    target = tmp_path / "no" / "such" / "x.csv"
    result = _cli(*command, "--data-dir", str(small_lake), "--format", "csv", "--out", str(target))
    _one_line_error(result, "does not exist", str(target.parent))


def test_out_is_written_in_one_step_batch_by_batch(small_lake, tmp_path) -> None:
    import pyarrow.parquet as pq

    target = tmp_path / "tokens.parquet"
    result = _cli("sql", "select * from tokens", "--data-dir", str(small_lake), "--format", "parquet", "--out", str(target))
    assert result.exit_code == 0, result.output
    assert pq.read_metadata(target).num_rows == len(table_contents(small_lake)["tokens"])
    assert not list(tmp_path.glob(".*.tmp"))
    for fmt in ("csv", "json"):
        out = tmp_path / f"t.{fmt}"
        assert _cli("sql", "select * from range(200000) t(n)", "--data-dir", str(small_lake), "--format", fmt,
                    "--out", str(out)).exit_code == 0
    assert len((tmp_path / "t.csv").read_text().splitlines()) == 200_001
    assert len(json.loads((tmp_path / "t.json").read_text())) == 200_000


def test_an_unreachable_dask_address_is_said_so_at_once(tmp_path) -> None:
    import socket

    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    started = time.monotonic()
    result = _cli("run", str(tmp_path), "--data-dir", str(tmp_path / "data"), "--runner", "dask",
                  "--dask-address", f"tcp://127.0.0.1:{port}")
    _one_line_error(result, "cannot reach the Dask scheduler", f"tcp://127.0.0.1:{port}")
    assert time.monotonic() - started < 10


def test_the_second_of_two_concurrent_runs_is_refused_at_once(corpus, tmp_path) -> None:
    data = tmp_path / "data"
    holder = subprocess.Popen(
        [sys.executable, "-c", textwrap.dedent(f"""
            import sys
            from newsdag.store import Store
            with Store({str(data)!r}).reserved():
                print("locked", flush=True)
                sys.stdin.readline()
        """)],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "locked"
        started = time.monotonic()
        result = _start(["run", str(corpus), "--data-dir", str(data)])
        _, stderr = result.communicate(timeout=60)
        assert time.monotonic() - started < 8, "the busy data dir was found only after the start-up"
        assert result.returncode == 2 and "another newsdag run is writing" in stderr and "Traceback" not in stderr
    finally:
        holder.communicate("\n", timeout=30)


@pytest.mark.parametrize(
    ("sql", "needle"),
    [
        ("", "exactly one SQL statement, got no statement"),
        ("   -- nothing", "exactly one SQL statement, got no statement"),
        ("select 1; select 2", "got 2 statements"),
        ("copy (select 'x') to 'MANIFEST'", "this is a COPY statement"),
        ("attach 'x.db' as x", "this is a ATTACH statement"),
        ("set threads = 1", "this is a SET statement"),
        ("pragma threads = 1", "this is a SET statement"),
        ("install httpfs", "only runs queries"),
        ("select * from read_text('/etc/hostname')", "nothing else"),
        ("select * from glob('/etc/*')", "nothing else"),
        ("select * from read_text('MANIFEST')", "nothing else"),
        ("select * from read_csv('/etc/passwd')", "nothing else"),
        ("select current_setting('threads'); ", None),
    ],
)
def test_newsdag_sql_reads_the_tables_and_nothing_else(small_lake, sql, needle) -> None:
    manifest = small_lake / "manifest.json"
    before = manifest.read_bytes()
    result = _cli("sql", sql.replace("MANIFEST", str(manifest)), "--data-dir", str(small_lake))
    if needle is None:
        assert result.exit_code == 0, result.output
    else:
        _one_line_error(result, needle)
    assert manifest.read_bytes() == before


def test_a_bad_query_is_one_line(small_lake) -> None:
    _one_line_error(_cli("sql", "select nope from articles", "--data-dir", str(small_lake)), "nope")
    _one_line_error(_cli("sql", "selec 1", "--data-dir", str(small_lake)), "syntax error")


@pytest.mark.parametrize(
    ("params", "needle"),
    [
        (["--param", "context=-20"], "at least 0"),
        (["--param", "limit=3", "--param", "limit=4"], "given twice"),
    ],
)
def test_bad_query_parameters_are_one_line(small_lake, params, needle) -> None:
    _one_line_error(_cli("query", "quote_contexts", *params, "--data-dir", str(small_lake)), needle)


def test_an_empty_required_parameter_is_one_line(small_lake) -> None:
    _one_line_error(_cli("query", "quotes_by_speaker", "--param", "speaker=", "--data-dir", str(small_lake)),
                    "cannot be empty")


# --- reading stops at the limit ---------------------------------------------------------


@pytest.mark.skipif(not Path("/proc").is_dir(), reason="peak memory is read from getrusage on Linux")
def test_a_run_over_a_300_mb_text_file_stays_small(server_env, tmp_path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "good.txt").write_text(_article(1), encoding="utf-8")
    block = ("All work and no play makes a very long article. " * 20_000).encode()  # about 1 MB
    with open(folder / "huge.txt", "wb") as fh:
        for _ in range(300):
            fh.write(block)
    with open(folder / "huge.jsonl", "wb") as fh:  # one record of 300 MB
        fh.write(b'{"text": "')
        for _ in range(300):
            fh.write(block)
        fh.write(b'"}\n' + json.dumps({"text": _article(2)}).encode() + b"\n")
    data = tmp_path / "data"
    with open(tmp_path / "stderr", "w") as log:
        process = subprocess.Popen([sys.executable, "-m", "newsdag", "run", str(folder), "--data-dir", str(data),
                                    "--workers", "1"], env={**os.environ, **server_env},
                                   stdout=subprocess.DEVNULL, stderr=log)
        _, status, usage = os.wait4(process.pid, 0)  # this run's own peak, not other children's
    process.returncode = os.waitstatus_to_exitcode(status)
    assert process.returncode == 0, (tmp_path / "stderr").read_text()[-2000:]
    peak_mb = usage.ru_maxrss / 1024
    assert peak_mb < 700, f"peak RSS {peak_mb:.0f} MB"
    from newsdag.catalog import query

    rejects = {os.path.basename(r["source_path"]): r["reason"] for r in query(Store(data), "select * from rejects").to_pylist()}
    assert rejects["huge.txt"].startswith("too large")
    assert rejects["huge.jsonl#line 1"].startswith("too large")
    assert query(Store(data), "select count(*) n from articles").to_pylist() == [{"n": 2}]


def test_a_run_on_a_truncated_manifest_is_refused_at_once(small_lake, corpus) -> None:
    manifest = small_lake / "manifest.json"
    manifest.write_text(manifest.read_text()[:50])
    started = time.monotonic()
    _one_line_error(_cli("run", str(corpus), "--data-dir", str(small_lake)), "manifest.json", "doctor --repair")
    assert time.monotonic() - started < 10
