"""The process a server is started for (``stop_with``): the server ends with it."""

from __future__ import annotations

import os
from pathlib import Path

from tools.neo4j.errors import OwnerGone, ServerError
from tools.neo4j.state import Server

STOP_WITH_ENV = "ORDERGRAPH_NEO4J_STOP_WITH"


def stop_with_from_env() -> int | None:
    """The pid in ``ORDERGRAPH_NEO4J_STOP_WITH``: the process whose end stops the server ``neo4j start``
    starts (the test suite sets its own, so that a run killed midway leaves no server); unset: none,
    the server runs until stopped."""
    value = os.environ.get(STOP_WITH_ENV, "").strip()
    if not value:
        return None
    if not value.isdigit() or int(value) <= 0:
        raise ServerError(f"{STOP_WITH_ENV}={value!r} is not a process id (a positive whole number)")
    return int(value)


def owner_gone(home: Path, owner: int, reused: bool = False) -> OwnerGone:
    """The :class:`OwnerGone` for ``owner``, saying what to do about it."""
    why = " (its pid is another process's now)" if reused else ""
    return OwnerGone(
        f"the process the Neo4j server in {home} is for (pid {owner}) has ended{why}: the server ends "
        f"with it and is not started for another. If that pid came from {STOP_WITH_ENV}, unset it (the "
        "server then runs until `ordergraph neo4j stop`) or set it to the pid of a running process"
    )


def owner_note(running: Server, stop_with: int | None) -> str | None:
    """What to know about a server found running when a start asked it to end with ``stop_with``
    (None: to run until stopped) and its owner is another; None when it is the one asked for."""
    if running.owner == stop_with:
        return None
    if running.owner is None:
        return (
            f"it runs until `ordergraph neo4j stop` (started without {STOP_WITH_ENV}): it will not "
            f"stop when process {stop_with} ends"
        )
    if stop_with is None:
        return (
            f"it was started for process {running.owner} ({STOP_WITH_ENV}) and stops when that process "
            f"ends; for one that runs until stopped: `ordergraph neo4j stop`, then start it again without "
            f"{STOP_WITH_ENV}"
        )
    return (
        f"it is process {running.owner}'s server ({STOP_WITH_ENV}): it stops when that process ends, not "
        f"when process {stop_with} does"
    )
