"""Which datasets joined nodes of other datasets by identifiers found to name one entity.

A record whose identifiers find two nodes kept apart so far brings them into one node once every
dataset is merged again knowing it (``loaders/chains.py``). When those nodes hold another dataset's
records (dataset "later" gives A, carrying the FtM id of "os"'s B and the LEI of its C), what the
other dataset gave stays in one row only while that record is there: taking the dataset out, or a
delta of it changing that row, must merge every dataset again, not only fold the rows it touched (a
fold would keep B and C one node). Such datasets are kept in ``meta`` (as JSON, written by every
merge of every dataset, which finds them all again), and asked by an unload and a delta.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Collection, Iterable

from graph.store.workspace import json_param
from loaders.workspace.tables import _meta

CHAINED_BY = "chained_by"


def chained_by(conn: sqlite3.Connection) -> set[str]:
    """The datasets whose records joined nodes of other datasets (none in a workspace of before 40)."""
    kept = _meta(conn, CHAINED_BY)
    return set(json.loads(kept)) if kept else set()


def keep_chained_by(conn: sqlite3.Connection, datasets: Iterable[str]) -> None:
    """Keep these datasets as the ones whose records joined other datasets' nodes."""
    found = sorted(set(datasets))
    if found:
        conn.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", (CHAINED_BY, json.dumps(found)))
    else:
        conn.execute("DELETE FROM meta WHERE key = ?", (CHAINED_BY,))


def holding_others(conn: sqlite3.Connection, seq: int, rows: Collection[str]) -> bool:
    """Whether any of these node rows holds a record another load than ``seq`` gave."""
    if not rows:
        return False
    found = conn.execute(
        "SELECT 1 FROM json_each(?1) AS j CROSS JOIN nodes AS n CROSS JOIN given AS g "
        "WHERE n.id = j.value AND g.is_edge = 0 AND g.row = n.seq AND g.load_seq != ?2 LIMIT 1",
        (json_param(sorted(rows)), seq),
    ).fetchone()
    return found is not None
