"""Starting a server in a home (or finding the one running there): its ports, its JVM launched (by a
watchdog for an owner), recorded, and waited for until Bolt and HTTP answer."""

from __future__ import annotations

import contextlib
import dataclasses
import functools
import os
import signal
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from tools.neo4j import watchdog
from tools.neo4j.config import (
    ENTRY_POINT,
    HEAP,
    HOST,
    classpath,
    config_text,
    free_port,
    jvm_flags,
    port_in_use,
    preferred_ports,
)
from tools.neo4j.errors import ExitedDuringStart, ServerError
from tools.neo4j.jars import fetch_jars, java, neo4j_version
from tools.neo4j.locks import start_lock
from tools.neo4j.owner import owner_gone
from tools.neo4j.state import Server, forget, read_state, write_state
from tools.neo4j.stopping import stop_locked
from tools.neo4j.watched import acknowledge, launch_watched, test_hook


@dataclass(frozen=True)
class LaunchOptions:
    """How :func:`start` (and :func:`start_or_find`, :func:`start_locked`) starts a server.

    ``bolt_port``, ``http_port``: None: free ones (``usual_ports``: Neo4j's usual ones when free,
    :func:`preferred_ports`). ``timeout``: seconds Bolt (then HTTP) has to answer.
    ``auth``: authentication on (user ``neo4j``, its initial password ``neo4j`` still to change), as on
    servers users run themselves: for tests of refused credentials.
    ``stop_with`` (a pid, e.g. a test run's): the server is also stopped when that process ends, however
    it ends (killed included, while the server is still starting up too): a watchdog process
    (:mod:`tools.neo4j.watchdog`) is started with the JVM, and the owner is recorded so that a restart of
    the server (a bulk sync's) keeps it. None: the server runs until stopped, as `ordergraph neo4j
    start`'s does. ``owner_start`` is the start time ``stop_with`` must have (a restart's:
    :attr:`Server.owner_start`; None: the one it has now): when that process has ended, its pid gone or
    reused, :class:`OwnerGone` is raised and nothing starts.
    """

    bolt_port: int | None = None
    http_port: int | None = None
    timeout: float = 180.0
    stop_with: int | None = None
    auth: bool = False
    owner_start: int | None = None
    usual_ports: bool = False


def start(home: Path, options: LaunchOptions | None = None) -> Server:
    """Start a server in ``home`` in the background (as ``options`` say, :class:`LaunchOptions`) and
    wait until Bolt answers.

    A server already running in ``home`` is returned as is, whoever it was started for
    (:func:`owner_note` says it), unless other ports are asked than its own: a :class:`ServerError`
    names them. Under :func:`start_lock`: a start waits for another start, a stop or a bulk sync's
    restart in ``home`` to finish.
    """
    return start_or_find(home, options).server


@dataclass(frozen=True)
class Started:
    """What a start found, decided under :func:`start_lock`: the server, and whether this start
    launched it (False: it ran already, maybe started by a start or a bulk sync this one waited for)."""

    server: Server
    launched: bool


def start_or_find(home: Path, options: LaunchOptions | None = None) -> Started:
    """:func:`start`, saying whether it launched the server or found it running."""
    home = home.resolve()
    # Two starts at once (two terminals, `make neo4j` twice): the second waits, then finds the first's.
    with start_lock(home):
        return start_locked(home, options)


def start_locked(home: Path, options: LaunchOptions | None = None) -> Started:
    """:func:`start_or_find`, for a caller that holds :func:`start_lock` (a bulk sync's restart)."""
    home = home.resolve()
    options = options or LaunchOptions()
    current = read_state(home)
    if current is not None and current.running():
        _check_ports(current, options.bolt_port, options.http_port)
        return Started(current, launched=False)
    if options.stop_with is not None:
        now = watchdog.start_time(options.stop_with)
        if now is None or (options.owner_start is not None and now != options.owner_start):
            raise owner_gone(home, options.stop_with, reused=now is not None)
        options = dataclasses.replace(options, owner_start=now)
    if current is not None:  # a stale state: its JVM gone, its pid maybe another process's now
        forget(home)
    java_bin = java()
    lib = fetch_jars()
    if options.usual_ports and (options.bolt_port is None or options.http_port is None):
        usual_bolt, usual_http = preferred_ports()
        ports = options.bolt_port or usual_bolt, options.http_port or usual_http
        options = dataclasses.replace(options, bolt_port=ports[0], http_port=ports[1])
    chosen = options.bolt_port is not None and options.http_port is not None
    # Free ports can be taken by another run between choosing and binding: choose again.
    for attempt in range(3):
        try:
            bolt, http = options.bolt_port or free_port(), options.http_port or free_port()
            launched = dataclasses.replace(options, bolt_port=bolt, http_port=http)
            return Started(_launch(home, java_bin, lib, launched), launched=True)
        except ExitedDuringStart:
            if chosen or attempt == 2:
                raise
    raise AssertionError("unreachable")


def _check_ports(running: Server, bolt_port: int | None, http_port: int | None) -> None:
    """Raise a :class:`ServerError` when ports are asked that the running server is not on."""
    asked = {"Bolt": (bolt_port, running.bolt_port), "HTTP": (http_port, running.http_port)}
    other = [f"{kind} {want}" for kind, (want, has) in asked.items() if want is not None and want != has]
    if other:
        raise ServerError(
            f"a Neo4j server already runs in {running.home} (pid {running.pid}) on Bolt port "
            f"{running.bolt_port} and HTTP port {running.http_port}, not on the port asked "
            f"({', '.join(other)}): use it as it is (start without --bolt-port/--http-port), or stop it "
            "(`ordergraph neo4j stop`) and start it again on those ports"
        )


def _launch(home: Path, java_bin: str, lib: Path, options: LaunchOptions) -> Server:
    """Launch the server in ``home`` as ``options`` say, its ports and its owner's start time decided
    (:func:`start_locked`), record it and wait until it answers."""
    assert options.bolt_port is not None and options.http_port is not None
    bolt_port, http_port = options.bolt_port, options.http_port
    owner, owner_start = options.stop_with, options.owner_start
    for port in (bolt_port, http_port):
        if port_in_use(port):
            raise ServerError(
                f"port {port} on {HOST} is already in use: choose another (--bolt-port/--http-port)"
            )
    (home / "conf").mkdir(parents=True, exist_ok=True)
    (home / "logs").mkdir(parents=True, exist_ok=True)
    (home / "run").mkdir(parents=True, exist_ok=True)
    (home / "conf" / "neo4j.conf").write_text(
        config_text(bolt_port, http_port, options.auth), encoding="utf-8"
    )
    heap = os.environ.get("ORDERGRAPH_NEO4J_HEAP") or HEAP
    jars, browser_missing = classpath(lib)
    cmd = [java_bin, "-Xms128m", f"-Xmx{heap}", *jvm_flags(), "-cp", jars, ENTRY_POINT]
    cmd += [f"--home-dir={home}", f"--config-dir={home / 'conf'}"]
    watched = owner is not None and owner_start is not None
    try:
        # No watchdog: from the JVM's launch until its state is written only this process knows it.
        # A Ctrl-C, a hang-up or a SIGTERM (`timeout`, a closed terminal) in between would end this
        # process without a `finally` (SIGTERM, SIGHUP) and leave a JVM no `stop` finds: they wait
        # until it is recorded (the JVM gets this thread's mask as it was). SIGKILL cannot wait.
        with _ending_signals_held(not watched) as mask:
            server = _spawn_recorded(home, cmd, options, browser_missing, mask)
        # A signal held off arrived as the block ended: SIGTERM or SIGHUP end this process (the server
        # recorded, `stop` finds it); a Ctrl-C stops the server below.
        begun = time.monotonic()
        wait_for_bolt(server.bolt_uri, options.timeout, server, home / "logs" / "neo4j.log")
        # HTTP (Neo4j Browser) comes up a few seconds after Bolt.
        while not port_in_use(http_port):
            if time.monotonic() - begun > options.timeout or not server.running():
                log = home / "logs" / "neo4j.log"
                raise ServerError(f"Neo4j's HTTP port {http_port} did not open; see {log}")
            time.sleep(0.3)
    except BaseException:
        stop_locked(home)  # nothing recorded (it failed before): nothing to stop
        raise
    return server


# The signals that end a command (Ctrl-C, a hang-up, `timeout`/`kill`), held off while an unwatched
# JVM is launched and recorded (:func:`_launch`).
ENDING_SIGNALS = frozenset({signal.SIGINT, signal.SIGHUP, signal.SIGTERM})


@contextlib.contextmanager
def _ending_signals_held(hold: bool = True) -> Iterator[set[int | signal.Signals] | None]:
    """The signals that end a command (:data:`ENDING_SIGNALS`) held off in this thread for the block
    (``hold``: else nothing is changed, and None yielded); yields the mask it had, which a process the
    block starts is to get back. When the block ends, however it ends, that mask is restored: a signal
    held off arrives then."""
    if not hold:
        yield None
        return
    mask = signal.pthread_sigmask(signal.SIG_BLOCK, ENDING_SIGNALS)
    try:
        yield mask
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, mask)


def _spawn_recorded(
    home: Path,
    cmd: list[str],
    options: LaunchOptions,
    browser_missing: str | None,
    mask: set[int | signal.Signals] | None,
) -> Server:
    """The JVM running ``cmd`` started, by a watchdog when ``options`` name an owner (``mask`` None),
    else by this process (given back ``mask``, the signal mask its thread had), and recorded in
    ``home``: the server. If it cannot be recorded the JVM is stopped."""
    assert options.bolt_port is not None and options.http_port is not None
    console = home / "logs" / "console.log"
    dog: subprocess.Popen[bytes] | None = None
    process: subprocess.Popen[bytes] | None = None
    if mask is None:
        assert options.stop_with is not None and options.owner_start is not None
        dog, pid, started = launch_watched(home, console, cmd, options.stop_with, options.owner_start)
    else:
        with console.open("ab") as out:
            process = subprocess.Popen(  # noqa: S603 - java from PATH/JAVA_HOME, arguments built here
                cmd,
                stdout=out,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                start_new_session=True,
                preexec_fn=functools.partial(signal.pthread_sigmask, signal.SIG_SETMASK, mask),
            )
        pid, started = process.pid, watchdog.start_time(process.pid)
    # Until the state is written no `stop` can find this JVM: if this process fails before, the JVM is
    # stopped (here, or by its watchdog: told so, or when it sees its input end). Killed before
    # (SIGKILL; the other ending signals wait, above), a watched JVM is stopped by its watchdog; an
    # unwatched one is left running, unrecorded: the window is the few milliseconds to write the state.
    recorded = False
    try:
        start_time = watchdog.UNKNOWN if started is None else started
        detail = f"JVM pid {pid} start {start_time}"
        test_hook("starter-dies-before-state", detail)
        test_hook("starter-terminated-before-state", detail)
        test_hook("starter-interrupted-before-state", detail)
        server = Server(
            str(home),
            pid,
            options.bolt_port,
            options.http_port,
            neo4j_version(),
            browser_missing,
            owner=options.stop_with,
            owner_start=options.owner_start,
            start_time=start_time,
        )
        write_state(home, server)
        recorded = True
    finally:
        if dog is not None:
            acknowledge(dog, recorded)
        elif process is not None and not recorded:
            watchdog.signal_group(process.pid, signal.SIGKILL)
            process.wait()
    return server


def wait_for_bolt(uri: str, timeout: float, server: Server | None = None, log: Path | None = None) -> None:
    """Return once a driver can talk to ``uri``; raise ServerError after ``timeout`` seconds, or
    :class:`ExitedDuringStart` when ``server``'s JVM ends first."""
    from neo4j import GraphDatabase
    from neo4j.exceptions import AuthError, DriverError, Neo4jError

    deadline = time.monotonic() + timeout
    last: Exception | None = None
    with GraphDatabase.driver(uri, auth=None, connection_timeout=2) as driver:
        while time.monotonic() < deadline:
            if server is not None and not server.running():
                raise ExitedDuringStart(f"Neo4j exited during start-up; see {log}:\n{_tail(log)}")
            try:
                driver.verify_connectivity()
                return
            except AuthError:
                return  # a server with authentication on (``start(auth=True)``) answers so
            except (DriverError, Neo4jError, OSError) as exc:
                last = exc
                time.sleep(0.5)
    raise ServerError(f"Neo4j did not answer on {uri} within {timeout:.0f} s ({last}); see {log}")


def _tail(path: Path | None, lines: int = 20) -> str:
    if path is None or not path.exists():
        return ""
    return "\n".join(path.read_text(encoding="utf-8", errors="replace").splitlines()[-lines:])
