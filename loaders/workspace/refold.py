"""Rows written again as the merge of what the datasets now give them; rows nothing gives dropped."""

from __future__ import annotations

from collections.abc import Collection

from graph.model import CURATED, Edge, Node
from graph.store.workspace import json_param
from loaders.workspace.naming import judged_anew, judged_listings
from loaders.workspace.rows import GivenRows
from loaders.workspace.tables import _doc, _records_of, place_sql

# The readers and the resolver are imported where used: a command over the curated
# graph (``ordergraph affects``) starts without loading any of them.


class Refolding(GivenRows):
    """Merging touched rows again from their records, and the links set aside."""

    def _bring_back(self, node_ids: Collection[str]) -> None:
        """Links set aside for want of one of these nodes, merged in again once both their ends are there."""
        if not node_ids:
            return
        conn, store = self.conn, self.store()
        waiting = conn.execute(
            "SELECT DISTINCT edge FROM set_aside WHERE node IN (SELECT value FROM json_each(?))",
            (json_param(sorted(node_ids)),),
        ).fetchall()
        if not waiting:
            return
        edges = [str(e) for (e,) in waiting]
        rows = conn.execute(
            "SELECT edge, node FROM set_aside WHERE edge IN (SELECT value FROM json_each(?))",
            (json_param(edges),),
        ).fetchall()
        present = store.get_nodes({str(n) for _, n in rows})
        missing = {str(e) for e, n in rows if n not in present}
        ready = [e for e in edges if e not in missing]
        conn.executemany(
            "DELETE FROM set_aside WHERE edge = ? AND node = ?", [(e, n) for e, n in rows if n in present]
        )
        if ready:
            self._refold(set(), ready, CURATED)

    def _renamed(self, seq: int, own: str) -> str:
        """The node a dataset's own node id went into (itself when the dataset, load ``seq``, did not
        give it, or gave it into a row of that id: ``given.own`` is kept only when it is not its row's)."""
        rows = self.conn.execute(
            "SELECT target, rank, idx FROM given WHERE own = ? AND load_seq = ? AND is_edge = 0", (own, seq)
        )
        return next((str(target) for target, rank, idx in rows if self._kept(seq, rank, idx)), own)

    def _refold(
        self, node_ids: Collection[str], edge_ids: Collection[str], dataset: str, drop: bool = True
    ) -> tuple[list[str], list[str]]:
        """Write these rows again as the merge of what the datasets now give them.

        Rows nothing gives any more are deleted (``drop``), or returned for the caller to
        delete later: ``(nodes, edges)``.
        """
        from loaders.resolve import merge_edges, merge_nodes, moved_edge

        store = self.store()
        nodes: list[Node] = []
        gone_nodes: list[str] = []
        # Which rows any standing record still goes into, read in one statement each (a delta's
        # thousands of rows are mostly its own): only those are read record by record.
        given_nodes = self._still_given(0, node_ids)
        for node_id in sorted(node_ids):
            docs = self._given_docs(node_id, is_edge=False) if node_id in given_nodes else []
            if not docs:
                gone_nodes.append(node_id)
                continue
            parts = [Node.model_validate_json(doc) for _, doc in docs]
            node = parts[0] if parts[0].id == node_id else parts[0].model_copy(update={"id": node_id})
            for part in parts[1:]:
                node = merge_nodes(node, part)
            nodes.append(node)
        # A node merged again may have lost names (a dataset taken out): the listings of it that carry a
        # judgement are merged again too, from their statements, and judged against it (naming.py): those a
        # record stands behind (a row written straight into the store, with none, is left as it is).
        edge_ids = [*edge_ids, *self._still_given(1, judged_listings(self.conn, nodes, set(edge_ids)))]
        given_edges = self._still_given(1, edge_ids)
        edges: list[Edge] = []
        gone_edges: list[str] = []
        renamed: dict[str, str] = {}  # row id → the id of its first record
        placed: dict[str, int] = {}  # row id → where its merge is in ``edges``
        for edge_id in sorted(edge_ids):
            rows = self._given_docs(edge_id, is_edge=True) if edge_id in given_edges else []
            if not rows:
                gone_edges.append(edge_id)
                continue
            merged: Edge | None = None
            for given_by, doc in rows:
                said = Edge.model_validate_json(doc)
                source, target = self._renamed(given_by, said.source), self._renamed(given_by, said.target)
                if (source, target) != (said.source, said.target):
                    said = moved_edge(said, source, target)
                merged = said if merged is None else merge_edges(merged, said)
            if merged is not None:
                # Named by its first record, as merging the records in order names it: another than
                # the row's when a delta took out, moved or put before it the record that named it.
                if merged.id != edge_id:
                    renamed[edge_id] = merged.id
                    placed[edge_id] = len(edges)
                edges.append(merged)
        merged_nodes = {n.id: n for n in nodes}
        judged = judged_anew(edges, lambda node_id: merged_nodes.get(node_id) or store.get_node(node_id))
        edges = [judged.get(e.id, e) for e in edges]
        self._keep_given_docs([n.id for n in nodes], [e.id for e in edges] + list(renamed))
        self._rename_edges(renamed, placed, edges)
        store.write(nodes, edges)
        self._bind()  # a link set aside is written again
        self._index_names(nodes, fresh=False)
        if drop:
            self._drop(gone_nodes, gone_edges, dataset)
        return gone_nodes, gone_edges

    def _given_docs(self, row_id: str, is_edge: bool) -> list[tuple[int, str]]:
        """The records still given into a row (a node's, or an edge's), each as the load that gave it
        and its document, in the order merging reads them (load, rank, index)."""
        query = _records_of(f"g.load_seq, g.rank, g.idx, {_doc('g')}", "edges" if is_edge else "nodes")
        return [
            (given_by, doc)
            for _, given_by, rank, idx, doc in self.conn.execute(
                query + " ORDER BY 2, 3, 4", (json_param([row_id]), int(is_edge))
            )
            if self._kept(given_by, rank, idx)
        ]

    def _rename_edges(self, renamed: dict[str, str], placed: dict[str, int], edges: list[Edge]) -> None:
        """Rows named anew (``renamed``: old id → new id; their merges in ``edges`` at ``placed``): the
        old rows deleted, and their records pointed at the new ids (written next, then bound). A new
        id an edge of the graph has already (none should) leaves its row the old name."""
        if not renamed:
            return
        conn, store = self.conn, self.store()
        for old, new in list(renamed.items()):
            if store.get_edge(new) is not None:
                edges[placed[old]] = edges[placed[old]].model_copy(update={"id": old})
                del renamed[old]
        for old, new in renamed.items():
            # A record's own id is kept only when it is not its row's.
            conn.execute(
                "UPDATE given SET own = NULLIF(COALESCE(own, target), ?1), target = ?1, row = NULL "
                "WHERE is_edge = 1 AND row = (SELECT seq FROM edges WHERE id = ?2)",
                (new, old),
            )
        store.delete([], list(renamed))

    def _still_given(self, is_edge: int, ids: Collection[str]) -> set[str]:
        """Those of these rows that a standing record (not one a delta is replacing) goes into."""
        if not ids:
            return set()
        table = "edges" if is_edge else "nodes"
        # The records being replaced left out in SQL (a delta's thousands), as _kept would.
        seq, places = self._replacing or (-1, frozenset())
        records = _records_of(f"g.load_seq, {place_sql('g.')} AS place", table)
        rows = self.conn.execute(
            f"SELECT DISTINCT r.value FROM ({records}) AS r "  # noqa: S608
            "WHERE NOT (r.load_seq = ?3 AND r.place IN (SELECT value FROM json_each(?4)))",
            (json_param(list(ids)), is_edge, seq, json_param(sorted(places))),
        )
        return {str(target) for (target,) in rows}

    def _drop(self, node_ids: Collection[str], edge_ids: Collection[str], dataset: str) -> None:
        """Delete rows nothing gives any more. Other datasets' edges still joining such a node go
        with it, set aside (``set_aside``) until a dataset gives the node again."""
        store = self.store()
        if node_ids:
            doomed = set(edge_ids)
            gone = set(node_ids)
            left = [e for e in store.edges_of_many(node_ids) if e.id not in doomed]
            self._keep_given_docs((), [e.id for e in left])
            aside = [
                (str(given_by), edge.id, end)
                for edge in left
                for end in dict.fromkeys((edge.source, edge.target))
                if end in gone
                for (given_by,) in self.conn.execute(
                    "SELECT DISTINCT l.name FROM (" + _records_of("g.load_seq", "edges") + ") AS g "  # noqa: S608
                    "JOIN loads AS l ON l.seq = g.load_seq",
                    (json_param([edge.id]), 1),
                )
            ]
            self.conn.executemany("INSERT INTO set_aside VALUES (?, ?, ?)", aside)
            edge_ids = [*edge_ids, *(e.id for e in left)]
        # The records of the rows going stay without a row number (a link set aside; any other
        # record of them is gone already), and their names go.
        conn = self.conn
        for is_edge, table, ids in ((0, "nodes", node_ids), (1, "edges", edge_ids)):
            conn.execute(
                f"UPDATE given SET row = NULL WHERE is_edge = ? AND row IN (SELECT t.seq FROM json_each(?) "  # noqa: S608
                f"AS j JOIN {table} AS t ON t.id = j.value)",
                (is_edge, json_param(list(ids))),
            )
        conn.execute(
            "DELETE FROM name_blocks WHERE node_seq IN "
            "(SELECT n.seq FROM json_each(?) AS j JOIN nodes AS n ON n.id = j.value)",
            (json_param(list(node_ids)),),
        )
        store.delete(node_ids, edge_ids)
