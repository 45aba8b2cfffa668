"""The workspace store: its reads (rows by id, edges of many nodes, index lookups, name candidates,
counts) over its connection and its write path."""

from __future__ import annotations

import json
from collections.abc import Collection, Iterable, Iterator
from datetime import date
from typing import Literal

from graph.model import Edge, Node, identifier_keys
from graph.names import code_key
from graph.store.base import CANDIDATES, Direction, Hops, Neighbourhood, reach_by_levels
from graph.store.words import Vocabulary, names_keys, pick, ranked, word_query
from graph.store.workspace.rows import _chunks, _ids, _quoted
from graph.store.workspace.schema import key_term
from graph.store.workspace.writing import StoreWrites

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


class WorkspaceStore(StoreWrites):
    """A GraphStore in a SQLite file (or ``":memory:"``).

    Open one with :meth:`open`; close it with :meth:`close` (or use ``with``).

    Every read of the GraphStore protocol here costs a bounded number of statements.
    """

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

    def dataset_counts(self, dataset: str) -> tuple[int, int]:
        """The nodes and edges one dataset gave (:meth:`datasets` of one, from its index)."""
        # Two counts of index ranges (2.5× faster than summing a test over the dataset's range:
        # 0.04 s for a 1M-entity dataset, read after every load and delta).
        row = self.conn.execute(
            "SELECT (SELECT COUNT(*) FROM datasets WHERE dataset = ?1 AND is_edge = 0), "
            "(SELECT COUNT(*) FROM datasets WHERE dataset = ?1 AND is_edge = 1)",
            (dataset,),
        ).fetchone()
        return int(row[0]), int(row[1])

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

    def degrees(self, node_ids: Iterable[str]) -> dict[str, int]:
        wanted = list(dict.fromkeys(node_ids))
        found: dict[str, int] = {}
        for chunk in _chunks(wanted):
            rows = self.conn.execute(
                "SELECT n.id, COALESCE(d.n, 0) FROM nodes AS n LEFT JOIN degrees AS d ON d.seq = n.seq "
                "WHERE n.id IN (SELECT value FROM json_each(?))",
                (_ids(chunk),),
            )
            found.update((r[0], int(r[1])) for r in rows)
        return {i: found[i] for i in wanted if i in found}

    def reach(
        self,
        seeds: Collection[str],
        hops: Hops,
        depth: int,
        as_of: date | None = None,
        hub: int | None = None,
    ) -> Neighbourhood:
        # In-process SQLite: a level costs a degree lookup, two indexed queries and a node fetch;
        # a hub seed's first edges are read without the rest.
        return reach_by_levels(self, seeds, hops, depth, as_of, hub, first_edges=self._first_edges)

    def _first_edges(
        self, node_id: str, side: Literal["out", "in"], kinds: list[str], as_of: date | None, limit: int
    ) -> list[Edge]:
        """A node's first ``limit`` edges on one side (in write order), without reading the rest."""
        end = "source" if side == "out" else "target"
        valid, params = ("", []) if as_of is None else (_VALID_ON, [as_of.isoformat()] * 2)
        each = (
            f"SELECT * FROM (SELECT e.seq, e.doc FROM edges AS e WHERE e.{end} = ? AND e.kind = ? {valid} "  # noqa: S608
            "ORDER BY e.seq LIMIT ?)"
        )
        sql = " UNION ALL ".join([each] * len(kinds)) + " ORDER BY 1 LIMIT ?"
        args: list[object] = []
        for kind in kinds:
            args += [node_id, kind, *params, limit]
        rows = self.conn.execute(sql, [*args, limit]).fetchall()
        return [self._edge(doc) for _, doc in rows]

    def securities(self, exchange: str | None = None, code: str | None = None) -> list[Node]:
        # Given a code or an exchange, ``+kind`` keeps SQLite off ``nodes_kind``: without statistics
        # for it, a code alone was looked for among every security in seq order (120k rows at 1M, a
        # "PDUX" search 50-60 ms CPU) instead of in ``nodes_ticker`` (a few rows, then sorted).
        kind = "kind" if exchange is None and code is None else "+kind"
        sql, params = [f"SELECT doc FROM nodes WHERE {kind} = 'Security'"], []  # noqa: S608 - a column
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
        # The candidates every store gives (graph.store.words): nodes carrying every query word
        # (or a variant of it), in write order, from an FTS5 AND (cheap even over common words);
        # then nodes carrying the telling words, the heaviest first, summed here from each
        # word's postings (no bm25, which reads every matching node's size).
        exact = self.get_node(text.strip())
        identified = self._identified(text, -1 if kinds is not None else limit + 1)
        named = self._named(text, kinds, limit)
        vocabulary, total = self._vocabulary()
        query = word_query(text, vocabulary, total)
        if not query:
            return pick([], exact, kinds, limit, identified, text=text, named=named)
        every_match = " AND ".join("(" + " OR ".join(_quoted(t) for t in g) + ")" for g in query.groups)
        cap = -1 if kinds is not None else limit + 1  # the kinds are filtered below
        rows = self.conn.execute("SELECT rowid FROM names WHERE names MATCH ? LIMIT ?", (every_match, cap))
        every = [r[0] for r in rows]
        weighed: list[int] = []
        if kinds is not None or len(every) < limit + 1:
            each = "SELECT rowid, ? AS w FROM names WHERE names MATCH ?"
            params: list[object] = []
            for term, weight in query.weights.items():
                params += [weight, _quoted(term)]
            rows = self.conn.execute(
                f"SELECT rowid FROM ({' UNION ALL '.join([each] * len(query.weights))}) "  # noqa: S608
                "GROUP BY rowid ORDER BY SUM(w) DESC, rowid LIMIT ?",
                [*params, cap if cap < 0 else cap + len(every)],
            )
            weighed = [r[0] for r in rows]
        return pick(
            self._nodes_at(ranked(every, weighed), limit + 1),
            exact,
            kinds,
            limit,
            identified,
            text=text,
            named=named,
        )

    def _named(self, text: str, kinds: Collection[str] | None, limit: int) -> list[Node]:
        """The first ``limit`` nodes (of ``kinds``) whose name or an alias is ``text``, normalised
        (:func:`graph.store.words.exact_keys`), in write order: from the word index, by the name's
        own term (:func:`~graph.store.workspace.schema.key_term`), however many nodes carry its words."""
        keys = names_keys([text])
        if not keys:
            return []
        kind_filter = "" if kinds is None else "AND n.kind IN (SELECT value FROM json_each(?))"
        rows = self.conn.execute(
            "SELECT n.doc FROM nodes n WHERE n.seq IN "  # noqa: S608 - only placeholders are joined in
            f"(SELECT rowid FROM names WHERE names MATCH ?) {kind_filter} ORDER BY n.seq LIMIT ?",
            [_quoted(key_term(keys[0])), *([] if kinds is None else [json.dumps(list(kinds))]), limit],
        )
        return [self._passing_node(doc) for (doc,) in rows]

    def _identified(self, text: str, cap: int) -> list[Node]:
        """The first ``cap`` nodes (all: -1) carrying ``text`` as an identifier of any scheme, in
        write order (the index on (scheme, value), one lookup per scheme whose form the text has)."""
        keys = identifier_keys(text)
        if not keys:
            return []
        where = " OR ".join(["(i.scheme = ? AND i.value = ?)"] * len(keys))
        rows = self.conn.execute(
            "SELECT n.doc FROM nodes n WHERE n.seq IN "  # noqa: S608 - only placeholders are joined in
            f"(SELECT i.node_seq FROM identifiers i WHERE {where}) ORDER BY n.seq LIMIT ?",
            [*(part for key in keys for part in key), cap],
        )
        return [self._node(doc) for (doc,) in rows]

    def _nodes_at(self, seqs: list[int], chunk: int) -> Iterator[Node]:
        """The nodes at these write positions, in that order, read ``chunk`` at a time as needed."""
        for part in _chunks(seqs, chunk):
            rows = self.conn.execute(
                "SELECT n.doc FROM json_each(?) AS r JOIN nodes AS n ON n.seq = r.value ORDER BY r.key",
                (json.dumps(list(part)),),
            )
            yield from (self._passing_node(doc) for (doc,) in rows)

    def _vocabulary(self) -> tuple[Vocabulary, int]:
        """Every indexed word with its count, and how many nodes there are: read on the first
        search, kept until this store writes or another connection commits (``data_version``)."""
        self._flush_terms()  # a search inside a load's transaction counts its new rows' words
        version = self.conn.execute("PRAGMA data_version").fetchone()[0]
        if self._vocab is None or self._vocab[0] != version:
            counts = dict(self.conn.execute("SELECT term, n FROM terms WHERE n > 0").fetchall())
            self._vocab = (version, Vocabulary.of(counts), self.node_count())
        return self._vocab[1], self._vocab[2]

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

    def edge_count(self) -> int:
        return int(self.conn.execute("SELECT COUNT(*) FROM edges").fetchone()[0])

    def counts(self) -> tuple[dict[str, int], dict[str, int]]:
        nodes = self.conn.execute("SELECT kind, COUNT(*) FROM nodes GROUP BY kind ORDER BY kind")
        node_counts = {k: int(c) for k, c in nodes}
        edges = self.conn.execute("SELECT kind, COUNT(*) FROM edges GROUP BY kind ORDER BY kind")
        return node_counts, {k: int(c) for k, c in edges}
