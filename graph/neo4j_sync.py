"""Bulk, idempotent, converging sync of models into Neo4j (the driver is passed in).

The steps, each a managed write transaction:

1. constraints and indexes (:func:`graph.cypher.schema`), then wait for them;
2. a new sync *generation* recorded on the ``(:OrdergraphSync {name})`` node;
3. nodes, then edges, in ``UNWIND $rows`` batches of ``batch_size`` rows, every
   row stamped with the generation (edges matched by their own id, so parallel
   edges survive);
4. everything not stamped with this generation — an edge whose id changed
   (a corrected start date), a node no longer in the data — is deleted;
   then the (eventually consistent) full-text indexes are awaited, so reads
   after the sync see every name;
5. the run is recorded as ``complete`` with its counts.

Running it twice gives the same graph. If it fails midway (server gone, a row
breaking a constraint) the batches already committed stay, the run is recorded
as ``failed`` when the server still answers, and :class:`SyncError` says
exactly what was written; the next run converges. Edges whose endpoints are
not in the data are written nowhere and listed in the report.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from itertools import islice
from typing import Any, TypeVar

from neo4j import Driver, ManagedTransaction

from graph import cypher
from graph.errors import OrdergraphError
from graph.model import Edge, Node, edge_kinds, node_kinds

BATCH_SIZE = 5000
SYNC_NAME = "ordergraph"
T = TypeVar("T")


@dataclass(frozen=True)
class MissingEndpoint:
    """An edge not written because one of its endpoints is not in the data."""

    edge_id: str
    kind: str
    missing: tuple[str, ...]


@dataclass
class SyncReport:
    """What one sync run did."""

    generation: int = 0
    nodes_written: int = 0
    edges_written: int = 0
    nodes_deleted: int = 0
    edges_deleted: int = 0
    batches: int = 0
    missing_endpoints: list[MissingEndpoint] = field(default_factory=list)
    complete: bool = False

    def counts(self) -> dict[str, int]:
        return {
            "nodes_written": self.nodes_written,
            "edges_written": self.edges_written,
            "nodes_deleted": self.nodes_deleted,
            "edges_deleted": self.edges_deleted,
            "missing_endpoints": len(self.missing_endpoints),
        }

    def summary(self) -> str:
        """One line for people: what was written, deleted and left out."""
        text = (
            f"sync {self.generation}: {self.nodes_written} nodes and {self.edges_written} edges written, "
            f"{self.nodes_deleted} stale nodes and {self.edges_deleted} stale edges deleted"
        )
        if self.missing_endpoints:
            text += f"; {len(self.missing_endpoints)} edges NOT written (endpoint not in the data)"
        return text


class SyncError(OrdergraphError):
    """A sync stopped midway; ``report`` says exactly what was committed before it stopped."""

    def __init__(self, report: SyncReport, cause: BaseException) -> None:
        self.report = report
        self.cause = cause
        super().__init__(
            f"Neo4j sync {report.generation} stopped after {report.batches} committed batches "
            f"({report.nodes_written} nodes, {report.edges_written} edges written; stale items not yet "
            f"deleted): {type(cause).__name__}: {cause}. Run the sync again: it converges."
        )


def _batches(items: Iterable[T], size: int) -> Iterator[list[T]]:
    it = iter(items)
    while chunk := list(islice(it, size)):
        yield chunk


def _single(tx: ManagedTransaction, query: str, params: dict[str, Any], key: str) -> int:
    record = tx.run(query, params).single(strict=True)
    return int(record[key])


def _consume(tx: ManagedTransaction, query: str, params: dict[str, Any]) -> None:
    tx.run(query, params).consume()


def ensure_schema(driver: Driver, database: str | None = None) -> None:
    """Create every constraint and index (idempotent) and wait until they are online."""
    with driver.session(database=database) as session:
        for query, params in cypher.schema():
            session.execute_write(_consume, query, params)
        query, params = cypher.await_indexes()
        session.run(query, params).consume()


def missing_endpoints(node_ids: set[str], edges: Iterable[Edge]) -> list[MissingEndpoint]:
    """The edges that name a node not in ``node_ids``."""
    missing = []
    for edge in edges:
        absent = tuple(end for end in (edge.source, edge.target) if end not in node_ids)
        if absent:
            missing.append(MissingEndpoint(edge.id, edge.kind, absent))
    return missing


def sync(
    driver: Driver,
    nodes: Sequence[Node],
    edges: Sequence[Edge],
    *,
    batch_size: int = BATCH_SIZE,
    database: str | None = None,
    progress: Callable[[int], None] | None = None,
) -> SyncReport:
    """Make the Neo4j graph hold exactly these nodes and edges; return what was done.

    ``progress`` is called with the number of items each committed batch wrote
    (nodes + edges in all: ``len(nodes) + len(edges)``).
    Raises :class:`SyncError` (with the partial report) when a write fails.
    """
    if batch_size < 1:
        raise ValueError("batch_size must be at least 1")
    report = SyncReport()
    ensure_schema(driver, database)
    with driver.session(database=database) as session:
        query, params = cypher.begin_sync(SYNC_NAME)
        report.generation = session.execute_write(_single, query, params, "generation")
        try:
            _write_all(session, nodes, edges, batch_size, report, progress)
            for builder, attr in (
                (cypher.delete_stale_relationships, "edges_deleted"),
                (cypher.delete_stale_nodes, "nodes_deleted"),
            ):
                while deleted := session.execute_write(
                    _single, *builder(report.generation, batch_size), "deleted"
                ):
                    setattr(report, attr, getattr(report, attr) + deleted)
            session.execute_write(_consume, *cypher.seq_at_least(len(nodes) + len(edges)))
            session.run(*cypher.await_fulltext_refresh()).consume()
            report.complete = True
            query, params = cypher.finish_sync(SYNC_NAME, report.generation, "complete", report.counts())
            session.execute_write(_consume, query, params)
        except Exception as exc:
            _record_failure(driver, database, report)
            raise SyncError(report, exc) from exc
    return report


def _write_all(
    session: Any,
    nodes: Sequence[Node],
    edges: Sequence[Edge],
    batch_size: int,
    report: SyncReport,
    progress: Callable[[int], None] | None,
) -> None:
    node_rows: dict[str, list[dict[str, Any]]] = defaultdict(list)
    node_ids: set[str] = set()
    # seq: the write order every store answers in; a sync writes the data's own order.
    for seq, node in enumerate(nodes):
        node_rows[node.kind].append(cypher.node_row(node, report.generation, seq))
        node_ids.add(node.id)
    report.missing_endpoints = missing_endpoints(node_ids, edges)
    skipped = {m.edge_id for m in report.missing_endpoints}
    edge_rows: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for seq, edge in enumerate(edges, start=len(nodes)):
        if edge.id not in skipped:
            edge_rows[edge.kind].append(cypher.edge_row(edge, report.generation, seq))
    for kind in node_kinds():
        for rows in _batches(node_rows.get(kind, []), batch_size):
            written = session.execute_write(_single, *cypher.merge_nodes(kind, rows), "written")
            report.nodes_written += written
            report.batches += 1
            if progress:
                progress(len(rows))
    for kind in edge_kinds():
        for rows in _batches(edge_rows.get(kind, []), batch_size):
            written = session.execute_write(_single, *cypher.merge_edges(kind, rows), "written")
            report.edges_written += written
            report.batches += 1
            if written != len(rows):
                # Every endpoint was written above: a gap means the graph changed under us.
                raise OrdergraphError(
                    f"{kind}: {len(rows) - written} of {len(rows)} edges found no endpoints"
                )
            if progress:
                progress(len(rows))


def _record_failure(driver: Driver, database: str | None, report: SyncReport) -> None:
    """Mark the run failed in the graph if the server still answers (best effort: it may be gone)."""
    try:
        with driver.session(database=database) as session:
            query, params = cypher.finish_sync(SYNC_NAME, report.generation, "failed", report.counts())
            session.execute_write(_consume, query, params)
    except Exception:  # noqa: S110 - the original failure is what the caller must see
        pass


def last_sync(driver: Driver, database: str | None = None) -> dict[str, Any] | None:
    """The record of the last sync run (generation, status, counts, times), or None."""
    query, params = cypher.sync_state(SYNC_NAME)
    records, _, _ = driver.execute_query(query, params, database_=database, routing_="r")
    return dict(records[0]["state"]) if records else None


def graph_counts(driver: Driver, database: str | None = None) -> dict[str, dict[str, int]]:
    """How many entities and relationships of each kind the server holds."""
    query, params = cypher.counts()
    records, _, _ = driver.execute_query(query, params, database_=database, routing_="r")
    out: dict[str, dict[str, int]] = {"node": {}, "edge": {}}
    for record in records:
        out[record["what"]][record["kind"]] = int(record["n"])
    return out
