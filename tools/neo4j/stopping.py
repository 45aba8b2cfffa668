"""Stopping the server recorded in a home: only its JVM is ever signalled."""

from __future__ import annotations

import contextlib
import os
import signal
import time
from dataclasses import dataclass
from pathlib import Path

from tools.neo4j.locks import START_LOCK, start_lock
from tools.neo4j.state import STATE, Server, forget, read_state


def request_stop(home: Path) -> Server | None:
    """Ask the server recorded in ``home`` to stop (SIGTERM) without waiting: :func:`stop` waits."""
    server = read_state(home.resolve())
    if server is not None:
        _signal(server, signal.SIGTERM)
    return server


@dataclass(frozen=True)
class Stopped:
    """What a stop found, decided under :func:`start_lock`: the server recorded, and whether its JVM
    ran (then it was stopped) or not (its record was removed, nothing signalled)."""

    server: Server
    was_running: bool


def stop(home: Path, timeout: float = 60.0) -> Stopped | None:
    """Stop the server recorded in ``home``: SIGTERM, wait, SIGKILL only as a last resort; then forget
    it. A recorded pid that is not the server's JVM (:meth:`Server.running`) is never signalled.
    None: nothing recorded. Under :func:`start_lock`: never in the middle of a start or of a bulk
    sync's restart, whose server it then finds (what was recorded before it waited says nothing).

    Where no start ever took that lock (no lock file) and nothing is recorded there is nothing to
    stop, and nothing is created (a home never used, or one this process cannot write)."""
    home = home.resolve()
    if not (home / START_LOCK).exists() and not (home / STATE).exists():
        return None
    with start_lock(home):
        return stop_locked(home, timeout)


def stop_locked(home: Path, timeout: float = 60.0) -> Stopped | None:
    """:func:`stop`, for a caller that holds :func:`start_lock`."""
    server = read_state(home.resolve())
    if server is None:
        return None
    was_running = _signal(server, signal.SIGTERM)
    if was_running:
        deadline = time.monotonic() + timeout
        while server.running() and time.monotonic() < deadline:
            time.sleep(0.2)
        if _signal(server, signal.SIGKILL):
            deadline = time.monotonic() + 30
            while server.running() and time.monotonic() < deadline:
                time.sleep(0.1)
    forget(home)
    return Stopped(server, was_running)


def _signal(server: Server, sig: int) -> bool:
    """Send ``sig`` to the server's JVM if the process at its pid is it (:meth:`Server.running`);
    whether it was sent. Through a pidfd where the system has one: the process checked is the one
    signalled, even if it ends and another takes its pid in between."""
    pidfd: int | None = None
    with contextlib.suppress(AttributeError, OSError):
        pidfd = os.pidfd_open(server.pid)
    try:
        if not server.running():
            return False
        if pidfd is None:
            os.kill(server.pid, sig)
        else:
            signal.pidfd_send_signal(pidfd, sig)
        return True
    except ProcessLookupError:
        return False
    finally:
        if pidfd is not None:
            os.close(pidfd)
