"""What an FtM dataset left out: entities of schemas we skip, and the links to them.

A full FtM file gives no node for a Vessel or an Address, and leaves out (and counts) the links
naming one (a Sanction on a vessel). A delta then gives what the final file would (but see below): a
new link to such an entity is left out and counted, not refused as naming an unknown entity; an
entity changed from such a schema to one of ours (a Vessel now a Company) brings back the links left
out for it; one changed the other way leaves its links out (:mod:`.relink`), kept here to come back
later; one deleted while links left out for it stand is refused, as the final file is (it names an
entity it does not give). So each load keeps, in ``left_out``, every such entity (``entity``;
``origin`` NULL) and every link left out (``entity``: the end it was left out for; ``origin``: the
link's own entity; ``doc``: the link as it waited, :func:`loaders.ftm.waiting_json`), each with
``rank``, its place in the dataset's order: its own entity's rank when that has records, else, from a
full load, the rank of the row the reader gave just before it (-1: none), the place the final file
gives it once its entity is of one of our schemas. Brought back by a delta, its records take that
rank (beside the records of the origin that holds it: a rank may be shared, the records keep apart by
their index), so that it names its program's list as the final file's first listing would
(:mod:`.lists`). One a delta leaves out that had no records (a new link) is kept under a new rank
after the dataset's records. A dataset's counts of skipped entities and links follow the rows a delta
takes out and adds. A load made before bookkeeping 7 that left something out kept none of it
(``left_out_unknown``): a delta on it is refused, the dataset to be loaded again.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Collection, Iterable, Mapping
from typing import TYPE_CHECKING

from graph.store.workspace import json_param

if TYPE_CHECKING:
    from loaders.ftm import Change, FtmReader

# A link's ends that wait for an FtM entity (the others, a list or a security, are in its edge).
_WAITING_ENDS = {"LISTED_ON": ("source",), "ISSUES": ("source",)}
# (entity, origin, doc, after) as a reader gives them (:meth:`loaders.ftm.FtmReader.left_out`).
LeftOut = tuple[str, str | None, str | None, str | None]


def insert_left_out(
    conn: sqlite3.Connection,
    seq: int,
    rows: Iterable[LeftOut],
    ranks: Mapping[str, int],
    new_rank: int | None = None,
) -> tuple[int, int]:
    """What a reader left out, kept for load ``seq``; how many entities and links. Each keeps its
    place: its own entity's rank in ``ranks`` when that has one, else (a full load: ``new_rank``
    None) the rank of the row given before it, or (a delta) a new rank from ``new_rank`` on."""
    rows = list(rows)
    kept = []
    for entity, origin, doc, after in rows:
        rank = ranks.get(origin or entity)
        if rank is None and new_rank is None:
            rank = ranks.get(after, -1) if after is not None else -1
        elif rank is None and new_rank is not None:
            rank, new_rank = new_rank, new_rank + 1
        kept.append((seq, entity, origin, rank, doc))
    conn.executemany("INSERT INTO left_out VALUES (?, ?, ?, ?, ?)", kept)
    links = sum(1 for _, origin, _, _ in rows if origin is not None)
    return len(rows) - links, links


class TakenOut:
    """What a delta's changes take out of ``left_out`` (load ``seq``), before its rows are read.

    Every row of an entity the delta names goes (the entity is read again: what it leaves out is
    kept again); so do the links of other entities left out for one of them, which the delta's
    reader waits for again (``back``: ``(origin, rank, line, doc)``, ``line`` the delta's line of
    the entity they were left out for). ``entities`` and ``links`` count the rows taken out;
    ``places`` keeps the rank (the place in the dataset) of each entity the delta reads again that
    was left out (of a schema we skip, or a link to one).
    """

    def __init__(self, conn: sqlite3.Connection, seq: int, last: Mapping[str, Change]) -> None:
        self.conn, self.seq = conn, seq
        self.entities = self.links = 0
        self.back: list[tuple[str, int | None, int, str]] = []
        self.places: dict[str, int] = {}
        self.left_for: dict[str, str] = {}  # a link of ``back`` → the entity it was left out for
        changed = json_param(list(last))
        taken = conn.execute(
            "SELECT rowid, entity, origin, rank, doc FROM left_out WHERE load_seq = ?1 "
            "AND entity IN (SELECT value FROM json_each(?2)) UNION "
            "SELECT rowid, entity, origin, rank, doc FROM left_out WHERE load_seq = ?1 "
            "AND origin IN (SELECT value FROM json_each(?2))",
            (seq, changed),
        ).fetchall()
        for _, entity, origin, rank, doc in sorted(taken):
            if origin is None:
                self.entities += 1
            else:
                self.links += 1
            if origin is not None and origin not in last:
                self.back.append((origin, rank, last[entity].line, doc))
                self.left_for.setdefault(origin, entity)
            elif rank is not None:
                self.places.setdefault(origin or entity, rank)  # read again by the delta, in place
        conn.executemany("DELETE FROM left_out WHERE rowid = ?", [(rowid,) for rowid, *_ in taken])

    def wait_again(self, reader: FtmReader, ranks: dict[str, int]) -> None:
        """The links left out for an entity the delta changes, waited for again by ``reader``, each
        under its entity's rank: the one its records have, else its place kept (no earlier than the
        entity it was left out for, after which the final file gives it: then given late, its place
        kept in ``given_late`` as its line's, unless the load kept its line's place there, late.py);
        and each entity left out that the delta reads again at its place kept (as the final file has
        it there)."""
        for entity, rank in self.places.items():
            ranks.setdefault(entity, rank)
        for origin, kept, line, doc in self.back:
            if origin not in ranks:
                found = self.conn.execute(
                    "SELECT rank FROM given WHERE load_seq = ? AND origin = ? AND is_edge = 1 LIMIT 1",
                    (self.seq, origin),
                ).fetchone()
                if found is not None:
                    ranks[origin] = int(found[0])
                elif kept is not None:
                    # No earlier than the entity it was left out for (its place kept): the final file
                    # gives the link once that entity is read (merging again takes it after it).
                    ranks[origin] = max(kept, ranks.get(self.left_for[origin], kept))
                    if ranks[origin] > kept:
                        # Given late, its line's place kept for a later delta moving it (late.py):
                        # the one the load kept when it left the link out late, else its place kept.
                        self.conn.execute(
                            "INSERT OR IGNORE INTO given_late VALUES (?, ?, ?)", (self.seq, origin, kept)
                        )
            reader.wait_again(origin, line, doc)

    def skipped_before(self, ftm_ids: Collection[str]) -> set[str]:
        """Those of ``ftm_ids`` the dataset gave as entities of a schema we skip (the delta's own
        changes taken out already)."""
        return {
            str(entity)
            for (entity,) in self.conn.execute(
                "SELECT entity FROM left_out WHERE load_seq = ? AND origin IS NULL "
                "AND entity IN (SELECT value FROM json_each(?))",
                (self.seq, json_param(sorted(ftm_ids))),
            )
        }


def waiting_link(doc: dict[str, object], ends: Mapping[str, str], where: str = "entity") -> str:
    """A link record's document (the dataset's own ids) as it would wait in a reader for its ends,
    whose FtM ids ``ends`` gives (by node id): what a delta leaving it out keeps."""
    from loaders.ftm import waiting_json

    kind = str(doc["kind"])
    waiting = _WAITING_ENDS.get(kind, ("source", "target"))
    # The edge as the reader had it (its dicts in their order: the edge it gives again is the same text).
    data = {k: v for k, v in doc.items() if k not in ("id", "note", "disputed", *waiting)}
    waits = {end: ends.get(str(doc[end]), str(doc[end])) for end in waiting}
    return waiting_json(where, data, waits)


def ftm_ids_of(conn: sqlite3.Connection, seq: int, own_ids: Collection[str]) -> dict[str, str]:
    """The FtM ids of the entities of load ``seq`` that gave these node ids (their own)."""
    found: dict[str, str] = {}
    for own in own_ids:
        row = conn.execute(
            "SELECT origin FROM given WHERE own = ?1 AND load_seq = ?2 AND is_edge = 0 "
            "UNION ALL SELECT g.origin FROM nodes AS n CROSS JOIN given AS g WHERE n.id = ?1 "
            "AND g.is_edge = 0 AND g.row = n.seq AND g.load_seq = ?2 AND g.own IS NULL LIMIT 1",
            (own, seq),
        ).fetchone()
        if row is not None:
            found[own] = str(row[0])
    return found
