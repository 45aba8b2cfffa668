"""Loading a dataset, applying an FtM delta to one, and unloading one: all or nothing."""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Iterator
from typing import TYPE_CHECKING, Any

import orjson

from graph.errors import LoadError
from graph.model import CURATED, Edge
from graph.store.workspace import json_param
from loaders.chains import Chains
from loaders.records import Record
from loaders.workspace.chained import chained_by, holding_others
from loaders.workspace.comerged import AfterEnds, co_merged, in_place, sharing
from loaders.workspace.dangling import refuse_dangling
from loaders.workspace.datasets import DatasetInfo, SetAside
from loaders.workspace.given import _apply, _Given, _merge, _Stored
from loaders.workspace.late import insert_given_late, place_links
from loaders.workspace.lists import list_fixes, lists_before_listings
from loaders.workspace.names import _SqlNames
from loaders.workspace.relink import Moves, linking_entities, listed_elsewhere, relinked_rows
from loaders.workspace.remerge import Remerging
from loaders.workspace.skips import LeftOut, TakenOut, insert_left_out
from loaders.workspace.tables import (
    ROWS_CACHE_KIB,
    _doc,
    _of_entities,
    _writing_records,
    keep_next_idx,
    next_idx_key,
    next_idx_of,
    place,
)

if TYPE_CHECKING:
    from loaders.ftm import Change
    from loaders.records import Row

# Where :func:`~loaders.workspace.comerged.in_place` puts an entity new to the dataset: after every other.
_NEW_RANK = 1 << 62
# The readers and the resolver are imported where used: a command over the curated
# graph (``ordergraph affects``) starts without loading any of them.


class Loading(Remerging):
    """Adding, changing and taking out datasets."""

    def load_rows(
        self,
        rows: Iterable[Row],
        dataset: str,
        fmt: str,
        path: str,
        progress: Callable[[int], None] | None = None,
        skipped: Callable[[], tuple[int, int]] | None = None,
        left_out: Callable[[], list[LeftOut]] | None = None,
        given_late: Callable[[], list[tuple[str, str | None]]] | None = None,
    ) -> DatasetInfo:
        """Merge a new dataset's plain rows into the graph, all or nothing, by the bulk path.

        Rows new to the graph are written as they come, the others merged (``loaders/bulk.py``);
        the graph is the one :meth:`load` would make of the same records.
        """
        from graph.gcpause import cyclic_gc_paused

        seq = self._new_seq(dataset, path)
        store, conn = self.store(), self.conn
        chains = Chains()
        with cyclic_gc_paused(), _writing_records(store, ROWS_CACHE_KIB), store.transaction():
            merger, bulk = self._bulk_merge(rows, dataset, seq, path, progress, chains=chains)
            if conn.execute("SELECT 1 FROM set_aside LIMIT 1").fetchone() is not None:
                self._bring_back([*merger.nodes, *bulk.fresh])
            seen = (bulk.first_seen, bulk.last_seen)
            self._insert_load(dataset, fmt, path, seq, bulk.records, skipped() if skipped else (0, 0), seen)
            if left_out is not None:
                insert_left_out(conn, seq, left_out(), bulk.ranks)
            if given_late is not None:
                insert_given_late(conn, seq, given_late(), bulk.ranks)
            keep_next_idx(conn, seq, bulk.records)  # past every index it gave (not only the last record's)
            self._merge_chained(dataset, chains)
            store.analyse_after()
        return self.info(dataset)

    def load(
        self,
        records: Iterable[Record],
        dataset: str,
        fmt: str,
        path: str,
        progress: Callable[[int], None] | None = None,
        skipped: Callable[[], tuple[int, int]] | None = None,
    ) -> DatasetInfo:
        """Merge a new dataset's records into the graph, all or nothing."""
        seq = self._new_seq(dataset, path)
        store = self.store()
        chains = Chains()
        with _writing_records(store), store.transaction():
            merger = self._merger(chains=chains)
            small = self._small()
            given = _merge(merger, records, path, {}, 0, progress)
            count, seen = self._insert_given_batches(seq, given, small)
            self._write_merged(merger)
            self._bind()  # the records of rows new to the graph were written before their rows
            self._bring_back(merger.nodes.keys())
            counts = skipped() if skipped else (0, 0)
            self._insert_load(dataset, fmt, path, seq, count, counts, seen)
            self._create_indexes()
            self._merge_chained(dataset, chains)
        return self.info(dataset)

    def _merge_chained(self, dataset: str, chains: Chains) -> None:
        """Every dataset merged again knowing ``chains``, when a record of ``dataset`` found nodes kept
        apart so far (loaders/chains.py): merged in order, they stayed apart where the final graph
        has one node (rare: minutes at a million entities, in the load's transaction)."""
        if chains.grew:
            why = f"{dataset} gave an entity whose identifiers join nodes kept apart so far"
            self._rebuild(why=why, chains=chains)

    def apply_delta(
        self,
        dataset: str,
        changes: Iterable[Change],
        path: str,
        progress: Callable[[int], None] | None = None,
    ) -> DatasetInfo:
        """Apply FtM delta lines (ADD, MOD, DEL) to a loaded FtM dataset, touching only their entities.

        The last line about an entity decides: its records are taken out and, unless it
        was deleted, the new ones merged in where the old ones stood.
        """
        from graph.gcpause import cyclic_gc_paused

        # The collector paused from the first line read to the dataset's counts, not only while
        # writing: reading the changes and counting ran ~150 collections (0.14 s CPU of a 1 % delta
        # at 1M). What a delta builds is freed by reference counting.
        with cyclic_gc_paused():
            return self._apply_delta(dataset, changes, path, progress)

    def _apply_delta(
        self,
        dataset: str,
        changes: Iterable[Change],
        path: str,
        progress: Callable[[int], None] | None = None,
    ) -> DatasetInfo:
        from loaders.delta import DeltaRows
        from loaders.ftm import FtmReader, entity_node_id

        store = self.store()
        last: dict[str, Change] = {}
        for change in changes:
            last.pop(change.entity_id, None)
            last[change.entity_id] = change  # in the order of each entity's last line
        conn = self.conn
        seq, fmt = conn.execute("SELECT seq, format FROM loads WHERE name = ?", (dataset,)).fetchone()
        if fmt != "ftm":
            # Its records are found by their FtM ids (_of_entities): another format's are not.
            what = f"dataset {dataset!r} was loaded as {fmt}: an FtM delta applies to FtM data"
            raise LoadError(path, None, "--dataset", what)
        if conn.execute("SELECT 1 FROM left_out_unknown WHERE load_seq = ?", (seq,)).fetchone() is not None:
            # Loaded before bookkeeping 7 with entities or links left out, which were not kept: a
            # delta linking to one, or bringing its links back, could not give the final file's graph.
            (loaded_from,) = conn.execute("SELECT path FROM loads WHERE seq = ?", (seq,)).fetchone()
            what = (
                f"dataset {dataset!r} was loaded from {loaded_from} by an earlier ordergraph, which did "
                "not keep what the load left out (entities of schemas we skip, links to them), so a delta "
                f"cannot be applied to it as its final file would load: load it again (ordergraph unload "
                f"{dataset}; ordergraph load {loaded_from} --format ftm --dataset {dataset}), then the delta"
            )
            raise LoadError(path, None, "--dataset", what)
        with store.scattered_cache(), store.mapped_reads(), store.sorting_on_disk(), store.transaction():
            ranks: dict[str, int] = {}
            nodes: set[str] = set()
            edges: set[str] = set()
            removed: list[tuple[str | None, str | None]] = []  # the dates of the records taken out
            replaced: dict[int, list[_Stored]] = {}
            taken: dict[str, tuple[str, str]] = {}  # node ids the records gave → (FtM id, row)
            # The records of every entity the delta names, read by one statement (each entity a
            # seek or two: see _of_entities), not one a change. They are read as gone from here on,
            # and replaced when the new records are written.
            seen_at: set[tuple[int, int]] = set()
            # The programs of the listings taken out and given, each with the lowest place (rank, index)
            # in the dataset's order of those listings (loaders/workspace/lists.py).
            programs: dict[str, tuple[int, int]] = {}

            def take(entities: list[str]) -> None:
                for origin, rank, idx, is_edge, target, own, said in conn.execute(
                    _of_entities(
                        "g.rank, g.idx, g.is_edge, g.target, g.own, json_extract("
                        f"{_doc('g')}, '$.provenance[0].first_seen', '$.provenance[0].last_seen', "
                        "'$.kind', '$.properties.program')"
                    ),
                    (json_param(entities), seq),
                ):
                    if (rank, idx) in seen_at:
                        continue
                    seen_at.add((rank, idx))
                    ranks[origin] = rank
                    (edges if is_edge else nodes).add(target)
                    first, latest, kind, program = orjson.loads(said) if said is not None else (None,) * 4
                    removed.append((first, latest))
                    replaced.setdefault(rank, []).append(_Stored(idx, bool(is_edge), target, own, origin))
                    if not is_edge:
                        taken[own or target] = (origin, target)
                    elif kind == "LISTED_ON" and program is not None:
                        _touch(programs, program, (rank, idx))

            take(list(last))
            # An entity whose schema changed under links of the dataset's other entities: those are
            # given again from their records, with its new node (loaders/workspace/relink.py).
            moves = Moves(taken, last, listed_elsewhere(conn, seq, taken, last))
            linking = linking_entities(conn, store, seq, moves, last) if moves else []
            relinked, dropped = relinked_rows(conn, seq, moves, linking)
            take(linking)
            # Other entities of the dataset merged into a node the delta touches, and those linking to
            # it: given again from their records in their places, resolved as the final file would
            # (loaders/workspace/comerged.py).
            # So are the dataset's entities in a node the delta's entities now join by an identifier
            # (read from their lines): the first of them in the file names it.
            shared, joining = sharing(conn, last.values(), nodes, ranks)
            joined = {row for own, (origin, row) in taken.items() if origin in joining}
            again_too = co_merged(conn, store, seq, nodes, {*last, *linking}, shared, joined)
            take(list(again_too.records))
            # Its records joined other datasets' nodes (loaders/workspace/chained.py): what those gave
            # the rows it touches stays one only while the records that joined them are there.
            rejoin = dataset in chained_by(conn) and holding_others(conn, seq, nodes)
            # What the dataset left out (entities of schemas we skip, links to them) and the delta's
            # entities are: read again (loaders/workspace/skips.py).
            left = TakenOut(conn, seq, last)
            regiven_of = {origin: again_too.rows(origin) for origin in again_too.records}
            regiven = [row for rows_of in regiven_of.values() for row in rows_of]
            self._replacing = (seq, frozenset(place(r, s.idx) for r, olds in replaced.items() for s in olds))
            try:
                # Rows only these entities gave wait, absent to the resolver, for their new records.
                gone_nodes, gone_edges = self._refold(nodes, edges, dataset, drop=False)
                again = {ftm_id for ftm_id, change in last.items() if change.op != "DEL"}
                again |= {
                    key
                    for row in regiven
                    if not row.is_edge
                    for key in row.doc["identifiers"].get("ftm_id", ())
                }
                known = _KnownIds(self, dataset, seq, again)
                reader = FtmReader(dataset, path, known, own_given=known.own_given)
                reader.skipped_before = left.skipped_before
                left.wait_again(reader, ranks)
                # Each link the delta changes ranked where the final file gives it: at its line's place,
                # or after an end further down (loaders/workspace/late.py).
                placed = place_links(conn, seq, last, ranks)
                # The lists the dataset gave (their nodes are the graph's few sanctions lists).
                reader.lists_given = {
                    origin.removeprefix("program:")
                    for (origin,) in conn.execute(
                        "SELECT g.origin FROM nodes AS n CROSS JOIN given AS g "
                        "WHERE n.kind = 'SanctionsList' AND g.is_edge = 0 AND g.row = n.seq "
                        "AND g.load_seq = ?1 AND g.origin >= 'program:' AND g.origin < 'program;' "
                        "UNION SELECT origin FROM given WHERE is_edge = 0 AND row IS NULL "
                        "AND load_seq = ?1 AND origin >= 'program:' AND origin < 'program;'",
                        (seq,),
                    )
                }
                # New origins rank after the dataset's last record (one seek in the table's key),
                # and the new records' indexes continue past every index the load and its deltas
                # gave (kept: a rank may be shared by another origin's records, one left out brought
                # back at its place, skips.py; the last record's index is not always the highest).
                top = conn.execute(
                    "SELECT rank, idx FROM given WHERE load_seq = ? ORDER BY rank DESC, idx DESC LIMIT 1",
                    (seq,),
                ).fetchone() or (0, 0)
                next_rank = top[0] + 1
                next_idx = max(top[1] + 1, next_idx_of(conn, seq))

                def rows() -> Iterator[Row]:
                    changes = [change for change in last.values() if change.op != "DEL"]
                    # A link given again from its records waits for its ends given again further on.
                    after = AfterEnds(
                        {r.doc["id"] for rs in regiven_of.values() for r in rs if not r.is_edge}
                        | {r.doc["id"] for r in relinked if not r.is_edge}
                        | {n for c in changes if (n := entity_node_id(c.entity)) is not None}
                    )
                    # The entities linking to one whose schema changed are given again in their places
                    # too: one of them may share a node with a later entity (two securities of one
                    # ISIN), which the first in the file names.
                    relinking = iter(relinked)
                    pending = next(relinking, None)

                    def relinked_before(rank: int) -> Iterator[Row]:
                        nonlocal pending
                        while pending is not None and ranks[pending.origin] < rank:
                            row, pending = pending, next(relinking, None)
                            if row.is_edge:
                                yield from after.link(row)
                                continue
                            yield row
                            yield from after.given(row.doc["id"])

                    for change, origin in in_place(changes, lambda c: ranks.get(c.entity_id), again_too):
                        rank = again_too.rank(str(origin)) if change is None else ranks.get(change.entity_id)
                        yield from relinked_before(_NEW_RANK if rank is None else rank)
                        if change is not None:
                            for row in reader.rows(change.entity, change.line):
                                yield row
                                if not row.is_edge:
                                    yield from after.given(row.doc["id"])
                            continue
                        for row in regiven_of[str(origin)]:
                            if row.is_edge:
                                yield from after.link(row)
                                continue
                            yield row
                            keys = row.doc["identifiers"].get("ftm_id", ())
                            yield from reader.known_again(keys, row.doc["id"], row.origin)
                            yield from after.given(row.doc["id"])
                    yield from relinked_before(_NEW_RANK + 1)
                    yield from after.rest()
                    yield from reader.ready_rows(final=True)

                names = _SqlNames(conn, other_than=dataset)
                chains = Chains()
                merger = self._merger(absent=set(gone_nodes) | set(gone_edges), names=names, chains=chains)
                merger.resolver.own_dataset = dataset
                merger.resolver.names_exclude_own = True
                merger.earlier = lambda own: self._renamed(seq, own)
                # A delta is small: read whole, its lookups made ahead. Its entities that meet
                # nothing else are written as their documents, the rest merged (loaders/delta.py).
                new_rows = list(rows())
                # A link of the dataset left naming an entity the delta takes away: refused, as the
                # final file would be (loaders/workspace/dangling.py).
                refuse_dangling(conn, store, seq, dataset, path, taken, last, new_rows, regiven=linking)
                delta = DeltaRows(store, merger, new_rows, gone_nodes)
                ranked = set(ranks) | placed
                delta.read_ahead(names)
                apply = lambda m, r: _apply(m, r, path)  # noqa: E731
                given = [
                    _Given(rank, idx, record, target)
                    for rank, idx, record, target in delta.merge(apply, ranks, next_rank, next_idx, progress)
                ]
                for g in given:
                    # A record that is its row keeps no copy of its document (as in a load's bulk path):
                    # the row is written from the same model (a plain row: from the same document).
                    if isinstance(g.record, Record):
                        item = g.record.item
                        written: dict[str, Any] = merger.edges if isinstance(item, Edge) else merger.nodes
                        g.as_row = written.get(g.target) is item
                    else:
                        g.as_row = True
                self._write_merged(merger)
                self._write_name_entries(delta.plain.keys(), delta.names, fresh=False)
                self._replace_given(seq, replaced, given)
                insert_given_late(conn, seq, reader.given_late(), ranks, only=set(ranks) - ranked)
                keep_next_idx(conn, seq, next_idx + len(new_rows))
                self._replacing = None  # written: read as they are
                re_given = merger.nodes.keys() | delta.plain.keys()
                if again_too.edges:
                    # The other links on the rows of entities given again (another dataset's) follow
                    # their ends' new rows (named anew), before a row left with none of its records goes.
                    merged = set(gone_edges) | merger.edges.keys()
                    self._refold(set(), [e for e in again_too.edges if e not in merged], dataset)
                self._drop(
                    [n for n in gone_nodes if n not in re_given],
                    [e for e in gone_edges if e not in merger.edges],
                    dataset,
                )
                # A row others gave too is merged again in load order, as a full reload would.
                self._refold(merger.nodes.keys() - merger.created, merger.joined, dataset)
                # The lists of the programs touched, each before its first listing (lists.py), made
                # from the first listing of each left.
                listed: dict[str, tuple[int, int]] = {}
                for row, g in zip(new_rows, given, strict=True):  # a record of each row, in order
                    if row.is_edge and row.doc["kind"] == "LISTED_ON":
                        _touch(listed, row.doc["properties"]["program"], (g.rank, g.idx))
                lists_before_listings(conn, seq, listed)
                for program, lowest in listed.items():
                    _touch(programs, program, lowest)
                fixes = list(list_fixes(conn, seq, dataset, programs))
                for fix in fixes:
                    if fix.doc is None:
                        conn.execute(
                            "DELETE FROM given WHERE load_seq = ? AND rank = ? AND idx = ?",
                            (seq, fix.rank, fix.idx),
                        )
                        removed.append((None, None))
                    else:
                        conn.execute(
                            "UPDATE given SET doc = ? WHERE load_seq = ? AND rank = ? AND idx = ?",
                            (fix.doc, seq, fix.rank, fix.idx),
                        )
                if fixes:
                    self._refold({fix.row for fix in fixes}, set(), dataset)
                self._bring_back(re_given)
                fresh = max([next_rank - 1, *ranks.values()]) + 1  # after every rank the delta gave
                entities, links = insert_left_out(conn, seq, reader.left_out(), ranks, fresh)
                relinked_out = [(end, origin, doc, None) for end, origin, _, doc in dropped]
                links += insert_left_out(conn, seq, relinked_out, {o: r for _, o, r, _ in dropped}, fresh)[1]
                skipped = (entities - left.entities, links - left.links)
                self._update_load(dataset, seq, path, skipped, removed, given)
                if again_too.later:
                    self._rebuild(
                        why=f"a delta of {dataset} merged again entities a later dataset had merged into",
                        chains=chains,
                    )
                elif rejoin:
                    why = f"a delta of {dataset} changed entities that joined other datasets'"
                    self._rebuild(why=why, chains=chains)
                else:
                    self._merge_chained(dataset, chains)
            finally:
                self._replacing = None
        if progress is not None and last:
            progress(max(change.line for change in last.values()))  # every line applied (a DEL gives no row)
        return self.info(dataset)

    def unload(self, dataset: str) -> list[SetAside]:
        """Remove a dataset and everything only it gave; rows others gave too lose only it.

        The graph is left as if the dataset had never been loaded. Links other datasets gave to
        nodes only it gave (an article's mention of a company only it described) are set aside,
        not lost: they are returned, and come back when a dataset gives those nodes again.
        """
        if dataset == CURATED:
            raise LoadError(
                dataset, None, None, "the curated data is the workspace's base: it cannot be unloaded"
            )
        if not self.has(dataset):
            known = ", ".join(d.name for d in self.datasets()) or "none"
            raise LoadError(dataset, None, None, f"no dataset {dataset!r} is loaded (loaded: {known})")
        store, conn = self.store(), self.conn
        seq = int(conn.execute("SELECT seq FROM loads WHERE name = ?", (dataset,)).fetchone()[0])
        # The workspace lock first, then the file, waiting for it as long as a re-merge does: as
        # every re-merge, since this one may merge every dataset again (known only once it holds
        # the file).
        with (
            self._locked(f"unloading {dataset} from {self.folder}"),
            _writing_records(store),
            store.waiting_long(),
            store.transaction(),
        ):
            nodes: set[str] = set()
            edges: set[str] = set()
            rows = conn.execute("SELECT is_edge, target FROM given WHERE load_seq = ?", (seq,))
            for is_edge, target in rows:
                (edges if is_edge else nodes).add(target)
            # A node a later dataset merged into: that dataset's records were resolved against
            # this one's (its company matched this one's by an LEI), so every dataset is merged
            # again without it, as if it had never been loaded. Otherwise only its rows change.
            joined = conn.execute(
                "SELECT 1 FROM given AS g JOIN given AS o ON o.is_edge = 0 AND o.row = g.row "
                "AND o.load_seq > g.load_seq WHERE g.load_seq = ? AND g.is_edge = 0 LIMIT 1",
                (seq,),
            ).fetchone()
            # A node it joined with another dataset's by identifiers found to name one entity
            # (loaders/workspace/chained.py): every dataset is merged again without it too.
            chained = dataset in chained_by(conn)
            if joined is not None or chained:
                self._refuse_unrecorded(f"without {dataset}")
            before = self.set_aside()
            conn.execute("DELETE FROM given WHERE load_seq = ?", (seq,))
            conn.execute("DELETE FROM set_aside WHERE dataset = ?", (dataset,))
            conn.execute("DELETE FROM left_out WHERE load_seq = ?", (seq,))
            conn.execute("DELETE FROM left_out_unknown WHERE load_seq = ?", (seq,))
            conn.execute("DELETE FROM given_late WHERE load_seq = ?", (seq,))
            conn.execute("DELETE FROM meta WHERE key = ?", (next_idx_key(seq),))
            conn.execute("DELETE FROM loads WHERE name = ?", (dataset,))
            if joined is not None or chained:
                merged = "a later dataset had merged into its entities" if joined else "it had joined others'"
                self._rebuild(why=f"{dataset} was unloaded and {merged}", checked=True)
            else:
                self._refold(nodes, edges, dataset)
            return [a for a in self.set_aside() if a not in before and a.dataset != dataset]


def _touch(programs: dict[str, tuple[int, int]], program: str, place: tuple[int, int]) -> None:
    """Note a listing on ``program`` taken out or given at ``place`` (rank, index): the lowest is kept."""
    lowest = programs.get(program)
    if lowest is None or place < lowest:
        programs[program] = place


class _KnownIds(dict[str, str]):
    """FtM ids (and referents) → node ids, for a delta: what it read, else what its dataset gave before.

    An entity the delta gives again (``later``) is not known until its line is read: a link to it
    waits for it, as a link to an entity further down a full file does (its old rows are out of
    the graph until then).
    """

    def __init__(self, workspace: Loading, dataset: str, seq: int, later: Collection[str] = ()) -> None:
        super().__init__()
        self.workspace = workspace
        self.dataset, self.seq = dataset, seq
        self.later = later

    def own_given(self, ftm_id: str) -> bool:
        """Whether the dataset gave, before this delta, the entity of this FtM id itself (its line),
        and the delta does not give it again: a link naming the id names that entity's node, whatever
        entity lists the id among its referents (loaders.ftm.FtmReader._known)."""
        return ftm_id not in self.later and self._own_node(ftm_id) is not None

    def _own_node(self, ftm_id: str) -> str | None:
        rows = self.workspace.conn.execute(
            _of_entities("COALESCE(g.own, g.target), g.rank, g.idx", edges=False),
            (json_param([ftm_id]), self.seq),
        )
        return next(
            (str(own) for _, own, rank, idx in rows if self.workspace._kept(self.seq, rank, idx)), None
        )

    def _lookup(self, ftm_id: str) -> str | None:
        if ftm_id in self.later:
            return None
        found = self._own_node(ftm_id)
        if found is not None:
            return found
        for node in self.workspace.store().nodes_by_identifier("ftm_id", ftm_id):
            if self.dataset in node.datasets:
                return node.id
        return None

    def __contains__(self, key: object) -> bool:
        if dict.__contains__(self, key):
            return True
        found = self._lookup(key) if isinstance(key, str) else None
        if found is not None:
            self[key] = found  # type: ignore[index]
        return found is not None

    def __missing__(self, key: str) -> str:
        found = self._lookup(key)
        if found is None:
            raise KeyError(key)
        self[key] = found
        return found
