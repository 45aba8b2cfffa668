"""The run's own Neo4j servers, each started in the background as the first test file asking for it
begins (tests/conftest.py: warm_servers, servers_of_this_file).

The class archive every JVM of the run maps (tools/neo4j/classes) is built by a process of its own
started as the run begins (no thread: a process running another thread forks no FtM reading worker).
A file whose tests ask for ``neo4j_uri`` or ``neo4j_bulk_home`` has their servers started by one
background thread while its first tests run (it waits for the archive first); a fixture asking for a
server waits until it answers. Under pytest-xdist each worker starts only the servers of the files it
is given (it learns them one file at a time), not every server the whole collection asks for: a worker
whose files ask for none starts none. The servers are the ones the fixtures started before, with the
same options; only the moment they start differs.

Neither reads this process's environment, which the tests running meanwhile change (monkeypatch:
PATH, the jar cache…): each step is a process of its own, given the environment as it was when the
run began. Building the archive also adds a flag for its own JVM to
``$ORDERGRAPH_NEO4J_JVM_FLAGS``, which no other JVM must get.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import threading
from collections.abc import Callable, Iterable
from concurrent.futures import Future
from functools import partial
from pathlib import Path
from typing import IO, Any, TypeVar

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
    (:meth:`warm`, :meth:`server`, :meth:`archive`): the archive by a process of its own, the servers by
    a background thread, each in processes given ``environ``; :meth:`settle` waits for that thread's
    end, :meth:`close` stops every server started.

    One thread at a time does work (a thread started for more waits for the one before), each ending once
    its last start answers: a process running another thread forks no FtM reading worker
    (loaders/worker.FtmWorker.available), so each file's starts settle as it ends.
    """

    def __init__(self, homes: dict[str, Path], environ: dict[str, str]) -> None:
        self.homes = homes
        self._environ = {**environ, "PYTHONPATH": str(ROOT)}
        self._owner = os.getpid()
        self._archive: Future[Path | None] = Future()
        self._builder: subprocess.Popen[bytes] | None = None
        self._built_into: tuple[IO[bytes], IO[bytes]] | None = None
        self._archive_lock = threading.Lock()
        self._servers: dict[str, Future[None]] = {}
        self._thread: threading.Thread | None = None

    def warm(self, names: Iterable[str] = ()) -> None:
        """Start in the background the archive (once) and each server of ``names`` not asked for yet."""
        if self._builder is None and not self._archive.done():  # a process: no thread outlives this call
            # Its output into files, not pipes: a pipe no one reads yet could stall it (and the other
            # workers' builds, which wait for its lock) until the run ends.
            out, err = tempfile.TemporaryFile(), tempfile.TemporaryFile()  # noqa: SIM115 - closed by _archive_of
            self._built_into = (out, err)
            self._builder = subprocess.Popen(
                [sys.executable, "-c", BUILD],
                cwd=ROOT,
                env=self._environ,
                stdout=self._built_into[0],
                stderr=self._built_into[1],
            )
        steps: list[tuple[Future[Any], Callable[[], Any]]] = []
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

    def _built(self) -> Path | None:
        """The archive once its build (started by :meth:`warm`) has ended; its error if it failed."""
        with self._archive_lock:  # asked for by a server's start (the thread) and by the tests
            if not self._archive.done():
                self.warm()
                assert self._builder is not None and self._built_into is not None
                _settle(self._archive, partial(_archive_of, self._builder, *self._built_into))
        return self._archive.result()

    def _start(self, home: Path) -> None:
        environ = dict(self._environ)
        archive = self._built()
        if archive is not None:  # the server maps it, as every JVM started after the archive does
            flags = environ.get(neo4j_server.JVM_FLAGS_ENV, "")
            environ[neo4j_server.JVM_FLAGS_ENV] = sharing(flags, archive)
        self._run(f"starting the Neo4j server in {home}", START, str(home), str(self._owner), environ=environ)

    def archive(self) -> Path | None:
        """The class archive once built (None when the JVM wrote none; its build's error, if it failed)."""
        return self._built()

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
        """Stop every server started (a start still under way is waited for first), and end the
        archive's build if no one waited for it."""
        self.settle()
        if self._builder is not None and self._built_into is not None and not self._archive.done():
            self._builder.wait()  # built for no server of this process: nothing to read
            for output in self._built_into:
                output.close()
        for name in self._servers:
            neo4j_server.stop(self.homes[name])


def _steps(steps: list[tuple[Future[Any], Callable[[], Any]]], after: threading.Thread | None) -> None:
    """Each step's work, in order, its result or error handed to its future, once ``after`` has ended."""
    if after is not None:
        after.join()
    for future, work in steps:
        _settle(future, work)


def _archive_of(builder: subprocess.Popen[bytes], out: IO[bytes], err: IO[bytes]) -> Path | None:
    """What the build of the archive printed (into ``out``): its path (None when the JVM wrote none)."""
    builder.wait()
    built, said = (_read_and_close(output) for output in (out, err))
    if builder.returncode != 0:
        raise neo4j_server.ServerError(f"building the class archive failed:\n{said[-3000:]}")
    return Path(built.strip()) if built.strip() else None


def _read_and_close(output: IO[bytes]) -> str:
    with output:
        output.seek(0)
        return output.read().decode("utf-8", errors="replace")


def _settle(future: Future[T], work: Callable[[], T]) -> None:
    """Give ``future`` what ``work`` returns, or the error it raised."""
    try:
        future.set_result(work())
    except BaseException as error:  # handed to whoever waits for it, as a pool would
        future.set_exception(error)
