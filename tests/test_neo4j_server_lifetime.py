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

from graph.model import Node
from tools.neo4j import bulk, server, watchdog

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


def _sleeper(new_session: bool = False) -> subprocess.Popen[bytes]:
    return subprocess.Popen(["sleep", "3600"], start_new_session=new_session)


def test_a_server_whose_start_time_is_not_known_is_never_signalled(cleanup: list[int]) -> None:
    # The JVM ended before its start time was read (a failed start, tried again): the process that gets
    # its pid next, here a stranger in a session of its own, must not be taken for the server.
    stranger, owner = _sleeper(new_session=True), _sleeper()
    cleanup += [stranger.pid, owner.pid]
    owner_start = watchdog.start_time(owner.pid)
    assert owner_start is not None
    assert not watchdog.same(stranger.pid, watchdog.UNKNOWN) and not watchdog.same(stranger.pid, 0)
    dog = subprocess.Popen(server.watchdog_command(owner.pid, owner_start, stranger.pid, None))
    cleanup.append(dog.pid)
    owner.kill()  # the owner's end: a watchdog taking the stranger for its server would stop it now
    owner.wait()
    assert dog.wait(timeout=60) == 0
    with pytest.raises(subprocess.TimeoutExpired):
        stranger.wait(timeout=2)  # not signalled


def test_a_server_is_not_started_for_an_owner_that_has_ended(tmp_path: Path, cleanup: list[int]) -> None:
    home = tmp_path / "neo4j"
    owner = _sleeper()
    cleanup.append(owner.pid)
    started = watchdog.start_time(owner.pid)
    assert started is not None
    # Its pid now another process's: the process there did not start when the owner did.
    with pytest.raises(server.OwnerGone, match=f"pid {owner.pid}.*another process"):
        server.start(home, stop_with=owner.pid, owner_start=started - 1)
    owner.kill()
    owner.wait()
    with pytest.raises(server.OwnerGone, match=f"pid {owner.pid}"):
        server.start(home, stop_with=owner.pid)
    assert server.read_state(home) is None  # no JVM was started


def test_a_bulk_restart_does_not_start_the_server_for_a_process_reusing_its_owners_pid(
    tmp_path: Path, cleanup: list[int]
) -> None:
    home = tmp_path / "neo4j"
    owner = _sleeper()
    cleanup.append(owner.pid)
    running = server.start(home, stop_with=owner.pid, timeout=300)
    cleanup.append(running.pid)
    assert running.owner == owner.pid and running.owner_start == watchdog.start_time(owner.pid)
    # The owner ended and its pid went to another process (which cannot be arranged here): the
    # process at the recorded pid did not start at the recorded time.
    state = json.loads((home / server.STATE).read_text())
    state["owner_start"] -= 1
    (home / server.STATE).write_text(json.dumps(state))
    nodes = [Node(id="ORG:one", kind="Company", name="One Company")]
    with pytest.raises(bulk.BulkSyncError, match="not started again") as refused:
        bulk.bulk_sync(home, nodes, [])  # as the CLI's `neo4j sync --bulk` does: no stop_with
    said = str(refused.value)
    assert f"pid {owner.pid}" in said and "ordergraph neo4j start" in said
    assert _gone(running.pid) and server.read_state(home) is None  # stopped, and not started again
    assert owner.poll() is None  # the process at that pid is left alone
