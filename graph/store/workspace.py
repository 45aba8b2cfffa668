"""The workspace store: the graph in one SQLite file that opens without re-reading its sources.

Each node and edge is kept whole as its model's JSON (so a new model field
persists without a schema change) beside the columns the protocol's lookups
filter on, each indexed: id and kind; an edge's endpoints and its first and
last day as ISO dates (``start_day <= day < end_day`` is exactly
:meth:`~graph.model.Edge.valid_on`); a security's exchange and code; every
identifier; every dataset that gave it. Names are found through an FTS5 index
of their grams (:func:`graph.names.grams`). Rows keep the order they were
first written (``seq``), so answers come in the same order as from the
memory store.

Every write is one transaction: all of it or none of it. A large first load
drops the secondary indexes and builds them after the rows are in, as bulk
loaders do. No pickle: only JSON and plain columns.

>>> from graph.model import Node
>>> store = WorkspaceStore.open(":memory:")
>>> store.write([Node(id="ORG:x", kind="Company", name="X Corp")])
>>> store.node_count(), store.get_node("ORG:x").name
(1, 'X Corp')
>>> [n.id for n in store.name_candidates("x corporation")]
['ORG:x']
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Collection, Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import date
from functools import lru_cache
from pathlib import Path
from types import TracebackType

from graph.errors import OrdergraphError, StoreUnavailable
from graph.model import Edge, Node, first_day
from graph.names import code_key, grams, name_keys, normalise_name
from graph.store.base import CANDIDATES, Direction, Hops, Neighbourhood, StoreBase, split_hops, telling_grams

SCHEMA_VERSION = "1"
# A first load at least this big builds the secondary indexes after the rows are in.
BULK = 5000
# How many parsed nodes (and edges) a store keeps at most.
PARSED = 100_000
# Ids per statement when a batch is split (one JSON parameter carries each chunk).
CHUNK = 50_000

_TABLES = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS nodes (
    seq INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    kind TEXT NOT NULL,
    exchange TEXT,
    code TEXT,
    doc TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS edges (
    seq INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    kind TEXT NOT NULL,
    source TEXT NOT NULL,
    target TEXT NOT NULL,
    start_day TEXT,
    end_day TEXT,
    doc TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS identifiers (scheme TEXT NOT NULL, value TEXT NOT NULL, node_seq INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS datasets (dataset TEXT NOT NULL, is_edge INTEGER NOT NULL, seq INTEGER NOT NULL);
CREATE VIRTUAL TABLE IF NOT EXISTS names USING fts5(grams, content='', tokenize="unicode61 tokenchars '_'");
CREATE VIRTUAL TABLE IF NOT EXISTS names_vocab USING fts5vocab(names, 'row');
"""
_INDEXES = """
CREATE INDEX IF NOT EXISTS nodes_kind ON nodes (kind, seq);
CREATE INDEX IF NOT EXISTS nodes_ticker ON nodes (code, exchange) WHERE code IS NOT NULL;
CREATE INDEX IF NOT EXISTS nodes_exchange ON nodes (exchange, seq) WHERE exchange IS NOT NULL;
CREATE INDEX IF NOT EXISTS edges_out ON edges (source, kind, seq);
CREATE INDEX IF NOT EXISTS edges_in ON edges (target, kind, seq);
CREATE INDEX IF NOT EXISTS edges_kind ON edges (kind, seq);
CREATE INDEX IF NOT EXISTS identifiers_value ON identifiers (scheme, value);
CREATE INDEX IF NOT EXISTS identifiers_node ON identifiers (node_seq);
CREATE INDEX IF NOT EXISTS datasets_name ON datasets (dataset, is_edge);
CREATE INDEX IF NOT EXISTS datasets_row ON datasets (is_edge, seq);
"""
_INDEX_NAMES = [line.split()[5] for line in _INDEXES.strip().splitlines()]
_OUT = "SELECT e.seq, e.doc FROM edges AS e WHERE e.source IN (SELECT value FROM json_each(?))"
_IN = "SELECT e.seq, e.doc FROM edges AS e WHERE e.target IN (SELECT value FROM json_each(?))"
_EDGES_AT = {"out": [_OUT], "in": [_IN], "both": [_OUT, _IN]}
# With kinds: every (node, kind) pair probes the (end, kind, seq) index; a list with
# thousands of members is not scanned for its few GOVERNS edges.
_OUT_KINDS = (
    "SELECT e.seq, e.doc FROM json_each(?) AS n CROSS JOIN json_each(?) AS k CROSS JOIN edges AS e "
    "WHERE e.source = n.value AND e.kind = k.value"
)
_IN_KINDS = (
    "SELECT e.seq, e.doc FROM json_each(?) AS n CROSS JOIN json_each(?) AS k CROSS JOIN edges AS e "
    "WHERE e.target = n.value AND e.kind = k.value"
)
_EDGES_OF_KINDS_AT = {"out": [_OUT_KINDS], "in": [_IN_KINDS], "both": [_OUT_KINDS, _IN_KINDS]}
# Exactly Edge.valid_on: the first day of start on or before the day, the first day of end after it.
_VALID_ON = "AND (e.start_day IS NULL OR e.start_day <= ?) AND (e.end_day IS NULL OR e.end_day > ?)"


def _ids(values: Iterable[str]) -> str:
    """A list of ids as one JSON parameter, read back in SQL with ``json_each``."""
    return json.dumps(list(values))


def _chunks(values: Sequence[str], size: int = CHUNK) -> Iterator[Sequence[str]]:
    for i in range(0, len(values), size):
        yield values[i : i + size]


def _gram_text(node: Node) -> str:
    """A node's name-index grams as FTS5 tokens (a space inside a gram is written ``_``)."""
    found: set[str] = set()
    for key in name_keys(node):
        for word in normalise_name(key).split():
            found |= _word_tokens(word)
    return " ".join(sorted(found))


@lru_cache(maxsize=65536)
def _word_tokens(word: str) -> frozenset[str]:
    return frozenset(_token(g) for g in grams(word))


def _token(gram: str) -> str:
    return gram.replace(" ", "_")


def _security_columns(node: Node) -> tuple[str | None, str | None]:
    if node.kind != "Security":
        return None, None
    exchange = str(node.properties.get("exchange", "")).removeprefix("EXCH:")
    return exchange, code_key(str(node.properties.get("code", "")))


def _day(value: str | None) -> str | None:
    return first_day(value).isoformat() if value else None


class WorkspaceStore(StoreBase):
    """A GraphStore in a SQLite file (or ``":memory:"``).

    Open one with :meth:`open`; close it with :meth:`close` (or use ``with``).
    """

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn
        # Parsed models by their JSON: validating a document costs far more than reading it,
        # and orders, lists and exchanges are read by almost every query. Keyed by the
        # document itself, so a row another process rewrote is parsed afresh.
        self._parsed_nodes: dict[str, Node] = {}
        self._parsed_edges: dict[str, Edge] = {}
        self._in_transaction = False
        self._analyse = False

    def _node(self, doc: str) -> Node:
        node = self._parsed_nodes.get(doc)
        if node is None:
            if len(self._parsed_nodes) >= PARSED:
                self._parsed_nodes.clear()
            node = self._parsed_nodes[doc] = Node.model_validate_json(doc)
        return node

    def _edge(self, doc: str) -> Edge:
        edge = self._parsed_edges.get(doc)
        if edge is None:
            if len(self._parsed_edges) >= PARSED:
                self._parsed_edges.clear()
            edge = self._parsed_edges[doc] = Edge.model_validate_json(doc)
        return edge

    # -- opening -------------------------------------------------------------

    @classmethod
    def open(cls, path: str | Path, create: bool = True) -> WorkspaceStore:
        """The workspace in the file at ``path``, created (with its tables) when ``create``.

        Raises StoreUnavailable when the file is missing (and not to be created),
        is not a workspace, or was written by a newer schema.
        """
        target = str(path)
        if target != ":memory:" and not create and not Path(target).is_file():
            raise StoreUnavailable(f"{target}: no workspace there")
        if target != ":memory:":
            Path(target).parent.mkdir(parents=True, exist_ok=True)
        try:
            conn = sqlite3.connect(target, isolation_level=None, check_same_thread=False)
            conn.execute("PRAGMA journal_mode = WAL")
            conn.execute("PRAGMA synchronous = NORMAL")
            conn.execute("PRAGMA foreign_keys = OFF")
            conn.execute("PRAGMA cache_size = -65536")  # 64 MiB
            conn.execute("PRAGMA temp_store = MEMORY")
            conn.executescript(_TABLES)
            version = conn.execute("SELECT value FROM meta WHERE key = 'schema'").fetchone()
        except sqlite3.DatabaseError as exc:
            raise StoreUnavailable(f"{target}: not a workspace ({exc})") from exc
        if version is None:
            conn.execute("INSERT INTO meta VALUES ('schema', ?)", (SCHEMA_VERSION,))
        elif version[0] != SCHEMA_VERSION:
            conn.close()
            raise StoreUnavailable(
                f"{target}: workspace schema {version[0]}, this ordergraph reads {SCHEMA_VERSION}"
            )
        store = cls(conn)
        if store._empty():
            # Indexes are built by the first write (after its rows, when it is large).
            return store
        conn.executescript(_INDEXES)
        return store

    def close(self) -> None:
        """Close the file (checkpointing the write-ahead log)."""
        self.conn.close()

    def __enter__(self) -> WorkspaceStore:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    def _empty(self) -> bool:
        return self.conn.execute("SELECT 1 FROM nodes LIMIT 1").fetchone() is None

    # -- writing -------------------------------------------------------------

    @contextmanager
    def transaction(self) -> Iterator[WorkspaceStore]:
        """One atomic write: every ``write`` and ``delete`` inside joins it, all of it or none of it.

        A loader writes the graph's rows and its own bookkeeping (in its own tables of
        ``self.conn``) in one transaction this way; nested uses join the outer one.

        >>> from graph.model import Node
        >>> store = WorkspaceStore.open(":memory:")
        >>> try:
        ...     with store.transaction():
        ...         store.write([Node(id="ORG:x", kind="Company", name="X")])
        ...         raise RuntimeError("a bad line")
        ... except RuntimeError:
        ...     pass
        >>> store.node_count()
        0
        """
        if self._in_transaction:
            yield self
            return
        self.conn.execute("BEGIN IMMEDIATE")
        self._in_transaction = True
        try:
            yield self
        except BaseException:
            self.conn.execute("ROLLBACK")
            raise
        else:
            self.conn.execute("COMMIT")
        finally:
            self._in_transaction = False
        if self._analyse:
            self._analyse = False
            self.conn.execute("ANALYZE")

    def write(self, nodes: Iterable[Node] = (), edges: Iterable[Edge] = ()) -> None:
        nodes, edges = list(nodes), list(edges)
        if not nodes and not edges:
            return
        with self.transaction():
            # A big batch into a (nearly) empty store: rows first, the secondary indexes after.
            bulk = len(nodes) + len(edges) >= BULK and self.node_count() < BULK
            if bulk:
                for name in _INDEX_NAMES:
                    self.conn.execute(f"DROP INDEX IF EXISTS {name}")
            self._check_endpoints(nodes, edges)
            self._write_nodes(nodes)
            self._write_edges(edges)
            self._create_indexes()
            self._analyse = self._analyse or bulk

    def _create_indexes(self) -> None:
        # executescript would commit the open transaction: one statement at a time instead.
        for statement in _INDEXES.strip().splitlines():
            self.conn.execute(statement)

    def _check_endpoints(self, nodes: list[Node], edges: list[Edge]) -> None:
        incoming = {n.id for n in nodes}
        wanted = list({end for e in edges for end in (e.source, e.target)} - incoming)
        known: set[str] = set()
        for chunk in _chunks(wanted):
            known.update(
                r[0]
                for r in self.conn.execute(
                    "SELECT id FROM nodes WHERE id IN (SELECT value FROM json_each(?))", (_ids(chunk),)
                )
            )
        for edge in edges:
            for end in (edge.source, edge.target):
                if end not in incoming and end not in known:
                    raise OrdergraphError(f"edge {edge.id}: unknown node {end!r}")

    def _existing(self, table: str, ids: Sequence[str]) -> dict[str, tuple[int, str]]:
        """id → (seq, doc) of the rows of ``table`` already holding these ids."""
        found: dict[str, tuple[int, str]] = {}
        for chunk in _chunks(ids):
            rows = self.conn.execute(
                f"SELECT id, seq, doc FROM {table} WHERE id IN (SELECT value FROM json_each(?))",  # noqa: S608
                (_ids(chunk),),
            )
            found.update((r[0], (r[1], r[2])) for r in rows)
        return found

    def _next_seq(self, table: str) -> int:
        row = self.conn.execute(f"SELECT COALESCE(MAX(seq), 0) FROM {table}").fetchone()  # noqa: S608
        return int(row[0]) + 1

    def _write_nodes(self, nodes: list[Node]) -> None:
        if not nodes:
            return
        latest = {n.id: n for n in nodes}  # the last write of an id in a batch wins
        old = self._existing("nodes", list(latest))
        self._unindex_nodes({seq: Node.model_validate_json(doc) for seq, doc in old.values()})
        seq = self._next_seq("nodes")
        rows, fts, idents, sets = [], [], [], []
        for node in latest.values():
            if node.id in old:
                row_seq = old[node.id][0]
            else:
                row_seq, seq = seq, seq + 1
            exchange, code = _security_columns(node)
            rows.append((row_seq, node.id, node.kind, exchange, code, node.model_dump_json()))
            fts.append((row_seq, _gram_text(node)))
            idents += [(s, v, row_seq) for s, values in node.identifiers.items() for v in values]
            sets += [(d, 0, row_seq) for d in dict.fromkeys(node.datasets)]
        self.conn.executemany(
            "INSERT INTO nodes (seq, id, kind, exchange, code, doc) VALUES (?, ?, ?, ?, ?, ?) "
            "ON CONFLICT (id) DO UPDATE SET kind = excluded.kind, exchange = excluded.exchange, "
            "code = excluded.code, doc = excluded.doc",
            rows,
        )
        self.conn.executemany("INSERT INTO names (rowid, grams) VALUES (?, ?)", fts)
        self.conn.executemany("INSERT INTO identifiers VALUES (?, ?, ?)", idents)
        self.conn.executemany("INSERT INTO datasets VALUES (?, ?, ?)", sets)

    def _unindex_nodes(self, old: dict[int, Node]) -> None:
        """Take nodes out of the name, identifier and dataset indexes (before replacing or deleting)."""
        if not old:
            return
        self.conn.executemany(
            "INSERT INTO names (names, rowid, grams) VALUES ('delete', ?, ?)",
            [(seq, _gram_text(node)) for seq, node in old.items()],
        )
        seqs = [(seq,) for seq in old]
        self.conn.executemany("DELETE FROM identifiers WHERE node_seq = ?", seqs)
        self.conn.executemany("DELETE FROM datasets WHERE is_edge = 0 AND seq = ?", seqs)

    def _write_edges(self, edges: list[Edge]) -> None:
        if not edges:
            return
        latest = {e.id: e for e in edges}
        old = self._existing("edges", list(latest))
        self.conn.executemany(
            "DELETE FROM datasets WHERE is_edge = 1 AND seq = ?", [(seq,) for seq, _ in old.values()]
        )
        seq = self._next_seq("edges")
        rows, sets = [], []
        for edge in latest.values():
            if edge.id in old:
                row_seq = old[edge.id][0]
            else:
                row_seq, seq = seq, seq + 1
            rows.append(
                (
                    row_seq,
                    edge.id,
                    edge.kind,
                    edge.source,
                    edge.target,
                    _day(edge.start),
                    _day(edge.end),
                    edge.model_dump_json(),
                )
            )
            sets += [(d, 1, row_seq) for d in dict.fromkeys(edge.datasets)]
        self.conn.executemany(
            "INSERT INTO edges (seq, id, kind, source, target, start_day, end_day, doc) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET kind = excluded.kind, "
            "source = excluded.source, target = excluded.target, start_day = excluded.start_day, "
            "end_day = excluded.end_day, doc = excluded.doc",
            rows,
        )
        self.conn.executemany("INSERT INTO datasets VALUES (?, ?, ?)", sets)

    def add_node(self, node: Node) -> None:
        self.write([node])

    def add_edge(self, edge: Edge) -> None:
        self.write(edges=[edge])

    def delete(self, node_ids: Collection[str] = (), edge_ids: Collection[str] = ()) -> None:
        conn = self.conn
        with self.transaction():
            nodes = self._existing("nodes", list(node_ids))
            doomed = set(self._existing("edges", list(edge_ids)))
            for chunk in _chunks(list(nodes)):
                doomed.update(
                    r[0]
                    for r in conn.execute(
                        "SELECT id FROM edges WHERE source IN (SELECT value FROM json_each(?1)) "
                        "OR target IN (SELECT value FROM json_each(?1))",
                        (_ids(chunk),),
                    )
                )
            for chunk in _chunks(list(doomed)):
                conn.execute(
                    "DELETE FROM datasets WHERE is_edge = 1 AND seq IN "
                    "(SELECT seq FROM edges WHERE id IN (SELECT value FROM json_each(?)))",
                    (_ids(chunk),),
                )
                conn.execute("DELETE FROM edges WHERE id IN (SELECT value FROM json_each(?))", (_ids(chunk),))
            self._unindex_nodes({seq: self._node(doc) for seq, doc in nodes.values()})
            conn.executemany("DELETE FROM nodes WHERE seq = ?", [(seq,) for seq, _ in nodes.values()])

    def clear(self) -> None:
        """Remove every node and edge, all or nothing (the tables stay)."""
        with self.transaction():
            for table in ("nodes", "edges", "identifiers", "datasets"):
                self.conn.execute(f"DELETE FROM {table}")  # noqa: S608 - fixed table names
            self.conn.execute("INSERT INTO names (names) VALUES ('delete-all')")

    def dataset_ids(self, dataset: str) -> tuple[list[str], list[str]]:
        """The ids of the nodes and of the edges that ``dataset`` gave (its provenance names it)."""
        nodes = self.conn.execute(
            "SELECT n.id FROM datasets d JOIN nodes n ON n.seq = d.seq "
            "WHERE d.dataset = ? AND d.is_edge = 0 ORDER BY n.seq",
            (dataset,),
        )
        node_ids = [r[0] for r in nodes]
        edges = self.conn.execute(
            "SELECT e.id FROM datasets d JOIN edges e ON e.seq = d.seq "
            "WHERE d.dataset = ? AND d.is_edge = 1 ORDER BY e.seq",
            (dataset,),
        )
        return node_ids, [r[0] for r in edges]

    def datasets(self) -> dict[str, tuple[int, int]]:
        """Each dataset in the workspace: (nodes, edges) it gave."""
        found: dict[str, tuple[int, int]] = {}
        rows = self.conn.execute(
            "SELECT dataset, SUM(is_edge = 0), SUM(is_edge = 1) FROM datasets "
            "GROUP BY dataset ORDER BY dataset"
        )
        for name, nodes, edges in rows:
            found[name] = (int(nodes), int(edges))
        return found

    # -- reading -------------------------------------------------------------

    def get_node(self, node_id: str) -> Node | None:
        row = self.conn.execute("SELECT doc FROM nodes WHERE id = ?", (node_id,)).fetchone()
        return None if row is None else self._node(row[0])

    def get_edge(self, edge_id: str) -> Edge | None:
        row = self.conn.execute("SELECT doc FROM edges WHERE id = ?", (edge_id,)).fetchone()
        return None if row is None else self._edge(row[0])

    def get_nodes(self, node_ids: Iterable[str]) -> dict[str, Node]:
        wanted = list(dict.fromkeys(node_ids))
        found: dict[str, Node] = {}
        for chunk in _chunks(wanted):
            rows = self.conn.execute(
                "SELECT id, doc FROM nodes WHERE id IN (SELECT value FROM json_each(?))", (_ids(chunk),)
            )
            found.update((r[0], self._node(r[1])) for r in rows)
        return {i: found[i] for i in wanted if i in found}

    def edges_of_many(
        self,
        node_ids: Collection[str],
        direction: Direction = "both",
        kinds: Collection[str] | None = None,
        as_of: date | None = None,
    ) -> list[Edge]:
        ids = list(dict.fromkeys(node_ids))
        if not ids:
            return []
        found: dict[int, str] = {}
        for chunk in _chunks(ids):
            selects = _EDGES_AT[direction] if kinds is None else _EDGES_OF_KINDS_AT[direction]
            for select in selects:
                sql = [select]
                params: list[object] = [_ids(chunk)] if kinds is None else [_ids(chunk), _ids(kinds)]
                if as_of is not None:
                    sql.append(_VALID_ON)
                    params += [as_of.isoformat(), as_of.isoformat()]
                found.update(self.conn.execute(" ".join(sql), params).fetchall())
        return [self._edge(found[seq]) for seq in sorted(found)]

    def reach(
        self, seeds: Collection[str], hops: Hops, depth: int, as_of: date | None = None
    ) -> Neighbourhood:
        # In-process SQLite: a level costs two indexed queries and a node fetch, no round trip.
        found = Neighbourhood(hops=dict(hops), as_of=as_of)
        found.nodes = self.get_nodes(seeds)
        out_kinds, in_kinds = split_hops(hops)
        frontier = list(found.nodes)
        for _ in range(max(depth, 0)):
            if not frontier:
                break
            at_level = set(frontier)
            new_ids: dict[str, None] = {}
            if out_kinds:
                batch = self.edges_of_many(frontier, "out", out_kinds, as_of)
                found.record(at_level, "out", batch)
                new_ids.update(dict.fromkeys(e.target for e in batch))
            if in_kinds:
                batch = self.edges_of_many(frontier, "in", in_kinds, as_of)
                found.record(at_level, "in", batch)
                new_ids.update(dict.fromkeys(e.source for e in batch))
            new_nodes = self.get_nodes(i for i in new_ids if i not in found.nodes)
            found.nodes.update(new_nodes)
            frontier = list(new_nodes)
        return found

    def securities(self, exchange: str | None = None, code: str | None = None) -> list[Node]:
        sql, params = ["SELECT doc FROM nodes WHERE kind = 'Security'"], []
        if code is not None:
            sql.append("AND code = ?")
            params.append(code_key(code))
        if exchange is not None:
            sql.append("AND exchange = ?")
            params.append(exchange)
        sql.append("ORDER BY seq")
        return [self._node(r[0]) for r in self.conn.execute(" ".join(sql), params)]

    def nodes_by_identifier(self, scheme: str, value: str) -> list[Node]:
        rows = self.conn.execute(
            "SELECT n.doc FROM identifiers i JOIN nodes n ON n.seq = i.node_seq "
            "WHERE i.scheme = ? AND i.value = ? ORDER BY n.seq",
            (scheme, value),
        )
        return [self._node(r[0]) for r in rows]

    def name_candidates(
        self, text: str, kinds: Collection[str] | None = None, limit: int = CANDIDATES
    ) -> list[Node]:
        found = []
        exact = self.get_node(text.strip())
        if exact is not None and (kinds is None or exact.kind in kinds):
            found.append(exact)
        frequency: dict[str, int] = {}
        for gram in grams(text):
            row = self.conn.execute("SELECT doc FROM names_vocab WHERE term = ?", (_token(gram),)).fetchone()
            if row is not None:
                frequency[gram] = int(row[0])
        if not frequency:
            return found
        query = " OR ".join('"{}"'.format(_token(g).replace('"', '""')) for g in telling_grams(frequency))
        sql = (
            "SELECT n.doc FROM (SELECT rowid, rank FROM names WHERE names MATCH ? ORDER BY rank) m "
            "JOIN nodes n ON n.seq = m.rowid"
        )
        params: list[object] = [query]
        if kinds is not None:
            sql += " WHERE n.kind IN (SELECT value FROM json_each(?))"
            params.append(_ids(kinds))
        sql += " ORDER BY m.rank, n.seq LIMIT ?"
        params.append(limit + 1)
        for (doc,) in self.conn.execute(sql, params):
            node = self._node(doc)
            if exact is None or node.id != exact.id:
                found.append(node)
        return found[:limit]

    # -- scans and counts ----------------------------------------------------

    def nodes(self, kind: str | None = None) -> Iterator[Node]:
        if kind is None:
            rows = self.conn.execute("SELECT doc FROM nodes ORDER BY seq")
        else:
            rows = self.conn.execute("SELECT doc FROM nodes WHERE kind = ? ORDER BY seq", (kind,))
        for (doc,) in rows:
            yield Node.model_validate_json(doc)  # a scan: not worth keeping

    def edges(self, kind: str | None = None) -> Iterator[Edge]:
        if kind is None:
            rows = self.conn.execute("SELECT doc FROM edges ORDER BY seq")
        else:
            rows = self.conn.execute("SELECT doc FROM edges WHERE kind = ? ORDER BY seq", (kind,))
        for (doc,) in rows:
            yield Edge.model_validate_json(doc)  # a scan: not worth keeping

    def node_count(self) -> int:
        return int(self.conn.execute("SELECT COUNT(*) FROM nodes").fetchone()[0])

    def edge_count(self) -> int:
        return int(self.conn.execute("SELECT COUNT(*) FROM edges").fetchone()[0])

    def counts(self) -> tuple[dict[str, int], dict[str, int]]:
        nodes = self.conn.execute("SELECT kind, COUNT(*) FROM nodes GROUP BY kind ORDER BY kind")
        node_counts = {k: int(c) for k, c in nodes}
        edges = self.conn.execute("SELECT kind, COUNT(*) FROM edges GROUP BY kind ORDER BY kind")
        return node_counts, {k: int(c) for k, c in edges}
