"""The processes of a run end with it, however it ends.

A run starts children: the temporary Prefect server and the NLP worker processes (and
their children). Three things make sure none outlives the run:

- **a reaper**: :func:`start_reaper` starts a small process in a session of its own
  that records the run's descendants as they appear and, the moment the run's process
  is gone (an exit, a crash, SIGKILL), ends them: SIGTERM, then SIGKILL after a grace
  period. It runs this module as a script (``python -m newsdag.lifeline PID``).
- **a parent watch in each worker**: :func:`guard_worker`, the worker processes'
  initializer, ends the worker as soon as its parent is gone, and :func:`stop_if_orphaned`
  stops a worker before it writes a file into the data dir once its run is gone.
- **signal handlers**: :func:`end_on_signals` makes SIGTERM, SIGINT (Ctrl-C) and SIGHUP
  end the run at once: its children are ended first, then the process exits. Whatever
  a run leaves half written is swept by the next one (every write is atomic).

Descendants are found in ``/proc`` (Linux); elsewhere the reaper and the signal handlers
end only what they can see, and the workers' parent watch still holds.
"""

from __future__ import annotations

import multiprocessing
import os
import select
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterable
from pathlib import Path

# Seconds between looks at the run's descendants, and from SIGTERM to SIGKILL.
POLL_SECONDS = 0.2
GRACE_SECONDS = 2.0

_PROC = Path("/proc")
_reaper: subprocess.Popen | None = None
_reaper_owner: int | None = None
_guarded = False


def _stat(pid: int) -> tuple[int, int] | None:
    """(parent pid, start time) of ``pid`` from /proc, or None when it is gone (or a
    zombie, which has ended and only waits to be reaped)."""
    try:
        raw = (_PROC / str(pid) / "stat").read_bytes()
    except OSError:
        return None
    fields = raw[raw.rindex(b")") + 2 :].split()
    if fields[0] in (b"Z", b"X"):
        return None
    return int(fields[1]), int(fields[19])


def _processes() -> dict[int, tuple[int, int]]:
    table = {}
    for entry in _PROC.iterdir() if _PROC.is_dir() else ():
        if entry.name.isdigit():
            info = _stat(int(entry.name))
            if info is not None:
                table[int(entry.name)] = info
    return table


def descendants(root: int, table: dict[int, tuple[int, int]] | None = None) -> dict[int, int]:
    """pid -> start time of every process below ``root``."""
    table = _processes() if table is None else table
    children: dict[int, list[int]] = {}
    for pid, (ppid, _) in table.items():
        children.setdefault(ppid, []).append(pid)
    found, todo = {}, [root]
    while todo:
        for child in children.get(todo.pop(), ()):
            if child not in found:
                found[child] = table[child][1]
                todo.append(child)
    return found


def end_processes(processes: dict[int, int], grace: float = GRACE_SECONDS) -> None:
    """SIGTERM each process (pid -> start time) still alive as itself; SIGKILL those
    still there after ``grace`` seconds. Children they leave behind are ended too."""
    me = os.getpid()

    def alive() -> dict[int, int]:
        table = _processes()
        mine = {p: s for p, s in processes.items() if p != me and table.get(p, (0, None))[1] == s}
        for pid in list(mine):
            mine.update((p, s) for p, s in descendants(pid, table).items() if p != me)
        return mine

    targets = alive()
    for pid in targets:
        _signal(pid, signal.SIGTERM)
    deadline = time.monotonic() + grace
    while targets and time.monotonic() < deadline:
        time.sleep(0.05)
        processes = {**processes, **targets}
        targets = alive()
    for pid in targets:
        _signal(pid, signal.SIGKILL)


def _signal(pid: int, signum: int) -> None:
    try:
        os.kill(pid, signum)
    except OSError:
        pass


def end_children(grace: float = GRACE_SECONDS) -> None:
    """End every descendant of this process but its reaper."""
    found = descendants(os.getpid())
    if _reaper is not None:
        found.pop(_reaper.pid, None)
    end_processes(found, grace)


def _wait_for_exit(pid: int, timeout: float) -> bool:
    """Wait up to ``timeout`` seconds for ``pid`` to end; True when it has."""
    try:
        fd = os.pidfd_open(pid)
    except (AttributeError, OSError):
        time.sleep(timeout)
        return _stat(pid) is None
    try:
        return bool(select.select([fd], [], [], timeout)[0])
    finally:
        os.close(fd)


def reap(pid: int, started: int) -> None:
    """Watch ``pid``; when it ends, end the descendants it had (the reaper's main loop)."""
    seen: dict[int, int] = {}
    me = os.getpid()
    while True:
        info = _stat(pid)
        if info is None or info[1] != started:
            break
        seen.update((p, s) for p, s in descendants(pid).items() if p != me)
        if _wait_for_exit(pid, POLL_SECONDS):
            break
    end_processes(seen)


def start_reaper() -> None:
    """Start the reaper of this process's children (once per process)."""
    global _reaper, _reaper_owner
    if _reaper_owner == os.getpid() or not _PROC.is_dir():
        return
    info = _stat(os.getpid())
    if info is None:
        return
    _reaper = subprocess.Popen(
        [sys.executable, "-m", "newsdag.lifeline", str(os.getpid()), str(info[1])],
        stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        start_new_session=True, close_fds=True,
    )
    _reaper_owner = os.getpid()


_ending = threading.Lock()


def _silence_stderr() -> None:
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, 2)
        os.close(devnull)
    except OSError:
        pass


def end_on_signals(on_signal: Callable[[int], None] | None = None,
                   signals: Iterable[int] = (signal.SIGTERM, signal.SIGINT, signal.SIGHUP),
                   grace: float = 1.0) -> Callable[[], None]:
    """On each of ``signals``: call ``on_signal`` (to say so), end this process's
    children, and exit at once with status 128 + the signal's number. Returns a function
    that puts the previous handlers back.

    Libraries may install their own handler later (Prefect's flow engine does, for
    SIGTERM, and cleans up at length before it exits); so the signals also wake a
    thread through ``signal.set_wakeup_fd``, which ends the run whatever handler runs.
    """
    wanted = set(signals)

    def end(signum: int) -> None:
        if not _ending.acquire(blocking=False):
            return
        if on_signal is not None:
            try:
                on_signal(signum)
                sys.stderr.flush()
            except Exception:  # noqa: BLE001  (saying so must never stop the exit)
                pass
        # What the other threads print while the process ends (a library's handler
        # raising mid-call) is noise after the message that was just given.
        _silence_stderr()
        end_children(grace)
        os._exit(128 + signum)

    def handler(signum: int, frame: object) -> None:
        end(signum)

    if threading.current_thread() is not threading.main_thread():
        return lambda: None
    previous = {signum: signal.signal(signum, handler) for signum in wanted}
    reader, writer = socket.socketpair()
    writer.setblocking(False)
    old_fd = signal.set_wakeup_fd(writer.fileno(), warn_on_full_buffer=False)
    active = threading.Event()
    active.set()

    def watch() -> None:
        while True:
            try:
                data = reader.recv(64)
            except OSError:
                return
            if not data or not active.is_set():
                return
            for signum in data:
                if signum in wanted:
                    end(signum)

    # Not a daemon: if the main thread ends while the watcher ends the run, the
    # interpreter waits for it, so the run's children are ended and its exit status is
    # the signal's. Stopped when the handlers are restored, or at the latest when the
    # interpreter shuts down.
    watcher = threading.Thread(target=watch, name="newsdag-signal-watch", daemon=False)
    watcher.start()

    def stop_watching() -> None:
        active.clear()
        for sock in (writer, reader):
            try:
                sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass

    try:
        threading._register_atexit(stop_watching)  # runs before non-daemon threads are joined
    except (AttributeError, RuntimeError):
        pass

    def restore() -> None:
        signal.set_wakeup_fd(old_fd)
        for signum, old in previous.items():
            signal.signal(signum, old)
        stop_watching()
        watcher.join(1)
        if not watcher.is_alive():
            writer.close()
            reader.close()

    return restore


def guard_worker() -> None:
    """In a worker process: end it as soon as the process that started it is gone."""
    global _guarded
    parent = multiprocessing.parent_process()
    if parent is None or _guarded:
        return
    _guarded = True

    def watch() -> None:
        from multiprocessing.connection import wait

        wait([parent.sentinel])
        os._exit(1)

    threading.Thread(target=watch, name="newsdag-parent-watch", daemon=True).start()


def stop_if_orphaned() -> None:
    """In a guarded worker whose run is gone: exit before writing into the data dir."""
    if _guarded:
        parent = multiprocessing.parent_process()
        if parent is not None and not parent.is_alive():
            os._exit(1)


if __name__ == "__main__":
    reap(int(sys.argv[1]), int(sys.argv[2]))
