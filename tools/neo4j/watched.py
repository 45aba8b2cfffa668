"""A JVM started by a watchdog (:mod:`tools.neo4j.watchdog`) that stops it once its owner is gone: the
watchdog's launch, its report of the JVM, and what it is told once the server is recorded."""

from __future__ import annotations

import contextlib
import os
import select
import subprocess
import sys
import time
from pathlib import Path

from tools.neo4j import watchdog
from tools.neo4j.errors import ServerError
from tools.neo4j.owner import STOP_WITH_ENV, owner_gone

# A test hook (tests/test_neo4j_server_lifetime.py): the name of a point where the starter or the
# watchdog is to die (or hang) as a crash would make it. Unset, as everywhere but in those tests: inert.
TEST_HOOK_ENV = watchdog.TEST_HOOK_ENV


# Seconds a starter waits for its watchdog to say it started the JVM (a Python start and a fork).
HANDSHAKE_TIMEOUT = 60.0


def test_hook(point: str, detail: str) -> None:
    """At ``point``, when :data:`TEST_HOOK_ENV` names it: say so (with ``detail``) and die."""
    watchdog.test_hook(point, detail)


def watchdog_command(owner: int, owner_start: int, log: Path, command: list[str]) -> list[str]:
    """The command of a watchdog starting the JVM (``command``, its output into ``log``) and stopping
    it once ``owner`` (started at ``owner_start``) is gone (:mod:`tools.neo4j.watchdog`)."""
    script = str(Path(watchdog.__file__).resolve())
    return [sys.executable, "-I", script, str(owner), str(owner_start), str(log), "--", *command]


def launch_watched(
    home: Path, console: Path, command: list[str], owner: int, owner_start: int
) -> tuple[subprocess.Popen[bytes], int, int | None]:
    """The JVM started by a watchdog (:mod:`tools.neo4j.watchdog`) that stops it once ``owner`` is
    gone; the watchdog, the JVM's pid and start time. The watchdog runs in a session of its own, so
    that a signal to the owner's process group (Ctrl-C, a timeout) spares it, and it starts the JVM
    itself: whenever this process is killed, no JVM runs unwatched. It keeps the JVM only once told
    the server is recorded (:func:`acknowledge`); its JVM dies with it (a death signal)."""
    with console.open("ab") as log:
        dog = subprocess.Popen(  # noqa: S603 - this interpreter, a script beside this module, pids
            watchdog_command(owner, owner_start, console, command),
            start_new_session=True,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=log,
        )
    assert dog.stdout is not None
    try:
        with dog.stdout:
            said = _read_line(dog.stdout.fileno(), HANDSHAKE_TIMEOUT)
        if said is None:
            raise ServerError(
                f"the server's watchdog (pid {dog.pid}) did not report the JVM it starts within "
                f"{HANDSHAKE_TIMEOUT:.0f} s; it was stopped, and its JVM with it. See {console}; is the "
                "machine too busy (`uptime`), or is Python or Java hanging at start-up?"
            )
    except BaseException:
        _end_watchdog(dog)
        raise
    line = said.split()
    if len(line) != 2:
        acknowledge(dog, False)
        if dog.wait() == watchdog.OWNER_GONE:
            raise owner_gone(home, owner)
        if dog.returncode == watchdog.NO_DEATH_SIGNAL:
            raise ServerError(
                "the system refused to tie the JVM to its watchdog (prctl PR_SET_PDEATHSIG: a seccomp "
                f"filter?), so no server was started for process {owner} ({STOP_WITH_ENV}); see "
                f"{console}. Start one that runs until stopped instead: unset {STOP_WITH_ENV}, then "
                "`ordergraph neo4j start`, and `ordergraph neo4j stop` when done"
            )
        raise ServerError(
            f"the server's watchdog ended before it reported a JVM (exit {dog.returncode}: killed, or out "
            f"of memory?); a JVM it had started ends with it. See {console}, and start again"
        )
    pid, started = int(line[0]), int(line[1])
    return dog, pid, None if started == watchdog.UNKNOWN else started


def _read_line(fd: int, timeout: float) -> str | None:
    """One line from ``fd`` (what came before an end of file, if it ends first), or None when
    ``timeout`` seconds passed first."""
    data = b""
    deadline = time.monotonic() + timeout
    while not data.endswith(b"\n"):
        left = deadline - time.monotonic()
        if left <= 0 or not select.select([fd], [], [], left)[0]:
            return None
        chunk = os.read(fd, 256)
        if not chunk:
            break
        data += chunk
    return data.decode("ascii", errors="replace")


def acknowledge(dog: subprocess.Popen[bytes], recorded: bool) -> None:
    """Tell the watchdog the server is recorded (it keeps its JVM), or, closing its input without
    saying so, that it is not (it stops it)."""
    if dog.stdin is None or dog.stdin.closed:
        return
    with contextlib.suppress(OSError), dog.stdin:
        if recorded:
            dog.stdin.write(watchdog.RECORDED)
            dog.stdin.flush()


def _end_watchdog(dog: subprocess.Popen[bytes]) -> None:
    """Stop a watchdog whose report did not come: SIGTERM (it stops its JVM, if it started one), then
    SIGKILL (its JVM dies with it)."""
    acknowledge(dog, False)
    with contextlib.suppress(ProcessLookupError):
        dog.terminate()
    try:
        dog.wait(watchdog.GRACE + 10)
    except subprocess.TimeoutExpired:
        dog.kill()
        dog.wait()
