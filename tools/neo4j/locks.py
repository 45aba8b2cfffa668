"""The file locks of the local Neo4j server: the jar cache's (a fetch) and a home's start lock (a start,
a stop, a bulk sync's stop → import → restart), each exclusive and not re-entrant."""

from __future__ import annotations

import contextlib
import fcntl
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

from tools.neo4j.errors import ServerError

# The locks this process holds, by thread: a nested take of one of them would wait for itself forever.
_HELD: set[tuple[Path, int]] = set()


@contextlib.contextmanager
def locked(path: Path, waiting: str | None = None) -> Iterator[None]:
    """An exclusive lock on ``path`` (several test runs may fetch at once). ``waiting``: a line
    printed (standard error) when another process holds it, before waiting for it.

    Not re-entrant: taken again by a thread that holds it, it raises at once (it would wait for
    itself). A lock file that cannot be opened (a folder not writable, a file where its folder should
    be) is a :class:`ServerError` naming it."""
    held = (path, threading.get_ident())
    if held in _HELD:
        raise RuntimeError(f"{path} is already locked by this thread: under it, call the *locked functions")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle = path.open("a")
    except OSError as exc:
        try:  # one there already, in a folder this process cannot write: flock takes a read-only file
            handle = path.open("r")
        except OSError:
            raise ServerError(
                f"cannot open the lock file {path} ({exc.strerror or exc}): is that folder writable "
                "(ORDERGRAPH_HOME, ORDERGRAPH_NEO4J_CACHE)?"
            ) from exc
    with handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            if waiting:
                print(waiting, file=sys.stderr, flush=True)
            fcntl.flock(handle, fcntl.LOCK_EX)
        _HELD.add(held)
        try:
            yield
        finally:
            _HELD.discard(held)
            fcntl.flock(handle, fcntl.LOCK_UN)


START_LOCK = Path("run") / "start.lock"


def start_lock(home: Path) -> contextlib.AbstractContextManager[None]:
    """The lock a start, a stop and a bulk sync's stop → import → restart of the server in ``home``
    hold (``run/start.lock``), so that none of them runs in the middle of another: a start during a
    bulk import would launch a JVM on the store being written. Not re-entrant (a nested take raises):
    under it, call :func:`start_locked` and :func:`stop_locked`. Says so when it waits."""
    home = home.resolve()
    return locked(home / START_LOCK, waiting_line(home))


def waiting_line(home: Path) -> str:
    """What a start or stop says when it waits for :func:`start_lock`."""
    return f"waiting for a neo4j start, stop or bulk sync (sync --bulk) going on in {home} to finish …"
