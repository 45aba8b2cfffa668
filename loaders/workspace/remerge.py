"""Every loaded dataset merged again from the records it gave, and what a face is told meanwhile."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Literal

from graph.errors import LoadError
from graph.model import CURATED, Edge, Node
from loaders.chains import Chains
from loaders.records import Record
from loaders.workspace.chained import keep_chained_by
from loaders.workspace.folders import DATABASE
from loaders.workspace.given import _Given
from loaders.workspace.late import late_anchors, place_again
from loaders.workspace.refold import Refolding
from loaders.workspace.tables import _FOLD_MERGE, _doc, _writing_records, keep_next_idx

if TYPE_CHECKING:
    from loaders.records import Row

# The readers and the resolver are imported where used: a command over the curated
# graph (``ordergraph affects``) starts without loading any of them.


REMERGE_STEP = 10_000  # rows merged again between two progress events
_REMERGED = "remerged_records"  # the temporary table of the records being merged again


@dataclass(frozen=True)
class Remerge:
    """Every loaded dataset being merged again, as a face tells its user (at 1M entities: minutes).

    Sent at each ``stage``: when it begins (``rows`` 0: not read yet), when the rows are ``read``,
    now and then while they are ``merging`` (``done`` of ``rows``), and when it is ``done`` — or
    ``failed`` (the error follows; the workspace is as it was). Never sent when no dataset is loaded.
    """

    why: str  # "the curated data changed since this workspace was built"
    datasets: int  # the loaded datasets merged again (the curated base aside)
    records: int  # the records they gave, as ``ordergraph sources`` counts them
    rows: int = 0
    done: int = 0
    stage: Literal["begin", "read", "merging", "done", "failed"] = "begin"

    @property
    def finished(self) -> bool:
        """Whether the re-merge is over and written."""
        return self.stage == "done"

    def tenths(self) -> int:
        """How many tenths of the rows are merged."""
        return self.done * 10 // self.rows if self.rows else 0

    def sentence(self) -> str:
        """What is happening and why, e.g. ``the curated data changed since this workspace was built:
        re-merging 2 loaded datasets (1,204 records)…``."""
        datasets = f"{self.datasets} loaded dataset{'' if self.datasets == 1 else 's'}"
        return f"{self.why}: re-merging {datasets} ({self.records:,} records)…"


class RemergeLines:
    """What a face says about a re-merge, a line at a time through ``say``: why, when it begins; a
    line every tenth of the rows for a run of at least ``min_rows``; how long it took. Nothing
    when it fails: the face reports the error itself."""

    def __init__(self, say: Callable[[str], None], min_rows: int = 0) -> None:
        self.say = say
        self.min_rows = min_rows
        self.started = time.monotonic()
        self.said = 0  # tenths said so far

    def __call__(self, event: Remerge) -> None:
        if event.stage == "begin":
            self.started, self.said = time.monotonic(), 0
            self.say(event.sentence())
        elif event.stage == "done":
            self.say(f"re-merged {event.rows:,} rows in {time.monotonic() - self.started:.1f} s")
        elif event.stage == "merging" and event.rows >= self.min_rows and event.tenths() > self.said:
            self.said = event.tenths()
            self.say(f"re-merging: {event.done:,} of {event.rows:,} rows")


def _told(rows: Iterable[Row], event: Remerge, tell: Callable[[Remerge], None]) -> Iterator[Row]:
    """``rows``, telling ``tell`` how far the merge is every ``REMERGE_STEP`` rows."""
    for i, row in enumerate(rows, start=1):
        yield row
        if i % REMERGE_STEP == 0:
            tell(replace(event, done=event.done + i, stage="merging"))


class Remerging(Refolding):
    """Merging every dataset again, all or nothing."""

    def _rebuild(
        self,
        why: str,
        base: list[Record] | None = None,
        digest: str | None = None,
        checked: bool = False,
        chains: Chains | None = None,
    ) -> None:
        """Every dataset merged again, in load order, from the records it gave.

        After a judgement; or onto ``base``, new curated records (whose files hash to
        ``digest``), when the curated data changed since the workspace copied it. Each dataset
        goes through the bulk path, as a load does (``loaders/bulk.py``): rows that meet nothing
        are written in batches, only the others merged one by one; the graph is the one merging
        every record in turn makes.

        ``checked``: the caller asked, inside the transaction this joins (holding the file),
        whether rows no dataset gives would be lost (:meth:`_refuse_unrecorded`); otherwise the
        re-merge asks once it holds the file.

        ``chains``: identifiers a merge found to name one entity (a load's record finding two nodes
        kept apart, ``loaders/chains.py``), known from the start; whatever more the re-merge finds,
        it merges again, until it finds nothing new.
        """
        loads = self.conn.execute("SELECT name, path, seq FROM loads ORDER BY seq").fetchall()
        records = self.conn.execute("SELECT COALESCE(SUM(records), 0) FROM loads WHERE seq > 0").fetchone()[0]
        event = Remerge(why, len(loads) - 1, int(records))
        told = self.remerging if self.remerging is not None and event.datasets else None
        tell: Callable[[Remerge], None] = told or (lambda _: None)
        tell(event)
        try:
            self._remerge(loads, base, digest, event, tell, checked, chains)
        except BaseException:
            tell(replace(event, stage="failed"))
            raise

    def _remerge(
        self,
        loads: list[tuple[str, str, int]],
        base: list[Record] | None,
        digest: str | None,
        event: Remerge,
        tell: Callable[[Remerge], None],
        checked: bool,
        chains: Chains | None = None,
    ) -> None:
        """:meth:`_rebuild`'s work, in one transaction, telling ``tell`` how far it is."""
        store, conn = self.store(), self.conn
        # Waiting for another process writing the file as the upgrade does (minutes, not the few
        # seconds a load waits): every re-merge waits alike, whether after a decision, onto a new
        # edition of the curated data or once names are folded.
        # A caller that asked already holding the file (an unload, the folded-names re-merge: in the
        # transaction this joins) says so; any other is asked again once this holds the file.
        with _writing_records(store), store.waiting_long(), store.transaction():
            if not checked:
                # Rows streamed in since the caller asked (another process writes the store without
                # the workspace lock) would be lost with the rest.
                self._refuse_unrecorded(f"({event.why})")
            base = base if base is not None else self.records(CURATED)
            if digest is not None:
                self._set_digest(digest)
            self._set_judged()
            # Merged again until no record's identifiers find nodes kept apart that the identifiers
            # found so far do not already join (loaders/chains.py): each time knowing more of them.
            chains = chains if chains is not None else Chains()
            while True:
                chains.grew = False
                event = self._merge_every_dataset(loads, base, replace(event, done=0), tell, chains)
                if not chains.grew:
                    break
            keep_chained_by(conn, chains.by)
            # The first dataset's bulk path dropped and rebuilt the indexes (the graph was empty),
            # and a dropped index takes its planner statistics with it: gathered again once this
            # commits (a 1M workspace merged again kept none for nodes_kind, nodes_ticker, edges_kind
            # or the bookkeeping's indexes, and SQLite planned on defaults).
            store.analyse_after()
        tell(replace(event, done=event.rows, stage="done"))

    def _merge_every_dataset(
        self,
        loads: list[tuple[str, str, int]],
        base: list[Record],
        event: Remerge,
        tell: Callable[[Remerge], None],
        chains: Chains,
    ) -> Remerge:
        """The graph and its bookkeeping emptied and every dataset's records merged again, in load
        order, onto ``base`` (:meth:`_remerge`'s one pass); the event as far as it went."""
        store, conn = self.store(), self.conn
        spans = self._set_given_aside()
        anchors = self._left_out_anchors()
        late = late_anchors(conn)
        event = replace(event, rows=sum(count for _, _, count in spans.values()), stage="read")
        tell(event)
        store.clear()
        conn.execute("DELETE FROM meta WHERE key = ?", (_FOLD_MERGE,))
        conn.execute("DELETE FROM name_blocks")
        conn.execute("DELETE FROM given")
        conn.execute("DELETE FROM set_aside")
        for name, path, seq in loads:
            if seq == 0:
                nodes = [r.item for r in base if isinstance(r.item, Node)]
                edges = [r.item for r in base if isinstance(r.item, Edge)]
                store.write(nodes, edges)
                self._index_names(nodes, fresh=True)
                self._insert_given(0, [_Given(i, 0, r, r.item.id) for i, r in enumerate(base)])
                continue
            # Set-based, as a load: rows new to the graph written in batches, the rest merged.
            aside: list[tuple[str, str]] = []
            first, last, count = spans.get(seq, (0, -1, 0))
            merger, bulk = self._bulk_merge(
                _told(self._aside_rows(first, last), event, tell), name, seq, path, aside=aside, chains=chains
            )
            # An earlier dataset's link set aside for a node this one gives comes back, as it came
            # back when this dataset was loaded after it (an unload and a load again).
            if conn.execute("SELECT 1 FROM set_aside LIMIT 1").fetchone() is not None:
                self._bring_back([*merger.nodes, *bulk.fresh])
            # What the dataset left out keeps its place: the rank of the record it stood after.
            conn.executemany(
                "UPDATE left_out SET rank = ? WHERE rowid = ?",
                [(-1 if a is None else bulk.ranks.get(a, -1), rowid) for rowid, a in anchors.get(seq, [])],
            )
            place_again(conn, seq, late.get(seq, []), bulk.ranks)
            keep_next_idx(conn, seq, bulk.records)  # its records indexed anew from 0
            conn.executemany("INSERT INTO set_aside VALUES (?, ?, ?)", [(name, e, n) for e, n in aside])
            event = replace(event, done=event.done + count)
        conn.execute(f"DROP TABLE temp.{_REMERGED}")
        return event

    def _set_given_aside(self) -> dict[int, tuple[int, int, int]]:
        """The records every loaded dataset gave (not the curated base), copied into a temporary
        table (on disk, as the transaction's sorts: ``_writing_records``) before the graph and its
        bookkeeping are emptied, each with its document (the row's, for a record written as its
        row), in load and record order: read back a dataset at a time as they are merged again, not
        all held in memory first. Returns each load's ``(first rowid, last rowid, count)`` there.
        """
        self.conn.execute(
            f"CREATE TEMP TABLE {_REMERGED} AS SELECT load_seq, origin, is_edge, line, {_doc()} AS doc "  # noqa: S608
            "FROM given WHERE load_seq > 0 ORDER BY load_seq, rank, idx"
        )
        spans = self.conn.execute(
            f"SELECT load_seq, MIN(rowid), MAX(rowid), COUNT(*) FROM temp.{_REMERGED} GROUP BY load_seq"  # noqa: S608
        )
        return {int(seq): (int(first), int(last), int(count)) for seq, first, last, count in spans}

    def _left_out_anchors(self) -> dict[int, list[tuple[int, str | None]]]:
        """Before the records are merged again (their ranks given anew): for each load, what it left
        out that has a place (``left_out.rank``, loaders/workspace/skips.py), with the origin of the
        last record at or before that rank, whose new rank it takes (None: none is left, -1)."""
        anchors: dict[int, list[tuple[int, str | None]]] = {}
        for rowid, seq, after in self.conn.execute(
            "SELECT o.rowid, o.load_seq, (SELECT g.origin FROM given AS g WHERE g.load_seq = o.load_seq "
            "AND g.rank <= o.rank ORDER BY g.rank DESC, g.idx DESC LIMIT 1) "
            "FROM left_out AS o WHERE o.rank >= 0"
        ):
            anchors.setdefault(int(seq), []).append((int(rowid), None if after is None else str(after)))
        return anchors

    def _aside_rows(self, first: int, last: int) -> Iterator[Row]:
        """The records set aside (``_set_given_aside``) from rowid ``first`` to ``last``, as plain
        rows carrying their JSON (parsed only where a row meets the graph), one at a time."""
        from loaders.records import Row

        cursor = self.conn.execute(
            f"SELECT origin, is_edge, line, doc FROM temp.{_REMERGED} WHERE rowid BETWEEN ? AND ? "  # noqa: S608
            "ORDER BY rowid",
            (first, last),
        )
        for origin, is_edge, line, doc in cursor:
            yield Row(origin, bool(is_edge), None, line, text=doc)

    def _refuse_unrecorded(self, what: str) -> None:
        """Refuse to merge every dataset again when rows no dataset gives would be lost with it.

        Merging again rebuilds the graph from the records each dataset gave; rows written without
        records (a bench corpus streamed into the store) cannot be rebuilt, so the workspace is
        left as it is and the message says what to do instead.
        """
        nodes, edges = self._unrecorded()
        if not nodes and not edges:
            return
        doing = f"merging every dataset again {what}".rstrip()
        raise LoadError(
            str(self.folder / DATABASE),
            None,
            None,
            f"{nodes:,} nodes and {edges:,} edges here were written without load records (streamed "
            f"into the store, as bench/ does, not by `ordergraph load`): {doing} would drop them, so "
            "nothing was changed. Point ORDERGRAPH_DATA at the curated data this workspace was built "
            "on, or load those sources with `ordergraph load` into a new workspace.",
        )
