"""What a home records of the server started there (``run/ordergraph.json``, ``run/neo4j.pid``), so that
``status`` and ``stop`` find it again, and whether the process recorded is still that server."""

from __future__ import annotations

import contextlib
import dataclasses
import json
import os
import typing
from dataclasses import asdict, dataclass
from pathlib import Path

from loaders.files import process_alive, write_whole
from tools.neo4j import watchdog
from tools.neo4j.config import ENTRY_POINT, HOST
from tools.neo4j.errors import ServerError

STATE = Path("run") / "ordergraph.json"


@dataclass(frozen=True)
class Server:
    """A server this module started: where it lives and how to reach it."""

    home: str
    pid: int
    bolt_port: int
    http_port: int
    version: str
    # Why Neo4j Browser is not served (None: it is); Bolt and Cypher work either way.
    browser_missing: str | None = None
    # The pid whose end stops the server (``start(stop_with=…)``; None: it runs until stopped).
    owner: int | None = None
    # The owner's start time (/proc/<pid>/stat, clock ticks since boot): a restart ends with the same
    # process, not with a later one that got its pid. None: no owner, or a state written before this.
    owner_start: int | None = None
    # The JVM's start time (/proc/<pid>/stat): the process at ``pid`` is the server only while it is
    # the one that started then (a reboot, or a server killed long ago, leaves the pid to others).
    # None: a state written before this (the JVM's command line naming ``home`` is checked alone).
    start_time: int | None = None

    @property
    def bolt_uri(self) -> str:
        return f"bolt://{HOST}:{self.bolt_port}"

    @property
    def browser_url(self) -> str | None:
        return None if self.browser_missing else f"http://{HOST}:{self.http_port}/browser/"

    def browser_line(self) -> str:
        """Where Browser is, or why it is not served."""
        return self.browser_url or f"not served ({self.browser_missing})"

    def running(self) -> bool:
        """Whether the server's JVM runs: the process at its pid started when it did and runs
        Neo4j with this home (not a process that got the pid since)."""
        return is_server(self.pid, self.start_time, self.home)


def read_state(home: Path) -> Server | None:
    """The server recorded in ``home`` (running or not), or None. A file that is not a state this
    module wrote (cut short, edited, another ordergraph version's) raises a :class:`ServerError`
    naming it and saying what to do."""
    path = home / STATE
    try:
        text = path.read_text(encoding="utf-8")
    except (FileNotFoundError, NotADirectoryError):
        return None
    try:
        fields = json.loads(text)
    except ValueError as exc:
        fault: str | None = f"{exc}: it was cut short or edited"
    else:
        fault = _state_fault(fields)
        if fault is None:
            return Server(**fields)
    raise ServerError(
        f"{path} is not a Neo4j server state ordergraph can read ({fault}). "
        f"If no Neo4j runs with --home-dir={home} (`ps -eo pid,args | grep [C]ommunityEntryPoint`), "
        "remove it and start again; else stop that JVM (kill <its pid>) first"
    )


def _state_fault(fields: object) -> str | None:
    """What is wrong with a state read as JSON (None: nothing): not an object, fields another ordergraph
    version writes (one missing or unknown), or a value of another type than :class:`Server`'s.

    >>> _state_fault({"pid": 12345})[:67]
    'it has no home, bolt_port, http_port, version: another ordergraph v'
    >>> _state_fault({"home": "h", "pid": "1", "bolt_port": 1, "http_port": 2, "version": "5"})
    'its pid is "1", not int: it was edited'
    """
    if not isinstance(fields, dict):
        return f"a JSON {type(fields).__name__}, not an object: it was cut short or edited"
    hints = typing.get_type_hints(Server)
    required = [f.name for f in dataclasses.fields(Server) if f.default is dataclasses.MISSING]
    missing = [name for name in required if name not in fields]
    unknown = sorted(set(fields) - set(hints))
    if missing or unknown:
        parts = [f"no {', '.join(missing)}"] if missing else []
        parts += [f"fields it does not know: {', '.join(unknown)}"] if unknown else []
        why = "another ordergraph version wrote it, or it was cut short or edited"
        return f"it has {'; '.join(parts)}: {why}"
    for name, value in fields.items():
        allowed = typing.get_args(hints[name]) or (hints[name],)
        if isinstance(value, bool) or not isinstance(value, allowed):
            want = " or ".join("null" if t is type(None) else t.__name__ for t in allowed)
            return f"its {name} is {json.dumps(value)}, not {want}: it was edited"
    if fields["pid"] <= 0:
        return f"its pid is {fields['pid']}, not a process id: it was edited"
    return None


def _write_atomically(path: Path, text: str) -> None:
    """``text`` into ``path`` whole or not at all, never empty after a crash
    (:func:`loaders.files.write_whole`: a temporary file written to disk, renamed over it). A temporary
    file that a writer killed mid-write left (``.<name>.*.tmp``) is removed first: writers take turns
    (under :func:`start_lock`), so any there is a dead writer's."""
    for stale in path.parent.glob(f".{path.name}.*.tmp"):
        stale.unlink(missing_ok=True)
    write_whole(path, text)


def write_state(home: Path, server: Server) -> None:
    """Record ``server`` in ``home`` (atomically: :func:`read_state` never sees half a state, nor an
    empty one after a crash). A start records its server under :func:`start_lock`."""
    (home / "run").mkdir(parents=True, exist_ok=True)
    _write_atomically(home / STATE, json.dumps(asdict(server)))
    _write_atomically(home / "run" / "neo4j.pid", f"{server.pid}\n")


def forget(home: Path) -> None:
    (home / STATE).unlink(missing_ok=True)
    (home / "run" / "neo4j.pid").unlink(missing_ok=True)


def _alive(pid: int) -> bool:
    """:func:`loaders.files.process_alive`, and not a child of ours that exited (a zombie until
    reaped: reaped here)."""
    if not process_alive(pid):
        return False
    # A child we started and that exited stays a zombie until reaped: reap it.
    with contextlib.suppress(ChildProcessError):
        done, _ = os.waitpid(pid, os.WNOHANG)
        if done == pid:
            return False
    return True


def _command_line(pid: int) -> list[str] | None:
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as handle:
            return handle.read().decode("utf-8", errors="replace").split("\0")
    except OSError:
        return None


def is_server(pid: int, started: int | None, home: str | Path) -> bool:
    """Whether ``pid`` is the living JVM of the server in ``home`` that started at ``started`` (None:
    not recorded): its start time is that one and its command line runs Neo4j with that home.
    Without ``/proc``: whether the pid is there (:func:`_alive`)."""
    now = watchdog.start_time(pid)
    if now is None:
        _alive(pid)  # a child of ours that ended: reaped
        return False
    if not os.path.isdir("/proc/self"):
        return _alive(pid)
    if started is not None and now != started:
        return False
    args = _command_line(pid)
    if args is not None and not any(args) and started is not None and started != watchdog.UNKNOWN:
        # Just launched: the kernel has not yet laid out the new program's arguments (an empty
        # command line for a few ms with a long classpath). The recorded start time is this process's.
        return True
    return args is not None and ENTRY_POINT in args and f"--home-dir={home}" in args
