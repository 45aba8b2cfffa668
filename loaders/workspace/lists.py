"""A dataset's sanctions list nodes after a delta: each made from the first listing of its program left.

An FtM file gives one list node per program, named and coded as the program's first listing given
says (:meth:`loaders.ftm.FtmReader.ready_rows`: the first in the dataset's order of records); each
listing keeps what it says of its list (``properties.program_name``, ``identifiers.program``). A
delta taking out that listing, or changing it, or giving one that now comes first, leaves the node
the final file would make from the first listing left (the dataset's records in order), and no node
from the dataset when none is left. A listing loaded before listings kept that (no
``identifiers.program``) leaves its list as it is.

"First" is the place the final file gives a listing: once its entity is known (the full reader
gives a link when its ends are read), so in the dataset's order of records (rank, index), a listing
before its entity counting at its entity's rank: :func:`_place`. A full load gives every listing
after its entity already (its rank is where it was given); a delta ranks a listing it changes where
the final file gives it: at its line's place (kept for one a load gave late: loaders/workspace/late.py),
or after its entity further down. A listing a load left out (on a vessel) and a delta brings back
takes the place it was left out at (loaders/workspace/skips.py).

The list's record stands where the final file gives the list, just before the program's first
listing: a delta giving a listing before it (a listing the load gave late, after its entity and its
list, given again at its entity's rank; one moved onto a program at a line before its first listing)
moves the record to just before that listing (:func:`lists_before_listings`). Merging every dataset
again takes the records in that order: a listing merged before its list would be lost.

Finding the first listing left reads every listing into the list's row (~0.11 s for the 1M bench
corpus's 246,000 listings, warm), so it is looked for only when it may have changed: when no listing
of the program the delta left alone stands before the lowest place (in the dataset's order) of the
ones it took out or gave. One that does is found in a few reads; it stood before every listing the
delta touched, so the first listing was, and still is, an untouched one before them all (the list
record was made from it, and stays as it is).
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from loaders.workspace.tables import _doc

# The dataset's list records: origin ``program:<program>``, one per program.
_LISTS = (
    f"SELECT g.origin, g.rank, g.idx, g.target, {_doc('g')} FROM nodes AS n CROSS JOIN given AS g "  # noqa: S608
    "WHERE n.kind = 'SanctionsList' AND g.is_edge = 0 AND g.row = n.seq AND g.load_seq = ?1 "
    "AND g.origin >= 'program:' AND g.origin < 'program;'"
)
# The dataset's listings into a list row, in the dataset's order: found through the list's edges
# (edges_in) and sorted. Walking the dataset's records in order until the first listing instead
# reads every record before it — at 1M, 0.15 s a list when sanctions come after the companies.
_LISTINGS = (
    "SELECT g.rank, g.idx FROM edges AS e CROSS JOIN given AS g WHERE e.target = ?1 "
    "AND e.kind = 'LISTED_ON' AND g.is_edge = 1 AND g.row = e.seq AND g.load_seq = ?2 ORDER BY g.rank, g.idx"
)
# ... and those before a place (rank, index), in no order (the list's edges by row number: loads write
# them in the dataset's order, so an early one comes in the first few).
_LISTINGS_BEFORE = (
    "SELECT g.rank, g.idx FROM edges AS e CROSS JOIN given AS g WHERE e.target = ?1 "
    "AND e.kind = 'LISTED_ON' AND g.is_edge = 1 AND g.row = e.seq AND g.load_seq = ?2 "
    "AND (g.rank, g.idx) < (?3, ?4)"
)
_RECORD = f"SELECT {_doc()} FROM given WHERE load_seq = ? AND rank = ? AND idx = ?"  # noqa: S608
# The rank of the dataset's record of a node (its own id ``?1``): where the entity a listing names is.
_ENTITY_RANK = (
    "SELECT MIN(rank) FROM (SELECT rank FROM given WHERE own = ?1 AND load_seq = ?2 AND is_edge = 0 "
    "UNION ALL SELECT g.rank FROM nodes AS n CROSS JOIN given AS g WHERE n.id = ?1 AND g.is_edge = 0 "
    "AND g.row = n.seq AND g.load_seq = ?2 AND g.own IS NULL)"
)
Place = tuple[int, int, int]


class ListFix:
    """A list record of the dataset to write again (``doc``) or take out (``doc`` None)."""

    def __init__(self, row: str, rank: int, idx: int, doc: str | None) -> None:
        self.row, self.rank, self.idx, self.doc = row, rank, idx, doc


def said_of_list(listing: dict[str, Any]) -> tuple[str, list[str]] | None:
    """What a listing's document says of its list: ``(name, codes)``, None when it does not say."""
    codes = listing.get("identifiers", {}).get("program")
    if codes is None:
        return None
    program = listing["properties"]["program"]
    return str(listing["properties"].get("program_name", program)), list(codes)


def list_fixes(
    conn: sqlite3.Connection, seq: int, dataset: str, programs: Mapping[str, tuple[int, int]]
) -> Iterator[ListFix]:
    """The dataset's (load ``seq``) list records of ``programs`` that differ from what the first
    listing of their program left makes (read after the delta's records are written). ``programs``
    gives each program the lowest (rank, index) of a listing on it the delta took out or gave."""
    from loaders.ftm import list_node

    if not programs:
        return
    for origin, rank, idx, row, doc in conn.execute(_LISTS, (seq,)).fetchall():
        program = str(origin).removeprefix("program:")
        lowest = programs.get(program)
        # Below the place of every listing touched (a place is at least (rank, rank, index)).
        if lowest is None or _listed_before(conn, seq, program, str(row), (lowest[0], *lowest)):
            continue
        first = _first_listing(conn, seq, program, str(row))
        if first is None:
            yield ListFix(str(row), rank, idx, None)
            continue
        said = said_of_list(first)
        if said is None:
            continue  # a listing kept from before listings said what their list is
        made = list_node(program, said[0], dataset, said[1])
        if made.model_dump(mode="json") != json.loads(doc):
            yield ListFix(str(row), rank, idx, made.model_dump_json())


def lists_before_listings(conn: sqlite3.Connection, seq: int, given: Mapping[str, tuple[int, int]]) -> None:
    """Each list record of the dataset (load ``seq``) standing after a listing of its program the delta
    gave (``given``: each program's lowest (rank, index) of those) moved to just before it, at its rank.

    A full file gives a program's list just before its first listing; merging every dataset again
    takes the records in that order, and a listing merged before its list is lost. A delta may give a
    listing before the list: one given late by the load (its entity further down, the list given just
    before it, after the entity) given again at its entity's rank, or one moved onto another program
    at a line before that program's first listing. The record keeps its index, which no other record
    of the load holds (loaders/workspace/tables.py ``next_idx_key``), below the listing's (a delta's:
    past every index before it). In a workspace whose deltas an earlier ordergraph applied, a record
    at that rank may hold it: the record takes the highest index free there below the listing's.
    """
    if not given:
        return
    for origin, rank, idx, _row, _text in conn.execute(_LISTS, (seq,)).fetchall():
        first = given.get(str(origin).removeprefix("program:"))
        if first is None or (rank, idx) < first:
            continue
        to = idx if idx < first[1] and not _held(conn, seq, first[0], idx) else _free_below(conn, seq, *first)
        if to is not None:
            conn.execute(
                "UPDATE given SET rank = ?, idx = ? WHERE load_seq = ? AND rank = ? AND idx = ?",
                (first[0], to, seq, rank, idx),
            )


def _held(conn: sqlite3.Connection, seq: int, rank: int, idx: int) -> bool:
    """Whether a record of load ``seq`` stands at (``rank``, ``idx``)."""
    found = conn.execute("SELECT 1 FROM given WHERE load_seq = ? AND rank = ? AND idx = ?", (seq, rank, idx))
    return found.fetchone() is not None


def _free_below(conn: sqlite3.Connection, seq: int, rank: int, bound: int) -> int | None:
    """The highest index below ``bound`` no record of load ``seq`` holds at ``rank`` (a rank holds a
    few records: a few steps), None when none is."""
    held = conn.execute(
        "SELECT idx FROM given WHERE load_seq = ? AND rank = ? AND idx < ? ORDER BY idx DESC",
        (seq, rank, bound),
    )
    free = bound - 1
    for (idx,) in held:
        if idx != free:
            break
        free -= 1
    return free if free >= 0 else None


def _listed_before(conn: sqlite3.Connection, seq: int, program: str, row: str, bound: Place) -> bool:
    """Whether a listing of the dataset on ``program`` (into list row ``row``) has a place before
    ``bound`` (then its (rank, index) is before ``bound``'s: a place is at least (rank, rank, index))."""
    candidates = conn.execute(_LISTINGS_BEFORE, (row, seq, bound[1], bound[2]))
    return any(_place(conn, seq, *found) < bound for found in _listings_on(conn, seq, program, candidates))


def _first_listing(conn: sqlite3.Connection, seq: int, program: str, row: str) -> dict[str, Any] | None:
    """The document of the dataset's first listing on ``program`` (into list row ``row``), if any:
    the one of the lowest place, looked for in (rank, index) order until no later one can be lower."""
    best: tuple[Place, dict[str, Any]] | None = None
    for rank, idx, listing in _listings_on(conn, seq, program, conn.execute(_LISTINGS, (row, seq))):
        if best is not None and rank > best[0][0]:
            break
        place = _place(conn, seq, rank, idx, listing)
        if best is None or place < best[0]:
            best = (place, listing)
    return None if best is None else best[1]


def _place(conn: sqlite3.Connection, seq: int, rank: int, idx: int, listing: dict[str, Any]) -> Place:
    """Where the final file gives a listing of the dataset at (``rank``, ``idx``): once its entity is
    given, ``(max(rank, the entity's rank), rank, idx)``."""
    (entity,) = conn.execute(_ENTITY_RANK, (listing["source"], seq)).fetchone()
    return (rank if entity is None else max(rank, int(entity)), rank, idx)


def _listings_on(
    conn: sqlite3.Connection, seq: int, program: str, places: Iterable[tuple[int, int]]
) -> Iterator[tuple[int, int, dict[str, Any]]]:
    """The dataset's records at ``places`` (rank, index) that are listings on ``program`` (a list row
    may take the listings of several programs), each with its rank and index, read one by one."""
    for rank, idx in places:
        (text,) = conn.execute(_RECORD, (seq, rank, idx)).fetchone()
        listing: dict[str, Any] = json.loads(text)
        if listing["properties"].get("program") == program:
            yield rank, idx, listing
