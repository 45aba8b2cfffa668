"""Where each link an FtM load gave late stood in its file.

A full file gives a link (a Sanction, an Ownership) once its ends are read: one whose entity comes
further down waits, and is given just after it, where its records rank (``given.rank``). A delta
moving it onto an entity before it leaves the final file giving it at its own line, which may come
before another listing of its program: that one names the program's list in the file
(:mod:`.lists`). So each load keeps, in ``given_late``, every link it gave late with the place of its
line: the rank of the row given just before it (-1: none was). So too a link it left out once an end
it waited for was read, of a schema we skip (kept at that end's place, :mod:`.skips`), and one a delta
brings back from there after its line's place (kept there by :meth:`.skips.TakenOut.wait_again`): a
later delta moving it onto an entity before it gives it at its line. (Loads made before these were
kept give such a link at the place it was left out at.)

A delta ranks each link it changes where the final file gives it (:func:`place_links`): at its line's
place (the one kept, else its records' rank: a link given at its line), unless an end of it comes
further down: then at that end's rank (a new entity's: ranked as a new link is, once given after it),
and its line's place kept. Its records take that rank beside the records of the origin holding it (a
rank may be shared: the records keep apart by their index), so a link never ranks before its ends,
as merging every dataset again needs. A new link a delta gives late (its entity a new one further
down the delta) is kept alike. Merging every dataset again ranks the records anew: each place
follows the record it stood after. Loads made before bookkeeping 8 kept none: their late links keep
the place they were given at.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Collection, Iterable, Mapping
from typing import TYPE_CHECKING

from graph.store.workspace import json_param
from loaders.workspace.tables import _of_entities

if TYPE_CHECKING:
    from loaders.ftm import Change


def insert_given_late(
    conn: sqlite3.Connection,
    seq: int,
    late: Iterable[tuple[str, str | None]],
    ranks: Mapping[str, int],
    only: Collection[str] | None = None,
) -> None:
    """The links load ``seq`` gave late, ``(origin, after)`` as a reader gives them, kept with the
    rank of ``after`` (``ranks``; -1: none); with ``only``, those origins alone."""
    rows = [
        (seq, origin, -1 if after is None else ranks.get(after, -1))
        for origin, after in late
        if only is None or origin in only
    ]
    conn.executemany("INSERT OR REPLACE INTO given_late VALUES (?, ?, ?)", rows)


def place_links(
    conn: sqlite3.Connection, seq: int, last: Mapping[str, Change], ranks: dict[str, int]
) -> set[str]:
    """The rank each link a delta changes (``last``; load ``seq``) is given at, in ``ranks``: where
    the final file gives it, its line's place (the one kept for it, else its records' rank) unless an
    end of it comes further down (then that end's place; a new entity's: it is ranked as a new link,
    given after it). Its line's place is kept when it is given late, taken out otherwise. The links
    placed."""
    from loaders.ftm import entity_link_ends

    kept = {
        str(origin): int(rank)
        for origin, rank in conn.execute(
            "SELECT origin, rank FROM given_late WHERE load_seq = ? "
            "AND origin IN (SELECT value FROM json_each(?))",
            (seq, json_param(sorted(last))),
        )
    }
    conn.executemany("DELETE FROM given_late WHERE load_seq = ? AND origin = ?", [(seq, o) for o in kept])
    links: dict[str, tuple[int, list[str]]] = {}
    for ftm_id, change in last.items():
        ends = entity_link_ends(change.entity) if change.op != "DEL" else None
        line_place = kept.get(ftm_id, ranks.get(ftm_id))
        if ends is not None and line_place is not None:  # (a new link: ranked as it is given)
            links[ftm_id] = (line_place, ends)
    others = sorted(
        {end for _, ends in links.values() for end in ends if end not in ranks and end not in last}
    )
    found: dict[str, int] = {}
    for end, rank in conn.execute(_of_entities("g.rank", edges=False), (json_param(others), seq)):
        found[str(end)] = min(int(rank), found.get(str(end), int(rank)))
    late = []
    for ftm_id, (line_place, ends) in links.items():
        if any(end not in ranks and end in last and last[end].op != "DEL" for end in ends):
            ranks.pop(ftm_id, None)  # waits for a new entity, after the dataset's others
            late.append((seq, ftm_id, line_place))
            continue
        rank = max([line_place, *(ranks.get(end, found.get(end, -1)) for end in ends)])
        ranks[ftm_id] = rank
        if rank != line_place:
            late.append((seq, ftm_id, line_place))
    conn.executemany("INSERT INTO given_late VALUES (?, ?, ?)", late)
    return set(links)


def late_anchors(conn: sqlite3.Connection) -> dict[int, list[tuple[str, str | None]]]:
    """Before the records are merged again (their ranks given anew): for each load, each link it gave
    late with the origin of the last record at or before its place, whose new rank it takes (None:
    none is, -1)."""
    anchors: dict[int, list[tuple[str, str | None]]] = {}
    for seq, origin, after in conn.execute(
        "SELECT l.load_seq, l.origin, (SELECT g.origin FROM given AS g WHERE g.load_seq = l.load_seq "
        "AND g.rank <= l.rank ORDER BY g.rank DESC, g.idx DESC LIMIT 1) FROM given_late AS l"
    ):
        anchors.setdefault(int(seq), []).append((str(origin), None if after is None else str(after)))
    return anchors


def place_again(
    conn: sqlite3.Connection, seq: int, anchors: list[tuple[str, str | None]], ranks: Mapping[str, int]
) -> None:
    """Load ``seq``'s late links, their places following their anchors' new ``ranks``."""
    conn.executemany(
        "UPDATE given_late SET rank = ? WHERE load_seq = ? AND origin = ?",
        [(-1 if after is None else ranks.get(after, -1), seq, origin) for origin, after in anchors],
    )
