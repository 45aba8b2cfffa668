"""A server started for a process (a test run, a benchmark) ends with it, however that process ends;
the one `ordergraph neo4j start` starts for a user outlives the command. Real servers, real SIGKILL."""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import asdict
from pathlib import Path
from typing import Any

import pytest

from graph.model import Node
from tools.neo4j import bulk, server, watchdog, watched

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
server.start(Path(sys.argv[1]), server.LaunchOptions(stop_with=os.getpid(), timeout=300))
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


# A process as the tests know it: its pid and its start time (/proc/<pid>/stat), read while it ran.
Process = tuple[int, int]


def _recorded(home: Path, within: float = 300) -> Process:
    """The JVM once the server's state file is written (just after the JVM is spawned)."""
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        found = server.read_state(home) if (home / server.STATE).exists() else None
        if found is not None:
            assert found.start_time is not None
            return found.pid, found.start_time
        time.sleep(0.2)
    raise AssertionError(f"no server recorded in {home} within {within} s")


def _process(pid: int) -> Process:
    """``pid`` with the start time it has now (:data:`watchdog.UNKNOWN` when it is gone: never killed)."""
    started = watchdog.start_time(pid)
    return pid, watchdog.UNKNOWN if started is None else started


def _kill(pid: int, started: int) -> None:
    """SIGKILL ``pid`` if it is still the process that started at ``started``; one that ended meanwhile
    is no error, and its pid, another process's now, is left alone. Through a pidfd where the system
    has one: the process checked is the one killed, even if its pid is reused in between."""
    pidfd: int | None = None
    try:
        pidfd = os.pidfd_open(pid)
    except ProcessLookupError:
        return
    except (AttributeError, OSError):  # no pidfd here (an old kernel, a seccomp filter): check, then kill
        pass
    try:
        if watchdog.same(pid, started):
            if pidfd is None:
                os.kill(pid, signal.SIGKILL)
            else:
                signal.pidfd_send_signal(pidfd, signal.SIGKILL)
    except ProcessLookupError:
        pass
    finally:
        if pidfd is not None:
            os.close(pidfd)


@pytest.fixture
def cleanup() -> Iterator[list[Process]]:
    """Processes to SIGKILL after the test if they are still there, each with the start time read when
    it was added (a failed test leaves no JVM behind; a pid reused since is another's, left alone)."""
    processes: list[Process] = []
    yield processes
    for pid, started in processes:
        _kill(pid, started)


@pytest.mark.parametrize("when", ["started", "starting"])
def test_a_server_dies_when_its_owner_is_killed(tmp_path: Path, when: str, cleanup: list[Process]) -> None:
    home = tmp_path / "neo4j"
    owner = subprocess.Popen(
        [sys.executable, "-c", OWNER, str(home)],
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        stdout=subprocess.PIPE,
        text=True,
    )
    cleanup.append(_process(owner.pid))
    jvm, jvm_start = _recorded(home)
    cleanup.append((jvm, jvm_start))
    if when == "started":  # else killed while it starts: the JVM is there, Bolt does not answer yet
        assert owner.stdout is not None and owner.stdout.readline().strip() == "started"
    assert not _gone(jvm)
    owner.send_signal(signal.SIGKILL)  # no finally, no atexit: only the watchdog can stop the server
    owner.wait()
    waited = _wait_gone(jvm, GONE_WITHIN)
    assert _gone(jvm), f"the server (pid {jvm}) outlived its killed owner by {waited:.0f} s"


def test_a_server_the_cli_starts_outlives_the_command(tmp_path: Path, cleanup: list[Process]) -> None:
    home = tmp_path / "home"
    env = {**os.environ, "PYTHONPATH": str(ROOT), "ORDERGRAPH_HOME": str(home)}
    env.pop("NEO4J_URI", None)
    # A user's start: no owner (this run's, which the suite sets, would hide a watchdog of the command's).
    env.pop(server.STOP_WITH_ENV, None)
    ports = [str(server.free_port()), str(server.free_port())]
    command = [sys.executable, "-m", "ordergraph", "neo4j", "start", "--bolt-port", ports[0]]
    done = subprocess.run(
        [*command, "--http-port", ports[1]], cwd=ROOT, env=env, capture_output=True, text=True, timeout=400
    )
    assert done.returncode == 0, done.stderr
    running = server.read_state(home / "neo4j")
    assert running is not None
    assert running.start_time is not None
    cleanup.append((running.pid, running.start_time))
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
    sleeper = subprocess.Popen(["sleep", "3600"], start_new_session=new_session)
    # Popen returns once the exec has begun, a few ms before the kernel lays out the new command line;
    # a stranger caught with an empty one would pass for a server just launched (state.is_server).
    cmdline = Path(f"/proc/{sleeper.pid}/cmdline")
    deadline = time.monotonic() + 10
    while cmdline.exists() and not cmdline.read_bytes() and time.monotonic() < deadline:
        time.sleep(0.01)
    return sleeper


def test_a_server_is_not_started_for_an_owner_that_has_ended(tmp_path: Path, cleanup: list[Process]) -> None:
    home = tmp_path / "neo4j"
    owner = _sleeper()
    cleanup.append(_process(owner.pid))
    started = watchdog.start_time(owner.pid)
    assert started is not None
    # Its pid now another process's: the process there did not start when the owner did.
    with pytest.raises(server.OwnerGone, match=f"pid {owner.pid}.*another process"):
        server.start(home, server.LaunchOptions(stop_with=owner.pid, owner_start=started - 1))
    owner.kill()
    owner.wait()
    with pytest.raises(server.OwnerGone, match=f"pid {owner.pid}") as gone:
        server.start(home, server.LaunchOptions(stop_with=owner.pid))
    assert server.read_state(home) is None  # no JVM was started
    # It says what to do: the owner usually comes from the environment.
    said = str(gone.value)
    assert f"If that pid came from {server.STOP_WITH_ENV}, unset it" in said
    assert "or set it to the pid of a running process" in said


def test_a_bulk_sync_for_an_owner_that_has_ended_is_refused_before_the_server_stops(
    tmp_path: Path, cleanup: list[Process]
) -> None:
    home = tmp_path / "neo4j"
    owner = _sleeper()
    cleanup.append(_process(owner.pid))
    running = server.start(home, server.LaunchOptions(stop_with=owner.pid, timeout=300))
    cleanup.append(_process(running.pid))
    assert running.owner == owner.pid and running.owner_start == watchdog.start_time(owner.pid)
    # The owner ended and its pid went to another process (which cannot be arranged here): the
    # process at the recorded pid did not start at the recorded time.
    state = json.loads((home / server.STATE).read_text())
    state["owner_start"] -= 1
    (home / server.STATE).write_text(json.dumps(state))
    nodes = [Node(id="ORG:one", kind="Company", name="One Company")]
    announced: list[bool] = []
    with pytest.raises(bulk.BulkSyncError, match="refused") as refused:
        # as the CLI's `neo4j sync --bulk` does: no stop_with
        bulk.bulk_sync(home, nodes, [], announce=lambda: announced.append(True))
    said = str(refused.value)
    assert f"pid {owner.pid}" in said and "ordergraph neo4j stop" in said and "ordergraph neo4j start" in said
    # Refused before anything was touched: not announced, not stopped, no import run, database empty.
    assert not announced and not (home / "logs" / "import.log").exists()
    after = server.read_state(home)
    assert after is not None and after.pid == running.pid and after.running()
    from neo4j import GraphDatabase

    with GraphDatabase.driver(running.bolt_uri, auth=None) as driver:
        assert driver.execute_query("MATCH (n) RETURN count(n) AS n").records[0]["n"] == 0
    server.stop(home)
    assert _gone(running.pid)
    assert owner.poll() is None  # the process at that pid is left alone


def _stale_state(home: Path, pid: int, start_time: int | None) -> None:
    """A state file naming ``pid`` as the server's JVM (as a reboot or a long-gone server leaves one)."""
    (home / "run").mkdir(parents=True, exist_ok=True)
    stale = server.Server(
        str(home.resolve()), pid, server.free_port(), server.free_port(), "5.26.16", start_time=start_time
    )
    (home / server.STATE).write_text(json.dumps(asdict(stale)))
    (home / "run" / "neo4j.pid").write_text(f"{pid}\n")


@pytest.mark.parametrize("recorded", ["none", "its own", "another"])
def test_a_stale_state_naming_a_live_stranger_is_not_a_server(
    tmp_path: Path, recorded: str, cleanup: list[Process], cli: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A state file whose JVM pid is now another process's: a state written before start times were
    # recorded ("none"), one whose start time is the stranger's own, one whose start time is another.
    stranger = _sleeper(new_session=True)
    cleanup.append(_process(stranger.pid))
    started = watchdog.start_time(stranger.pid)
    assert started is not None
    home = tmp_path / "neo4j"
    _stale_state(home, stranger.pid, {"none": None, "its own": started, "another": started - 1}[recorded])
    found = server.read_state(home)
    assert found is not None and not found.running()
    status = subprocess.run(
        [sys.executable, "-m", "tools.neo4j.server", "status", "--home", str(home)],
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert status.returncode == 1 and "no server running" in status.stdout
    monkeypatch.delenv("NEO4J_URI", raising=False)
    monkeypatch.setenv("ORDERGRAPH_HOME", str(tmp_path))
    said = cli("neo4j", "status")
    assert said.code == 2 and f"pid {stranger.pid}" in said.err and "not running" in said.err
    assert server.request_stop(home) is not None
    stopped = cli("neo4j", "stop", "--json")
    assert stopped.code == 0 and stopped.json()["stopped"] is False and stopped.json()["pid"] == stranger.pid
    assert server.read_state(home) is None and not (home / "run" / "neo4j.pid").exists()
    _stale_state(home, stranger.pid, None)
    assert server.stop(home) is not None and server.read_state(home) is None
    with pytest.raises(subprocess.TimeoutExpired):
        stranger.wait(timeout=1)  # never signalled


def test_a_server_starts_over_a_stale_state_naming_a_live_stranger(
    tmp_path: Path, cleanup: list[Process]
) -> None:
    stranger = _sleeper(new_session=True)
    cleanup.append(_process(stranger.pid))
    home = tmp_path / "neo4j"
    _stale_state(home, stranger.pid, None)
    running = server.start(home, server.LaunchOptions(stop_with=os.getpid(), timeout=300))
    cleanup.append(_process(running.pid))
    try:
        assert running.pid != stranger.pid and running.running()
        assert running.start_time == watchdog.start_time(running.pid)
        assert server.read_state(home) == running
    finally:
        server.stop(home)
    assert _gone(running.pid)
    assert stranger.poll() is None


def _kill_naming(home: Path) -> None:
    """SIGKILL what is left of a server in ``home`` (JVMs, watchdogs), each if it is still the
    process the scan found, by the start time the scan read (a watchdog ends on its own once its JVM
    has: maybe in between, its pid then another process's)."""
    for pid, (_, started) in _naming_started(home).items():
        _kill(pid, started)


def _naming(home: Path) -> dict[int, list[str]]:
    """Every process whose command line names ``home`` as a server's home (a JVM, or its watchdog)."""
    return {pid: args for pid, (args, _) in _naming_started(home).items()}


def _naming_started(home: Path) -> dict[int, tuple[list[str], int]]:
    """:func:`_naming`, each with its start time: read before its command line and again after (the
    same: the command line read is that process's)."""
    mark = f"--home-dir={home.resolve()}"
    found = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            pid = int(entry.name)
            before = watchdog.start_time(pid)
            try:
                args = (entry / "cmdline").read_bytes().decode(errors="replace").split("\0")
            except OSError:
                continue
            if mark in args and before is not None and watchdog.start_time(pid) == before:
                found[pid] = (args, before)
    return found


def _is_jvm(args: list[str]) -> bool:
    return Path(args[0]).name == "java"


# A throwaway starter: starts a server for itself, and is killed while it does.
STARTER = """
import os, sys
from pathlib import Path
from tools.neo4j import server
server.start(Path(sys.argv[1]), server.LaunchOptions(stop_with=os.getpid(), timeout=300))
"""


def _last_pid() -> int:
    """The pid the system gave last (/proc/loadavg's last field)."""
    return int(Path("/proc/loadavg").read_text().split()[-1])


def _parent(pid: int) -> int | None:
    try:
        return int(Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[1])
    except (OSError, IndexError, ValueError):
        return None


def _kill_when(starter: subprocess.Popen[bytes], when: str, within: float = 300) -> dict[int, int]:
    """SIGKILL ``starter`` the moment it has a child ("first process", forked, maybe not yet exec'd),
    or the moment a process it started, or one of those started, runs java ("jvm"). Polls without
    sleeping, each pid the system hands out looked at once: the kill comes within microseconds.
    Returns the processes it had started by then (and theirs): pid → start time."""
    ours, seen = {starter.pid}, starter.pid
    # Pids go up to pid_max - 1, then start again low (at 300 on Linux; from 1 here, to be sure).
    pid_max = int(Path("/proc/sys/kernel/pid_max").read_text())
    deadline = time.monotonic() + within
    while starter.poll() is None and time.monotonic() < deadline:
        last = _last_pid()
        while seen != last:
            seen = seen + 1 if seen < pid_max - 1 else 1
            if _parent(seen) in ours:
                ours.add(seen)
        for pid in ours - {starter.pid}:
            if when == "first process" or _is_jvm(_args(pid)):
                starter.kill()
                started = {p: watchdog.start_time(p) for p in ours - {starter.pid}}
                return {p: t for p, t in started.items() if t is not None}
    raise AssertionError(f"the starter ended (or took {within} s) before its {when} ran")


def _args(pid: int) -> list[str]:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().decode(errors="replace").split("\0")
    except OSError:
        return [""]


@pytest.mark.parametrize("when", ["first process", "jvm"])
def test_killing_the_starter_at_any_point_leaves_no_jvm(tmp_path: Path, when: str) -> None:
    # Killed as soon as it has forked a process ("first process": the watchdog, which starts the JVM),
    # or as soon as the JVM runs ("jvm"): a JVM started before its watchdog would be orphaned there.
    home = tmp_path / "neo4j"
    starter = subprocess.Popen(
        [sys.executable, "-c", STARTER, str(home)], cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)}
    )
    try:
        started = _kill_when(starter, when)
        starter.wait()
        # What it had started ends (a watchdog ends once its JVM has, or at once when its owner had
        # ended before it started one); a JVM started by none of them, or left by them, would remain.
        deadline = time.monotonic() + GONE_WITHIN
        while any(watchdog.same(p, t) for p, t in started.items()) and time.monotonic() < deadline:
            time.sleep(0.5)
        left = {p: a for p, a in _naming(home).items() if _is_jvm(a) or watchdog.same(p, started.get(p, -1))}
        assert not left, f"left behind by a starter killed at its {when}: {sorted(left)}"
    finally:
        starter.kill()
        starter.wait()
        _kill_naming(home)


def test_two_starts_at_once_start_one_server(tmp_path: Path) -> None:
    home = tmp_path / "neo4j"
    ports = [str(server.free_port()), str(server.free_port())]
    command = [sys.executable, "-m", "tools.neo4j.server", "start", "--home", str(home)]
    command += ["--bolt-port", ports[0], "--http-port", ports[1]]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    both = [
        subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
        )
        for _ in range(2)
    ]
    try:
        said = [started.communicate(timeout=400) for started in both]
        assert [started.returncode for started in both] == [0, 0], said
        pids = {out.split("(pid ")[1].split(")")[0] for out, _ in said}
        running = server.read_state(home)
        assert running is not None and pids == {str(running.pid)} and running.running()
        assert [pid for pid, args in _naming(home).items() if _is_jvm(args)] == [running.pid]
    finally:
        server.stop(home)
        _kill_naming(home)


def _hooked_jvm(text: str, point: str) -> Process:
    """The JVM (pid, start time) a test hook said it had when it fired
    (:func:`tools.neo4j.watchdog.test_hook`: "JVM pid <pid> start <start time>")."""
    for line in text.splitlines():
        if line.startswith(f"test hook {point}: JVM pid "):
            words = line.split()
            return int(words[-3]), int(words[-1])
    raise AssertionError(f"the test hook {point} did not fire:\n{text[-2000:]}")


def _run_hooked(script: str, home: Path, point: str, *args: str) -> subprocess.CompletedProcess[str]:
    """``script`` (a starter: ``home``, then ``args``, its arguments) run to its end with the test hook
    at ``point``, and no owner but the one it names (:data:`server.STOP_WITH_ENV` unset)."""
    env = {**os.environ, "PYTHONPATH": str(ROOT), server.TEST_HOOK_ENV: point}
    env.pop(server.STOP_WITH_ENV, None)
    command = [sys.executable, "-c", script, str(home), *args]
    return subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=400)


def _nothing_left(home: Path, hooked: Process) -> None:
    """The JVM ``hooked`` ends (within the watchdog's grace), and no process of ``home`` is left."""
    jvm = hooked[0]
    try:
        waited = _wait_gone(jvm, GONE_WITHIN)
        assert _gone(jvm), f"the JVM (pid {jvm}) is still there {waited:.0f} s later, recorded by no state"
        deadline = time.monotonic() + GONE_WITHIN
        while _naming(home) and time.monotonic() < deadline:
            time.sleep(0.5)
        assert not _naming(home), f"left behind: {_naming(home)}"
        assert server.read_state(home) is None
    finally:
        _kill(*hooked)  # if still the JVM the hook named (its start time): never a pid reused since
        _kill_naming(home)


def test_a_watchdog_killed_before_it_reports_its_jvm_leaves_none(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    home = tmp_path / "neo4j"
    monkeypatch.setenv(server.TEST_HOOK_ENV, "watchdog-dies-before-report")
    with pytest.raises(server.ServerError, match="ended before it reported a JVM") as failed:
        server.start(home, server.LaunchOptions(stop_with=os.getpid(), timeout=300))
    assert "console.log" in str(failed.value)
    jvm = _hooked_jvm((home / "logs" / "console.log").read_text(), "watchdog-dies-before-report")
    _nothing_left(home, jvm)


# The starter's read of one line from its watchdog, within a time (tools.neo4j.watched._read_line).
ReadLine = Callable[[int, float], str | None]


def _once_hung(home: Path, read_line: ReadLine) -> ReadLine:
    """``read_line`` (the starter's read of its watchdog's report), called once the watchdog has said
    on the server's console log that it hangs at its test hook."""

    def read(fd: int, timeout: float) -> str | None:
        said = "test hook watchdog-hangs-before-report"
        console = home / "logs" / "console.log"
        deadline = time.monotonic() + 300
        while time.monotonic() < deadline and said not in console.read_text(errors="replace"):
            time.sleep(0.1)
        return read_line(fd, timeout)

    return read


def test_a_watchdog_that_does_not_report_is_given_up_on_after_a_time_saying_what_to_check(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    home = tmp_path / "neo4j"
    monkeypatch.setenv(server.TEST_HOOK_ENV, "watchdog-hangs-before-report")
    # The starter's wait is counted from when the watchdog hangs (its JVM started), not from its launch:
    # a short one then gives up on a hang, never on a watchdog a busy machine has not yet got that far.
    monkeypatch.setattr(watched, "_read_line", _once_hung(home, watched._read_line))
    monkeypatch.setattr(watched, "HANDSHAKE_TIMEOUT", 2.0)
    with pytest.raises(server.ServerError, match="did not report the JVM it starts within 2 s") as failed:
        server.start(home, server.LaunchOptions(stop_with=os.getpid(), timeout=300))
    said = str(failed.value)
    assert "console.log" in said and "uptime" in said
    jvm = _hooked_jvm((home / "logs" / "console.log").read_text(), "watchdog-hangs-before-report")
    _nothing_left(home, jvm)


# A starter for a server that ends with another process (argv[2]: this test run), as the CLI is when
# ORDERGRAPH_NEO4J_STOP_WITH names a shell: killed before it records the server, no one else would.
STARTER_FOR = """
import sys
from pathlib import Path
from tools.neo4j import server
server.start(Path(sys.argv[1]), server.LaunchOptions(stop_with=int(sys.argv[2]), timeout=300))
"""


def test_a_starter_killed_before_it_records_the_server_leaves_no_jvm(tmp_path: Path) -> None:
    home = tmp_path / "neo4j"
    starter = _run_hooked(STARTER_FOR, home, "starter-dies-before-state", str(os.getpid()))
    assert starter.returncode == -signal.SIGKILL, starter.stderr
    jvm = _hooked_jvm(starter.stderr, "starter-dies-before-state")
    # Its owner (this process) lives on: only the watchdog, told nothing, can stop that JVM.
    _nothing_left(home, jvm)


def test_a_start_or_stop_during_a_bulk_import_waits_then_finds_the_restarted_server(
    tmp_path: Path, cleanup: list[Process], monkeypatch: pytest.MonkeyPatch
) -> None:
    home = (tmp_path / "neo4j").resolve()
    running = server.start(home, server.LaunchOptions(stop_with=os.getpid(), timeout=300))
    cleanup.append(_process(running.pid))
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    command = [sys.executable, "-m", "tools.neo4j.server"]
    waiting = f"waiting for a neo4j start, stop or bulk sync (sync --bulk) going on in {home} to finish …"
    assert server.waiting_line(home) == waiting
    starts: list[subprocess.Popen[str]] = []

    def waits(*args: str, cli_env: dict[str, str] | None = None) -> subprocess.Popen[str]:
        """``args`` run (``python -m tools.neo4j.server``, else the CLI with ``cli_env``), once it says
        it waits for the lock."""
        started = subprocess.Popen(
            [*command, *args] if cli_env is None else [sys.executable, "-m", "ordergraph", *args],
            cwd=ROOT,
            env=env if cli_env is None else cli_env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        starts.append(started)
        assert started.stderr is not None
        assert started.stderr.readline().strip() == waiting
        return started

    try:
        nodes = [Node(id="ORG:one", kind="Company", name="One Company")]

        def start_meanwhile() -> None:  # once the bulk sync has its lock, just before it stops the server
            waits("start", "--home", str(home))

        after_import, held = bulk._after_import, []

        def still_locked(*args: Any) -> None:  # the Bolt writes completing the sync: under the lock too
            with (home / server.START_LOCK).open() as lock:
                try:
                    fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
                except BlockingIOError:
                    held.append(True)
                else:
                    fcntl.flock(lock, fcntl.LOCK_UN)
                    held.append(False)
            after_import(*args)

        monkeypatch.setattr(bulk, "_after_import", still_locked)
        bulk.bulk_sync(home, nodes, [], announce=start_meanwhile)
        assert held == [True]
        restarted = server.read_state(home)
        assert restarted is not None and restarted.pid != running.pid and restarted.running()
        cleanup.append(_process(restarted.pid))
        out, err = starts[0].communicate(timeout=400)
        assert starts[0].returncode == 0, err
        # It did not start that server: it found it, as a start finds one running.
        assert f"already running (pid {restarted.pid})" in out and f":{restarted.bolt_port}" in out
        assert [pid for pid, args in _naming(home).items() if _is_jvm(args)] == [restarted.pid]

        # A stop waits for a start (here: the lock held) too, and stops what it finds once it has the
        # lock: here a server started while it waited (nothing was recorded when it was issued).
        cli_env = {**env, "ORDERGRAPH_HOME": str(home.parent)}
        cli_env.pop("NEO4J_URI", None)
        with server.start_lock(home):
            server.stop_locked(home)
            assert server.read_state(home) is None
            stopping = [waits("stop", "--home", str(home)), waits("neo4j", "stop", "--json", cli_env=cli_env)]
            options = server.LaunchOptions(stop_with=os.getpid(), timeout=300)
            launched = server.start_locked(home, options)
            again = launched.server
            cleanup.append(_process(again.pid))
            # It says whether it launched the server or found it running, as it decides under the lock.
            assert launched.launched and server.start_locked(home, options) == server.Started(again, False)
        said = [stop.communicate(timeout=400) for stop in stopping]
        assert [stop.returncode for stop in stopping] == [0, 0], said
        # The first to take the lock stopped it and says so; the other found nothing recorded.
        plain, as_json = said[0][0], json.loads(said[1][0])
        if plain == f"stopped (pid {again.pid})\n":
            assert as_json == {"stopped": False, "home": str(home)}
        else:
            assert plain == f"no server recorded in {home}\n"
            assert as_json == {"stopped": True, "pid": again.pid, "home": str(home)}
        assert _gone(again.pid) and server.read_state(home) is None
    finally:
        for started in starts:
            started.kill()
            started.wait()
        server.stop(home)
        _kill_naming(home)


def test_a_state_file_cut_short_edited_or_of_another_version_is_named_with_what_to_do(
    tmp_path: Path, cli: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    home = tmp_path / "neo4j"
    monkeypatch.delenv("NEO4J_URI", raising=False)
    monkeypatch.setenv("ORDERGRAPH_HOME", str(tmp_path))
    state = home / server.STATE
    state.parent.mkdir(parents=True)
    fields = asdict(server.Server(str(home), 12345, 7687, 7474, "5.26.16"))
    whole = json.dumps(fields)
    another_version = "another ordergraph version wrote it, or it was cut short or edited"
    for text, why in (
        (whole[: len(whole) // 2], "it was cut short or edited"),
        ("", "it was cut short or edited"),
        ('["not", "a", "state"]', "a JSON list, not an object: it was cut short or edited"),
        ('{"pid": 12345}', f"it has no home, bolt_port, http_port, version: {another_version}"),
        (json.dumps({**fields, "colour": "red"}), f"fields it does not know: colour: {another_version}"),
        (json.dumps({**fields, "pid": "12345"}), 'its pid is "12345", not int: it was edited'),
        (json.dumps({**fields, "owner": True}), "its owner is true, not int or null: it was edited"),
        (json.dumps({**fields, "browser_missing": 3}), "its browser_missing is 3, not str or null"),
        (json.dumps({**fields, "pid": 0}), "its pid is 0, not a process id: it was edited"),
    ):
        state.write_text(text)
        with pytest.raises(server.ServerError) as bad:
            server.read_state(home)
        assert why in str(bad.value)
        assert str(state) in str(bad.value) and "remove it" in str(bad.value)
        for command in (("neo4j", "status"), ("neo4j", "stop"), ("neo4j", "start")):
            said = cli(*command)
            assert said.code == 2 and str(state) in said.err and "Traceback" not in said.err, command
        assert state.read_text() == text  # left for the user to look at


WRITER = """
import sys
from pathlib import Path
from tools.neo4j import server
home = Path(sys.argv[1])
for pid in range(1, int(sys.argv[2]) + 1):
    server.write_state(home, server.Server(str(home), pid, 7687, 7474, "5.26.16", owner=pid))
"""


def _writer(home: Path, states: int) -> subprocess.Popen[bytes]:
    """A process writing ``states`` states into ``home``, one after the other (:data:`WRITER`)."""
    command = [sys.executable, "-c", WRITER, str(home), str(states)]
    return subprocess.Popen(command, cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)})


def test_the_state_is_never_read_half_written(tmp_path: Path) -> None:
    home = tmp_path / "neo4j"
    server.write_state(home, server.Server(str(home), 1, 7687, 7474, "5.26.16"))
    writer = _writer(home, 600)
    reads = 0
    try:
        while writer.poll() is None:
            found = server.read_state(home)  # a ServerError here: a state read half-written
            assert found is not None and found.owner in (None, found.pid)
            reads += 1
    finally:
        with contextlib.suppress(ProcessLookupError):
            writer.kill()
        writer.wait()
    assert writer.returncode == 0 and reads > 0
    last = server.read_state(home)
    assert last is not None and last.pid == 600
    assert (home / "run" / "neo4j.pid").read_text() == "600\n"
    assert sorted(p.name for p in (home / "run").iterdir()) == ["neo4j.pid", "ordergraph.json"]


def test_a_writer_killed_mid_write_leaves_a_whole_state_and_the_next_write_no_scratch_file(
    tmp_path: Path,
) -> None:
    home = tmp_path / "neo4j"
    server.write_state(home, server.Server(str(home), 1, 7687, 7474, "5.26.16"))
    writer = _writer(home, 1_000_000)
    try:
        found = server.read_state(home)
        while writer.poll() is None and found is not None and found.pid < 50:
            found = server.read_state(home)
        writer.kill()  # SIGKILL: mid-write, as likely as not (each write is mostly a write to disk)
    finally:
        writer.wait()
    assert writer.returncode == -signal.SIGKILL
    found = server.read_state(home)  # whole (the last written or the one before), never half of one
    assert found is not None and found.pid >= 50 and found.owner == found.pid
    # What a kill mid-write leaves (here for certain: the kill may have come between two writes).
    for name in ("ordergraph.json", "neo4j.pid"):
        (home / "run" / f".{name}.left.tmp").write_text('{"home": "')
    server.write_state(home, server.Server(str(home), 2, 7687, 7474, "5.26.16"))
    assert sorted(p.name for p in (home / "run").iterdir()) == ["neo4j.pid", "ordergraph.json"]
    assert server.read_state(home) == server.Server(str(home), 2, 7687, 7474, "5.26.16")


def test_a_stop_with_nothing_recorded_creates_nothing_and_a_lock_it_cannot_open_is_named(
    tmp_path: Path, cli: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    home = tmp_path / "neo4j"
    assert server.stop(home) is None and not home.exists()  # never used: nothing made there
    monkeypatch.delenv("NEO4J_URI", raising=False)
    monkeypatch.setenv("ORDERGRAPH_HOME", str(tmp_path))
    said = cli("neo4j", "stop")
    assert said.code == 0 and "no local Neo4j server recorded" in said.out and not home.exists()
    # A home whose lock cannot be opened (here a file where its folder should be; else a folder not
    # writable): an error naming the file, no traceback.
    home.mkdir()
    (home / "run").write_text("not a folder")
    with pytest.raises(server.ServerError, match=f"cannot open the lock file {home / 'run' / 'start.lock'}"):
        server.start(home)
    said = cli("neo4j", "start")
    assert said.code == 2 and "cannot open the lock file" in said.err and "Traceback" not in said.err


def test_the_start_lock_taken_again_by_its_holder_raises_at_once(tmp_path: Path) -> None:
    home = tmp_path / "neo4j"
    with server.start_lock(home):
        # A start or stop nested under it would wait for itself forever, saying it waits for another.
        for nested in (server.stop, server.start):
            with pytest.raises(RuntimeError, match="already locked by this thread"):
                nested(home)
    assert server.stop(home) is None  # released


# A user's start (no owner, no watchdog) told SIGTERM between the JVM's launch and its record.
TERMINATED = """
import sys
from pathlib import Path
from tools.neo4j import server
server.start(Path(sys.argv[1]), server.LaunchOptions(timeout=300))
"""


def test_a_start_terminated_before_it_records_its_server_records_it_first(tmp_path: Path) -> None:
    home = tmp_path / "neo4j"
    try:
        starter = _run_hooked(TERMINATED, home, "starter-terminated-before-state")
        # The SIGTERM (sent at the hook) waited until the JVM was recorded, then ended the starter.
        assert starter.returncode == -signal.SIGTERM, starter.stderr
        jvm = _hooked_jvm(starter.stderr, "starter-terminated-before-state")
        recorded = server.read_state(home)
        assert recorded is not None and (recorded.pid, recorded.start_time) == jvm and recorded.owner is None
        # So `stop` finds it (before: a JVM running with no record, which no stop could find).
        stopped = server.stop(home)
        assert stopped is not None and stopped.was_running and stopped.server.pid == jvm[0]
        assert _gone(jvm[0]) and not _naming(home)
    finally:
        _kill_naming(home)


# A user's start (no owner, no watchdog) told SIGINT (a Ctrl-C) between the JVM's launch and its record.
INTERRUPTED = """
import signal, sys
from pathlib import Path
from tools.neo4j import server
signal.signal(signal.SIGINT, signal.default_int_handler)  # a test run in the background may ignore it
server.start(Path(sys.argv[1]), server.LaunchOptions(timeout=300))
"""


def test_a_start_interrupted_before_it_records_its_server_stops_it_once_recorded(tmp_path: Path) -> None:
    home = tmp_path / "neo4j"
    try:
        starter = _run_hooked(INTERRUPTED, home, "starter-interrupted-before-state")
        # The Ctrl-C (sent at the hook) waited until the JVM was recorded, then ended the start, which
        # stopped its server as a Ctrl-C while Bolt does not answer yet does.
        assert starter.returncode == -signal.SIGINT and "KeyboardInterrupt" in starter.stderr, starter.stderr
        jvm = _hooked_jvm(starter.stderr, "starter-interrupted-before-state")
        waited = _wait_gone(jvm[0], GONE_WITHIN)
        assert _gone(jvm[0]), f"the JVM (pid {jvm[0]}) is still there {waited:.0f} s later"
        assert server.read_state(home) is None and not _naming(home)
    finally:
        _kill_naming(home)


def test_a_refused_death_signal_starts_no_server_and_says_why(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    home = tmp_path / "neo4j"
    monkeypatch.setenv(server.TEST_HOOK_ENV, "watchdog-death-signal-refused")
    try:
        with pytest.raises(server.ServerError, match="refused to tie the JVM to its watchdog") as failed:
            server.start(home, server.LaunchOptions(stop_with=os.getpid(), timeout=300))
        assert f"unset {server.STOP_WITH_ENV}" in str(failed.value)
        log = (home / "logs" / "console.log").read_text()
        assert "watchdog: prctl(PR_SET_PDEATHSIG) refused (Operation not permitted): no JVM started" in log
        assert server.read_state(home) is None and not _naming(home)
    finally:
        _kill_naming(home)


# A watchdog with a stand-in for the JVM that ignores SIGTERM, and a grace of 5 s before its SIGKILL.
STUBBORN = """
import sys
from tools.neo4j import watchdog
watchdog.GRACE = 5.0
sys.exit(watchdog.main(sys.argv[1:]))
"""


def _watchdog_of_a_stand_in(script: str, tmp_path: Path) -> subprocess.Popen[bytes]:
    """A watchdog run by ``script`` for this process, its JVM a stand-in that ignores SIGTERM."""
    me = watchdog.start_time(os.getpid())
    assert me is not None
    log = tmp_path / "console.log"
    stand_in = ["sh", "-c", "trap '' TERM; exec sleep 600", "--home-dir=" + str(tmp_path)]
    return subprocess.Popen(
        [sys.executable, "-c", script, str(os.getpid()), str(me), str(log), "--", *stand_in],
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )


def _told_recorded(dog: subprocess.Popen[bytes]) -> Process:
    """The JVM ``dog`` reports, which the test then says is recorded (as a starter does)."""
    assert dog.stdin is not None and dog.stdout is not None
    pid, started = (int(word) for word in dog.stdout.readline().split())
    dog.stdin.write(watchdog.RECORDED)
    dog.stdin.flush()
    return pid, started


@contextlib.contextmanager
def _recorded_stand_in(script: str, tmp_path: Path) -> Iterator[tuple[subprocess.Popen[bytes], int]]:
    """A watchdog run by ``script`` (:func:`_watchdog_of_a_stand_in`), told its JVM is recorded, and
    that JVM's pid; both killed after, if still there."""
    dog = _watchdog_of_a_stand_in(script, tmp_path)
    child: Process = (0, watchdog.UNKNOWN)
    try:
        child = _told_recorded(dog)
        yield dog, child[0]
    finally:
        dog.kill()
        dog.wait()
        _kill(*child)


def test_a_second_sigterm_to_a_stopping_watchdog_changes_nothing(tmp_path: Path) -> None:
    with _recorded_stand_in(STUBBORN, tmp_path) as (dog, pid):
        dog.send_signal(signal.SIGTERM)  # it stops its JVM: SIGTERM (ignored), SIGKILL after its grace
        time.sleep(1)
        dog.send_signal(signal.SIGTERM)  # while it waits for that
        _, err = dog.communicate(timeout=60)
        assert dog.returncode == 128 + signal.SIGTERM and b"Traceback" not in err, err
        assert _gone(pid)


# The same watchdog, its SIGTERM arriving at the one bytecode where CPython's Popen._internal_poll
# holds its _waitpid_lock outside a try: just after acquire(False). A handler that raised there left
# the lock held for good, and the stop that followed then waited on it forever (seen once in CI: the
# test above timed out). The hook sends the signal there, once, on the watch loop's first poll.
TERMINATED_INSIDE_A_POLL = """
import os, signal, subprocess, sys
from tools.neo4j import watchdog
watchdog.GRACE = 5.0


class PolledWhileTerminated(subprocess.Popen):
    hooked = False

    def _internal_poll(self, *args, **kwargs):
        if not PolledWhileTerminated.hooked and self._waitpid_lock.acquire(False):
            PolledWhileTerminated.hooked = True
            os.kill(os.getpid(), signal.SIGTERM)  # its handler runs here, the lock held
            self._waitpid_lock.release()
        return super()._internal_poll(*args, **kwargs)


watchdog.subprocess.Popen = PolledWhileTerminated
sys.exit(watchdog.main(sys.argv[1:]))
"""


def test_a_sigterm_inside_a_poll_of_the_jvm_still_stops_it(tmp_path: Path) -> None:
    with _recorded_stand_in(TERMINATED_INSIDE_A_POLL, tmp_path) as (dog, pid):
        _, err = dog.communicate(timeout=60)  # SIGTERM (ignored by the stand-in), SIGKILL after 5 s
        assert b"Traceback" not in err, err
        assert dog.returncode == 128 + signal.SIGTERM
        assert _gone(pid)


# A watchdog that says how each stop of its JVM went ("server stopped" by SIGTERM, or "server killed"
# after its grace of 5 s), its JVM a stand-in that marks it ran, then sleeps.
SAYS_HOW_IT_STOPPED = """
import sys
from tools.neo4j import watchdog
watchdog.GRACE = 5.0
stop = watchdog.stop


def said_stop(jvm):
    said = stop(jvm)
    print(said, file=sys.stderr, flush=True)
    return said


watchdog.stop = said_stop
sys.exit(watchdog.main(sys.argv[1:]))
"""


@pytest.mark.parametrize("point", ["watchdog-terminated-before-start", "watchdog-terminated-at-start"])
def test_a_sigterm_as_the_watchdog_starts_its_jvm_starts_none_or_one_that_heeds_sigterm(
    tmp_path: Path, point: str
) -> None:
    # "before": a SIGTERM before the start is seen in time, and no JVM starts. "at": one that comes too
    # late for that (after the last look, before the fork) leaves a JVM that heeds SIGTERM (the handler
    # once set SIGTERM ignored, which the JVM inherited: its stop took the whole grace, then SIGKILL).
    me = watchdog.start_time(os.getpid())
    assert me is not None
    ran = tmp_path / "ran"
    stand_in = ["sh", "-c", f"touch {ran}; exec sleep 600", "--home-dir=" + str(tmp_path)]
    owner = [str(os.getpid()), str(me), str(tmp_path / "log")]
    dog = subprocess.run(
        [sys.executable, "-c", SAYS_HOW_IT_STOPPED, *owner, "--", *stand_in],
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT), server.TEST_HOOK_ENV: point},
        capture_output=True,
        timeout=60,
    )
    assert dog.returncode == 128 + signal.SIGTERM and b"Traceback" not in dog.stderr, dog.stderr
    assert dog.stdout == b""  # no JVM reported
    if point == "watchdog-terminated-before-start":
        assert b"server" not in dog.stderr and not ran.exists()
    else:
        assert b"server stopped" in dog.stderr and b"server killed" not in dog.stderr, dog.stderr
