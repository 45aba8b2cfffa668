"""Neo4j benchmarks: the batched sync against a one-MERGE-per-row writer, and ``affects`` over Bolt.

Targets (read by eye, never asserted by a test):

- the batched sync (``UNWIND $rows`` batches in managed transactions) at least
  20x faster per item than a writer sending one MERGE per node or edge, and at
  least 20,000 entities/s, on a synthetic corpus of at least 100k entities;
- ``affects`` through Neo4j: p95 at most 50 ms on the curated graph, with the
  number of round trips (store calls; each is one transaction) it costs.

The one-per-row writer is timed on a slice of the same rows (it would take
many minutes on all of them): both rates are per item, measured in this run.
It starts its own server (a temporary home, free ports, a larger heap) unless
``NEO4J_URI`` is set — then that database is emptied first, so point it at a
scratch one.

Run: ``python bench/bench_neo4j.py [companies]`` (default 52,000 companies:
about 103k entities and 198k edges).
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

from bench.synthetic import corpus
from graph import cypher
from graph.model import Edge, Node
from graph.neo4j_sync import ensure_schema, sync
from graph.query import affects
from graph.store.base import GraphStore
from graph.store.neo4j import Neo4jStore
from loaders.workspace import PROJECT_DATA, load_memory_store
from tests.graph.counting import CountingStore
from tools.neo4j import server

NAIVE_SAMPLE = 3000  # rows the one-per-row writer writes
DAYS = [date(2020, 11, 12), date(2021, 1, 11), date(2021, 3, 15), date(2021, 6, 3), date(2021, 8, 2)]


@contextmanager
def a_server() -> Iterator[Driver]:
    """``NEO4J_URI`` if set, else a server of our own for the length of the bench."""
    uri = os.environ.get("NEO4J_URI")
    if uri:
        password = os.environ.get("NEO4J_PASSWORD")
        auth = (os.environ.get("NEO4J_USER") or "neo4j", password) if password else None
        with GraphDatabase.driver(uri, auth=auth) as driver:
            yield driver
        return
    os.environ.setdefault("ORDERGRAPH_NEO4J_HEAP", "1g")
    os.environ.setdefault("ORDERGRAPH_NEO4J_PAGECACHE", "512m")
    with tempfile.TemporaryDirectory(prefix="bench-neo4j-") as home:
        started = server.start(Path(home), stop_with=os.getpid())
        try:
            with GraphDatabase.driver(started.bolt_uri, auth=None) as driver:
                yield driver
        finally:
            server.stop(Path(home))


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
            session.execute_write(_run, *cypher.merge_node(node.kind, cypher.node_row(node, 0, seq)))
        for seq, edge in enumerate(edges):
            session.execute_write(_run, *cypher.merge_edge(edge.kind, cypher.edge_row(edge, 0, seq)))
    return time.perf_counter() - t0


def sync_figures(driver: Driver, nodes: list[Node], edges: list[Edge]) -> dict[str, float]:
    """The batched sync on all rows vs one MERGE per row on a slice of them, on an empty database."""
    empty(driver)
    ensure_schema(driver)
    t0 = time.perf_counter()
    report = sync(driver, nodes, edges)
    batched = time.perf_counter() - t0
    assert report.complete and not report.missing_endpoints
    t0 = time.perf_counter()
    again = sync(driver, nodes, edges)
    rerun = time.perf_counter() - t0
    assert again.nodes_deleted == again.edges_deleted == 0

    empty(driver)
    sample_nodes = nodes[: NAIVE_SAMPLE // 2]
    present = {n.id for n in sample_nodes}
    sample_edges = [e for e in edges if e.source in present and e.target in present][: NAIVE_SAMPLE // 2]
    naive = one_merge_per_row(driver, sample_nodes, sample_edges)
    naive_items = len(sample_nodes) + len(sample_edges)
    items = len(nodes) + len(edges)
    return {
        "entities": len(nodes),
        "edges": len(edges),
        "batched_s": batched,
        "batched_entities_per_s": len(nodes) / batched,
        "batched_items_per_s": items / batched,
        "rerun_s": rerun,
        "naive_items": naive_items,
        "naive_items_per_s": naive_items / naive,
        "ratio": (items / batched) / (naive_items / naive),
    }


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


def main() -> None:
    companies = int(sys.argv[1]) if len(sys.argv) > 1 else 52_000
    nodes, edges = corpus(companies)
    print(f"synthetic corpus: {companies} companies -> {len(nodes)} entities, {len(edges)} edges")
    with a_server() as driver:
        s = sync_figures(driver, nodes, edges)
        print(
            f"batched sync:  {s['batched_s']:7.1f} s  {s['batched_entities_per_s']:9,.0f} entities/s  "
            f"{s['batched_items_per_s']:9,.0f} items/s (entities + edges)   target >= 20,000 entities/s"
        )
        print(f"re-sync (idempotent, nothing stale): {s['rerun_s']:.1f} s")
        naive = f"{s['naive_items_per_s']:9,.0f} items/s"
        print(f"one MERGE per row ({s['naive_items']} items of the same data): {naive}")
        print(f"ratio batched / one-per-row (same run, per item): {s['ratio']:.1f}x   target >= 20x")
        a = affects_figures(driver)
        print(
            f"affects via Neo4j on the curated graph ({a['answers']} answers): p50 {a['p50_ms']:.1f} ms, "
            f"p95 {a['p95_ms']:.1f} ms (target <= 50 ms), round trips per answer <= {a['max_round_trips']}; "
            f"embedded p95 {a['embedded_p95_ms']:.1f} ms (ratio {a['p95_ms'] / a['embedded_p95_ms']:.1f}x)"
        )


if __name__ == "__main__":
    main()
