"""A server started for a process (a test run, a benchmark) ends with it, however that process ends;
the one `ordergraph neo4j start` starts for a user outlives the command. Real servers, real SIGKILL."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tools.neo4j import server, watchdog

pytestmark = pytest.mark.neo4j
ROOT = Path(__file__).resolve().parents[1]
# Seconds a server may take to go once its owner is killed: the watchdog's poll, SIGTERM, its
# grace before SIGKILL (a JVM still starting up may not heed SIGTERM), and slack for a busy machine.
GONE_WITHIN = watchdog.GRACE + 30

# A throwaway owner: starts a server for itself, says so, then sleeps until it is killed.
OWNER = """
import os, sys, time
from pathlib import Path
from tools.neo4j import server
server.start(Path(sys.argv[1]), stop_with=os.getpid(), timeout=300)
print("started", flush=True)
time.sleep(3600)
"""


@pytest.fixture(autouse=True)
def java(request: pytest.FixtureRequest) -> None:
    from tests.conftest import _java_or_skip

    _java_or_skip()


def _gone(pid: int) -> bool:
    return watchdog.start_time(pid) is None


def _wait_gone(pid: int, within: float) -> float:
    started = time.monotonic()
    while not _gone(pid) and time.monotonic() - started < within:
        time.sleep(0.5)
    return time.monotonic() - started


def _recorded_pid(home: Path, within: float = 300) -> int:
    """The JVM's pid once the server's state file is written (just after the JVM is spawned)."""
    state = home / server.STATE
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        if state.exists():
            try:
                return int(json.loads(state.read_text())["pid"])
            except (ValueError, KeyError):
                pass  # written meanwhile
        time.sleep(0.2)
    raise AssertionError(f"no server recorded in {home} within {within} s")


@pytest.fixture
def cleanup() -> Iterator[list[int]]:
    """Pids to SIGKILL after the test if they are still there (a failed test leaves no JVM behind)."""
    pids: list[int] = []
    yield pids
    for pid in pids:
        if not _gone(pid):
            os.kill(pid, signal.SIGKILL)


@pytest.mark.parametrize("when", ["started", "starting"])
def test_a_server_dies_when_its_owner_is_killed(tmp_path: Path, when: str, cleanup: list[int]) -> None:
    home = tmp_path / "neo4j"
    owner = subprocess.Popen(
        [sys.executable, "-c", OWNER, str(home)],
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        stdout=subprocess.PIPE,
        text=True,
    )
    cleanup.append(owner.pid)
    jvm = _recorded_pid(home)
    cleanup.append(jvm)
    if when == "started":  # else killed while it starts: the JVM is there, Bolt does not answer yet
        assert owner.stdout is not None and owner.stdout.readline().strip() == "started"
    assert not _gone(jvm)
    owner.send_signal(signal.SIGKILL)  # no finally, no atexit: only the watchdog can stop the server
    owner.wait()
    waited = _wait_gone(jvm, GONE_WITHIN)
    assert _gone(jvm), f"the server (pid {jvm}) outlived its killed owner by {waited:.0f} s"


def test_a_server_the_cli_starts_outlives_the_command(tmp_path: Path, cleanup: list[int]) -> None:
    home = tmp_path / "home"
    env = {**os.environ, "PYTHONPATH": str(ROOT), "ORDERGRAPH_HOME": str(home)}
    env.pop("NEO4J_URI", None)
    ports = [str(server.free_port()), str(server.free_port())]
    command = [sys.executable, "-m", "ordergraph", "neo4j", "start", "--bolt-port", ports[0]]
    done = subprocess.run(
        [*command, "--http-port", ports[1]], cwd=ROOT, env=env, capture_output=True, text=True, timeout=400
    )
    assert done.returncode == 0, done.stderr
    running = server.read_state(home / "neo4j")
    assert running is not None
    cleanup.append(running.pid)
    try:
        assert running.owner is None
        # The command has exited: a watchdog, had one been started, would stop the server within a poll.
        time.sleep(3 * watchdog.POLL + 1)
        assert running.running() and server.port_in_use(running.bolt_port)
    finally:
        server.stop(home / "neo4j")
    assert _gone(running.pid)


def test_an_owner_that_is_gone_or_another_process_is_told_apart() -> None:
    me = watchdog.start_time(os.getpid())
    assert me is not None and watchdog.same(os.getpid(), me)
    assert not watchdog.same(os.getpid(), me + 1)  # the pid reused by a later process
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    deadline = time.monotonic() + 30
    while watchdog.start_time(child.pid) is not None and time.monotonic() < deadline:
        time.sleep(0.05)  # exited, not reaped: a zombie, which kill(pid, 0) still finds
    assert watchdog.start_time(child.pid) is None
    os.kill(child.pid, 0)
    child.wait()
