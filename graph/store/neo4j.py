"""The Neo4j backend: a GraphStore over Bolt, the driver passed in.

Every method is one managed transaction (reads in ``execute_read``, writes in
``execute_write``), so each store call is one round trip and the query budgets
of :mod:`graph.store.base` hold over a network (a lookup through an index that
finds nothing, or fails, asks the server's index list and the recorded version of
the graph's lookup keys too, in one more transaction, to tell an outdated graph:
:meth:`Neo4jStore._read_indexed`;
name candidates check that version on every call, read with the vocabulary's fingerprint).
Every value travels as a
parameter; the Cypher lives in :mod:`graph.cypher`. The graph it reads is the
one :func:`graph.neo4j_sync.sync` writes (or this store's own :meth:`write`).

Answers are the embedded store's, in the same order: nodes and edges carry
their write position ``seq``; name candidates are every store's
(:mod:`graph.store.words`), found by whole words in a full-text index of each
node's name words, with the vocabulary read once and kept until the graph changes
(any store's write, in any process, bumps a counter each query checks).

Usage::

    from neo4j import GraphDatabase
    with GraphDatabase.driver("bolt://127.0.0.1:7687", auth=None) as driver:
        store = Neo4jStore(driver)
        store.get_node("ORG:xiaomi")
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Iterator, Sized
from datetime import date
from typing import Any, TypeVar, cast

from neo4j import Driver, ManagedTransaction, NotificationDisabledClassification, Session
from neo4j.exceptions import DriverError, Neo4jError, ServiceUnavailable

from graph import cypher, neo4j_rows
from graph.errors import GraphOutdated, OrdergraphError, SchemaRefused, StoreUnavailable
from graph.model import Edge, Node, identifier_keys
from graph.store.base import (
    CANDIDATES,
    Direction,
    GraphStore,
    Hops,
    Neighbourhood,
    StoreBase,
    reach_by_levels,
    split_hops,
)
from graph.store.words import Vocabulary, names_keys, pick, ranked, word_query

T = TypeVar("T")
Found = TypeVar("Found", bound=Sized)
Rows = list[dict[str, Any]]


# Session options for ordergraph's own queries (the store's, the sync's): see Neo4jStore._session.
QUIET: dict[str, Any] = {
    "notifications_disabled_classifications": [NotificationDisabledClassification.UNRECOGNIZED]
}


def _rows(tx: ManagedTransaction, statement: cypher.Statement) -> Rows:
    query, params = statement
    # Records hold plain values here (maps, lists, strings): no need for Record.data()'s conversion pass.
    return [dict(zip(record.keys(), record.values(), strict=True)) for record in tx.run(query, params)]


def _edge(row: dict[str, Any]) -> Edge:
    return neo4j_rows.edge_from_record(row["props"], row["source"], row["target"])


class Neo4jStore(StoreBase):
    """A GraphStore backed by a Neo4j database (Community, Enterprise, Aura)."""

    def __init__(self, driver: Driver, database: str | None = None) -> None:
        self.driver = driver
        self.database = database
        # The name vocabulary (graph.store.words) with the fingerprint it was read at.
        self._vocab: tuple[tuple[int, str, int], Vocabulary, int] | None = None
        # Edge kinds whose id constraint this store has made sure of (the sync makes only its data's).
        # Kept for the store's life: a sync in another process that drops the constraint of a kind
        # its data lacks is not seen, and this store's later writes of that kind go unconstrained
        # (ids still unique by MERGE, unindexed) until it is opened again — the price of not asking
        # the server before every write; the next sync with such edges makes the constraint again.
        self._constrained: set[str] = set()

    # -- plumbing --------------------------------------------------------------

    def _session(self) -> Session:
        """A session for this store's own queries: the server sends no UNRECOGNIZED notification
        (a label, type or property no node has yet: "label does not exist" on a sparse or empty
        graph, which the driver would log as a warning each time); the others (deprecations,
        performance, hints…) still come and are logged. A user's Cypher (the console) keeps them all.
        """
        return self.driver.session(database=self.database, **QUIET)

    def _read(self, work: Callable[[ManagedTransaction], T]) -> T:
        try:
            with self._session() as session:
                return session.execute_read(work)
        except (ServiceUnavailable, DriverError, OSError) as exc:
            raise StoreUnavailable(f"Neo4j is unreachable: {exc}") from exc

    def _write(self, work: Callable[[ManagedTransaction], T]) -> T:
        self._vocab = None

        def stamped(tx: ManagedTransaction) -> T:
            if _rows(tx, cypher.keys_state())[0]["total"] == 0:  # every entity is keyed by this version
                _rows(tx, cypher.record_keys(cypher.keys_version()))
            done = work(tx)
            _rows(tx, cypher.stamp_write())  # other stores' vocabularies are old now
            return done

        try:
            with self._session() as session:
                done = session.execute_write(stamped)
                # Full-text indexes are eventually consistent: wait, so the next search sees the write.
                session.run(*cypher.await_fulltext_refresh()).consume()
                return done
        except (ServiceUnavailable, DriverError, OSError) as exc:
            raise StoreUnavailable(f"Neo4j is unreachable: {exc}") from exc
        except Neo4jError as exc:  # a constraint broken (two securities with one ticker…): nothing written
            raise OrdergraphError(f"Neo4j refused the write: {exc.message}") from exc

    def _read_rows(self, statement: cypher.Statement) -> Rows:
        return self._read(lambda tx: _rows(tx, statement))

    def _read_indexed(self, work: Callable[[ManagedTransaction], Found]) -> Found:
        """A read through an index of :data:`graph.cypher.READ_INDEXES` (and the properties it
        indexes). When the server fails it, or it finds nothing (a ticker no security has, or one
        on a graph whose securities lack ``code_key``), and the server's index list says the graph
        is an earlier ordergraph's (:func:`graph.cypher.outdated`), or its keys were computed
        under other name rules (:func:`graph.cypher.keys_outdated`): the one error saying what to
        run. The server's own error names a procedure, not the cause, and an empty answer names
        nothing. The list and the keys version are asked only then, in one transaction: one round
        trip more on an empty answer or a failure, none on an answer found."""
        try:
            found = self._read(work)
        except Neo4jError as exc:
            self._raise_if_outdated(exc)
            raise
        if not found:
            self._raise_if_outdated(None)
        return found

    def _raise_if_outdated(self, cause: Neo4jError | None) -> None:
        """Raise GraphOutdated when the index list or the recorded keys version says the graph is
        outdated: both read in one transaction, so one round trip more than the lookup."""

        def work(tx: ManagedTransaction) -> tuple[Rows, dict[str, Any]]:
            return _rows(tx, cypher.read_index_list()), _rows(tx, cypher.keys_state())[0]

        try:
            rows, state = self._read(work)
        except Neo4jError:  # not allowed to list indexes (a managed server): the answer as it is
            if cause is not None:
                raise cause from None
            return
        if (reason := cypher.outdated(rows)) is not None:
            raise GraphOutdated(f"{reason}; run `ordergraph neo4j sync`") from cause
        _raise_if_keys_outdated(state["total"], state["keys"], cause)

    # -- writing ---------------------------------------------------------------

    def write(self, nodes: Iterable[Node] = (), edges: Iterable[Edge] = ()) -> None:
        nodes, edges = list(nodes), list(edges)
        if not nodes and not edges:
            return
        if new_kinds := {e.kind for e in edges} - self._constrained:
            self._ensure_edge_constraints(new_kinds)
        self._write(lambda tx: self._write_tx(tx, nodes, edges))

    def _ensure_edge_constraints(self, kinds: set[str]) -> None:
        """The id constraints (and so indexes) of edge kinds a sync may not have made: its data had none."""
        try:
            with self._session() as session:
                for kind in sorted(kinds):
                    query, params = cypher.create_edge_id_constraint(kind)
                    try:
                        session.run(query, params).consume()
                    except Neo4jError as exc:  # no schema rights, or data already breaking it
                        raise SchemaRefused(
                            f"cannot create constraint {cypher.edge_id_constraint(kind)}: {exc.message}"
                            f" (a user with schema rights can run: {query})"
                        ) from exc
                    self._constrained.add(kind)
        except (ServiceUnavailable, DriverError, OSError) as exc:
            raise StoreUnavailable(f"Neo4j is unreachable: {exc}") from exc

    def _write_tx(self, tx: ManagedTransaction, nodes: list[Node], edges: list[Edge]) -> None:
        """All in one transaction: an edge with an unknown endpoint rolls everything back."""
        base = _rows(tx, cypher.reserve_seq(len(nodes) + len(edges)))[0]["base"]
        by_kind: dict[str, Rows] = {}
        for i, node in enumerate(nodes):
            by_kind.setdefault(node.kind, []).append(neo4j_rows.node_row(node, seq=base + i))
        for kind, rows in by_kind.items():
            _rows(tx, cypher.merge_nodes(kind, rows, keep_order=True))
        edge_rows = [neo4j_rows.edge_row(e, seq=base + len(nodes) + i) for i, e in enumerate(edges)]
        if not edge_rows:
            return
        kept = {r["id"]: r["seq"] for r in _rows(tx, cypher.take_retyped(edge_rows)) if r["seq"] is not None}
        by_kind = {}
        for row in edge_rows:
            row["seq"] = min(kept.get(row["id"], row["seq"]), row["seq"])
            by_kind.setdefault(row["props"]["kind"], []).append(row)
        for kind, rows in by_kind.items():
            written = _rows(tx, cypher.merge_edges(kind, rows, keep_order=True))[0]["written"]
            if written != len(rows):
                ends = {end for r in rows for end in (r["source"], r["target"])}
                known = {r["props"]["id"] for r in _rows(tx, cypher.get_nodes(ends))}
                bad = next(r for r in rows if r["source"] not in known or r["target"] not in known)
                end = bad["source"] if bad["source"] not in known else bad["target"]
                raise OrdergraphError(f"edge {bad['id']}: unknown node {end!r}")

    def delete(self, node_ids: Collection[str] = (), edge_ids: Collection[str] = ()) -> None:
        node_ids, edge_ids = list(node_ids), list(edge_ids)

        def work(tx: ManagedTransaction) -> None:
            if edge_ids:
                _rows(tx, cypher.delete_edges(edge_ids))
            if node_ids:
                _rows(tx, cypher.delete_nodes(node_ids))

        if node_ids or edge_ids:
            self._write(work)

    def add_node(self, node: Node) -> None:
        self.write([node])

    def add_edge(self, edge: Edge) -> None:
        self.write(edges=[edge])

    # -- batch reads -----------------------------------------------------------

    def get_node(self, node_id: str) -> Node | None:
        return self.get_nodes([node_id]).get(node_id)

    def get_edge(self, edge_id: str) -> Edge | None:
        rows = self._read_rows(cypher.get_edge(edge_id))
        return _edge(rows[0]) if rows else None

    def get_nodes(self, node_ids: Iterable[str]) -> dict[str, Node]:
        asked = list(dict.fromkeys(node_ids))
        if not asked:
            return {}
        found = {r["props"]["id"]: r["props"] for r in self._read_rows(cypher.get_nodes(asked))}
        return {i: neo4j_rows.node_from_record(found[i]) for i in asked if i in found}

    def edges_of_many(
        self,
        node_ids: Collection[str],
        direction: Direction = "both",
        kinds: Collection[str] | None = None,
        as_of: date | None = None,
    ) -> list[Edge]:
        if not node_ids or (kinds is not None and not kinds):
            return []
        rows = self._read_rows(cypher.edges_of_many(list(node_ids), direction, kinds))
        edges = [_edge(r) for r in rows]
        # Validity by the model's own rule (imprecise dates, half-open periods), not re-implemented in Cypher.
        return [e for e in edges if as_of is None or e.valid_on(as_of)]

    def reach(
        self,
        seeds: Collection[str],
        hops: Hops,
        depth: int,
        as_of: date | None = None,
        hub: int | None = None,
    ) -> Neighbourhood:
        """One round trip: the server walks every level and returns what it walked; the levels are
        then replayed here on that subgraph, so the answer is :func:`reach_by_levels`' exactly."""
        out, inward = split_hops(hops)
        depth = max(depth, 0)
        row = self._read_rows(cypher.reach(list(seeds), out, inward, depth, as_of))[0]
        unique = {e["props"]["id"]: e for e in row["edges"]}.values()  # an edge walked from both ends
        in_write_order = sorted(unique, key=lambda e: e["props"].get("seq", 0))
        walked = _Walked(
            [neo4j_rows.node_from_record(props) for props in row["nodes"]], [_edge(e) for e in in_write_order]
        )
        if hub is not None:  # the server walked everything; the replay stops at hubs
            walked.known_degrees = self.degrees(walked.node_ids())
        return reach_by_levels(cast(GraphStore, walked), seeds, hops, depth, as_of, hub)

    def degrees(self, node_ids: Iterable[str]) -> dict[str, int]:
        query = "UNWIND $ids AS id MATCH (n:Entity {id: id}) RETURN id, size([(n)--() | 1]) AS degree"
        return {r["id"]: int(r["degree"]) for r in self._read_rows((query, {"ids": list(node_ids)}))}

    # -- index lookups ---------------------------------------------------------

    def securities(self, exchange: str | None = None, code: str | None = None) -> list[Node]:
        statement = cypher.securities(exchange, code)
        if exchange is None and code is None:  # every security: no key read
            rows = self._read_rows(statement)
        else:
            rows = self._read_indexed(lambda tx: _rows(tx, statement))
        return [neo4j_rows.node_from_record(r["props"]) for r in rows]

    def nodes_by_identifier(self, scheme: str, value: str) -> list[Node]:
        statement = cypher.nodes_by_identifier(scheme, value)
        rows = self._read_indexed(lambda tx: _rows(tx, statement))
        return [neo4j_rows.node_from_record(r["props"]) for r in rows]

    def name_candidates(
        self, text: str, kinds: Collection[str] | None = None, limit: int = CANDIDATES
    ) -> list[Node]:
        exact_id = text.strip()
        keys = identifier_keys(text)
        exact_names = names_keys([text])

        def work(tx: ManagedTransaction) -> list[Node]:
            vocabulary, total = self._vocabulary(tx)  # first: it says whether the keys are this version's
            exact_rows = _rows(tx, cypher.get_nodes([exact_id])) if exact_id else []
            exact = neo4j_rows.node_from_record(exact_rows[0]["props"]) if exact_rows else None
            cap = None if kinds is not None else limit + 1  # the kinds are filtered in pick
            id_rows = _rows(tx, cypher.nodes_by_identifiers(keys, cap)) if keys else []
            identified = [neo4j_rows.node_from_record(r["props"]) for r in id_rows]
            # Named exactly so (by name or alias), however many others carry the text's words.
            named_rows = _rows(tx, cypher.named_exactly(exact_names, kinds, limit)) if exact_names else []
            named = [neo4j_rows.node_from_record(r["props"]) for r in named_rows]
            query = word_query(text, vocabulary, total)
            if not query:
                return pick([], exact, kinds, limit, identified, text=text, named=named)
            found: dict[str, Node] = {}
            every = []
            for row in _rows(tx, cypher.word_candidates_every(query.groups, exact_id, kinds, limit)):
                found[row["id"]] = neo4j_rows.node_from_record(row["props"])
                every.append(row["id"])
            weighed = []
            if len(every) < limit:
                statement = cypher.word_candidates_weighed(query.weights, exact_id, kinds, limit + len(every))
                for row in _rows(tx, statement):
                    found.setdefault(row["id"], neo4j_rows.node_from_record(row["props"]))
                    weighed.append(row["id"])
            return pick(
                (found[i] for i in ranked(every, weighed)),
                exact,
                kinds,
                limit,
                identified,
                text=text,
                named=named,
            )

        return self._read_indexed(work)

    def _vocabulary(self, tx: ManagedTransaction) -> tuple[Vocabulary, int]:
        """Every indexed name word with its count, and how many entities there are: read once,
        read again when this store writes, or the entity count, a sync run's state or the count of
        every store's writes (another process's rename) changes. A graph whose lookup keys are not
        this version's (:func:`graph.cypher.keys_outdated`) raises GraphOutdated: read with the
        fingerprint, so every name lookup checks it at no cost."""
        fingerprint = _rows(tx, cypher.name_fingerprint())[0]
        _raise_if_keys_outdated(fingerprint["total"], fingerprint["keys"], None)
        key = (fingerprint["total"], repr(sorted(map(repr, fingerprint["syncs"]))), fingerprint["writes"])
        if self._vocab is None or self._vocab[0] != key:
            counts = {r["word"]: int(r["n"]) for r in _rows(tx, cypher.name_vocabulary())}
            self._vocab = (key, Vocabulary.of(counts), int(fingerprint["total"]))
        return self._vocab[1], self._vocab[2]

    # -- scans and counts ------------------------------------------------------

    def nodes(self, kind: str | None = None) -> Iterator[Node]:
        rows = self._read_rows(cypher.nodes_of_kind(kind))
        return (neo4j_rows.node_from_record(r["props"]) for r in rows)

    def edges(self, kind: str | None = None) -> Iterator[Edge]:
        rows = self._read_rows(cypher.edges_of_kind(kind))
        return (_edge(r) for r in rows)

    def node_count(self) -> int:
        return int(self._read_rows(("MATCH (n:Entity) RETURN count(n) AS n", {}))[0]["n"])

    def edge_count(self) -> int:
        return int(self._read_rows(("MATCH ()-[r]->() RETURN count(r) AS n", {}))[0]["n"])

    def counts(self) -> tuple[dict[str, int], dict[str, int]]:
        nodes: dict[str, int] = {}
        edges: dict[str, int] = {}
        for row in self._read_rows(cypher.counts()):
            (nodes if row["what"] == "node" else edges)[row["kind"]] = int(row["n"])
        return dict(sorted(nodes.items())), dict(sorted(edges.items()))

    def clear(self) -> None:
        """Delete every entity and relationship (for tests and a fresh sync target)."""
        while self._write(lambda tx: _rows(tx, _CLEAR)[0]["deleted"]):
            pass


def _raise_if_keys_outdated(total: int, recorded: str | None, cause: Neo4jError | None) -> None:
    if (reason := cypher.keys_outdated(total, recorded)) is not None:
        raise GraphOutdated(f"{reason}; run `ordergraph neo4j sync`") from cause


_CLEAR: cypher.Statement = (
    "MATCH (n) WITH n LIMIT 5000 DETACH DELETE n RETURN count(*) AS deleted",
    {},
)


class _Walked:
    """What one ``reach`` query brought back, read as :func:`reach_by_levels` reads a store."""

    def __init__(self, nodes: list[Node], edges_in_write_order: list[Edge]) -> None:
        self._nodes = {n.id: n for n in nodes}
        self._edges = edges_in_write_order
        self.known_degrees: dict[str, int] = {}

    def node_ids(self) -> list[str]:
        return list(self._nodes)

    def degrees(self, node_ids: Iterable[str]) -> dict[str, int]:
        return {i: self.known_degrees[i] for i in node_ids if i in self.known_degrees}

    def get_nodes(self, node_ids: Iterable[str]) -> dict[str, Node]:
        return {i: self._nodes[i] for i in node_ids if i in self._nodes}

    def edges_of_many(
        self,
        node_ids: Collection[str],
        direction: Direction = "both",
        kinds: Collection[str] | None = None,
        as_of: date | None = None,
    ) -> list[Edge]:
        ids = set(node_ids)
        return [
            e
            for e in self._edges
            if (kinds is None or e.kind in kinds)
            and (
                (direction in ("out", "both") and e.source in ids)
                or (direction in ("in", "both") and e.target in ids)
            )
            and (as_of is None or e.valid_on(as_of))
        ]
