"""Neo4j sync throughput: the project's batched, converging sync against the naive writer.

The naive writer is what a first script does: one ``MERGE`` per node and per
edge, each in its own transaction. Both write the same rows (built by
:mod:`graph.cypher`) into a real server that :mod:`tools.neo4j.server` starts
in a temporary home and stops afterwards. The models come from
:mod:`bench.synthetic` (nodes and edges shaped like the curated data), capped
so that one run stays within minutes on a shared machine.
"""

from __future__ import annotations

import os
import time
from pathlib import Path
from typing import Any

NAIVE_ROWS = 2000  # the naive writer is timed on this many rows; its rate is per row
MAX_ENTITIES = 100_000  # nodes + edges synced by the batched writer


def _run(tx: Any, query: str, params: dict[str, Any]) -> None:
    tx.run(query, params).consume()


def measure(size: int, home: Path) -> dict[str, Any]:
    """Entities per second for the batched sync and for the naive writer, in one server."""
    from neo4j import GraphDatabase

    from bench.synthetic import corpus
    from graph import cypher
    from graph.neo4j_sync import sync
    from tools.neo4j import server as neo4j_server

    entities = min(size, MAX_ENTITIES)
    nodes, edges = corpus(max(entities // 6, 10))
    server = neo4j_server.start(home / "neo4j", stop_with=os.getpid())
    try:
        with GraphDatabase.driver(server.bolt_uri, auth=None) as driver:
            warm_nodes, warm_edges = corpus(200, seed=3)  # schema, indexes and a warm JIT first
            sync(driver, warm_nodes, warm_edges)
            t0 = time.perf_counter()
            report = sync(driver, nodes, edges)
            batched = time.perf_counter() - t0
            written = report.nodes_written + report.edges_written
            with driver.session() as session:
                session.run("MATCH (n) DETACH DELETE n").consume()
                rows = [(n.kind, cypher.node_row(n)) for n in nodes[:NAIVE_ROWS]]
                t0 = time.perf_counter()
                for kind, row in rows:
                    session.execute_write(_run, *cypher.merge_nodes(kind, [row]))
                naive = time.perf_counter() - t0
    finally:
        neo4j_server.stop(home / "neo4j")
    batched_rate = written / batched
    naive_rate = len(rows) / naive
    return {
        "entities": written,
        "batched_seconds": round(batched, 2),
        "batched_per_s": round(batched_rate),
        "naive_rows": len(rows),
        "naive_per_s": round(naive_rate),
        "speedup": round(batched_rate / naive_rate, 1),
    }
