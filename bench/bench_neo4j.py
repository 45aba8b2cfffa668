"""Neo4j benchmarks: the batched sync against a one-MERGE-per-row writer, and ``affects`` over Bolt.

Targets (read by eye, never asserted by a test):

- the batched sync (:func:`graph.neo4j_sync.sync`: ``UNWIND $rows`` batches in
  managed transactions) at least 20x faster per item than a writer sending one
  MERGE per node or edge, and at least 20,000 entities/s, on a synthetic
  corpus of at least 100k entities;
- ``affects`` through Neo4j: p95 at most 50 ms on the curated graph, with the
  number of round trips (store calls; each is one transaction) it costs.

The corpus is :mod:`bench.gen_corpus`'s (OpenSanctions-shaped FtM lines, seed
7), read with :mod:`loaders.ftm` into nodes and edges (not timed). "Entities"
are its FtM entities (lines): companies, people and securities become nodes,
ownerships, sanctions and directorships become edges; "items" are nodes plus
edges written.

The one-per-row writer is timed on a sample of the same rows (``NAIVE_EDGES``
edges and their endpoints; on all of them it would take many minutes) and its
time for the whole corpus extrapolated from its per-item rate; the ratio is of
per-item rates measured in this run. The machine's load average is printed
beside the figures, and the CPU seconds the sync cost the client (this
process) and the server (its JVM, when the bench started it): on a shared
machine wall time is mostly waiting for a core, CPU time is the work. It starts
its own server (a temporary home, free ports, 2 GiB heap, 1 GiB page cache)
unless ``NEO4J_URI`` is set — then that database is emptied first, so point it
at a scratch one.

The bulk first sync (:mod:`tools.neo4j.bulk`: the importer's CSV, the server
stopped, ``neo4j-admin database import full``, the server started, schema and
indexes built and awaited) is timed first, on a server of its own, whole and by
phase: the client's CPU writing the CSV, the importer JVM's, the server's at its
restart, on the empty lists the CSV cannot spell and on the schema (index
population). ``--bulk-only`` measures it alone (the 1M corpus: the Bolt figures
there take most of an hour).

Run: ``python bench/bench_neo4j.py [entities] [--bulk-only]`` (default 100,000;
the corpus from ``$BENCH_CORPUS_DIR`` when it holds it); ``python -m bench.run
--parts neo4j`` calls :func:`measure` on the harness's corpus.
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Any, cast

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from neo4j import Driver, GraphDatabase, ManagedTransaction

from bench.gen_corpus import write_corpus
from graph import cypher, neo4j_rows
from graph.model import Edge, Node
from graph.neo4j_sync import WORKERS, ensure_schema, sync
from graph.query import affects
from graph.store.base import GraphStore
from graph.store.neo4j import Neo4jStore
from loaders.ftm import read_ftm
from loaders.workspace import PROJECT_DATA, load_memory_store
from tests.graph.counting import CountingStore
from tools.neo4j import server
from tools.neo4j.bulk import bulk_sync

NAIVE_EDGES = 1500  # the one-per-row writer writes these edges and their endpoints
WARM_SYNCS = 2  # untimed full syncs between the first (timed) one and the warm one
# A first sync of this many items (nodes + edges) has by itself written more rows than the ~4 syncs
# of 100k entities the JIT compiles the write paths over: the 1M corpus (1.1M items) skips the
# untimed syncs and the one-writer sync, each of which costs minutes there (a 1M run stays in its
# part's time limit).
WARM_ITEMS = 500_000
CORPUS = Path(__file__).resolve().parent / ".corpus"
DAYS = [date(2020, 11, 12), date(2021, 1, 11), date(2021, 3, 15), date(2021, 6, 3), date(2021, 8, 2)]


@contextmanager
def a_server(home: Path | None = None) -> Iterator[tuple[Driver, int | None]]:
    """``NEO4J_URI`` if set, else a server of our own (in ``home`` or a temporary folder) for the
    length of the bench; with the server's pid when it is ours (its CPU time is then measured)."""
    uri = os.environ.get("NEO4J_URI")
    if uri:
        password = os.environ.get("NEO4J_PASSWORD")
        auth = (os.environ.get("NEO4J_USER") or "neo4j", password) if password else None
        with GraphDatabase.driver(uri, auth=auth) as driver:
            yield driver, None
        return
    os.environ.setdefault("ORDERGRAPH_NEO4J_HEAP", "2g")
    os.environ.setdefault("ORDERGRAPH_NEO4J_PAGECACHE", "1g")
    with tempfile.TemporaryDirectory(prefix="bench-neo4j-") as scratch:
        where = home / "neo4j" if home is not None else Path(scratch)
        started = server.start(where, server.LaunchOptions(stop_with=os.getpid()))
        try:
            with GraphDatabase.driver(started.bolt_uri, auth=None) as driver:
                yield driver, started.pid
        finally:
            server.stop(where)


def cpu_seconds(pid: int | None) -> float | None:
    """User + system CPU seconds of process ``pid`` (all its threads) so far, or None if unknown."""
    if pid is None:
        return None
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def empty(driver: Driver) -> None:
    while driver.execute_query("MATCH (n) WITH n LIMIT 10000 DETACH DELETE n RETURN count(*) AS n").records[
        0
    ]["n"]:
        pass


def _run(tx: ManagedTransaction, query: str, params: dict[str, Any]) -> None:
    tx.run(query, params).consume()


def one_merge_per_row(driver: Driver, nodes: list[Node], edges: list[Edge]) -> float:
    """Seconds to write these with one MERGE statement (one transaction) per node or edge."""
    t0 = time.perf_counter()
    with driver.session() as session:
        for seq, node in enumerate(nodes):
            session.execute_write(_run, *cypher.merge_node(node.kind, neo4j_rows.node_row(node, 0, seq)))
        for seq, edge in enumerate(edges):
            session.execute_write(_run, *cypher.merge_edge(edge.kind, neo4j_rows.edge_row(edge, 0, seq)))
    return time.perf_counter() - t0


def ftm_corpus(entities: int) -> tuple[list[Node], list[Edge]]:
    """The nodes and edges of ``bench/gen_corpus.py``'s corpus of ``entities`` FtM lines (made if missing)."""
    path = CORPUS / f"ftm-{entities}-s7.json"
    given = Path(os.environ.get("BENCH_CORPUS_DIR") or CORPUS) / path.name
    if given.exists():
        return read_corpus(given)
    if not path.exists():
        write_corpus(entities, CORPUS)
    return read_corpus(path)


def read_corpus(path: Path) -> tuple[list[Node], list[Edge]]:
    """The nodes and edges :mod:`loaders.ftm` reads from an FtM JSON lines file (last one of an id wins)."""
    nodes: dict[str, Node] = {}
    edges: dict[str, Edge] = {}
    for record in read_ftm(path, "bench"):
        item = record.item
        if isinstance(item, Node):
            nodes[item.id] = item
        else:
            edges[item.id] = item
    return list(nodes.values()), list(edges.values())


def naive_sample(nodes: list[Node], edges: list[Edge]) -> tuple[list[Node], list[Edge]]:
    """Every ``len(edges) // NAIVE_EDGES``-th edge and the nodes they join: a slice of every kind."""
    step = max(len(edges) // NAIVE_EDGES, 1)
    sample_edges = edges[::step][:NAIVE_EDGES]
    ends = {end for e in sample_edges for end in (e.source, e.target)}
    return [n for n in nodes if n.id in ends], sample_edges


def sync_figures(
    driver: Driver, nodes: list[Node], edges: list[Edge], server_pid: int | None = None
) -> dict[str, float | None]:
    """The batched sync on all rows vs one MERGE per row on a sample of them, each on an empty database.

    A first sync of a slice of the rows warms the server a little; the first full
    sync is then timed (``first_*``: the JIT is still compiling the write paths,
    ~20 CPU s on a fresh JVM), then re-synced unchanged (``rerun_s``) and synced
    :data:`WARM_SYNCS` more times untimed, the database emptied and the same sync timed again
    on the warm server as the sync runs by default (``batched_*``,
    :data:`graph.neo4j_sync.WORKERS` write transactions in flight: a server in use
    is warm; this is the figure the targets are read on), then once more with one
    write transaction in flight (``one_writer_*``, the sync before it had more).
    """
    empty(driver)
    ensure_schema(driver)
    warm_nodes = nodes[: len(nodes) // 5]
    warm_ids = {n.id for n in warm_nodes}
    sync(driver, warm_nodes, [e for e in edges if e.source in warm_ids and e.target in warm_ids])
    empty(driver)
    first = _timed_sync(driver, nodes, edges, server_pid)
    t0 = time.perf_counter()
    again = sync(driver, nodes, edges)
    rerun = time.perf_counter() - t0
    assert again.nodes_deleted == again.edges_deleted == again.nodes_written == again.edges_written == 0
    # The JIT goes on compiling the write paths for ~4 full syncs of 100k (methods compiled per sync
    # 10.5k, 2.2k, 1.1k, 0.8k; compiler 26, 8.6, 2.0, 1.5 CPU s): two more before the warm one.
    large = len(nodes) + len(edges) >= WARM_ITEMS
    for _ in range(0 if large else WARM_SYNCS):
        empty(driver)
        sync(driver, nodes, edges)
    empty(driver)
    warm = _timed_sync(driver, nodes, edges, server_pid)
    # Second, on a server warmer still: the ratio to it errs against the default.
    one_writer: dict[str, float | None] = dict.fromkeys(("s", "client_cpu_s", "server_cpu_s"))
    if not large:
        empty(driver)
        one_writer = _timed_sync(driver, nodes, edges, server_pid, workers=1)

    empty(driver)
    sample_nodes, sample_edges = naive_sample(nodes, edges)
    naive = one_merge_per_row(driver, sample_nodes, sample_edges)
    naive_items = len(sample_nodes) + len(sample_edges)
    items = len(nodes) + len(edges)
    batched = warm["s"]
    batched_rate, naive_rate = per_second(items, batched), per_second(naive_items, naive)
    return {
        "nodes": len(nodes),
        "edges": len(edges),
        "first_s": first["s"],
        "first_client_cpu_s": first["client_cpu_s"],
        "first_server_cpu_s": first["server_cpu_s"],
        "batched_s": batched,
        "batched_items_per_s": batched_rate,
        "batched_client_cpu_s": warm["client_cpu_s"],
        "batched_server_cpu_s": warm["server_cpu_s"],
        "one_writer_s": one_writer["s"],
        "one_writer_client_cpu_s": one_writer["client_cpu_s"],
        "one_writer_server_cpu_s": one_writer["server_cpu_s"],
        "rerun_s": rerun,
        "naive_items": naive_items,
        "naive_s": naive,
        "naive_items_per_s": naive_rate,
        "naive_extrapolated_s": per_second(items, naive_rate),
        "ratio": ratio(batched_rate, naive_rate),
    }


def per_second(count: float, seconds: float | None) -> float | None:
    """``count / seconds``, or None when the seconds are missing or zero (a figure not measured: no
    stand-in number, which would make a ratio look measured).

    >>> per_second(10, 2), per_second(10, None), per_second(10, 0)
    (5.0, None, None)
    """
    return None if not seconds else count / seconds


def ratio(a: float | None, b: float | None) -> float | None:
    """``a / b``, or None when either is missing (or ``b`` is zero)."""
    return None if a is None or not b else a / b


def fig(value: float | None, spec: str, unit: str = "") -> str:
    """``value`` formatted (``spec``, then ``unit``), or ``n/a`` when it was not measured.

    >>> fig(2.345, ".1f", "x"), fig(None, ".1f", "x")
    ('2.3x', 'n/a')
    """
    return "n/a" if value is None else f"{value:{spec}}{unit}"


def _timed_sync(
    driver: Driver, nodes: list[Node], edges: list[Edge], server_pid: int | None, workers: int = WORKERS
) -> dict[str, float | None]:
    """One full sync into an empty database: wall seconds, client and server CPU seconds."""
    server_cpu, client_cpu = cpu_seconds(server_pid), time.process_time()
    t0 = time.perf_counter()
    report = sync(driver, nodes, edges, workers=workers)
    wall = time.perf_counter() - t0
    client_cpu = time.process_time() - client_cpu
    server_after = cpu_seconds(server_pid)
    assert report.complete and not report.missing_endpoints
    return {
        "s": wall,
        "client_cpu_s": client_cpu,
        "server_cpu_s": None if server_cpu is None or server_after is None else server_after - server_cpu,
    }


def bulk_figures(nodes: list[Node], edges: list[Edge]) -> dict[str, float]:
    """The bulk first sync into a fresh server of its own: wall seconds (``s``) and its phases
    (:class:`tools.neo4j.bulk.BulkReport`), with the load average before and after."""
    os.environ.setdefault("ORDERGRAPH_NEO4J_HEAP", "2g")
    os.environ.setdefault("ORDERGRAPH_NEO4J_PAGECACHE", "1g")
    with tempfile.TemporaryDirectory(prefix="bench-neo4j-bulk-") as scratch:
        home = Path(scratch)
        server.start(home, server.LaunchOptions(stop_with=os.getpid()))
        try:
            load_before = os.getloadavg()[0]
            t0 = time.perf_counter()
            done = bulk_sync(home, nodes, edges, stop_with=os.getpid())
            wall = time.perf_counter() - t0
        finally:
            t0 = time.perf_counter()
            server.stop(home)
            stopped = time.perf_counter() - t0  # the server holding the whole graph (a user's `neo4j stop`)
    assert done.report.complete and not done.report.missing_endpoints
    return {
        "s": wall,
        **done.phases,
        "stop_full_wall": stopped,
        "load_before": load_before,
        "load_after": os.getloadavg()[0],
    }


def _bulk_lines(entities: int, b: dict[str, float]) -> str:
    cpu = b["csv_cpu"] + b["import_cpu"] + b["start_cpu"] + b["post_cpu"] + b["post_client_cpu"]
    return (
        f"bulk first sync (neo4j-admin import, server stopped and started): {b['s']:7.1f} s  "
        f"{entities / b['s']:9,.0f} entities/s   target >= 20,000 entities/s  "
        f"[load {b['load_before']:.1f} -> {b['load_after']:.1f}]\n"
        f"  wall: CSV {b['csv_wall']:.1f} s, stop {b['stop_wall']:.1f} s, importer {b['import_wall']:.1f} s, "
        f"start {b['start_wall']:.1f} s, after (empty lists, schema and indexes, keys) "
        f"{b['post_wall']:.1f} s; then the server's stop holding the graph {b['stop_full_wall']:.1f} s\n"
        f"  CPU: {cpu:.1f} s = client CSV {b['csv_cpu']:.1f} + importer JVM {b['import_cpu']:.1f} "
        f"+ server start {b['start_cpu']:.1f} + server after {b['post_cpu']:.1f} "
        f"(empty lists {b['empty_lists_cpu']:.1f}, "
        f"schema and index population {b['schema_cpu']:.1f}) + client after {b['post_client_cpu']:.1f}"
    )


def affects_figures(driver: Driver) -> dict[str, float]:
    """affects on every curated security and a few rule days through Neo4j: p50, p95, store calls."""
    curated = load_memory_store(PROJECT_DATA)
    empty(driver)
    sync(driver, list(curated.nodes()), list(curated.edges()))
    counter = CountingStore(Neo4jStore(driver))
    counted = cast(GraphStore, counter)
    securities = [n.id for n in curated.nodes("Security")]
    affects(counted, securities[0], DAYS[0])  # warm the driver's pool and the server's plan cache
    timings, calls = [], []
    for security in securities:
        for day in DAYS:
            counter.reset()
            t0 = time.perf_counter()
            affects(counted, security, day)
            timings.append(time.perf_counter() - t0)
            calls.append(counter.total())
    embedded = []
    for security in securities:
        for day in DAYS:
            t0 = time.perf_counter()
            affects(curated, security, day)
            embedded.append(time.perf_counter() - t0)
    return {
        "answers": len(timings),
        "p50_ms": statistics.median(timings) * 1000,
        "p95_ms": statistics.quantiles(timings, n=20)[-1] * 1000,
        "max_round_trips": max(calls),
        "embedded_p95_ms": statistics.quantiles(embedded, n=20)[-1] * 1000,
    }


def _load() -> str:
    return "load average " + " ".join(f"{x:.1f}" for x in os.getloadavg()) + f" on {os.cpu_count()} cores"


def measure(corpus: Path, home: Path) -> dict[str, Any]:
    """The harness's Neo4j figures (``bench/run.py --parts neo4j``) on an FtM corpus file.

    ``batched_per_s`` is FtM entities (lines) per second, ``naive_per_s`` and
    ``items_per_s`` are nodes + edges per second, ``speedup`` the ratio of the two
    writers' per-item rates in this run.
    """
    entities = sum(1 for line in corpus.open("rb") if line.strip())
    nodes, edges = read_corpus(corpus)
    with a_server(home) as (driver, pid):
        s = sync_figures(driver, nodes, edges, pid)
        a = affects_figures(driver)
    return {
        "entities": entities,
        "nodes": len(nodes),
        "edges": len(edges),
        "first_sync_seconds": _rounded(s["first_s"]),
        "first_sync_server_cpu_s": _rounded(s["first_server_cpu_s"]),
        "batched_seconds": _rounded(s["batched_s"]),
        "batched_per_s": _whole(per_second(entities, s["batched_s"])),
        "one_writer_seconds": _rounded(s["one_writer_s"]),
        "items_per_s": _whole(s["batched_items_per_s"]),
        "client_cpu_s": _rounded(s["batched_client_cpu_s"]),
        "server_cpu_s": _rounded(s["batched_server_cpu_s"]),
        "rerun_seconds": _rounded(s["rerun_s"]),
        "naive_items": s["naive_items"],
        "naive_per_s": _whole(s["naive_items_per_s"]),
        "speedup": _rounded(s["ratio"], 1),
        "affects_via_neo4j": (
            f"p50 {a['p50_ms']:.1f} ms, p95 {a['p95_ms']:.1f} ms, <= {a['max_round_trips']:.0f} round trips "
            f"({a['answers']:.0f} answers on the curated graph; embedded p95 {a['embedded_p95_ms']:.1f} ms)"
        ),
        "load_average": round(os.getloadavg()[0], 1),
    }


def _cpu(seconds: float | None) -> str:
    return "not measured (NEO4J_URI)" if seconds is None else f"{seconds:.1f} s"


def _rounded(value: float | None, digits: int = 2) -> float | None:
    return None if value is None else round(value, digits)


def _whole(value: float | None) -> int | None:
    return None if value is None else round(value)


def main() -> None:
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    entities = int(args[0]) if args else 100_000
    nodes, edges = ftm_corpus(entities)
    print(
        f"corpus: {entities:,} FtM entities (bench/gen_corpus.py) -> "
        f"{len(nodes):,} nodes, {len(edges):,} edges"
    )
    print(f"before: {_load()}")
    b = bulk_figures(nodes, edges)
    print(_bulk_lines(entities, b), flush=True)
    if "--bulk-only" in sys.argv:
        print(f"end: {_load()}")
        return
    with a_server() as (driver, pid):
        s = sync_figures(driver, nodes, edges, pid)
        print(f"after the syncs: {_load()}")
        print(sync_lines(entities, s))
        a = affects_figures(driver)
        print(
            f"affects via Neo4j on the curated graph ({a['answers']} answers): p50 {a['p50_ms']:.1f} ms, "
            f"p95 {a['p95_ms']:.1f} ms (target <= 50 ms), round trips per answer <= {a['max_round_trips']}; "
            f"embedded p95 {a['embedded_p95_ms']:.1f} ms (ratio {a['p95_ms'] / a['embedded_p95_ms']:.1f}x)"
        )
        print(side_by_side(entities, len(nodes) + len(edges), b, s))
        print(f"end: {_load()}")


def sync_lines(entities: int, s: dict[str, Any]) -> str:
    """The Bolt sync's figures (:func:`sync_figures`); one not measured reads ``n/a``, and so does any
    rate or ratio made with it."""
    first, batched, one = s["first_s"], s["batched_s"], s["one_writer_s"]
    lines = [
        f"first sync, fresh server:  {fig(first, '7.1f', ' s')}  {fig(per_second(entities, first), '9,.0f')} "
        f"entities/s  (JIT still compiling)  CPU: client {_cpu(s['first_client_cpu_s'])}, server "
        + _cpu(s["first_server_cpu_s"]),
        f"batched sync, warm server, {WORKERS} writers: {fig(batched, '7.1f', ' s')}  "
        f"{fig(per_second(entities, batched), '9,.0f')} entities/s  {fig(s['batched_items_per_s'], '9,.0f')} "
        "items/s (nodes + edges)   target >= 20,000 entities/s",
        f"  CPU: client {_cpu(s['batched_client_cpu_s'])}, server " + _cpu(s["batched_server_cpu_s"]),
    ]
    if one is not None:
        lines.append(
            f"same, one write transaction in flight: {one:7.1f} s  {fig(per_second(entities, one), '9,.0f')} "
            f"entities/s  (ratio {fig(ratio(one, batched), '.2f', 'x')})  CPU: client "
            f"{_cpu(s['one_writer_client_cpu_s'])}, server " + _cpu(s["one_writer_server_cpu_s"])
        )
    lines += [
        f"re-sync (nothing changed: read, compare, write nothing): {fig(s['rerun_s'], '.1f', ' s')}",
        f"one MERGE per row, one transaction each: {fig(s['naive_items_per_s'], '9,.0f')} items/s, "
        f"timed on a sample of {s['naive_items']:,} items ({fig(s['naive_s'], '.1f', ' s')}); "
        f"on the whole corpus extrapolated {fig(s['naive_extrapolated_s'], ',.0f', ' s')}",
        f"ratio batched / one-per-row (same run, per item): {fig(s['ratio'], '.1f', 'x')}   target >= 20x",
    ]
    return "\n".join(lines)


def side_by_side(entities: int, items: int, b: dict[str, Any], s: dict[str, Any]) -> str:
    """The routes of this run in one table: each one's entities/s and its per-item rate over the
    naive writer's (timed on a sample in this run); ``n/a`` where a figure is missing."""
    naive = s["naive_items_per_s"]
    routes: list[tuple[str, float | None]] = [
        ("bulk first sync (importer; server stopped, started)", b.get("s")),
        ("Bolt first sync, fresh server", s["first_s"]),
        ("Bolt sync, warm server", s["batched_s"]),
        ("naive: one MERGE per row (sample, extrapolated)", per_second(items, naive)),
    ]
    lines = ["same run, side by side:  route | wall s | entities/s | x naive (per item)"]
    for name, wall in routes:
        rate, times = per_second(entities, wall), ratio(per_second(items, wall), naive)
        cells = f"{fig(wall, '8.1f'):>8} {fig(rate, '10,.0f'):>10} {fig(times, '8.1f', 'x'):>9}"
        lines.append(f"  {name:52s} {cells}")
    return "\n".join(lines)


if __name__ == "__main__":
    main()
