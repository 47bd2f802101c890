"""The temporary Prefect server of a run, started before anything else is loaded.

With no Prefect API configured, Prefect starts a temporary server the first time a flow
needs one: it imports its whole server in the run's process (about 3 s) only to spawn a
process that imports it again, and waits. newsdag spawns that same process (the command
Prefect's ``SubprocessASGIServer`` runs) first thing, so the server starts on another
core while the run loads spaCy, the model and Prefect's client, and only its health is
waited for before the flow. Once Prefect's settings are loaded, a server they name wins
and the spare one is stopped.
"""

from __future__ import annotations

import atexit
import importlib.util
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from newsdag.errors import ServerDidNotStart
from newsdag.startup import StartupClock

# How long the server may take to answer; a new machine's first start migrates its database.
DEFAULT_TIMEOUT_SECONDS = 180.0


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _prefect_dir() -> str:
    spec = importlib.util.find_spec("prefect")
    assert spec is not None and spec.origin is not None, "prefect is a dependency"
    return str(Path(spec.origin).parent.parent)


class TemporaryServer:
    """A Prefect API server process on a free local port, for this run alone."""

    def __init__(self) -> None:
        self.port = _free_port()
        self.api_url = f"http://127.0.0.1:{self.port}/api"
        env = {**os.environ, "PREFECT_UI_ENABLED": "0", "PREFECT__SERVER_EPHEMERAL": "1", "PREFECT__SERVER_FINAL": "1"}
        self.process = subprocess.Popen(
            [
                sys.executable, "-m", "uvicorn", "--app-dir", _prefect_dir(),
                "--factory", "prefect.server.api.server:create_app",
                "--host", "127.0.0.1", "--port", str(self.port), "--log-level", "error", "--lifespan", "on",
            ],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )

    def wait_ready(self, timeout: float = DEFAULT_TIMEOUT_SECONDS) -> None:
        """Return once the server answers its health check; ServerDidNotStart if it exits or times out."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise ServerDidNotStart(self.api_url, self._stderr())
            try:
                with urllib.request.urlopen(f"{self.api_url}/health", timeout=2) as response:
                    if response.status == 200:
                        return
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                pass
            time.sleep(0.05)
        self.stop()
        raise ServerDidNotStart(self.api_url, f"no answer in {timeout:.0f} s")

    def _stderr(self) -> str:
        tail = self.process.stderr.read().decode(errors="replace").strip() if self.process.stderr else ""
        return tail.splitlines()[-1] if tail else f"exit status {self.process.returncode}"

    def stop(self) -> None:
        """End the server without waiting for it: its state dies with it, and the run's
        reaper kills it should it linger."""
        if self.process.poll() is None:
            self.process.terminate()
        if self.process.stderr:
            self.process.stderr.close()


def wanted() -> bool:
    """Whether a run must bring its own server: none named in the environment, and
    Prefect's temporary server allowed (what Prefect itself would do)."""
    if os.environ.get("PREFECT_API_URL"):
        return False
    return os.environ.get("PREFECT_SERVER_EPHEMERAL_ENABLED", "true").lower() not in ("0", "false", "no", "off")


def started_early() -> TemporaryServer | None:
    """A temporary server started now if the run will need one. It is stopped when the
    process exits, after Prefect's own exit handlers (registered later, so run earlier)
    have sent the run's last events and logs to it."""
    if not wanted():
        return None
    server = TemporaryServer()
    atexit.register(server.stop)
    return server


@contextmanager
def serving(server: TemporaryServer | None, clock: StartupClock | None = None) -> Iterator[None]:
    """Prefect pointed at ``server`` (for this process and the workers it starts), unless
    its settings name an API of their own: then that one is used and ``server`` stopped."""
    from prefect.context import refresh_global_settings_context
    from prefect.settings import PREFECT_API_URL, PREFECT_SERVER_EPHEMERAL_ENABLED, temporary_settings

    if server is None:
        yield
        return
    if PREFECT_API_URL.value() or not PREFECT_SERVER_EPHEMERAL_ENABLED.value():
        server.stop()
        yield
        return
    started = time.perf_counter()
    server.wait_ready(float(os.environ.get("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", DEFAULT_TIMEOUT_SECONDS)))
    if clock is not None:
        clock.add("server", time.perf_counter() - started)
    before = os.environ.get("PREFECT_API_URL")
    # In the environment (for the worker processes) and in Prefect's global settings
    # too: its threads outside this context (the pool's log and event forwarding) would
    # otherwise find no API and start a temporary server of their own.
    os.environ["PREFECT_API_URL"] = server.api_url
    refresh_global_settings_context()
    try:
        with temporary_settings({PREFECT_API_URL: server.api_url}):
            yield
    finally:
        if before is None:
            os.environ.pop("PREFECT_API_URL", None)
        else:
            os.environ["PREFECT_API_URL"] = before
        refresh_global_settings_context()
