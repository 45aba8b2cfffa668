"""The store's one atomic write path: rows, their index words, identifiers, datasets, degrees."""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection, Iterable, Iterator, Sequence
from typing import Any

import orjson

from graph.errors import OrdergraphError
from graph.model import Edge, Node
from graph.store.words import doc_index, node_index
from graph.store.workspace.connection import BULK_CACHE, CACHE, PENDING_TERMS, StoreConnection
from graph.store.workspace.rows import (
    BULK,
    STREAM_BATCH,
    NewEdge,
    NewNode,
    _chunks,
    _ids,
    _NodeRow,
    _security_columns,
    day,
    doc_security_columns,
)
from graph.store.workspace.schema import _INDEX_NAMES, _INDEXES, _LOOKUP_INDEXES, index_text


class StoreWrites(StoreConnection):
    """The one atomic write path: rows with their index words, identifiers, datasets and degrees."""

    def write(self, nodes: Iterable[Node] = (), edges: Iterable[Edge] = ()) -> None:
        nodes, edges = list(nodes), list(edges)
        if not nodes and not edges:
            return
        self._transaction([(nodes, edges)], len(nodes) + len(edges) >= BULK)

    def write_stream(self, items: Iterable[Node | Edge], batch: int = STREAM_BATCH) -> int:
        """Write a stream of nodes and edges in one transaction, ``batch`` at a time, all or nothing.

        An edge may name nodes of its own batch or of earlier ones. Memory stays at one batch,
        however long the stream (a first load of a million entities). Returns how many were written.
        """
        written = 0

        def batches() -> Iterator[tuple[list[Node], list[Edge]]]:
            nonlocal written
            nodes: list[Node] = []
            edges: list[Edge] = []
            for item in items:
                if isinstance(item, Node):
                    nodes.append(item)
                else:
                    edges.append(item)
                if len(nodes) + len(edges) >= batch:
                    written += len(nodes) + len(edges)
                    yield nodes, edges
                    nodes, edges = [], []
            written += len(nodes) + len(edges)
            yield nodes, edges

        self._transaction(batches(), True)
        return written

    def _transaction(self, batches: Iterable[tuple[list[Node], list[Edge]]], large: bool) -> None:
        with self.transaction():
            # A big write into a (nearly) empty store: rows first, the secondary indexes after,
            # with a bigger page cache.
            bulk = large and self.node_count() < BULK
            if bulk:
                self.conn.execute(f"PRAGMA cache_size = {BULK_CACHE}")
                for name in _INDEX_NAMES:
                    self.conn.execute(f"DROP INDEX IF EXISTS {name}")
            try:
                for nodes, edges in batches:
                    self._write_batch(nodes, edges)
                self._create_indexes()
            finally:
                if bulk:
                    self.conn.execute(f"PRAGMA cache_size = {CACHE}")
            self._analyse = self._analyse or bulk

    def _write_batch(self, nodes: list[Node], edges: list[Edge]) -> None:
        self._check_endpoints(nodes, edges)
        latest_edges = {e.id: e for e in edges}  # the last write of an id in a batch wins
        old_edges = self._existing_ends(list(latest_edges))
        degree: Counter[str] = Counter()
        for edge in latest_edges.values():
            degree[edge.source] += 1
            degree[edge.target] += 1
        for _, source, target in old_edges.values():
            degree[source] -= 1
            degree[target] -= 1
        self._write_nodes(nodes)
        self._add_degrees(degree)
        self._write_edges(latest_edges, old_edges)

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
        if self._empty_table(table):
            return found
        for chunk in _chunks(ids):
            rows = self.conn.execute(
                f"SELECT id, seq, doc FROM {table} WHERE id IN (SELECT value FROM json_each(?))",  # noqa: S608
                (_ids(chunk),),
            )
            found.update((r[0], (r[1], r[2])) for r in rows)
        return found

    def _existing_ends(self, ids: Sequence[str]) -> dict[str, tuple[int, str, str]]:
        """id → (seq, source, target) of the edges already holding these ids."""
        found: dict[str, tuple[int, str, str]] = {}
        if self._empty_table("edges"):
            return found
        for chunk in _chunks(ids):
            rows = self.conn.execute(
                "SELECT id, seq, source, target FROM edges WHERE id IN (SELECT value FROM json_each(?))",
                (_ids(chunk),),
            )
            found.update((r[0], (r[1], r[2], r[3])) for r in rows)
        return found

    def _empty_table(self, table: str) -> bool:
        return self.conn.execute(f"SELECT 1 FROM {table} LIMIT 1").fetchone() is None  # noqa: S608

    def _next_seq(self, table: str) -> int:
        row = self.conn.execute(f"SELECT COALESCE(MAX(seq), 0) FROM {table}").fetchone()  # noqa: S608
        return int(row[0]) + 1

    def _write_nodes(self, nodes: list[Node]) -> None:
        """Write nodes (their degrees are not in their rows: :meth:`_add_degrees`)."""
        if not nodes:
            return
        latest = {n.id: n for n in nodes}  # the last write of an id in a batch wins
        rows = []
        for node in latest.values():
            words, exact = node_index(node)
            rows.append(
                _NodeRow(
                    node.id,
                    node.kind,
                    *_security_columns(node),
                    node.model_dump_json(),
                    words,
                    [(s, v) for s, values in node.identifiers.items() for v in values],
                    list(dict.fromkeys(node.datasets)),
                    exact,
                )
            )
        self._write_node_rows(rows)

    def write_node_docs(self, nodes: Sequence[tuple[dict[str, Any], str, list[str], list[str]]]) -> None:
        """Write nodes given as their documents (a model's dump), its JSON, their name-index
        words and exact keys (:func:`graph.store.words.doc_index`), new or replacing a row of the
        same id, as :meth:`write` writes their models.

        A delta's entities that meet nothing else (``loaders.workspace``), inside its
        transaction: no model is built. Degrees are not touched (nodes only).
        """
        if not self._in_transaction:
            raise OrdergraphError("write_node_docs writes inside a transaction only")
        latest = {doc["id"]: (doc, text, words, exact) for doc, text, words, exact in nodes}
        self._write_node_rows(
            [
                _NodeRow(
                    doc["id"],
                    doc["kind"],
                    *doc_security_columns(doc),
                    text,
                    words,
                    [(s, v) for s, values in doc["identifiers"].items() for v in values],
                    list(dict.fromkeys(p["dataset"] for p in doc["provenance"])),
                    exact,
                )
                for doc, text, words, exact in latest.values()
            ]
        )

    def write_edge_docs(self, edges: Sequence[tuple[dict[str, Any], str]]) -> None:
        """Write new edges given as their documents (a model's dump) and its JSON, as :meth:`write`
        writes their models (through :meth:`insert_new`); their ends' degrees grow.

        A delta's links that meet nothing else (``loaders/delta.py``), inside its transaction: the
        caller vouches that no id is in the store and that both ends are.
        """
        if not edges:
            return
        new: list[NewEdge] = [
            (
                doc["id"],
                doc["kind"],
                doc["source"],
                doc["target"],
                day(doc["start"]),
                day(doc["end"]),
                text,
                list(dict.fromkeys(p["dataset"] for p in doc["provenance"])),
            )
            for doc, text in edges
        ]
        self.insert_new(edges=new)
        self._add_degrees(Counter(end for doc, _ in edges for end in (doc["source"], doc["target"])))

    def _write_node_rows(self, nodes: list[_NodeRow]) -> None:
        """Write nodes, each once (their degrees are not in their rows: :meth:`_add_degrees`).

        A node already stored keeps its row, updated in place; its words, identifiers and
        datasets are written again only when they changed (a delta's modified entity mostly
        keeps them), and the columns indexed only when they changed.
        """
        old = self._existing("nodes", [n.id for n in nodes])
        seq = self._next_seq("nodes")
        rows, moved, kept, idents, idents_gone, sets, sets_gone = ([] for _ in range(7))
        fts: list[tuple[int, str | None, str]] = []
        # The words put in and taken out, counted apart (``update`` counts an iterable in C;
        # ``subtract`` of one is a Python loop a word) and netted once at the end.
        terms: Counter[str] = Counter()
        gone_terms: Counter[str] = Counter()
        for node in nodes:
            exchange, code, text, words = node.exchange, node.code, node.text, node.words
            node_idents, node_sets, node_names = node.identifiers, node.datasets, node.exact_names
            found = old.get(node.id)
            if found is None:
                row_seq, seq = seq, seq + 1
                rows.append((row_seq, node.id, node.kind, exchange, code, text))
                before: tuple[list[str], list[tuple[str, str]], list[str], list[str]] | None = None
            else:
                # The row being replaced, read as its document (no model built).
                row_seq, was = found[0], orjson.loads(found[1])
                was_words, was_names = doc_index(was)
                before = (
                    was_words,
                    [(s, v) for s, values in was["identifiers"].items() for v in values],
                    list(dict.fromkeys(p["dataset"] for p in was["provenance"])),
                    was_names,
                )
                if (was["kind"], *doc_security_columns(was)) == (node.kind, exchange, code):
                    kept.append((text, row_seq))
                else:
                    moved.append((node.kind, exchange, code, text, row_seq))
            # The row's words and exact names (one row of the word index) put in again when either changed.
            if before is None:
                terms.update(words)
                fts.append((row_seq, None, index_text(words, node_names)))
            elif words != before[0] or node_names != before[3]:
                fts.append((row_seq, "delete", index_text(before[0], before[3])))
                fts.append((row_seq, None, index_text(words, node_names)))
                if words != before[0]:
                    gone_terms.update(before[0])
                    terms.update(words)
            if before is None or node_idents != before[1]:
                if before is not None:
                    idents_gone.append((row_seq,))
                idents += [(s, v, row_seq) for s, v in node_idents]
            if before is None or node_sets != before[2]:
                if before is not None:
                    sets_gone.append((row_seq,))
                sets += [(d, 0, row_seq) for d in node_sets]
        conn = self.conn
        conn.executemany("DELETE FROM identifiers WHERE node_seq = ?", idents_gone)
        conn.executemany("DELETE FROM datasets WHERE is_edge = 0 AND seq = ?", sets_gone)
        conn.executemany(
            "INSERT INTO nodes (seq, id, kind, exchange, code, doc) VALUES (?, ?, ?, ?, ?, ?)", rows
        )
        # By row number; a row whose indexed columns stay is not taken out of their indexes.
        conn.executemany("UPDATE nodes SET doc = ? WHERE seq = ?", kept)
        conn.executemany("UPDATE nodes SET kind = ?, exchange = ?, code = ?, doc = ? WHERE seq = ?", moved)
        self._write_words(fts)
        terms.subtract(gone_terms)
        self._count_terms(terms)
        conn.executemany("INSERT INTO identifiers VALUES (?, ?, ?)", idents)
        conn.executemany("INSERT INTO datasets VALUES (?, ?, ?)", sets)

    def _write_words(self, changes: list[tuple[int, str | None, str]]) -> None:
        """Take rows' words out of the FTS5 index (``"delete"``) and put them in (None), in order
        of row number, a row's old words before its new ones.

        FTS5 keeps a transaction's changes in memory while their row numbers rise; a change
        to a lower row (or a delete after an insert of the same one) first writes out all it
        holds as a new segment. Row by row in a delta's random order, that was a segment per
        change, each merged again later: ~110 µs a node at 1M, and most of the commit.
        """
        changes.sort(key=lambda change: (change[0], change[1] is None))
        self.conn.executemany(
            "INSERT INTO names (names, rowid, words) VALUES (?, ?, ?)", [(c, r, w) for r, c, w in changes]
        )

    def _count_terms(self, terms: Counter[str]) -> None:
        """Add to the vocabulary's counts (negative: words taken out), after the words the
        transaction's bulk inserts still hold (:meth:`_flush_terms`)."""
        self._flush_terms(terms)

    def _add_degrees(self, degree: Counter[str]) -> None:
        self.add_degrees([(i, n) for i, n in degree.items() if n])

    def _unindex_nodes(self, old: dict[int, Node]) -> None:
        """Take nodes out of the name, identifier and dataset indexes (before replacing or deleting)."""
        if not old:
            return
        fts: list[tuple[int, str | None, str]] = []
        terms = Counter[str]()
        for seq, node in old.items():
            words, keys = node_index(node)
            terms.subtract(words)
            fts.append((seq, "delete", index_text(words, keys)))
        self._write_words(fts)
        self._count_terms(terms)
        seqs = [(seq,) for seq in old]
        self.conn.executemany("DELETE FROM identifiers WHERE node_seq = ?", seqs)
        self.conn.executemany("DELETE FROM datasets WHERE is_edge = 0 AND seq = ?", seqs)

    def _write_edges(self, latest: dict[str, Edge], old: dict[str, tuple[int, str, str]]) -> None:
        if not latest:
            return
        self.conn.executemany(
            "DELETE FROM datasets WHERE is_edge = 1 AND seq = ?", [(row[0],) for row in old.values()]
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
                    day(edge.start),
                    day(edge.end),
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

    def insert_new(self, nodes: Sequence[NewNode] = (), edges: Sequence[NewEdge] = ()) -> tuple[int, int]:
        """Insert nodes and edges that are new, as what a caller worked out of their documents
        (:data:`NewNode`, :data:`NewEdge`: the same columns and index rows :meth:`write` gives
        their models). Returns the row numbers of the first node and the first edge: the others
        follow in order.

        The bulk path of a load, inside its transaction: no model is built and nothing is read
        back. The caller vouches that no id is in the store yet and that every edge's ends
        will be by the end of the transaction, and adds their edges to their degrees (:meth:`add_degrees`).
        """
        if not self._in_transaction:
            raise OrdergraphError("insert_new writes inside a transaction only")
        conn = self.conn
        seq = first_node = self._next_seq("nodes")
        rows, fts, idents, sets = [], [], [], []
        # Counted in memory, written once a word before the transaction ends (or before anything
        # else changes or reads the vocabulary): most words recur batch after batch.
        terms = self._pending_terms
        for node_id, kind, exchange, code, text, words, node_idents, datasets, names in nodes:
            rows.append((seq, node_id, kind, exchange, code, text))
            terms.update(words)
            fts.append((seq, index_text(words, names)))
            idents += [(s, v, seq) for s, v in node_idents]
            sets += [(d, 0, seq) for d in datasets]
            seq += 1
        conn.executemany(
            "INSERT INTO nodes (seq, id, kind, exchange, code, doc) VALUES (?, ?, ?, ?, ?, ?)", rows
        )
        conn.executemany("INSERT INTO names (rowid, words) VALUES (?, ?)", fts)
        self._vocab = None
        if len(terms) >= PENDING_TERMS:
            self._flush_terms()
        conn.executemany("INSERT INTO identifiers VALUES (?, ?, ?)", idents)
        seq = first_edge = self._next_seq("edges")
        edge_rows = []
        for edge_id, kind, source, target, start, end, text, datasets in edges:
            edge_rows.append((seq, edge_id, kind, source, target, start, end, text))
            sets += [(d, 1, seq) for d in datasets]
            seq += 1
        conn.executemany(
            "INSERT INTO edges (seq, id, kind, source, target, start_day, end_day, doc) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            edge_rows,
        )
        conn.executemany("INSERT INTO datasets VALUES (?, ?, ?)", sets)
        return first_node, first_edge

    def add_degrees(self, added: Iterable[tuple[str, int]]) -> None:
        """Add to nodes' degrees ``(node id, edges)`` (negative: edges taken away): what the edges
        :meth:`insert_new` wrote add (the caller counted them as it wrote them); an id no node has
        is passed over.

        The row numbers are read first (the ids in order, a walk along their index), then each
        degree is written by its row number, in row order, a single-row statement each: one
        ``INSERT … SELECT`` a node, as before, kept a statement journal (it may write several rows)
        and wrote a page image to it every time, 2 GB at 1M lines (bench/RESULTS.md, session 39).
        """
        by_id: dict[str, int] = {}
        for node_id, n in added:
            by_id[node_id] = by_id.get(node_id, 0) + n
        rows: list[tuple[int, int]] = []
        for chunk in _chunks(sorted(by_id)):
            found = self.conn.execute(
                "SELECT n.seq, n.id FROM json_each(?) AS j CROSS JOIN nodes AS n ON n.id = j.value",
                (_ids(chunk),),
            )
            rows += [(seq, by_id[node_id]) for seq, node_id in found]
        rows.sort()
        self.add_row_degrees(rows)

    def add_row_degrees(self, added: Iterable[tuple[int, int]]) -> None:
        """Add to nodes' degrees ``(row number, edges)``, as :meth:`add_degrees` by their ids: the
        caller vouches that each row is a node's (a bulk load's new nodes, by the numbers
        :meth:`insert_new` gave them). In row order, each degree lands after the last."""
        self.conn.executemany(
            "INSERT INTO degrees (seq, n) VALUES (?, ?) ON CONFLICT (seq) DO UPDATE SET n = n + excluded.n",
            added,
        )

    def defer_indexes(self) -> None:
        """Drop the indexes a load does not read, in its transaction (:meth:`build_indexes` after)."""
        if not self._in_transaction:
            raise OrdergraphError("defer_indexes works inside a transaction only")
        for name in _INDEX_NAMES:
            if name not in _LOOKUP_INDEXES:
                self.conn.execute(f"DROP INDEX IF EXISTS {name}")

    def build_indexes(self) -> None:
        """Every secondary index, built if missing."""
        self._create_indexes()

    def analyse_after(self) -> None:
        """Gather the query planner's statistics as the current transaction commits (after a bulk load)."""
        self._analyse = True

    def next_node_seq(self) -> int:
        """The row number the next new node gets (rows written later have higher ones)."""
        return self._next_seq("nodes")

    def next_edge_seq(self) -> int:
        """The row number the next new edge gets (as :meth:`next_node_seq`)."""
        return self._next_seq("edges")

    def add_node(self, node: Node) -> None:
        self.write([node])

    def add_edge(self, edge: Edge) -> None:
        self.write(edges=[edge])

    def delete(self, node_ids: Collection[str] = (), edge_ids: Collection[str] = ()) -> None:
        conn = self.conn
        with self.transaction():
            nodes = self._existing("nodes", list(node_ids))
            doomed = {i: (s, t) for i, (_, s, t) in self._existing_ends(list(edge_ids)).items()}
            for chunk in _chunks(list(nodes)):
                doomed.update(
                    (r[0], (r[1], r[2]))
                    for r in conn.execute(
                        "SELECT id, source, target FROM edges "
                        "WHERE source IN (SELECT value FROM json_each(?1)) "
                        "OR target IN (SELECT value FROM json_each(?1))",
                        (_ids(chunk),),
                    )
                )
            degree: Counter[str] = Counter()
            for source, target in doomed.values():
                degree[source] -= 1
                degree[target] -= 1
            for gone in nodes:
                degree.pop(gone, None)
            for chunk in _chunks(list(doomed)):
                conn.execute(
                    "DELETE FROM datasets WHERE is_edge = 1 AND seq IN "
                    "(SELECT seq FROM edges WHERE id IN (SELECT value FROM json_each(?)))",
                    (_ids(chunk),),
                )
                conn.execute("DELETE FROM edges WHERE id IN (SELECT value FROM json_each(?))", (_ids(chunk),))
            self._add_degrees(degree)
            self._unindex_nodes({seq: self._node(doc) for seq, doc in nodes.values()})
            conn.executemany("DELETE FROM nodes WHERE seq = ?", [(seq,) for seq, _ in nodes.values()])
            # A new node may take a deleted one's row number: it starts with no edges.
            conn.executemany("DELETE FROM degrees WHERE seq = ?", [(seq,) for seq, _ in nodes.values()])

    def clear(self) -> None:
        """Remove every node and edge, all or nothing (the tables stay)."""
        with self.transaction():
            for table in ("nodes", "degrees", "edges", "identifiers", "datasets", "terms"):
                self.conn.execute(f"DELETE FROM {table}")  # noqa: S608 - fixed table names
            self._pending_terms.clear()
            self.conn.execute("INSERT INTO names (names) VALUES ('delete-all')")
            self._vocab = None
