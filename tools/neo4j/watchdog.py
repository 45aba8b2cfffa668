"""Start a Neo4j server's JVM for a process that owns it, and stop the server once that process is
gone, however it ended.

Run as a script, in a session of its own, by :func:`tools.neo4j.server.start` when it is given an
owner (``stop_with``: a test run's or a benchmark's pid)::

    python watchdog.py OWNER_PID OWNER_START LOG -- JAVA ARGS…

It checks that the owner is still there (else it exits with :data:`OWNER_GONE`, starting nothing),
starts the JVM itself (its output into ``LOG``, in a session of its own), writes the JVM's pid and
start time as one line on its standard output for the starter, then watches. So there is no moment
when a JVM runs unwatched: a starter killed before the watchdog checked the owner starts nothing, one
killed after has a JVM the watchdog stops; and the JVM, the watchdog's child, keeps its pid until
the watchdog reaps it, so the pid signalled is always the server's. Every half second it looks at
the owner in ``/proc``: it is gone when its pid is gone, is a zombie (killed, not reaped yet:
``kill(pid, 0)`` still succeeds on those), or is another process reusing the pid (its start time, in
clock ticks since boot, is not the one recorded). Then the server's process group (the JVM is the
leader of a session of its own) gets SIGTERM, and SIGKILL after :data:`GRACE` seconds if it is still
there (a JVM still starting up may not heed SIGTERM). A server that ends first (a clean stop) ends
the watchdog.

Why a process polling the owner rather than ``PR_SET_PDEATHSIG`` set in the JVM before its exec:
the death signal is sent when the *thread* that forked the JVM ends, not its process (a server
started from a worker thread would die with that thread while its owner lives on), and only the
parent counts, whereas an owner here is any pid: a bulk sync run by another process (the CLI's
``neo4j sync --bulk`` on a test's server) restarts the server for the same owner.

Only the standard library: it runs with no import path set up.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time

POLL = 0.5
GRACE = 30.0
# The start time of a process whose start time is not known (gone before it was read): no process has it.
UNKNOWN = -1
# The exit status of a watchdog whose owner had ended before it started anything.
OWNER_GONE = 3


def start_time(pid: int) -> int | None:
    """The start time of a living process (clock ticks since boot), or None when ``pid`` is gone
    or a zombie. Without ``/proc``: 0 for a pid that answers ``kill(pid, 0)``."""
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii", errors="replace") as handle:
            fields = handle.read().rsplit(")", 1)[1].split()
    except FileNotFoundError:
        if os.path.isdir("/proc/self"):
            return None
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return None
        except PermissionError:
            return 0
        return 0
    except (OSError, IndexError):
        return None
    # fields[0] is the state (field 3 of proc(5)), fields[19] the start time (field 22).
    if fields[0] in ("Z", "X"):
        return None
    return int(fields[19])


def same(pid: int, started: int) -> bool:
    """Whether ``pid`` is still the living process that started at ``started``. An :data:`UNKNOWN`
    start matches no process; without ``/proc`` every start time is 0 (a living pid matches)."""
    now = start_time(pid)
    return now is not None and now == started


def _signal_group(pid: int, sig: int) -> None:
    try:
        os.killpg(pid, sig)
    except (ProcessLookupError, PermissionError):
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.kill(pid, sig)


def watch(owner: int, owner_start: int, jvm: subprocess.Popen[bytes]) -> str:
    """Wait for the owner's end or the server's; stop the server in the first case. Says which.

    ``jvm`` is this process's child: until it is reaped here its pid cannot be another process's."""
    while same(owner, owner_start):
        if jvm.poll() is not None:
            return "server ended"
        time.sleep(POLL)
    if jvm.poll() is not None:
        return "both ended"
    _signal_group(jvm.pid, signal.SIGTERM)
    try:
        jvm.wait(GRACE)
    except subprocess.TimeoutExpired:
        _signal_group(jvm.pid, signal.SIGKILL)
        jvm.wait()
        return "owner ended: server killed"
    return "owner ended: server stopped"


def launch(owner: int, owner_start: int, log: str, command: list[str]) -> int:
    """The JVM started (``command``, its output appended to ``log``) and watched for ``owner``; its
    pid and start time written on standard output first. :data:`OWNER_GONE` when the owner had ended
    already: nothing is started."""
    if not same(owner, owner_start):
        return OWNER_GONE
    with open(log, "ab") as out:
        jvm = subprocess.Popen(  # noqa: S603 - the command server.start built
            command, stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, start_new_session=True
        )
    # Ignored only now: the JVM would inherit the ignored signals (and never install its handlers).
    # The owner's Ctrl-C (or a hang-up of its terminal) must not end the watchdog first.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGHUP, signal.SIG_IGN)
    started = start_time(jvm.pid)
    with contextlib.suppress(OSError):  # a starter gone meanwhile: the owner decides what happens
        os.write(1, f"{jvm.pid} {UNKNOWN if started is None else started}\n".encode("ascii"))
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 1)
    os.close(devnull)
    watch(owner, owner_start, jvm)
    return 0


def main(argv: list[str]) -> int:
    split = argv.index("--")
    owner, owner_start, log = argv[:split]
    return launch(int(owner), int(owner_start), log, argv[split + 1 :])


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
