"""The run's own Neo4j servers, started in the background as the run begins (tests/conftest.py).

A run that selects tests asking for ``neo4j_uri`` or ``neo4j_bulk_home`` starts their servers (and,
first, the class archive every JVM of the run maps: tools/neo4j/classes) from one background thread,
while the tests before them run: the light tests keep about one of the machine's two cores busy, and
a server's start about one more. A fixture asking for a server waits until it answers. The servers
are the ones the fixtures started before, with the same options; only the moment they start differs.

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
from collections.abc import Callable
from concurrent.futures import Future
from functools import partial
from pathlib import Path
from typing import TypeVar

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
    """The archive, then each server named in ``homes`` (name → home), started in that order by one
    background thread in processes given ``environ``; :meth:`server` waits for one, :attr:`archive`
    for the archive, :meth:`settle` for the thread's end, :meth:`close` stops them all.

    The thread ends once the last server answers: a process running another thread forks no FtM
    reading worker (loaders/worker.FtmWorker.available), so the tests of that worker settle first.
    """

    def __init__(self, homes: dict[str, Path], environ: dict[str, str]) -> None:
        self.homes = homes
        self._environ = {**environ, "PYTHONPATH": str(ROOT)}
        self._owner = os.getpid()
        self.archive: Future[Path | None] = Future()
        self._servers: dict[str, Future[None]] = {name: Future() for name in homes}
        self._thread = threading.Thread(target=self._warm, name="neo4j-warm-up", daemon=True)
        self._thread.start()

    def _warm(self) -> None:
        _settle(self.archive, self._build)
        for name, home in self.homes.items():
            _settle(self._servers[name], partial(self._start, home))

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
        archive = self.archive.result()
        if archive is not None:  # the server maps it, as every JVM started after the archive does
            flags = environ.get(neo4j_server.JVM_FLAGS_ENV, "")
            environ[neo4j_server.JVM_FLAGS_ENV] = sharing(flags, archive)
        self._run(f"starting the Neo4j server in {home}", START, str(home), str(self._owner), environ=environ)

    def server(self, name: str) -> neo4j_server.Server:
        """The server ``name`` once it answers (its start's error, if it failed)."""
        self._servers[name].result()
        running = neo4j_server.read_state(self.homes[name])
        if running is None:
            raise neo4j_server.ServerError(f"no server recorded in {self.homes[name]} after its start")
        return running

    def settle(self) -> None:
        """Wait until the background thread has ended (every start done, or failed)."""
        self._thread.join()

    def close(self) -> None:
        """Stop every server started (a start still under way is waited for first)."""
        self.settle()
        for home in self.homes.values():
            neo4j_server.stop(home)


def _settle(future: Future[T], work: Callable[[], T]) -> None:
    """Give ``future`` what ``work`` returns, or the error it raised."""
    try:
        future.set_result(work())
    except BaseException as error:  # handed to whoever waits for it, as a pool would
        future.set_exception(error)
