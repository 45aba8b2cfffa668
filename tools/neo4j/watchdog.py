"""Stop a Neo4j server once the process that owns it is gone, however that process ended.

Run as a script, in a session of its own, by :func:`tools.neo4j.server.start` when it is given an
owner (``stop_with``: a test run's or a benchmark's pid)::

    python watchdog.py OWNER_PID OWNER_START SERVER_PID SERVER_START

It is started as soon as the server's JVM is, so a server still starting up is covered too. Every
half second it looks at both processes in ``/proc``: the owner is gone when its pid is gone, is a
zombie (killed, not reaped yet: ``kill(pid, 0)`` still succeeds on those), or is another process
reusing the pid (its start time, in clock ticks since boot, is not the one recorded). Then the
server's process group (the JVM is the leader of a session of its own) gets SIGTERM, and SIGKILL
after :data:`GRACE` seconds if it is still there (a JVM still starting up may not heed SIGTERM). A
server that ends first (a clean stop) ends the watchdog; a pid reused by another process is never
signalled. A start time that could not be read (the JVM gone before it was: a failed start, which
``start`` tries again) is :data:`UNKNOWN`, which no process has: the watchdog ends at once, signalling
nothing, rather than take whatever process gets that pid next for the server.

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
import sys
import time

POLL = 0.5
GRACE = 30.0
# The start time of a process whose start time is not known (gone before it was read): no process has it.
UNKNOWN = -1


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


def watch(owner: int, owner_start: int, server: int, server_start: int) -> str:
    """Wait for the owner's end or the server's; stop the server in the first case. Says which."""
    while same(owner, owner_start):
        if not same(server, server_start):
            return "server ended"
        time.sleep(POLL)
    if not same(server, server_start):
        return "both ended"
    _signal_group(server, signal.SIGTERM)
    deadline = time.monotonic() + GRACE
    while same(server, server_start) and time.monotonic() < deadline:
        time.sleep(POLL)
    if same(server, server_start):
        _signal_group(server, signal.SIGKILL)
        return "owner ended: server killed"
    return "owner ended: server stopped"


def main(argv: list[str]) -> int:
    owner, owner_start, server, server_start = (int(a) for a in argv)
    # The owner's Ctrl-C (or a hang-up of its terminal) must not end the watchdog first.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGHUP, signal.SIG_IGN)
    watch(owner, owner_start, server, server_start)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
