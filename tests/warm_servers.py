"""The run's own Neo4j servers, each started in the background as the first test file asking for it
begins (tests/conftest.py: warm_servers, servers_of_this_file).

A file whose tests ask for ``neo4j_uri`` or ``neo4j_bulk_home`` has their servers (and, first, the class
archive every JVM of the run maps: tools/neo4j/classes, started as the run begins) started by one
background thread while its first tests run; a fixture asking for a server waits until it answers. Under
pytest-xdist each worker starts only the servers of the files it is given (it learns them one file at a
time), not every server the whole collection asks for: a worker whose files ask for none starts none. The
servers are the ones the fixtures started before, with the same options; only the moment they start
differs.

The thread never reads this process's environment, which the tests running meanwhile change
(monkeypatch: PATH, the jar cache…): it runs each step as a process of its own, given the
environment as it was when the run began. Building the archive also adds a flag for its own JVM to
``$ORDERGRAPH_NEO4J_JVM_FLAGS``, which no other JVM must get.
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from collections.abc import Callable, Iterable
from concurrent.futures import Future
from functools import partial
from pathlib import Path
from typing import Any, TypeVar

from tools.neo4j import classes as neo4j_classes
from tools.neo4j import server as neo4j_server

T = TypeVar("T")

ROOT = Path(__file__).resolve().parents[1]
# The fixtures whose servers are started ahead (tests/conftest.py), by the name of the server.
FIXTURES = {"neo4j_uri": "run", "neo4j_bulk_home": "bulk"}
# The archive for the flags it is given (its path, or nothing when the JVM wrote none).
BUILD = "from tools.neo4j import classes; print(classes.build_archive() or '')"
# A server started in a home (argv[1]) for this run (argv[2]), as the fixtures start theirs.
START = """
import sys
from pathlib import Path
from tests.warm_servers import options
from tools.neo4j import server
server.start(Path(sys.argv[1]), options(int(sys.argv[2])))
"""


def options(owner: int | None = None) -> neo4j_server.LaunchOptions:
    """How the run's servers start: free ports, ending with this run (``owner``, else this process);
    a JVM on a busy two-core box can take minutes, so they are waited for longer than a user's start."""
    return neo4j_server.LaunchOptions(stop_with=owner or os.getpid(), timeout=300)


def sharing(flags: str, archive: Path) -> str:
    """``$ORDERGRAPH_NEO4J_JVM_FLAGS`` (``flags``) with the flag that maps ``archive``."""
    return f"{flags} {neo4j_classes.sharing_flag(archive)}".strip()


class WarmServers:
    """The archive and the servers of ``homes`` (name → home), each started once, when first asked for
    (:meth:`warm`, :meth:`server`, :meth:`archive`), by a background thread in processes given
    ``environ``; :meth:`settle` waits for that thread's end, :meth:`close` stops every server started.

    One thread at a time does work (a thread started for more waits for the one before), each ending once
    its last start answers: a process running another thread forks no FtM reading worker
    (loaders/worker.FtmWorker.available), so each file's starts settle as it ends.
    """

    def __init__(self, homes: dict[str, Path], environ: dict[str, str]) -> None:
        self.homes = homes
        self._environ = {**environ, "PYTHONPATH": str(ROOT)}
        self._owner = os.getpid()
        self._archive: Future[Path | None] = Future()
        self._archive_asked = False
        self._servers: dict[str, Future[None]] = {}
        self._thread: threading.Thread | None = None

    def warm(self, names: Iterable[str] = ()) -> None:
        """Start in the background the archive (once) and each server of ``names`` not asked for yet."""
        steps: list[tuple[Future[Any], Callable[[], Any]]] = []
        if not self._archive_asked:
            self._archive_asked = True
            steps.append((self._archive, self._build))
        for name in names:
            if name in self.homes and name not in self._servers:
                self._servers[name] = Future()
                steps.append((self._servers[name], partial(self._start, self.homes[name])))
        if steps:  # after the thread before, if any, by the new thread: the caller does not wait for it
            after = self._thread
            self._thread = threading.Thread(
                target=_steps, args=(steps, after), name="neo4j-warm-up", daemon=True
            )
            self._thread.start()

    def _run(self, what: str, script: str, *args: str, environ: dict[str, str]) -> str:
        done = subprocess.run(
            [sys.executable, "-c", script, *args],
            cwd=ROOT,
            env=environ,
            capture_output=True,
            text=True,
        )
        if done.returncode != 0:
            raise neo4j_server.ServerError(f"{what} failed:\n{done.stderr[-3000:]}")
        return done.stdout.strip()

    def _build(self) -> Path | None:
        built = self._run("building the class archive", BUILD, environ=self._environ)
        return Path(built) if built else None

    def _start(self, home: Path) -> None:
        environ = dict(self._environ)
        archive = self._archive.result()  # built by this thread or an earlier one
        if archive is not None:  # the server maps it, as every JVM started after the archive does
            flags = environ.get(neo4j_server.JVM_FLAGS_ENV, "")
            environ[neo4j_server.JVM_FLAGS_ENV] = sharing(flags, archive)
        self._run(f"starting the Neo4j server in {home}", START, str(home), str(self._owner), environ=environ)

    def archive(self) -> Path | None:
        """The class archive once built (None when the JVM wrote none; its build's error, if it failed)."""
        self.warm()
        return self._archive.result()

    def server(self, name: str) -> neo4j_server.Server:
        """The server ``name`` once it answers (started now if no file asked for it ahead; its start's
        error, if it failed)."""
        self.warm([name])
        self._servers[name].result()
        running = neo4j_server.read_state(self.homes[name])
        if running is None:
            raise neo4j_server.ServerError(f"no server recorded in {self.homes[name]} after its start")
        return running

    def settle(self) -> None:
        """Wait until the background thread, if any, has ended (its starts done, or failed)."""
        if self._thread is not None:
            self._thread.join()

    def close(self) -> None:
        """Stop every server started (a start still under way is waited for first)."""
        self.settle()
        for name in self._servers:
            neo4j_server.stop(self.homes[name])


def _steps(steps: list[tuple[Future[Any], Callable[[], Any]]], after: threading.Thread | None) -> None:
    """Each step's work, in order, its result or error handed to its future, once ``after`` has ended."""
    if after is not None:
        after.join()
    for future, work in steps:
        _settle(future, work)


def _settle(future: Future[T], work: Callable[[], T]) -> None:
    """Give ``future`` what ``work`` returns, or the error it raised."""
    try:
        future.set_result(work())
    except BaseException as error:  # handed to whoever waits for it, as a pool would
        future.set_exception(error)
