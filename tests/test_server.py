"""The temporary Prefect server a run starts first thing, and when it is not used."""

from __future__ import annotations

import os
import subprocess
import sys
import urllib.request

import pytest

from newsdag import server
from newsdag.errors import ServerDidNotStart
from newsdag.startup import StartupClock


class FakeServer:
    api_url = "http://127.0.0.1:1/api"

    def __init__(self) -> None:
        self.calls: list[str] = []

    def wait_ready(self, timeout: float) -> None:
        self.calls.append("wait")

    def stop(self) -> None:
        self.calls.append("stop")


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({}, True),
        ({"PREFECT_API_URL": "http://prefect.example:4200/api"}, False),
        ({"PREFECT_SERVER_EPHEMERAL_ENABLED": "false"}, False),
        ({"PREFECT_SERVER_EPHEMERAL_ENABLED": "true"}, True),
    ],
)
def test_a_server_is_started_only_when_prefect_would_start_one(env, expected, monkeypatch) -> None:
    for name in ("PREFECT_API_URL", "PREFECT_SERVER_EPHEMERAL_ENABLED"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    assert server.wanted() is expected


def test_a_server_named_by_prefects_settings_wins_and_the_spare_one_stops(monkeypatch) -> None:
    from prefect.settings import PREFECT_API_URL, temporary_settings

    monkeypatch.delenv("PREFECT_API_URL", raising=False)
    spare = FakeServer()
    with temporary_settings({PREFECT_API_URL: "http://prefect.example:4200/api"}):
        with server.serving(spare):
            assert PREFECT_API_URL.value() == "http://prefect.example:4200/api"
            assert "PREFECT_API_URL" not in os.environ
    assert spare.calls == ["stop"]


def test_the_run_and_its_workers_are_pointed_at_the_started_server(monkeypatch) -> None:
    from prefect.settings import PREFECT_API_URL, temporary_settings

    monkeypatch.delenv("PREFECT_API_URL", raising=False)
    started, clock = FakeServer(), StartupClock()
    with temporary_settings({PREFECT_API_URL: None}):
        with server.serving(started, clock):
            assert PREFECT_API_URL.value() == started.api_url
            assert os.environ["PREFECT_API_URL"] == started.api_url  # what worker processes inherit
    assert "PREFECT_API_URL" not in os.environ
    assert started.calls == ["wait"]
    assert "server" in clock.parts


def test_a_server_that_exits_is_a_clear_error_not_a_wait() -> None:
    broken = server.TemporaryServer.__new__(server.TemporaryServer)
    broken.api_url = "http://127.0.0.1:1/api"
    broken.process = subprocess.Popen(
        [sys.executable, "-c", "import sys; sys.stderr.write('database is locked\\n'); sys.exit(3)"],
        stderr=subprocess.PIPE,
    )
    with pytest.raises(ServerDidNotStart, match="database is locked"):
        broken.wait_ready(timeout=60)


def test_the_server_answers_its_health_check_and_stops(tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("PREFECT_HOME", str(tmp_path))
    started = server.TemporaryServer()
    try:
        started.wait_ready(timeout=180)
        with urllib.request.urlopen(f"{started.api_url}/health", timeout=5) as response:
            assert response.status == 200
    finally:
        started.stop()
    assert started.process.wait(timeout=30) is not None


def test_startup_parts_are_reported_in_order_and_summed() -> None:
    clock = StartupClock()
    clock.add("python", 0.4)
    clock.add("model", 0.5)
    clock.add("model", 0.25)
    clock.add("flow", 0.01)  # too small to show, still counted
    assert list(clock.parts) == ["python", "model", "flow"]
    assert clock.describe() == "1.2 s start-up: python 0.4 · model 0.8"
