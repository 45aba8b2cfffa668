"""Fetch, configure, start and stop a real Neo4j Community server, from Maven Central jars.

The jars come from ``pom.xml`` (beside this file) through
``mvn dependency:copy-dependencies`` into a git-ignored cache that is reused
when present. A server lives in a *home* folder: ``conf/neo4j.conf`` written
here, ``data/`` and ``logs/`` written by Neo4j, and ``run/ordergraph.json``
(pid and ports) written here, so ``status`` and ``stop`` find it again.

>>> config_text(7687, 7474).splitlines()[0]
'# Written by ordergraph (tools/neo4j/server.py): a local, single-user server.'
>>> "server.bolt.advertised_address=127.0.0.1:7687" in config_text(7687, 7474)
True

Command line (the ``ordergraph neo4j`` commands call the same functions)::

    python -m tools.neo4j.server fetch|start|stop|status [--home DIR]
"""

from __future__ import annotations

import contextlib
import dataclasses
import fcntl
import functools
import hashlib
import json
import os
import re
import select
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import typing
import zipfile
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from graph.errors import StoreUnavailable
from tools.neo4j import watchdog

if TYPE_CHECKING:
    from neo4j import Driver

HERE = Path(__file__).resolve().parent
POM = HERE / "pom.xml"
ENTRY_POINT = "org.neo4j.server.CommunityEntryPoint"
HOST = "127.0.0.1"
# Java 17 needs these for Neo4j's off-heap and Netty internals (the launcher adds them itself).
JVM_FLAGS = (
    "--add-opens=java.base/java.nio=ALL-UNNAMED",
    "--add-opens=java.base/java.io=ALL-UNNAMED",
    "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
    "-Dio.netty.tryReflectionSetAccessible=true",
    "-XX:+UseSerialGC",
)
# Modest: several test runs share a machine. ORDERGRAPH_NEO4J_HEAP, _PAGECACHE ("2g") override them.
# 1g/512m against 384m/64m: ~15% less server CPU per warm 100k sync (bench/RESULTS.md, 13:2x UTC).
HEAP = "1g"
PAGE_CACHE = "512m"
STATE = Path("run") / "ordergraph.json"
# Neo4j Browser captions a node with its `name` (the first of name, title, label… it finds): an
# order's is its whole title ("Executive Order 13959: Addressing the Threat…"), which a node's circle
# cuts to "Executive 13…", a security's "Xiaomi Corporation (HKEX 1810)". This Graph Style Sheet
# captions them "EO 13959" and "HKEX:1810" from properties the sync writes on every one of them
# (tests/test_neo4j_browser_style.py); `name` stays every other node's caption (a rule of its own, first:
# Browser would add one for `:Entity` after these, and the last rule matching wins).
BROWSER_STYLE: dict[str, dict[str, str]] = {
    "node.Entity": {"caption": "{name}"},
    "node.ExecutiveOrder": {"caption": "EO {number}"},
    "node.Security": {"caption": "{ticker}", "diameter": "65px"},  # "HKEX:1810" fits on one line
}


def browser_style_command() -> str:
    """The Browser command applying :data:`BROWSER_STYLE`: GraSS as JSON, which Browser reads as
    is, and with no ``;`` (which would split it as a post-connect command).

    >>> browser_style_command()[:44]
    ':style {"node.Entity": {"caption": "{name}"}'
    """
    return ":style " + json.dumps(BROWSER_STYLE)


# Seconds to wait before each new try of a failed Maven fetch.
FETCH_RETRY_DELAYS: tuple[float, ...] = (5.0, 20.0)


class ServerError(StoreUnavailable):
    """The server cannot be fetched, started, reached or stopped; the message says what to do."""


class BrowserUnavailable(ServerError):
    """The local server cannot serve Neo4j Browser (no jar, another jar than the pinned one, or one the
    patches do not fit): it starts without it, and ``start``/``status`` say why."""


class OwnerGone(ServerError):
    """The process a server is to be started for (``stop_with``) has ended: its pid is gone, or is
    another process's (reused), whose start time is not the one recorded."""


def owner_gone(home: Path, owner: int, reused: bool = False) -> OwnerGone:
    """The :class:`OwnerGone` for ``owner``, saying what to do about it."""
    why = " (its pid is another process's now)" if reused else ""
    return OwnerGone(
        f"the process the Neo4j server in {home} is for (pid {owner}) has ended{why}: the server ends "
        f"with it and is not started for another. If that pid came from {STOP_WITH_ENV}, unset it (the "
        "server then runs until `ordergraph neo4j stop`) or set it to the pid of a running process"
    )


class ExitedDuringStart(ServerError):
    """The server process ended before Bolt answered (a port taken meanwhile, a bad setting…)."""


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


def neo4j_version(pom: Path = POM) -> str:
    """The Neo4j release the pom asks for (one place to bump it)."""
    match = re.search(r"<neo4j\.version>([^<]+)</neo4j\.version>", pom.read_text(encoding="utf-8"))
    if match is None:
        raise ServerError(f"{pom}: no <neo4j.version> property")
    return match.group(1).strip()


def browser_sha256(pom: Path | None = None) -> str:
    """The SHA-256 the fetched Browser jar must have before it is patched (``<neo4j.browser.sha256>``
    in ``pom``, default :data:`POM`)."""
    pom = pom or POM
    match = re.search(
        r"<neo4j\.browser\.sha256>([0-9a-f]{64})</neo4j\.browser\.sha256>", pom.read_text("utf-8")
    )
    if match is None:
        raise ServerError(f"{pom}: no <neo4j.browser.sha256> property (64 lowercase hex digits)")
    return match.group(1)


def browser_version(pom: Path | None = None) -> str:
    """The Neo4j Browser release the pom asks for (``<neo4j.browser.version>``)."""
    pom = pom or POM
    match = re.search(r"<neo4j\.browser\.version>([^<]+)</neo4j\.browser\.version>", pom.read_text("utf-8"))
    if match is None:
        raise ServerError(f"{pom}: no <neo4j.browser.version> property")
    return match.group(1).strip()


def _version_key(jar: Path) -> tuple[tuple[int, int | str], ...]:
    """A jar's version as numbers where it has them: 5.9.0 before 5.24.0 (text order puts it after).

    >>> sorted(["neo4j-browser-5.24.0.jar", "neo4j-browser-5.9.0.jar"], key=lambda n: _version_key(Path(n)))
    ['neo4j-browser-5.9.0.jar', 'neo4j-browser-5.24.0.jar']
    """
    version = jar.name.removeprefix("neo4j-browser-").removesuffix(".jar")
    return tuple((0, int(part)) if part.isdigit() else (1, part) for part in re.split(r"[.-]", version))


def browser_jar(lib: Path) -> Path:
    """The fetched Browser jar of the release pom.xml asks for.

    After ``<neo4j.browser.version>`` is bumped :func:`fetch_jars` fetches the new jar alone, at the
    next start; until it has, :class:`BrowserUnavailable` says the cache holds another and how to
    fetch it.
    """
    want = browser_version()
    fetched = sorted(lib.glob(BROWSER_JAR), key=_version_key)
    for jar in fetched:
        if jar.name == f"neo4j-browser-{want}.jar":
            return jar
    held = ", ".join(j.name for j in fetched) or f"no {BROWSER_JAR}"
    raise BrowserUnavailable(
        f"the jar cache {lib} holds {held}, not neo4j-browser-{want}.jar that {POM.name} asks for "
        f"(a fetch of it failed?): run `python -m tools.neo4j.server fetch`, which fetches that jar alone"
    )


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def cache_dir() -> Path:
    """Where fetched jars are kept: ``ORDERGRAPH_NEO4J_CACHE`` or ``tools/neo4j/cache`` (git-ignored)."""
    return Path(os.environ.get("ORDERGRAPH_NEO4J_CACHE") or HERE / "cache")


def _require(program: str, why: str) -> str:
    found = shutil.which(program)
    if found is None:
        raise ServerError(f"{program} not found on PATH: {why}")
    return found


def java() -> str:
    """The java executable (Neo4j 5 needs Java 17 or 21)."""
    home = os.environ.get("JAVA_HOME")
    if home and (Path(home) / "bin" / "java").exists():
        return str(Path(home) / "bin" / "java")
    return _require("java", "Neo4j needs Java 17 or 21 (Debian: apt-get install -y openjdk-17-jre-headless)")


# The locks this process holds, by thread: a nested take of one of them would wait for itself forever.
_HELD: set[tuple[Path, int]] = set()


@contextlib.contextmanager
def _locked(path: Path, waiting: str | None = None) -> Iterator[None]:
    """An exclusive lock on ``path`` (several test runs may fetch at once). ``waiting``: a line
    printed (standard error) when another process holds it, before waiting for it.

    Not re-entrant: taken again by a thread that holds it, it raises at once (it would wait for
    itself). A lock file that cannot be opened (a folder not writable, a file where its folder should
    be) is a :class:`ServerError` naming it."""
    held = (path, threading.get_ident())
    if held in _HELD:
        raise RuntimeError(f"{path} is already locked by this thread: under it, call the *_locked functions")
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
    return _locked(home / START_LOCK, waiting_line(home))


def waiting_line(home: Path) -> str:
    """What a start or stop says when it waits for :func:`start_lock`."""
    return f"waiting for a neo4j start, stop or bulk sync (sync --bulk) going on in {home} to finish …"


MARKER = "complete"  # in the cache's version folder: the Neo4j release, then "browser <release>"


def fetch_jars(quiet: bool = True) -> Path:
    """The folder of server jars, fetched with Maven when not cached yet.

    A fetch goes into a scratch folder that is renamed into place only when
    complete, under a lock, so concurrent runs never see half a classpath. The
    marker it leaves names the Browser release fetched: when pom.xml asks for
    another, only the Browser jar is fetched again (not the server's ~214).
    """
    version, browser = neo4j_version(), browser_version()
    lib = cache_dir() / f"neo4j-{version}" / "lib"
    if (lib.parent / MARKER).exists() and fetched_browser(lib) == browser:
        return lib
    with _locked(cache_dir() / ".lock"):
        if (lib.parent / MARKER).exists():
            if fetched_browser(lib) != browser:
                _fetch_browser(lib, browser, quiet)
            return lib
        scratch = Path(tempfile.mkdtemp(prefix="fetch-", dir=cache_dir()))
        try:
            _maven(scratch / "lib", [], quiet, f"Neo4j {version} jars")
            if not any((scratch / "lib").glob("neo4j-*.jar")):
                raise ServerError(f"Maven wrote no Neo4j jars into {scratch / 'lib'}")
            if lib.parent.exists():
                shutil.rmtree(lib.parent)
            lib.parent.mkdir(parents=True)
            (scratch / "lib").rename(lib)
            _write_marker(lib, version, browser)
        finally:
            shutil.rmtree(scratch, ignore_errors=True)
    return lib


def fetched_browser(lib: Path) -> str | None:
    """The Browser release the cache's marker records; a marker written before it recorded one: the
    pom's release if its jar is in ``lib``, else None."""
    lines = (lib.parent / MARKER).read_text(encoding="utf-8").splitlines()
    for line in lines[1:]:
        if line.startswith("browser "):
            return line.removeprefix("browser ").strip()
    want = browser_version()
    return want if (lib / f"neo4j-browser-{want}.jar").exists() else None


def _write_marker(lib: Path, version: str, browser: str) -> None:
    (lib.parent / MARKER).write_text(f"{version}\nbrowser {browser}\n", encoding="utf-8")


def _fetch_browser(lib: Path, browser: str, quiet: bool) -> None:
    """Only the Browser jar of ``browser`` into ``lib`` (under the cache's lock), in place of the one
    fetched before; the marker then records it. Its SHA-256 is checked when it is patched
    (:func:`local_browser`), as a full fetch's is."""
    scratch = Path(tempfile.mkdtemp(prefix="fetch-browser-", dir=cache_dir()))
    try:
        only = ["-DincludeArtifactIds=neo4j-browser", "-DexcludeTransitive=true"]
        _maven(scratch, only, quiet, f"Neo4j Browser {browser}")
        jar = scratch / f"neo4j-browser-{browser}.jar"
        if not jar.exists():
            raise ServerError(f"Maven wrote no {jar.name} into {scratch}")
        for old in lib.glob(BROWSER_JAR):
            old.unlink()
        jar.rename(lib / jar.name)
        _write_marker(lib, (lib.parent / MARKER).read_text(encoding="utf-8").splitlines()[0], browser)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def _maven(out: Path, options: list[str], quiet: bool, what: str) -> None:
    """``mvn dependency:copy-dependencies`` of pom.xml into ``out`` (``options`` added), tried again
    when a registry fails for a moment (a reset connection, a 502)."""
    mvn = _require("mvn", "the Neo4j jars are fetched from Maven Central (apt-get install -y maven)")
    cmd = [mvn, "-B", "-f", str(POM), "dependency:copy-dependencies", "-DincludeScope=runtime"]
    cmd += [f"-DoutputDirectory={out}", *options]
    if quiet:
        cmd.insert(2, "-q")
    for delay in (*FETCH_RETRY_DELAYS, None):
        done = subprocess.run(cmd, capture_output=quiet, text=True, check=False)  # noqa: S603 - mvn, fixed args
        if done.returncode == 0 or delay is None:
            break
        time.sleep(delay)
    if done.returncode != 0:
        tail = (done.stdout or "")[-2000:] + (done.stderr or "")[-2000:] if quiet else ""
        tries = len(FETCH_RETRY_DELAYS) + 1
        raise ServerError(f"fetching {what} with Maven failed ({tries} tries):\n{tail}")


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((HOST, 0))
        return int(sock.getsockname()[1])


def port_in_use(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.settimeout(0.5)
        return sock.connect_ex((HOST, port)) == 0


def config_text(bolt_port: int, http_port: int, auth: bool = False) -> str:
    """A neo4j.conf for a local server: loopback only, no auth (``auth``: on), small memory, no telemetry."""
    lines = [
        "# Written by ordergraph (tools/neo4j/server.py): a local, single-user server.",
        f"server.default_listen_address={HOST}",
        f"server.default_advertised_address={HOST}",
        f"server.bolt.listen_address={HOST}:{bolt_port}",
        # Neo4j Browser connects to what the discovery document at / advertises.
        f"server.bolt.advertised_address={HOST}:{bolt_port}",
        "server.http.enabled=true",
        f"server.http.listen_address={HOST}:{http_port}",
        f"server.http.advertised_address={HOST}:{http_port}",
        "server.https.enabled=false",
        f"dbms.security.auth_enabled={'true' if auth else 'false'}",
        f"server.memory.pagecache.size={os.environ.get('ORDERGRAPH_NEO4J_PAGECACHE') or PAGE_CACHE}",
        "dbms.usage_report.enabled=false",
        # Neo4j Browser asks the server (dbms.clientConfig) whether to send product analytics: no.
        "client.allow_telemetry=false",
        # Short captions for orders and securities, applied each time Browser connects (docs/cypher.md).
        f"browser.post_connect_cmd={browser_style_command().removeprefix(':')}",
        # A local dev server: no 256 MiB log files filled ahead, no logs kept past a checkpoint.
        "db.tx_log.preallocate=false",
        "db.tx_log.rotation.retention_policy=keep_none",
        # Its Bolt connections closed, the server's network threads wait a quiet period each (Netty's,
        # 5 s, two groups: 10 s of every stop, and a bulk sync stops the server) for tasks no one sends.
        "internal.dbms.bolt.netty_server_shutdown_quiet_period=0",
        # Nothing reads the server's files or fetches URLs through Cypher (LOAD CSV).
        "dbms.security.allow_csv_import_from_file_urls=false",
        "",
    ]
    return "\n".join(lines)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
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
    """``text`` into ``path`` through a temporary file in its folder, written to disk, then renamed over
    it (and the rename written to disk): a reader sees the old file or the new one, never half of one,
    and a crash (a SIGKILL, a power cut) mid-write leaves the old one or the new one, never an empty
    one. A temporary file that a writer killed mid-write left (``.<name>.*.tmp``) is removed first:
    writers take turns (under :func:`start_lock`), so any there is a dead writer's."""
    for stale in path.parent.glob(f".{path.name}.*.tmp"):
        stale.unlink(missing_ok=True)
    handle, scratch = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            out.write(text)
            out.flush()
            os.fsync(out.fileno())
        os.replace(scratch, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(scratch)
        raise
    folder = os.open(path.parent, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(folder)
    finally:
        os.close(folder)


def write_state(home: Path, server: Server) -> None:
    """Record ``server`` in ``home`` (atomically: :func:`read_state` never sees half a state, nor an
    empty one after a crash). A start records its server under :func:`start_lock`."""
    (home / "run").mkdir(parents=True, exist_ok=True)
    _write_atomically(home / STATE, json.dumps(asdict(server)))
    _write_atomically(home / "run" / "neo4j.pid", f"{server.pid}\n")


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
        _forget(home)
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


# Neo4j Browser 5.24 reaches out of the machine on its own: its stylesheet imports its fonts from
# fonts.googleapis.com when it loads, and once connected it loads Segment's analytics script and
# Canny's feedback widget (cdn.segment.com, canny.io) unless the server says
# browser.allow_outgoing_connections=false, a setting Community 5.26 does not have (it refuses to
# start with it; and Browser ignores it on Community); a fifth of its page loads send Sentry a
# performance trace whatever the settings say. A reporter's Browser must not tell third
# parties it is running: the local server serves a copy of the Browser jar with the font import
# dropped (its system fallback fonts are used), outgoing connections off, as that setting turns
# them off on Enterprise, and Sentry given no address (tests/test_neo4j_browser.py checks no
# request leaves 127.0.0.1). Each (pattern, replacement) must match exactly once, in the jar whose
# SHA-256 pom.xml pins; any other jar, or one they do not fit, is not served (the server starts
# without Browser, and says why).
BROWSER_JAR = "neo4j-browser-*.jar"
BROWSER_PATCHES: tuple[tuple[str, str], ...] = (
    (r"@import url\(https://fonts\.googleapis\.com/[^)]*\);", ""),
    (
        r'allowOutgoingConnections:!\w+\.isConfigValFalsy\(e\["browser\.allow_outgoing_connections"\]\)',
        "allowOutgoingConnections:!1",
    ),
    # Community's Browser allows them whatever the setting says: allowed only when the setting is.
    (
        r"t\.shouldAllowOutgoingConnections=e=>t\.hasEdition\(e\)&&!t\.isEnterprise\(e\)\|\|",
        "t.shouldAllowOutgoingConnections=e=>",
    ),
    # Sentry: its crash reports wait for consent, its performance traces (a fifth of page loads)
    # do not; with no DSN the SDK sends nothing.
    (r'dsn:"https://[0-9a-f]+@[0-9a-z.]+\.ingest\.sentry\.io/[0-9]+"', 'dsn:""'),
)


def local_browser(lib: Path) -> Path:
    """The Browser jar the local server serves: :data:`BROWSER_PATCHES` applied to the fetched one,
    once its SHA-256 is checked against the pinned one (:func:`browser_sha256`), written once next to
    ``lib`` (atomically, under the cache's lock).

    Raises :class:`BrowserUnavailable` saying why when there is no Browser jar, when its SHA-256 is
    not the pinned one, or when the patches do not each match once.
    """
    jar = browser_jar(lib)
    pinned = browser_sha256()
    # Checked at each start (~0.05 s): a jar replaced in the cache is never patched nor served.
    found_sha = _sha256(jar)
    if found_sha != pinned:
        raise BrowserUnavailable(
            f"{jar.name} has SHA-256 {found_sha}, not the {pinned} pinned in {POM.name}: "
            "its privacy patches are checked against that jar only"
        )
    # Named by the patches and the jar: a server still running on an earlier copy keeps its file.
    key = repr((BROWSER_PATCHES, pinned)).encode("utf-8")
    local = lib.parent / f"browser-local-{hashlib.blake2b(key, digest_size=6).hexdigest()}" / jar.name
    if local.exists():
        return local
    with _locked(cache_dir() / ".lock"):
        if local.exists():
            return local
        local.parent.mkdir(parents=True, exist_ok=True)
        scratch = local.with_suffix(".partial")
        found = [0] * len(BROWSER_PATCHES)
        with zipfile.ZipFile(jar) as source, zipfile.ZipFile(scratch, "w") as out:
            for info in source.infolist():
                data = source.read(info)
                if info.filename.startswith("browser/") and info.filename.endswith(".js"):
                    text = data.decode("utf-8")
                    for i, (pattern, replacement) in enumerate(BROWSER_PATCHES):
                        text, n = re.subn(pattern, replacement, text)
                        found[i] += n
                    data = text.encode("utf-8")
                out.writestr(info, data)
        if found != [1] * len(BROWSER_PATCHES):
            scratch.unlink()
            missed = [p for (p, _), n in zip(BROWSER_PATCHES, found, strict=True) if n != 1]
            raise BrowserUnavailable(
                f"{jar.name}: its privacy patches do not fit (patterns not found once each: {missed})"
            )
        scratch.rename(local)
    return local


def classpath(lib: Path, browser: bool = True) -> tuple[str, str | None]:
    """The server's classpath and why Browser is not on it (None: it is).

    Every fetched jar but the Browser's, and the Browser's as :func:`local_browser` serves it
    when it can (``browser``: tried at all; the bulk importer needs none).
    """
    jars = [j for j in sorted(lib.glob("*.jar")) if not j.match(BROWSER_JAR)]
    missing: str | None = "not wanted"
    if browser:
        try:
            jars.append(local_browser(lib))
            missing = None
        except BrowserUnavailable as exc:
            missing = str(exc)
    return os.pathsep.join(str(j) for j in jars), missing


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
    cmd = [java_bin, "-Xms128m", f"-Xmx{heap}", *JVM_FLAGS, "-cp", jars, ENTRY_POINT]
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
        dog, pid, started = _launch_watched(home, console, cmd, options.stop_with, options.owner_start)
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
            _acknowledge(dog, recorded)
        elif process is not None and not recorded:
            watchdog.signal_group(process.pid, signal.SIGKILL)
            process.wait()
    return server


# A test hook (tests/test_neo4j_server_lifetime.py): the name of a point where the starter or the
# watchdog is to die (or hang) as a crash would make it. Unset, as everywhere but in those tests: inert.
TEST_HOOK_ENV = watchdog.TEST_HOOK_ENV
# The signals that end a command (Ctrl-C, a hang-up, `timeout`/`kill`), held off while an unwatched
# JVM is launched and recorded (:func:`_launch`).
ENDING_SIGNALS = frozenset({signal.SIGINT, signal.SIGHUP, signal.SIGTERM})
# Seconds a starter waits for its watchdog to say it started the JVM (a Python start and a fork).
HANDSHAKE_TIMEOUT = 60.0


def test_hook(point: str, detail: str) -> None:
    """At ``point``, when :data:`TEST_HOOK_ENV` names it: say so (with ``detail``) and die."""
    watchdog.test_hook(point, detail)


def watchdog_command(owner: int, owner_start: int, log: Path, command: list[str]) -> list[str]:
    """The command of a watchdog starting the JVM (``command``, its output into ``log``) and stopping
    it once ``owner`` (started at ``owner_start``) is gone (:mod:`tools.neo4j.watchdog`)."""
    script = str(Path(watchdog.__file__).resolve())
    return [sys.executable, "-I", script, str(owner), str(owner_start), str(log), "--", *command]


def _launch_watched(
    home: Path, console: Path, command: list[str], owner: int, owner_start: int
) -> tuple[subprocess.Popen[bytes], int, int | None]:
    """The JVM started by a watchdog (:mod:`tools.neo4j.watchdog`) that stops it once ``owner`` is
    gone; the watchdog, the JVM's pid and start time. The watchdog runs in a session of its own, so
    that a signal to the owner's process group (Ctrl-C, a timeout) spares it, and it starts the JVM
    itself: whenever this process is killed, no JVM runs unwatched. It keeps the JVM only once told
    the server is recorded (:func:`_acknowledge`); its JVM dies with it (a death signal)."""
    with console.open("ab") as log:
        dog = subprocess.Popen(  # noqa: S603 - this interpreter, a script beside this module, pids
            watchdog_command(owner, owner_start, console, command),
            start_new_session=True,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=log,
        )
    assert dog.stdout is not None
    try:
        with dog.stdout:
            said = _read_line(dog.stdout.fileno(), HANDSHAKE_TIMEOUT)
        if said is None:
            raise ServerError(
                f"the server's watchdog (pid {dog.pid}) did not report the JVM it starts within "
                f"{HANDSHAKE_TIMEOUT:.0f} s; it was stopped, and its JVM with it. See {console}; is the "
                "machine too busy (`uptime`), or is Python or Java hanging at start-up?"
            )
    except BaseException:
        _end_watchdog(dog)
        raise
    line = said.split()
    if len(line) != 2:
        _acknowledge(dog, False)
        if dog.wait() == watchdog.OWNER_GONE:
            raise owner_gone(home, owner)
        if dog.returncode == watchdog.NO_DEATH_SIGNAL:
            raise ServerError(
                "the system refused to tie the JVM to its watchdog (prctl PR_SET_PDEATHSIG: a seccomp "
                f"filter?), so no server was started for process {owner} ({STOP_WITH_ENV}); see "
                f"{console}. Start one that runs until stopped instead: unset {STOP_WITH_ENV}, then "
                "`ordergraph neo4j start`, and `ordergraph neo4j stop` when done"
            )
        raise ServerError(
            f"the server's watchdog ended before it reported a JVM (exit {dog.returncode}: killed, or out "
            f"of memory?); a JVM it had started ends with it. See {console}, and start again"
        )
    pid, started = int(line[0]), int(line[1])
    return dog, pid, None if started == watchdog.UNKNOWN else started


def _read_line(fd: int, timeout: float) -> str | None:
    """One line from ``fd`` (what came before an end of file, if it ends first), or None when
    ``timeout`` seconds passed first."""
    data = b""
    deadline = time.monotonic() + timeout
    while not data.endswith(b"\n"):
        left = deadline - time.monotonic()
        if left <= 0 or not select.select([fd], [], [], left)[0]:
            return None
        chunk = os.read(fd, 256)
        if not chunk:
            break
        data += chunk
    return data.decode("ascii", errors="replace")


def _acknowledge(dog: subprocess.Popen[bytes], recorded: bool) -> None:
    """Tell the watchdog the server is recorded (it keeps its JVM), or, closing its input without
    saying so, that it is not (it stops it)."""
    if dog.stdin is None or dog.stdin.closed:
        return
    with contextlib.suppress(OSError), dog.stdin:
        if recorded:
            dog.stdin.write(watchdog.RECORDED)
            dog.stdin.flush()


def _end_watchdog(dog: subprocess.Popen[bytes]) -> None:
    """Stop a watchdog whose report did not come: SIGTERM (it stops its JVM, if it started one), then
    SIGKILL (its JVM dies with it)."""
    _acknowledge(dog, False)
    with contextlib.suppress(ProcessLookupError):
        dog.terminate()
    try:
        dog.wait(watchdog.GRACE + 10)
    except subprocess.TimeoutExpired:
        dog.kill()
        dog.wait()


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
    _forget(home)
    return Stopped(server, was_running)


def _forget(home: Path) -> None:
    (home / STATE).unlink(missing_ok=True)
    (home / "run" / "neo4j.pid").unlink(missing_ok=True)


def local_home() -> Path:
    """Where `ordergraph neo4j start` keeps its server: $ORDERGRAPH_HOME/neo4j, else .ordergraph/neo4j."""
    return Path(os.environ.get("ORDERGRAPH_HOME") or ".ordergraph") / "neo4j"


@dataclass(frozen=True)
class Connection:
    """How to reach the Neo4j server the commands use, and where that choice came from."""

    uri: str
    auth: tuple[str, str] | None
    origin: str
    browser_url: str | None = None
    # The local server's: why it serves no Browser (None: it does, or the server is external).
    browser_missing: str | None = None


def connection(home: Path | None = None) -> Connection:
    """``NEO4J_URI`` (with ``NEO4J_USER``/``NEO4J_PASSWORD``) when set, else the local server in ``home``.

    Raises ServerError saying what to do when neither is there.
    """
    uri = os.environ.get("NEO4J_URI")
    if uri:
        user, password = os.environ.get("NEO4J_USER"), os.environ.get("NEO4J_PASSWORD")
        return Connection(uri, (user or "neo4j", password) if password else None, "NEO4J_URI")
    home = home or local_home()
    server = read_state(home)
    if server is not None and not server.running():
        raise ServerError(
            f"the Neo4j server recorded in {home} (pid {server.pid}) is not running (stopped by a reboot, "
            "or killed): start it again with `ordergraph neo4j start`, "
            "or point NEO4J_URI (and NEO4J_USER, NEO4J_PASSWORD) at yours"
        )
    if server is None:
        raise ServerError(
            f"no Neo4j server: start one with `ordergraph neo4j start` (it lives in {home}), "
            "or point NEO4J_URI (and NEO4J_USER, NEO4J_PASSWORD) at yours"
        )
    return Connection(
        server.bolt_uri, None, f"local server in {home}", server.browser_url, server.browser_missing
    )


# What NEO4J_URI may name: a server (bolt), a cluster or Aura (neo4j), each also over TLS.
BOLT_SCHEMES = ("bolt", "bolt+s", "bolt+ssc", "neo4j", "neo4j+s", "neo4j+ssc")


def open_driver(found: Connection, **config: Any) -> Driver:
    """A driver for ``found``, checked with one handshake: an address that is not Bolt, a server
    that does not answer and refused credentials fail here, saying what to check, instead of
    midway through a command (or after the driver's ~30 s of retries).

    ``config`` goes to ``GraphDatabase.driver`` (``notifications_min_severity``…).
    """
    from neo4j import GraphDatabase
    from neo4j.exceptions import DriverError, Neo4jError

    where = f"Neo4j at {found.uri} ({found.origin})"
    if found.uri.partition("://")[0].lower() not in BOLT_SCHEMES or "://" not in found.uri:
        setting = f"NEO4J_URI={found.uri}" if found.origin == "NEO4J_URI" else found.uri
        raise ServerError(
            f"{setting} is not a Bolt address: use bolt://host:7687, neo4j://host:7687, or "
            "neo4j+s://… for Aura (http://…:7474 is Neo4j Browser's address, not the database's)"
        )
    driver = GraphDatabase.driver(found.uri, auth=found.auth, **config)
    try:
        driver.verify_connectivity()
    except Neo4jError as exc:
        driver.close()
        if not (exc.code or "").startswith("Neo.ClientError.Security."):
            raise ServerError(f"{where} cannot be used: {exc.message}") from exc
        if found.auth is None:
            asks = "asks for a user and password: set NEO4J_USER and NEO4J_PASSWORD"
            raise ServerError(f"{where} {asks}") from exc
        raise ServerError(
            f"{where} refused the credentials of user {found.auth[0]!r} ({exc.message}): "
            "check NEO4J_USER and NEO4J_PASSWORD"
        ) from exc
    except (DriverError, OSError) as exc:
        driver.close()
        what = "check NEO4J_URI" if found.origin == "NEO4J_URI" else "see `ordergraph neo4j status`"
        raise ServerError(f"{where} cannot be reached ({exc}): is it running? {what}") from exc
    return driver


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


def preferred_ports() -> tuple[int, int]:
    """Neo4j's usual ports (Bolt 7687, HTTP 7474) when free, so Browser finds the server; else free ones."""
    bolt = 7687 if not port_in_use(7687) else free_port()
    http = 7474 if not port_in_use(7474) else free_port()
    return bolt, http


def main(argv: list[str] | None = None) -> int:
    import argparse

    parser = argparse.ArgumentParser(prog="python -m tools.neo4j.server", description=__doc__.split("\n")[0])
    parser.add_argument("action", choices=["fetch", "start", "stop", "status"])
    parser.add_argument("--home", type=Path, default=Path(".ordergraph/neo4j"))
    parser.add_argument("--bolt-port", type=int)
    parser.add_argument("--http-port", type=int)
    args = parser.parse_args(argv)
    try:
        if args.action == "fetch":
            print(fetch_jars(quiet=False))
        elif args.action == "start":
            stop_with = stop_with_from_env()
            started = start_or_find(
                args.home, LaunchOptions(args.bolt_port, args.http_port, stop_with=stop_with)
            )
            server, already = started.server, not started.launched
            print(
                f"Neo4j {server.version} {'already ' if already else ''}running (pid {server.pid}): "
                f"{server.bolt_uri}  Browser: {server.browser_line()}"
            )
            note = owner_note(server, stop_with)
            if note:
                print(note)
        elif args.action == "stop":
            stopped = stop(args.home)
            if stopped is None:
                print(f"no server recorded in {args.home}")
            elif stopped.was_running:
                print(f"stopped (pid {stopped.server.pid})")
            else:
                print(f"the server recorded (pid {stopped.server.pid}) was not running; record removed")
        else:
            found = read_state(args.home)
            if found is None or not found.running():
                print(f"no server running in {args.home}")
                return 1
            server = found
            print(
                f"Neo4j {server.version} running (pid {server.pid}): {server.bolt_uri}  "
                f"Browser: {server.browser_line()}"
            )
    except ServerError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
