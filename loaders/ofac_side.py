"""OFAC's CSV side files by entry number, staged in a temporary SQLite file rather than in memory.

Beside ``cons_prim.csv`` OFAC publishes ``cons_alt.csv`` (alternate names: ent_num, alt_num,
alt_type, alt_name, alt_remarks), ``cons_add.csv`` (addresses: ent_num, add_num, address,
city/state/postal code, country, add_remarks) and ``cons_comments.csv`` (ent_num, the rest of
the remarks), each linked to its entry by ``ent_num`` and in no order the specification promises.
Their rows are read once into a table keyed by entry number in a file of the system's temporary
folder (deleted when closed), so that joining them to the primary file holds one entry's rows at
a time: a load's memory grows with the graph, not with these files. Each row is checked as it is
read (a bad row: ``LoadError`` naming its file, line and field).

>>> with SideRows() as side:
...     side.add("alt", [(1, ["30951", "1", "aka", "SMIC", "-0-"]), (2, ["7", "2", "aka", "X", "-0-"])])
...     side.rows("alt", "30951"), side.rows("alt", "8")
([['30951', '1', 'aka', 'SMIC', '-0-']], [])
"""

from __future__ import annotations

import json
import shutil
import sqlite3
import tempfile
from collections.abc import Iterable
from itertools import islice
from pathlib import Path
from types import TracebackType

KINDS = ("alt", "add", "comments")
_BATCH = 1000  # rows inserted at a time


class SideRows:
    """The side files' rows, by kind (``alt``, ``add``, ``comments``) and entry number, in file order."""

    def __init__(self) -> None:
        self._folder = tempfile.mkdtemp(prefix="ordergraph-ofac-")
        self._conn = sqlite3.connect(Path(self._folder) / "side.db", isolation_level=None)
        # A scratch file: nothing to recover after a crash, and a small page cache.
        self._conn.execute("PRAGMA journal_mode = OFF")
        self._conn.execute("PRAGMA synchronous = OFF")
        self._conn.execute("PRAGMA cache_size = -2048")
        self._conn.execute(
            "CREATE TABLE side (kind TEXT NOT NULL, ent TEXT NOT NULL, n INTEGER NOT NULL, row TEXT)"
        )
        self._count = 0
        self._indexed = False

    def add(self, kind: str, rows: Iterable[tuple[int, list[str]]]) -> None:
        """Stage the rows of one side file (numbered lines, checked by the caller's reader)."""
        numbered = iter(rows)
        self._conn.execute("BEGIN")
        try:
            while batch := list(islice(numbered, _BATCH)):
                staged = [
                    (kind, row[0].strip(), self._count + i, json.dumps(row))
                    for i, (_, row) in enumerate(batch)
                ]
                self._count += len(batch)
                self._conn.executemany("INSERT INTO side VALUES (?, ?, ?, ?)", staged)
        except BaseException:
            self._conn.execute("ROLLBACK")
            raise
        self._conn.execute("COMMIT")
        self._indexed = False

    def rows(self, kind: str, ent: str) -> list[list[str]]:
        """The rows of ``kind`` for entry ``ent``, in the order their file gave them."""
        if not self._indexed:
            self._conn.execute("CREATE INDEX IF NOT EXISTS side_ent ON side (kind, ent, n)")
            self._indexed = True
        found = self._conn.execute("SELECT row FROM side WHERE kind = ? AND ent = ? ORDER BY n", (kind, ent))
        return [json.loads(text) for (text,) in found]

    def close(self) -> None:
        self._conn.close()
        shutil.rmtree(self._folder, ignore_errors=True)

    def __enter__(self) -> SideRows:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        self.close()
