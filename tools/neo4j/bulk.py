"""A first sync through Neo4j's offline importer (``neo4j-admin database import full``), for the local
server this project runs (:mod:`tools.neo4j.server`) when its database is empty.

Community cannot take a database offline, so: the server is asked to stop and, while it stops, the
graph is written as the importer's CSV (:mod:`graph.neo4j_csv`, the Bolt sync's own property maps) by
two processes, each a part of the rows into files of its own; the importer (the server's jars,
``org.neo4j.cli.AdminTool``) writes a new store; the server starts again on it; then what the Bolt
sync also writes is written through Bolt — the values the CSV could not spell, the constraints and
indexes (awaited: building them is part of the sync; created in one transaction, populated together),
the keys node, the sync record and the write counter. The graph is the one :func:`graph.neo4j_sync.sync`
writes into an empty database, property for property (tests/graph/test_neo4j_bulk.py compares dumps).

If the importer fails (bad input, killed) its partial store is removed, the previous (empty)
database put back, the server started again, and :class:`BulkSyncError` says what the importer
said. Never for an external server (``NEO4J_URI``): only a server this project runs can be stopped.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import resource
import shutil
import signal
import subprocess
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from graph import cypher
from graph.errors import OrdergraphError
from graph.gcpause import cyclic_gc_paused
from graph.model import Edge, Node
from graph.neo4j_csv import ARRAY_DELIMITER_OPTION, CsvWriter, Written
from graph.neo4j_sync import (
    BATCH_SIZE,
    SYNC_NAME,
    SyncReport,
    edge_props,
    ensure_schema,
    missing_endpoints,
    node_props,
)
from graph.store.neo4j import QUIET
from tools.neo4j import server, watchdog

ADMIN_TOOL = "org.neo4j.cli.AdminTool"
DATABASE = "neo4j"
# The importer's JVM heap and its off-heap budget (ORDERGRAPH_NEO4J_IMPORT_HEAP, _IMPORT_MEMORY): modest,
# the machine is shared; 1M entities import in well under them.
IMPORT_HEAP = "1g"
IMPORT_MEMORY = "2g"
# The auto choice (``ordergraph neo4j sync`` with neither --bulk nor --no-bulk): below this many items a
# server restart costs more than the Bolt sync saves. Session 29's same-run figures (bench/RESULTS.md,
# Neo4j): 100k entities (110k items) bulk 43.5 s against a fresh server's Bolt first sync 30.4 s
# (0.28 ms an item); 1M (1.1M items) bulk 140.4 s: bulk ~ 30 s fixed + 0.1 ms an item, so the two
# cross near 170k items; above 200k the bulk route is the faster.
AUTO_MIN_ITEMS = 200_000
# Processes writing the CSV (each a part of the rows: the row builders are Python, one core each).
CSV_WORKERS = 2


class BulkSyncError(OrdergraphError):
    """A bulk sync refused (an external server, a graph not empty) or failed (the importer's words)."""


@dataclass
class BulkReport:
    """The sync's report (as the Bolt sync's) and where the time went: ``phases`` name → seconds
    (``*_wall``; ``csv_cpu`` the client's, ``import_cpu`` the importer JVM's, ``start_cpu`` and
    ``post_cpu`` the server's, ``post_client_cpu`` the client's)."""

    report: SyncReport
    phases: dict[str, float] = field(default_factory=dict)
    files: int = 0


def is_empty(driver: Any) -> bool:
    """Whether the database holds no node at all (its indexes may stay: the import replaces them)."""
    records, _, _ = driver.execute_query("MATCH (n) RETURN n LIMIT 1", routing_="r")
    return not records


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _server_cpu(pid: int) -> float:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def write_csv(
    folder: Path,
    nodes: Sequence[Node],
    edges: Sequence[Edge],
    report: SyncReport,
    generation: int = 1,
    workers: int | None = None,
) -> Written:
    """The import CSV of these nodes and edges under ``folder``: each the property map the Bolt sync
    writes (seq, digest and ``generation`` included); edges missing an endpoint are listed in
    ``report``, not written.

    ``workers`` processes (default :data:`CSV_WORKERS`, at most the machine's cores) each write a
    contiguous part of the nodes and of the edges into a folder of their own (forked: the rows are not
    copied to them); the importer reads every part's files (several files per kind)."""
    node_ids = {n.id for n in nodes}
    report.missing_endpoints = missing_endpoints(node_ids, edges)
    skipped = frozenset(m.edge_id for m in report.missing_endpoints)
    cores = len(os.sched_getaffinity(0)) or 1
    parts = max(1, min(workers or min(CSV_WORKERS, cores), len(nodes) + len(edges)))
    job = _Job(folder, nodes, edges, skipped, generation, parts)
    if parts == 1:
        with cyclic_gc_paused():
            pieces = [_write_part(job, 0)]
    else:
        pieces = _in_processes(job)
    written = Written([], [], [], set(), set())
    for piece in pieces:
        written.nodes += piece.nodes
        written.relationships += piece.relationships
        written.aside += piece.aside
        written.empty_node_lists |= piece.empty_node_lists
        written.empty_edge_lists |= piece.empty_edge_lists
        written.node_rows += piece.node_rows
        written.relationship_rows += piece.relationship_rows
    report.nodes_written = written.node_rows
    report.edges_written = written.relationship_rows
    return written


@dataclass(frozen=True)
class _Job:
    """What write_csv's processes share (forked: not copied, not pickled): the folder, the rows, the
    edge ids left out, the generation, the number of parts."""

    folder: Path
    nodes: Sequence[Node]
    edges: Sequence[Edge]
    skipped: frozenset[str]
    generation: int
    parts: int


def _in_processes(job: _Job) -> list[Written]:
    """Each part of ``job`` written by a forked process of its own, its :class:`Written` sent back
    through a pipe. A process that raises has its error raised here; one that dies without a word
    (killed, out of memory) is a :class:`BulkSyncError`; either way the others are stopped and every
    process is reaped (their CPU time is the caller's ``RUSAGE_CHILDREN``)."""
    context = multiprocessing.get_context("fork")
    running: list[tuple[Any, Any]] = []
    try:
        for part in range(job.parts):
            receiving, sending = context.Pipe(duplex=False)
            process = context.Process(target=_part_process, args=(job, part, sending), daemon=True)
            process.start()
            sending.close()
            running.append((process, receiving))
        pieces: list[Written] = []
        for part, (process, receiving) in enumerate(running):
            try:
                outcome = receiving.recv()
            except EOFError:
                process.join()
                raise BulkSyncError(
                    f"the process writing part {part} of the import CSV died without finishing (exit code "
                    f"{process.exitcode}: killed, or out of memory?); nothing was imported"
                ) from None
            if isinstance(outcome, BaseException):
                raise outcome
            pieces.append(outcome)
        return pieces
    finally:
        for process, receiving in running:
            receiving.close()
            if process.is_alive():
                process.terminate()
            process.join()


def _part_process(job: _Job, part: int, sending: Any) -> None:
    """A forked writer: no cyclic collector (its garbage is freed by reference counting; graph.gcpause),
    Ctrl-C left to the parent, its part written and sent back, or the error that stopped it."""
    gc.disable()
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        outcome: Written | BaseException = _write_part(job, part)
    except BaseException as error:  # sent to the parent, which raises it
        outcome = error
    try:
        sending.send(outcome)
    except Exception as unsent:  # an error that does not pickle: its words instead
        sending.send(BulkSyncError(f"writing part {part} of the import CSV failed: {outcome!r} ({unsent})"))
    sending.close()


def _write_part(job: _Job, part: int) -> Written:
    """Part ``part`` of ``job``: its share of the nodes, then of the edges, as the CSV files of a
    folder of its own. Positions (``seq``) are those of the whole: a node's its index, an edge's the
    number of nodes plus its index."""
    nodes, edges, parts = job.nodes, job.edges, job.parts
    n0, n1 = len(nodes) * part // parts, len(nodes) * (part + 1) // parts
    e0, e1 = len(edges) * part // parts, len(edges) * (part + 1) // parts
    writer = CsvWriter(job.folder / f"part{part}")
    try:
        for seq in range(n0, n1):
            node = nodes[seq]
            writer.node(node.kind, node_props(node, seq, job.generation))
        first_edge = len(nodes)
        for index in range(e0, e1):
            edge = edges[index]
            if edge.id not in job.skipped:
                props = edge_props(edge, first_edge + index, job.generation)
                writer.relationship(edge.kind, edge.source, edge.target, props)
    finally:
        written = writer.close()
    return written


def importer_command(home: Path, written: Written) -> list[str]:
    """The importer's command line: the server's jars (no Browser), the files, failing on any bad row."""
    jars, _ = server.classpath(server.fetch_jars(), browser=False)
    heap = os.environ.get("ORDERGRAPH_NEO4J_IMPORT_HEAP") or IMPORT_HEAP
    cmd = [
        server.java(),
        f"-Xmx{heap}",
        *server.jvm_flags(),
        "-cp",
        jars,
        ADMIN_TOOL,
        "database",
        "import",
        "full",
        DATABASE,  # first: --multiline-fields takes the paths after it
    ]
    cmd += [
        "--overwrite-destination=true",
        "--bad-tolerance=0",
        "--skip-bad-relationships=false",
        "--skip-duplicate-nodes=false",
        "--strict=true",
        "--verbose",
        f"--array-delimiter={ARRAY_DELIMITER_OPTION}",
        f"--max-off-heap-memory={os.environ.get('ORDERGRAPH_NEO4J_IMPORT_MEMORY') or IMPORT_MEMORY}",
        f"--report-file={home / 'logs' / 'import.report'}",
    ]
    cmd += [f"--nodes={f.group}={f.path}" for f in written.nodes]
    cmd += [f"--relationships={f.group}={f.path}" for f in written.relationships]
    multiline = [str(f.path) for f in (*written.nodes, *written.relationships) if f.multiline]
    if multiline:
        cmd += ["--multiline-fields-format=v2", "--multiline-fields=" + ",".join(multiline)]
    return cmd


def bulk_store_folders(home: Path) -> list[Path]:
    """The folders of the database the importer replaces (its store, its transaction logs)."""
    return [home / "data" / "databases" / DATABASE, home / "data" / "transactions" / DATABASE]


def importer_error(log: Path) -> str:
    """What the importer said went wrong: its input error (file, line, field, value), else its last lines."""
    lines = [
        line
        for line in log.read_text(encoding="utf-8", errors="replace").splitlines()
        if not line.lstrip().startswith("at ") and not line.lstrip().startswith("...")
    ]
    for marks in (("ERROR in input",), ("Exception:", "Error:")):
        for i, line in enumerate(lines):
            if any(mark in line for mark in marks):
                return "\n".join(lines[i : i + 7])
    return "\n".join(lines[-12:])


def run_importer(home: Path, written: Written, timeout: float | None = None) -> None:
    """Run the importer into ``home``'s (stopped) server; on failure put the previous database back and
    raise :class:`BulkSyncError` with the importer's words. ``timeout``: seconds before it is killed."""
    log = home / "logs" / "import.log"
    backups = []
    for folder in bulk_store_folders(home):
        backup = folder.with_name(folder.name + ".before-import")
        shutil.rmtree(backup, ignore_errors=True)
        if folder.exists():
            folder.rename(backup)
        backups.append((folder, backup))
    env = {**os.environ, "NEO4J_HOME": str(home), "NEO4J_CONF": str(home / "conf")}
    failure: str | None = None
    with log.open("w", encoding="utf-8") as out:
        process = subprocess.Popen(  # noqa: S603 - java from PATH/JAVA_HOME, arguments built here
            importer_command(home, written),
            stdout=out,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            env=env,
        )
        try:
            code = process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
            failure = f"the importer did not finish within {timeout:g} s and was killed"
        else:
            if code != 0:
                failure = f"the importer failed (exit {code}):\n{importer_error(log)}"
    for folder, backup in backups:
        if failure is None:
            shutil.rmtree(backup, ignore_errors=True)
        else:
            shutil.rmtree(folder, ignore_errors=True)
            if backup.exists():
                backup.rename(folder)
    if failure is not None:
        raise BulkSyncError(f"{failure}\n(its log: {log}; the previous database is back)")


def bulk_sync(
    home: Path,
    nodes: Sequence[Node],
    edges: Sequence[Edge],
    *,
    stop_with: int | None = None,
    importer_timeout: float | None = None,
    progress: Callable[[int], None] | None = None,
    announce: Callable[[], None] | None = None,
) -> BulkReport:
    """Write these nodes and edges into the empty database of the local server in ``home`` through the
    offline importer; return the report. The server runs again afterwards (same ports), also when the
    import failed (:class:`BulkSyncError`, the previous empty database back). ``announce`` is called
    once the checks passed, just before the server is asked to stop."""
    from neo4j import GraphDatabase

    home = home.resolve()
    out = BulkReport(SyncReport(generation=1))
    # Held from the checks until the sync is complete: a `neo4j start` or `stop` meanwhile waits (saying
    # so), then finds the restarted server, instead of launching a JVM on the store being imported, or
    # stopping the server under the Bolt writes that complete the sync (its schema, its record).
    with server.start_lock(home):
        restarted, written = _stop_import_restart(
            home, nodes, edges, out, stop_with, importer_timeout, progress, announce
        )
        phases = out.phases
        t0, c0, s0 = time.perf_counter(), time.process_time(), _server_cpu(restarted.pid)
        with GraphDatabase.driver(restarted.bolt_uri, auth=None) as driver:
            _after_import(driver, written, nodes, edges, out.report, phases, restarted.pid)
        phases["post_wall"], phases["post_client_cpu"] = time.perf_counter() - t0, time.process_time() - c0
        phases["post_cpu"] = _server_cpu(restarted.pid) - s0
    return out


def _stop_import_restart(
    home: Path,
    nodes: Sequence[Node],
    edges: Sequence[Edge],
    out: BulkReport,
    stop_with: int | None,
    importer_timeout: float | None,
    progress: Callable[[int], None] | None,
    announce: Callable[[], None] | None,
) -> tuple[server.Server, Written]:
    """:func:`bulk_sync`'s checks, stop, CSV, import and restart (under :func:`server.start_lock`):
    the restarted server and what was written."""
    from neo4j import GraphDatabase

    running = server.read_state(home)
    if running is None or not running.running():
        raise BulkSyncError(f"no local Neo4j server runs in {home}: `ordergraph neo4j start` first")
    owner, owner_start = _owner(running, stop_with)
    if owner is not None and not (
        watchdog.start_time(owner) is not None if owner_start is None else watchdog.same(owner, owner_start)
    ):
        raise BulkSyncError(
            f"bulk sync refused, nothing changed: the local Neo4j server in {home} was started for a process "
            f"(pid {owner}) that has ended, and ends with it; stopped for the import, it would not be "
            "started again. Run `ordergraph neo4j stop`, then `ordergraph neo4j start` (a server that runs "
            "until stopped), then sync again"
        )
    with GraphDatabase.driver(running.bolt_uri, auth=None) as driver:
        if not is_empty(driver):
            raise BulkSyncError(
                f"the database of the server in {home} is not empty: a bulk sync only writes a first one "
                "(run the sync without --bulk: it updates what changed)"
            )
    phases = out.phases
    scratch = Path(tempfile.mkdtemp(prefix="import-", dir=home))
    failure: BaseException | None = None
    try:
        if announce:
            announce()
        # The server stops (a checkpoint, its JVM's shutdown) while the CSV is written.
        server.request_stop(home)
        try:
            t0, c0 = time.perf_counter(), time.process_time() + _children_cpu()
            written = write_csv(scratch, nodes, edges, out.report)
            out.files = len(written.nodes) + len(written.relationships)
            phases["csv_wall"] = time.perf_counter() - t0
            phases["csv_cpu"] = time.process_time() + _children_cpu() - c0
            if progress:
                progress(written.node_rows + written.relationship_rows)
            t0 = time.perf_counter()
            server.stop_locked(home)
            phases["stop_wall"] = time.perf_counter() - t0  # what is left of the stop after the CSV
            t0, c0 = time.perf_counter(), _children_cpu()
            try:
                run_importer(home, written, importer_timeout)
            finally:
                phases["import_wall"], phases["import_cpu"] = time.perf_counter() - t0, _children_cpu() - c0
        except BaseException as error:
            failure = error
            raise
        finally:
            t0 = time.perf_counter()
            restarted = _start_again(home, running, stop_with, failure)
            phases["start_wall"], phases["start_cpu"] = time.perf_counter() - t0, _server_cpu(restarted.pid)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    return restarted, written


def _start_again(
    home: Path, running: server.Server, stop_with: int | None, failure: BaseException | None
) -> server.Server:
    """The server stopped (if it is not already) and started again on its ports, for the same owner
    (``stop_with``, else the one it had: a test's server bulk-synced by the CLI still ends with the
    test run); if it does not start, a :class:`BulkSyncError` that names why, what failed before
    (``failure``), and what to run.

    The owner it had is the process recorded with its start time: when that process has ended
    meanwhile (its pid gone, or reused by another process) the server stays stopped, as the owner's
    end would have stopped it had it been running; started again it would be a test run's server
    no one stops, or one that a stranger's end stops. The error says how to start it for good."""
    owner, owner_start = _owner(running, stop_with)
    before = f" after the bulk sync failed ({failure})" if failure else " after the bulk sync"
    try:
        server.stop_locked(home)
        options = server.LaunchOptions(
            running.bolt_port, running.http_port, stop_with=owner, owner_start=owner_start
        )
        return server.start_locked(home, options).server
    except server.OwnerGone as error:
        raise BulkSyncError(
            f"the local Neo4j server in {home} was not started again{before}: {error}. The sync is "
            "not complete; start the server with `ordergraph neo4j start` (it then runs until stopped)"
        ) from error
    except Exception as error:
        raise BulkSyncError(
            f"the local Neo4j server in {home} did not start again{before}: {error}; "
            "start it with `ordergraph neo4j start`"
        ) from error


def _owner(running: server.Server, stop_with: int | None) -> tuple[int | None, int | None]:
    """The process a restarted server is for and the start time it must have (None: the one it has
    now): ``stop_with``, else the owner recorded with its start time (one recorded without it, from a
    state older than start times, cannot be told from a stranger: :data:`watchdog.UNKNOWN`)."""
    if stop_with is not None:
        return stop_with, None
    if running.owner is None:
        return None, None
    known = running.owner_start if running.owner_start is not None else watchdog.UNKNOWN
    return running.owner, known


def _after_import(
    driver: Any,
    written: Written,
    nodes: Sequence[Node],
    edges: Sequence[Edge],
    report: SyncReport,
    phases: dict[str, float],
    pid: int,
) -> None:
    """What the Bolt sync writes beside the entities: empty lists first (before any index, so no index
    sees them change), then the schema (awaited), the values aside, the keys, the run and the counter.
    ``phases`` gets the server CPU seconds (``pid``'s) of the empty lists and of the schema."""
    s0 = _server_cpu(pid)
    with driver.session(**QUIET) as session:
        for names, relationships in ((written.empty_node_lists, False), (written.empty_edge_lists, True)):
            if names:
                session.run(*cypher.empty_lists_where_absent(names, relationships)).consume()
    s1 = _server_cpu(pid)
    # As the Bolt sync: a constraint for every edge kind of the data (an edge left out included).
    ensure_schema(driver, None, {e.kind for e in edges})
    s2 = _server_cpu(pid)
    phases["empty_lists_cpu"], phases["schema_cpu"] = s1 - s0, s2 - s1
    with driver.session(**QUIET) as session:
        node_rows = [{"id": a.id, "props": a.props} for a in written.aside if a.node]
        for start in range(0, len(node_rows), BATCH_SIZE):
            session.execute_write(
                _consume, *cypher.set_node_properties(node_rows[start : start + BATCH_SIZE])
            )
        by_kind: dict[str, list[dict[str, Any]]] = {}
        for a in written.aside:
            if not a.node:
                by_kind.setdefault(a.kind, []).append({"id": a.id, "props": a.props})
        for kind, rows in by_kind.items():
            for start in range(0, len(rows), BATCH_SIZE):
                session.execute_write(
                    _consume, *cypher.set_relationship_properties(kind, rows[start : start + BATCH_SIZE])
                )
        session.execute_write(_consume, *cypher.record_keys(cypher.keys_version()))
        generation = session.execute_write(_single, *cypher.begin_sync(SYNC_NAME), "generation")
        if generation != report.generation:
            raise BulkSyncError(f"the imported graph's sync record is at generation {generation}, not 1")
        session.execute_write(_consume, *cypher.seq_at_least(len(nodes) + len(edges)))
        session.run(*cypher.await_fulltext_refresh()).consume()
        report.complete = True
        session.execute_write(
            _consume, *cypher.finish_sync(SYNC_NAME, report.generation, "complete", report.counts())
        )


def _consume(tx: Any, query: str, params: dict[str, Any]) -> None:
    tx.run(query, params).consume()


def _single(tx: Any, query: str, params: dict[str, Any], key: str) -> int:
    return int(tx.run(query, params).single(strict=True)[key])
