"""The exact names a workspace's word index holds as terms (graph.store.workspace.schema.key_term),
read whole: what tests compare workspaces by."""

from __future__ import annotations

import sqlite3

from graph.store.workspace.rows import _quoted
from graph.store.workspace.schema import KEY_MARK, KEY_SPACE


def indexed_keys(conn: sqlite3.Connection) -> list[tuple[str, int]]:
    """Every exact name the word index holds, with the row number of each node it finds, sorted: what
    schema 5's ``name_keys`` table held (tests compare workspaces by it; the engine never reads the
    index whole)."""
    conn.execute("CREATE VIRTUAL TABLE IF NOT EXISTS temp.names_terms USING fts5vocab(main, names, row)")
    try:
        terms = [t for (t,) in conn.execute("SELECT term FROM temp.names_terms") if t.startswith(KEY_MARK)]
        found = [
            (term[1:].replace(KEY_SPACE, " "), seq)
            for term in terms
            for (seq,) in conn.execute("SELECT rowid FROM names WHERE names MATCH ?", (_quoted(term),))
        ]
    finally:
        conn.execute("DROP TABLE temp.names_terms")
    return sorted(found)
