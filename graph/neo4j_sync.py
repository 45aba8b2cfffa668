"""Bulk, idempotent, converging sync of models into Neo4j (the driver is passed in).

The way Neo4j bulk writes go fast: read what the database holds once, write
only the difference, in large ``UNWIND $rows`` batches, one statement per
(label, relationship type) group, each batch its own write transaction.

1. constraints and indexes (:func:`graph.cypher.schema`), created if missing
   and awaited once; edge-id constraints only for the edge kinds the data has
   (those of the other kinds are dropped once their stale relationships are, step 5,
   so ``db.relationshipTypes()`` lists only types that occur); a graph whose read
   indexes are missing or of another shape (:func:`graph.cypher.outdated`: an
   earlier ordergraph wrote it), or whose lookup keys were computed under other
   name rules (:func:`graph.cypher.keys_outdated`), has every item written again;
2. a new sync *generation* recorded on the ``(:OrdergraphSync {name})`` node;
3. one read of every entity's id and every relationship's id, type, endpoints
   and *digest* (a hash of the property map this sync last wrote on it);
4. nodes, then edges, grouped by kind: rows not in the database are
   created (no ``MERGE``: the ids are known to be new; the uniqueness
   constraints still refuse a duplicate), rows whose digest differs are found
   through the id constraint's index and get their whole property map set
   (``SET n = row``), rows whose digest matches are not written at all. An
   edge is identified by its own id, so parallel edges survive; one whose id
   now joins other endpoints is deleted and recreated in the same transaction
   (one whose kind changed is created under its new type, the old one deleted
   with the stale items). Every written row is stamped ``sync`` with the generation.
   A worker thread builds the next batch's rows while :data:`WORKERS` write
   transactions are in flight (all node batches commit before any relationship's);
5. what the database holds that the data no longer has — an edge whose id
   changed (a corrected start date), a node removed — is deleted by id, only
   after everything else is written; then the (eventually consistent)
   full-text indexes are awaited, so reads after the sync see every name;
6. the lookup keys are recorded as this version's (:func:`graph.cypher.keys_version`,
   on the ``(:OrdergraphKeys)`` node reads check; at the start already when the graph
   held none or this version's, so a run failing midway leaves them right) and the run
   as ``complete`` with its counts.

Running it twice gives the same graph (the second run writes nothing). If it
fails midway (server gone, a row breaking a constraint) the batches already
committed stay (those in flight when it failed are waited for and counted),
the run is recorded as ``failed`` when the server still answers, and
:class:`SyncError` says exactly what was written; the next run
reads the database again and converges. Edges whose endpoints are not in the
data are written nowhere and listed in the report.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Callable, Collection, Generator, Iterable, Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from contextlib import closing
from dataclasses import dataclass, field
from itertools import islice
from typing import Any, TypeVar

import orjson
from neo4j import Driver, ManagedTransaction, Record

from graph import cypher, neo4j_rows
from graph.errors import OrdergraphError
from graph.gcpause import cyclic_gc_paused
from graph.model import Edge, Node, edge_kinds, node_kinds
from graph.store.neo4j import QUIET

BATCH_SIZE = 2_000
# Write transactions in flight at once: the server writes one batch while the next is sent.
WORKERS = 2
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
    # Already in the database exactly as the data has them: not written again.
    nodes_unchanged: int = 0
    edges_unchanged: int = 0
    nodes_deleted: int = 0
    edges_deleted: int = 0
    batches: int = 0
    missing_endpoints: list[MissingEndpoint] = field(default_factory=list)
    complete: bool = False
    # Why every item held was written again, whatever its digest said (None: only what changed was).
    rewrote_all: str | None = None

    def counts(self) -> dict[str, int]:
        return {
            "nodes_written": self.nodes_written,
            "edges_written": self.edges_written,
            "nodes_unchanged": self.nodes_unchanged,
            "edges_unchanged": self.edges_unchanged,
            "nodes_deleted": self.nodes_deleted,
            "edges_deleted": self.edges_deleted,
            "missing_endpoints": len(self.missing_endpoints),
        }

    def summary(self) -> str:
        """One line for people: what was written, deleted and left out."""
        text = (
            f"sync {self.generation}: {self.nodes_written} nodes and {self.edges_written} edges written, "
            f"{self.nodes_unchanged} nodes and {self.edges_unchanged} edges unchanged, "
            f"{self.nodes_deleted} stale nodes and {self.edges_deleted} stale edges deleted"
        )
        if self.rewrote_all:
            text += f"; every item written again ({self.rewrote_all})"
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


def ensure_schema(
    driver: Driver, database: str | None = None, relationship_types: Collection[str] | None = None
) -> str | None:
    """Create every constraint and index (idempotent) and wait until they are online.

    ``relationship_types``: the edge kinds whose ids get a uniqueness constraint (default: all).
    Returns why the graph was outdated before, None if it was not: a read index missing or of
    another shape (:func:`graph.cypher.outdated`: an earlier ordergraph wrote it, so what it holds
    lacks the properties those indexes cover), or lookup keys computed by other rules or code
    (:func:`graph.cypher.keys_outdated`).
    """
    with driver.session(database=database, **QUIET) as session:
        held, state = session.execute_read(_index_list_and_keys)
        was_outdated = cypher.outdated(held) or cypher.keys_outdated(state["total"], state["keys"])
        # A read index of another shape under this version's name would stay (IF NOT EXISTS): drop it.
        for query, params in cypher.drop_misshapen(held):
            session.run(query, params).consume()
        # One transaction: the indexes it creates are populated together, one scan of the store
        # (a transaction each would scan it for each; after a bulk import that is most of the sync).
        session.execute_write(_schema, cypher.schema(relationship_types))
        query, params = cypher.await_indexes()
        session.run(query, params).consume()
    return was_outdated


def _schema(tx: ManagedTransaction, statements: list[tuple[str, dict[str, Any]]]) -> None:
    for query, params in statements:
        tx.run(query, params).consume()


def _index_list_and_keys(tx: ManagedTransaction) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    held = [r.data() for r in tx.run(*cypher.read_index_list())]
    return held, tx.run(*cypher.keys_state()).single(strict=True).data()


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
    workers: int = WORKERS,
) -> SyncReport:
    """Make the Neo4j graph hold exactly these nodes and edges; return what was done.

    ``progress`` is called with the number of items each committed batch wrote,
    and at the end once with the number found unchanged (in all: ``len(nodes) + len(edges)``
    less the edges with a missing endpoint).
    Raises :class:`SyncError` (with the partial report) when a write fails.
    """
    if batch_size < 1 or workers < 1:
        raise ValueError("batch_size and workers must be at least 1")
    report = SyncReport()
    kinds = {e.kind for e in edges}
    # A graph an earlier ordergraph wrote, or keyed by other name rules: its digests were taken of
    # other property maps, but one edited by hand since could match: rewrite every item, whatever
    # its digest says (the keys are recorded as this version's once the run is complete).
    report.rewrote_all = ensure_schema(driver, database, kinds)
    rewrite_all = report.rewrote_all is not None
    with driver.session(database=database, **QUIET) as session:
        # Recorded once: now when the graph holds no keys or this version's (so a run failing midway
        # leaves them right; written only on an empty graph), else once every item is written again.
        if not rewrite_all:
            session.execute_write(_consume, *cypher.record_keys(cypher.keys_version()))
        query, params = cypher.begin_sync(SYNC_NAME)
        report.generation = session.execute_write(_single, query, params, "generation")
        try:
            planner = _Planner(session, report.generation, batch_size, report, rewrite_all)
            with cyclic_gc_paused():
                _write(driver, database, planner, nodes, edges, report, progress, workers)
            _delete_stale(session, planner, batch_size, report)
            # A type no relationship has is listed by db.relationshipTypes() only for its constraint.
            for query, params in cypher.drop_edge_id_constraints(k for k in edge_kinds() if k not in kinds):
                session.run(query, params).consume()
            session.execute_write(_consume, *cypher.seq_at_least(len(nodes) + len(edges)))
            session.run(*cypher.await_fulltext_refresh()).consume()
            if rewrite_all:
                session.execute_write(_consume, *cypher.record_keys(cypher.keys_version()))
            report.complete = True
            query, params = cypher.finish_sync(SYNC_NAME, report.generation, "complete", report.counts())
            session.execute_write(_consume, query, params)
        except Exception as exc:
            _record_failure(driver, database, report)
            raise SyncError(report, exc) from exc
    return report


def _digest(props: dict[str, Any], *also: Any) -> str:
    """A short hash of a property map (and its seq, endpoints): equal digests, nothing to write."""
    text = orjson.dumps([props, also], option=orjson.OPT_SORT_KEYS)
    return hashlib.blake2b(text, digest_size=12).hexdigest()


def node_props(node: Node, seq: int, generation: int) -> dict[str, Any]:
    """The whole property map a sync writes on a node: :func:`graph.neo4j_rows.node_row`'s, its write
    position ``seq``, the ``digest`` of the two, the sync ``generation``. The Bolt sync and the bulk
    import (:mod:`graph.neo4j_csv`) both write exactly this."""
    props: dict[str, Any] = neo4j_rows.node_row(node, seq=seq)["props"]
    props["seq"] = seq
    props["digest"] = _digest(props)
    props["sync"] = generation
    return props


def edge_props(edge: Edge, seq: int, generation: int) -> dict[str, Any]:
    """The whole property map a sync writes on a relationship (as :func:`node_props`; the digest
    also covers the endpoints)."""
    props: dict[str, Any] = neo4j_rows.edge_row(edge, seq=seq)["props"]
    props["seq"] = seq
    props["digest"] = _digest(props, edge.source, edge.target)
    props["sync"] = generation
    return props


Rows = list[dict[str, Any]]


class _Sent(list[dict[str, Any]]):
    """A batch's rows as a statement parameter: a plain list with a short ``repr``.

    The neo4j driver (6.4) formats every RUN message for its debug log, the
    parameters included, whether debug logging is on or not (``" ".join(map(repr,
    fields))`` in ``Bolt5x5.run``): for 100k entities that ``repr`` cost 0.76 CPU s,
    packing the rows 0.93 s, of the client's ~5 s.
    """

    def __repr__(self) -> str:
        return f"<{len(self)} rows>"


Held = tuple[str, str, str, str | None]  # a relationship's type, source id, target id, digest


@dataclass
class _Batch:
    """Rows of one kind for one statement: ``op`` is create or update, of nodes or of edges."""

    op: str
    kind: str
    rows: Rows
    # Edge ids of this batch held under other endpoints: deleted in the batch's transaction first.
    moved: list[str] = field(default_factory=list)


class _Planner:
    """Rows to write, from what the database held when the sync read it; then what to delete."""

    def __init__(
        self, session: Any, generation: int, batch_size: int, report: SyncReport, rewrite_all: bool = False
    ) -> None:
        """``rewrite_all``: every item held is written again (its digest read as none)."""
        self.held_nodes: dict[str, str | None] = {
            node_id: None if rewrite_all else digest
            for node_id, digest in _read_all(session, cypher.existing_entities())
        }
        # edge id → what holds it; an id held under two types (a retyped edge) has both.
        self.held_edges: dict[str, list[Held]] = defaultdict(list)
        for edge_id, kind, source, target, digest in _read_all(session, cypher.existing_relationships()):
            self.held_edges[edge_id].append((kind, source, target, None if rewrite_all else digest))
        self.generation = generation
        self.batch_size = batch_size
        self.report = report
        self.stale_nodes: list[str] = []
        self.stale_edges: dict[str, list[str]] = defaultdict(list)

    def batches(self, nodes: Sequence[Node], edges: Sequence[Edge]) -> Iterator[_Batch]:
        """Full batches as soon as a (op, kind) group fills, then the rest; every node before any edge."""
        report = self.report
        groups: dict[tuple[str, str], Rows] = defaultdict(list)
        moved: set[str] = set()
        # seq: the write order every store answers in; a sync writes the data's own order.
        for seq, node in enumerate(nodes):
            props = node_props(node, seq, self.generation)
            digest = props["digest"]
            if node.id not in self.held_nodes:
                op = "create_nodes"
            elif self.held_nodes[node.id] != digest:
                op = "update_nodes"
            else:
                report.nodes_unchanged += 1
                continue
            if batch := self._add(groups, op, node.kind, props, moved):
                yield batch
        yield from self._rest(groups, ("create_nodes", "update_nodes"), node_kinds(), moved)
        node_ids = {n.id for n in nodes}
        report.missing_endpoints = missing_endpoints(node_ids, edges)
        skipped = {m.edge_id for m in report.missing_endpoints}
        wanted: set[tuple[str, str]] = set()
        for seq, edge in enumerate(edges, start=len(nodes)):
            if edge.id in skipped:
                continue
            wanted.add((edge.kind, edge.id))
            props = edge_props(edge, seq, self.generation)
            digest = props["digest"]
            held = [h for h in self.held_edges.get(edge.id, ()) if h[0] == edge.kind]
            if not held:
                op = "create_edges"
            elif held[0][1:3] != (edge.source, edge.target):
                op = "create_edges"
                moved.add(edge.id)
            elif held[0][3] != digest:
                op = "update_edges"
            else:
                report.edges_unchanged += 1
                continue
            row = {"source": edge.source, "target": edge.target, "props": props}
            if batch := self._add(groups, op, edge.kind, row, moved):
                yield batch
        yield from self._rest(groups, ("update_edges", "create_edges"), edge_kinds(), moved)
        self.stale_nodes = [i for i in self.held_nodes if i not in node_ids]
        for edge_id, holders in self.held_edges.items():
            for kind, *_ in holders:
                if (kind, edge_id) not in wanted:
                    self.stale_edges[kind].append(edge_id)

    def _add(
        self, groups: dict[tuple[str, str], Rows], op: str, kind: str, row: dict[str, Any], moved: set[str]
    ) -> _Batch | None:
        rows = groups[op, kind]
        rows.append(row)
        return self._batch(op, kind, groups.pop((op, kind)), moved) if len(rows) >= self.batch_size else None

    def _rest(
        self,
        groups: dict[tuple[str, str], Rows],
        ops: tuple[str, ...],
        kinds: tuple[str, ...],
        moved: set[str],
    ) -> Iterator[_Batch]:
        for kind in kinds:
            for op in ops:
                if rows := groups.pop((op, kind), None):
                    yield self._batch(op, kind, rows, moved)

    @staticmethod
    def _batch(op: str, kind: str, rows: Rows, moved: set[str]) -> _Batch:
        gone = [r["props"]["id"] for r in rows if r["props"]["id"] in moved] if op == "create_edges" else []
        return _Batch(op, kind, rows, gone)


def _read_all(session: Any, statement: cypher.Statement) -> list[tuple[Any, ...]]:
    def work(tx: ManagedTransaction) -> list[tuple[Any, ...]]:
        return [tuple(record.values()) for record in tx.run(*statement)]

    result: list[tuple[Any, ...]] = session.execute_read(work)
    return result


def _prefetched(items: Iterator[T]) -> Generator[T, None, None]:
    """The items of ``items``, the next one built in a worker thread while the caller uses this one.

    Building a batch's rows is Python work; writing one is mostly waiting on the
    server: overlapping them is most of what a client can save.
    """
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="sync-rows") as pool:
        ahead = pool.submit(next, items, None)
        while (item := ahead.result()) is not None:
            ahead = pool.submit(next, items, None)
            yield item


_STATEMENTS = {
    "create_nodes": cypher.create_nodes,
    "update_nodes": cypher.update_nodes,
    "update_edges": cypher.update_relationships,
}


def _write(
    driver: Driver,
    database: str | None,
    planner: _Planner,
    nodes: Sequence[Node],
    edges: Sequence[Edge],
    report: SyncReport,
    progress: Callable[[int], None] | None,
    workers: int,
) -> None:
    """Write the planner's batches, ``workers`` write transactions in flight (each its own session).

    Every node batch commits before the first relationship batch is sent (its
    endpoints must be there). Relationship batches in flight at once may touch
    the same nodes: Neo4j then makes one wait, or detects a deadlock and fails it
    with a transient error that ``execute_write`` retries. The report is kept
    here, in the calling thread, from committed batches only; when one fails,
    the batches already in flight are waited for and counted before the error
    goes up, so it says exactly what was written.
    """

    def commit(batch: _Batch) -> int:
        rows = _Sent(batch.rows)
        with driver.session(database=database, **QUIET) as session:
            if batch.op == "create_edges":
                written: int = session.execute_write(_replace_edges, batch.kind, batch.moved, rows)
            else:
                statement = _STATEMENTS[batch.op](batch.kind, rows)
                written = session.execute_write(_single, *statement, "written")
            return written

    def account(batch: _Batch, written: int) -> None:
        if batch.op.endswith("nodes"):
            report.nodes_written += written
            report.batches += 1
            if progress:
                progress(len(batch.rows))
        else:
            _count_edges(report, batch.kind, batch.rows, written, progress)

    in_flight: dict[Future[int], _Batch] = {}

    def settle(futures: Iterable[Future[int]]) -> None:
        for future in futures:
            account(in_flight.pop(future), future.result())

    with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="sync-write") as pool:
        try:
            edges_begun = False
            with closing(_prefetched(planner.batches(nodes, edges))) as batches:
                for batch in batches:
                    if not edges_begun and not batch.op.endswith("nodes"):
                        settle(list(in_flight))  # every endpoint committed before the first edge
                        edges_begun = True
                    while len(in_flight) >= workers:
                        settle(wait(in_flight, return_when=FIRST_COMPLETED).done)
                    in_flight[pool.submit(commit, batch)] = batch
            settle(list(in_flight))
        except BaseException:
            _settle_after_failure(in_flight, account)
            raise
    if progress and report.nodes_unchanged + report.edges_unchanged:
        progress(report.nodes_unchanged + report.edges_unchanged)


def _settle_after_failure(
    in_flight: dict[Future[int], _Batch], account: Callable[[_Batch, int], None]
) -> None:
    """Wait for the batches still in flight and count those that committed (a second failure is dropped:
    the first is the one raised)."""
    for future, batch in list(in_flight.items()):
        try:
            written = future.result()
        except Exception:  # noqa: S112 - the first failure is the one the caller sees
            continue
        try:
            account(batch, written)
        except Exception:  # noqa: S112 - counted; a later check failing changes nothing written
            continue
    in_flight.clear()


def _replace_edges(tx: ManagedTransaction, kind: str, gone: list[str], rows: Rows) -> int:
    """Delete the moved relationships of this batch and create the batch, in one transaction."""
    if gone:
        _consume(tx, *cypher.delete_relationships(kind, gone))
    return _single(tx, *cypher.create_relationships(kind, rows), "written")


def _count_edges(
    report: SyncReport, kind: str, rows: Rows, written: int, progress: Callable[[int], None] | None
) -> None:
    report.edges_written += written
    report.batches += 1
    if written != len(rows):
        # Every endpoint was written above: a gap means the graph changed under us.
        raise OrdergraphError(f"{kind}: {len(rows) - written} of {len(rows)} edges found no endpoints")
    if progress:
        progress(len(rows))


def _delete_stale(session: Any, plan: _Planner, batch_size: int, report: SyncReport) -> None:
    """Delete what the data no longer has: relationships first, then entities (with anything left on them)."""
    for kind, edge_ids in plan.stale_edges.items():
        for ids in _batches(edge_ids, batch_size):
            report.edges_deleted += session.execute_write(
                _single, *cypher.delete_relationships(kind, ids), "deleted"
            )
    for ids in _batches(plan.stale_nodes, batch_size):
        report.nodes_deleted += session.execute_write(_single, *cypher.delete_nodes(ids), "deleted")


def _record_failure(driver: Driver, database: str | None, report: SyncReport) -> None:
    """Mark the run failed in the graph if the server still answers (best effort: it may be gone)."""
    try:
        with driver.session(database=database, **QUIET) as session:
            query, params = cypher.finish_sync(SYNC_NAME, report.generation, "failed", report.counts())
            session.execute_write(_consume, query, params)
    except Exception:  # noqa: S110 - the original failure is what the caller must see
        pass


def _read(driver: Driver, database: str | None, query: str, params: dict[str, Any]) -> list[Record]:
    """The records of one read transaction in a session of the sync's kind (:data:`QUIET`: no
    UNRECOGNIZED notification, which ``execute_query`` cannot be told)."""
    with driver.session(database=database, **QUIET) as session:
        return session.execute_read(_records, query, params)


def _records(tx: ManagedTransaction, query: str, params: dict[str, Any]) -> list[Record]:
    return list(tx.run(query, params))


def last_sync(driver: Driver, database: str | None = None) -> dict[str, Any] | None:
    """The record of the last sync run (generation, status, counts, times), or None."""
    records = _read(driver, database, *cypher.sync_state(SYNC_NAME))
    return dict(records[0]["state"]) if records else None


def server_version(driver: Driver) -> tuple[str, str]:
    """The Neo4j version and edition the server reports (``CALL dbms.components()``):
    ``("5.26.30", "community")``."""
    records = _read(driver, None, *cypher.components())
    kernel = next((r for r in records if r["name"] == "Neo4j Kernel"), records[0])
    return str(kernel["versions"][0]), str(kernel["edition"])


def graph_counts(driver: Driver, database: str | None = None) -> dict[str, dict[str, int]]:
    """How many entities and relationships of each kind the server holds."""
    records = _read(driver, database, *cypher.counts())
    out: dict[str, dict[str, int]] = {"node": {}, "edge": {}}
    for record in records:
        out[record["what"]][record["kind"]] = int(record["n"])
    return out
