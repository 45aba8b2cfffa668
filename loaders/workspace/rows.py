"""Writing merged rows with their bookkeeping: the records given, the names, the loads."""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Sequence
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from graph.errors import LoadError
from graph.model import Node
from graph.store.workspace import json_param
from loaders.workspace.datasets import Datasets
from loaders.workspace.given import _apply, _batches, _Given, _seen, _Stored
from loaders.workspace.names import _SqlNames
from loaders.workspace.naming import judged_anew, judged_listings
from loaders.workspace.tables import _FIRST, _GIVEN_INDEXES, _INDEXES, _LAST, _ROW_OF, _doc, place, place_sql

if TYPE_CHECKING:
    from loaders.bulk import BulkLoad
    from loaders.chains import Chains
    from loaders.delta import NameRow
    from loaders.records import Row
    from loaders.resolve import Merger, NameIndex

# The readers and the resolver are imported where used: a command over the curated
# graph (``ordergraph affects``) starts without loading any of them.


# A load giving at least this many records into a workspace holding fewer writes its
# bookkeeping rows first and builds their indexes after (as the store does its own).
BULK = 5000


class GivenRows(Datasets):
    """Merging into the store and writing the rows with what each dataset gave them."""

    def _merger(
        self, absent: Collection[str] = (), names: NameIndex | None = None, chains: Chains | None = None
    ) -> Merger:
        """A merger into the store; ``absent`` rows are there but read as gone (a delta replaces them).
        ``chains``: the identifiers known to name one entity, noting those its records find
        (``loaders/chains.py``)."""
        from loaders.chains import Chains
        from loaders.resolve import Merger, Resolver

        store = self.store()
        names = _SqlNames(store.conn) if names is None else names
        chains = Chains() if chains is None else chains
        resolver = Resolver(store, self.judgements(), names, absent=set(absent), chains=chains)
        return Merger(store, resolver)

    def _bulk_merge(
        self,
        rows: Iterable[Row],
        dataset: str,
        seq: int,
        path: str,
        progress: Callable[[int], None] | None = None,
        aside: list[tuple[str, str]] | None = None,
        chains: Chains | None = None,
    ) -> tuple[Merger, BulkLoad]:
        """A dataset's rows merged into the graph by the bulk path and written, in the caller's
        transaction, with their bookkeeping (the dataset's ``loads`` row aside).

        With ``aside`` (merging every dataset again), a link with an end no dataset gives now is
        listed there instead of refused.
        """
        from loaders.bulk import BoundedNames, BulkLoad
        from loaders.resolve import MemoryNames

        store, conn = self.store(), self.conn
        # Into a small workspace (the curated data alone), the bookkeeping's indexes are built
        # after the rows, and the names of the graph before the load are read into memory.
        small = self._small()
        blocks: set[str]
        names: NameIndex
        if small:
            memory = MemoryNames()
            for block, *entry in conn.execute("SELECT block, norm, node, country, kind FROM name_blocks"):
                memory.blocks.setdefault(block, []).append((entry[0], entry[1], entry[2], entry[3]))
            names, blocks = memory, set(memory.blocks)  # the table read once
            self._drop_indexes()
            store.defer_indexes()
        else:
            blocks = {r[0] for r in conn.execute("SELECT DISTINCT block FROM name_blocks")}
            last = conn.execute("SELECT COALESCE(MAX(rowid), 0) FROM name_blocks").fetchone()[0]
            names = BoundedNames(conn, int(last))
        merger = self._merger(names=names, chains=chains)
        apply = lambda m, r: _apply(m, r, path, aside)  # noqa: E731
        bulk = BulkLoad(store, merger, apply, dataset, seq, blocks, path, aside, in_memory=small)
        bulk.add_all(rows, progress)
        self._create_indexes()
        store.build_indexes()
        self._write_merged(merger)
        self._bind()  # the merger's rows are written after their records
        bulk.count_degrees()
        return merger, bulk

    def _write_merged(self, merger: Merger) -> None:
        # A node a load merged into has gained names: its judged listings are judged again against it
        # (loaders/workspace/naming.py), as are the listings the load merged.
        store = self.store()
        edges = dict(merger.edges)
        listings = judged_listings(self.conn, merger.nodes.values(), edges.keys())
        listed = [edge for i in listings if (edge := store.get_edge(i)) is not None]
        edges.update(judged_anew([*edges.values(), *listed], merger.get_node))
        self._keep_given_docs(merger.nodes.keys(), edges.keys())
        store.write(merger.nodes.values(), edges.values())
        self._index_names(merger.nodes.values(), fresh=False)

    def _keep_given_docs(self, node_ids: Collection[str], edge_ids: Collection[str]) -> None:
        """Before these rows are written again or deleted: the records that went into them as they
        were (``given.doc`` NULL, see :func:`_doc`; such a record always has its row) get their
        document, the row's as it still is."""
        # The records a delta is replacing are left out: their documents are written over (a copy
        # would only grow their rows and split the table's pages).
        seq, places = self._replacing or (-1, frozenset())
        for is_edge, table, ids in ((0, "nodes", node_ids), (1, "edges", edge_ids)):
            if ids:
                self.conn.execute(
                    f"UPDATE given SET doc = (SELECT t.doc FROM {table} AS t WHERE t.seq = given.row) "  # noqa: S608
                    f"WHERE is_edge = ? AND row IN (SELECT t.seq FROM json_each(?) AS j JOIN {table} AS t "
                    "ON t.id = j.value) AND doc IS NULL "
                    f"AND NOT (load_seq = ? AND {place_sql()} IN (SELECT value FROM json_each(?)))",
                    (is_edge, json_param(list(ids)), seq, json_param(sorted(places))),
                )

    def _index_names(self, nodes: Iterable[Node], fresh: bool) -> None:
        """The nodes' names in ``name_blocks``: added (``fresh``: none is there yet), or made what
        the nodes have now — only the entries that changed are deleted or added (a delta's
        changed entity keeps most of its names, and its row, even when it is given anew)."""
        from loaders.resolve import name_entries

        nodes = list(nodes)
        entries = [
            (block, *entry, node.provenance[0].dataset)
            for node in nodes
            for block, entry in name_entries(node)
        ]
        self._write_name_entries([n.id for n in nodes], entries, fresh)

    def _write_name_entries(self, node_ids: Iterable[str], entries: list[NameRow], fresh: bool) -> None:
        """:meth:`_index_names` of nodes whose entries are known (``(block, norm, node, country, kind,
        dataset)``, every name of those nodes)."""
        node_ids = list(node_ids)
        if not node_ids:
            return
        # Each name is kept with its node's row number (the nodes are written).
        seqs = dict(
            self.conn.execute(
                "SELECT n.id, n.seq FROM json_each(?) AS j CROSS JOIN nodes AS n ON n.id = j.value",
                (json_param(node_ids),),
            ).fetchall()
        )
        if not fresh:
            stored: dict[tuple[object, ...], list[int]] = {}
            for rowid, *entry in self.conn.execute(
                "SELECT b.rowid, b.block, b.norm, b.node, b.country, b.kind, b.dataset "
                "FROM json_each(?) AS j CROSS JOIN name_blocks AS b WHERE b.node_seq = j.value",
                (json_param(list(seqs.values())),),
            ):
                stored.setdefault(tuple(entry), []).append(rowid)
            new = []
            for entry in entries:
                rowids = stored.get(entry)
                if rowids:
                    rowids.pop()  # there already
                else:
                    new.append(entry)
            gone = sorted((rowid,) for rowids in stored.values() for rowid in rowids)
            self.conn.executemany("DELETE FROM name_blocks WHERE rowid = ?", gone)
            entries = new
        self.conn.executemany(
            "INSERT INTO name_blocks VALUES (?, ?, ?, ?, ?, ?, ?)", [(*e, seqs[e[2]]) for e in entries]
        )

    def _bind(self) -> None:
        """The records without a row number given the one of their row, where the graph has it now
        (rows a load's merger wrote after their records; a link set aside, written again)."""
        for is_edge, table in ((0, "nodes"), (1, "edges")):
            self.conn.execute(
                f"UPDATE given SET row = (SELECT t.seq FROM {table} AS t WHERE t.id = given.target) "  # noqa: S608
                "WHERE is_edge = ? AND row IS NULL",
                (is_edge,),
            )

    def _small(self) -> bool:
        """Whether the datasets gave fewer than ``BULK`` records (a load's bookkeeping indexes are then
        built after its rows)."""
        return self._given_count() < BULK

    def _given_count(self) -> int:
        """How many records the datasets gave, counted up to ``BULK`` (enough to tell a small workspace)."""
        found = self.conn.execute("SELECT COUNT(*) FROM (SELECT 1 FROM given LIMIT ?)", (BULK,))
        return int(found.fetchone()[0])

    def _insert_given_batches(
        self, seq: int, given: Iterable[_Given], small: bool
    ) -> tuple[int, tuple[str | None, str | None]]:
        """Insert records as they are merged, a batch at a time (a load holds a batch of them, not
        the file); how many there were, and their dates (:func:`_seen`). Into a ``small``
        workspace, a load giving ``BULK`` records or more drops the bookkeeping's indexes once it
        has given that many (the caller builds them after, :meth:`_create_indexes`)."""
        from loaders.bulk import BATCH

        count, first, last = 0, None, None
        for batch in _batches(given, BATCH):
            if small and count < BULK <= count + len(batch):
                # Only the records' own indexes: the merger still looks the graph's names up by
                # block (name_blocks_dataset) while these batches are written.
                self._drop_indexes(_GIVEN_INDEXES)
            count += len(batch)
            batch_first, batch_last = _seen(batch)
            first = min(filter(None, (first, batch_first)), default=None)
            last = max(filter(None, (last, batch_last)), default=None)
            self._insert_given(seq, batch)
        return count, (first, last)

    def _insert_given(self, seq: int, given: list[_Given]) -> None:
        """Insert records, each with the row number of its target (none while that row is not written)."""
        self.conn.executemany(
            "INSERT INTO given (load_seq, rank, idx, origin, is_edge, target, row, own, line, doc) "  # noqa: S608
            f"VALUES (?1, ?2, ?3, ?4, ?5, ?6, {_ROW_OF}, ?7, ?8, ?9)",
            (
                (
                    seq,
                    g.rank,
                    g.idx,
                    g.record.origin,
                    g.is_edge,
                    g.target,
                    None if g.own == g.target else g.own,
                    g.line,
                    None if g.as_row else g.document(),
                )
                for g in given
            ),
        )

    def _replace_given(self, seq: int, replaced: dict[int, list[_Stored]], given: list[_Given]) -> None:
        """A delta's records written over the ones it replaces (``replaced``: by rank).

        An entity that gave one record and gives one again into the same row (a company
        modified) has it updated where it stands: its keys stay, so only the table's page is
        written, not a page of each index (most of a delta's changes). The others are deleted
        and the new records inserted.
        """
        by_rank: dict[int, list[_Given]] = {}
        for g in given:
            by_rank.setdefault(g.rank, []).append(g)
        gone: list[tuple[int, int, int]] = []
        updates: list[tuple[int | None, str | None, int, int, int]] = []
        kept: set[int] = set()
        for rank, olds in replaced.items():
            news = by_rank.get(rank, [])
            if len(olds) == 1 and len(news) == 1:
                old, new = olds[0], news[0]
                own = None if new.own == new.target else new.own
                # (Of one origin: a rank may be shared by a record left out and brought back.)
                if (old.is_edge, old.target, old.own, old.origin) == (
                    new.is_edge,
                    new.target,
                    own,
                    new.record.origin,
                ):
                    doc = None if new.as_row else new.document()
                    updates.append((new.line, doc, seq, rank, old.idx))
                    kept.add(id(new))
                    continue
            gone += [(seq, rank, old.idx) for old in olds]
        conn = self.conn
        conn.executemany("DELETE FROM given WHERE load_seq = ? AND rank = ? AND idx = ?", sorted(gone))
        updates.sort(key=lambda update: (update[3], update[4]))  # in the order of the table
        conn.executemany(
            "UPDATE given SET line = ?, doc = ? WHERE load_seq = ? AND rank = ? AND idx = ?", updates
        )
        self._insert_given(seq, [g for g in given if id(g) not in kept])

    def _kept(self, seq: int, rank: int, idx: int) -> bool:
        """Whether a record of ``given`` stands (not one a delta is replacing)."""
        replacing = self._replacing
        return replacing is None or seq != replacing[0] or place(rank, idx) not in replacing[1]

    def _new_seq(self, dataset: str, path: str) -> int:
        """The load number a new dataset gets; one already loaded is refused."""
        if self.has(dataset):
            raise LoadError(
                path, None, "--dataset", f"dataset {dataset!r} is already loaded; unload it first"
            )
        return int(self.conn.execute("SELECT COALESCE(MAX(seq), 0) + 1 FROM loads").fetchone()[0])

    def _drop_indexes(self, statements: Sequence[str] = _INDEXES) -> None:
        """The bookkeeping's indexes (or those of ``statements``), dropped while a large load writes
        its rows (:meth:`_create_indexes` after)."""
        for statement in statements:
            self.conn.execute("DROP INDEX IF EXISTS " + statement.split()[5])

    def _create_indexes(self) -> None:
        for statement in _INDEXES:
            self.conn.execute(statement)

    def _insert_load(
        self,
        dataset: str,
        fmt: str,
        path: str,
        seq: int,
        records: int,
        skipped: tuple[int, int],
        seen: tuple[str | None, str | None],
    ) -> None:
        """The dataset's row in ``loads``; ``seen`` is its first and last first_seen/last_seen."""
        now = datetime.now(UTC).isoformat(timespec="seconds")
        self.conn.execute(
            "INSERT INTO loads VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (dataset, fmt, path, now, seq, records, *skipped, *seen),
        )

    def _update_load(
        self,
        dataset: str,
        seq: int,
        path: str,
        skipped: tuple[int, int],
        removed: list[tuple[str | None, str | None]],
        added: list[_Given],
    ) -> None:
        """A dataset's counts and dates after a delta took out ``removed`` records and gave ``added``.

        The dates are the earliest first-seen and latest last-seen of the records it now gives:
        from the old ones and the added ones, unless a record taken out held one of them (then
        they are read again from every record the dataset gives).
        """
        conn = self.conn
        count, first, latest = conn.execute(
            "SELECT records, first_seen, last_seen FROM loads WHERE name = ?", (dataset,)
        ).fetchone()
        records = int(count) - len(removed) + len(added)

        def still_given(column: str, value: str | None) -> bool:
            """Whether a record the dataset still gives has this date (the first found ends the scan)."""
            return (
                value is None
                or conn.execute(
                    f"SELECT 1 FROM given WHERE load_seq = ? AND {column} = ? LIMIT 1",  # noqa: S608
                    (seq, value),
                ).fetchone()
                is not None
            )

        if (first in {f for f, _ in removed} and not still_given(_FIRST, first)) or (
            latest in {la for _, la in removed} and not still_given(_LAST, latest)
        ):
            first, latest = conn.execute(
                "SELECT MIN(json_extract(p.value, '$.first_seen')), "  # noqa: S608
                "MAX(json_extract(p.value, '$.last_seen')) "
                f"FROM given AS g, json_each({_doc('g')}, '$.provenance') AS p WHERE g.load_seq = ?",
                (seq,),
            ).fetchone()
        else:
            added_first, added_last = _seen(added)
            first = min((d for d in (first, added_first) if d), default=None)
            latest = max((d for d in (latest, added_last) if d), default=None)
        self.conn.execute(
            "UPDATE loads SET path = ?, loaded_at = ?, records = ?, skipped = skipped + ?, "
            "skipped_links = skipped_links + ?, first_seen = ?, last_seen = ? WHERE name = ?",
            (
                path,
                datetime.now(UTC).isoformat(timespec="seconds"),
                records,
                *skipped,
                first,
                latest,
                dataset,
            ),
        )
