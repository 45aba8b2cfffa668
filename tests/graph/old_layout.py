"""A workspace file written anew in the layout of an earlier store schema, for the tests of its
upgrade: the word index (``names``) as schemas 3–5 wrote it, a node's words only, and schema 5's
table of exact names beside it (``name_keys``: each node's exact names, two indexes), as
graph/store/workspace/schema.py defined them before schema 6 put those names in the word index."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import orjson

from graph.store.words import doc_index

_NAME_KEYS_5 = [
    "CREATE TABLE IF NOT EXISTS name_keys (key TEXT NOT NULL, node_seq INTEGER NOT NULL)",
    "CREATE INDEX IF NOT EXISTS name_keys_key ON name_keys (key, node_seq)",
    "CREATE INDEX IF NOT EXISTS name_keys_node ON name_keys (node_seq)",
]


def as_schema(path: Path, version: str) -> None:
    """The closed workspace file at ``path`` rewritten as schema ``version`` (3, 4 or 5) laid out its
    names, its schema number set to it (the rest of the file is alike in those schemas)."""
    db = sqlite3.connect(path, isolation_level=None)
    try:
        db.execute("BEGIN")
        db.execute("INSERT INTO names (names) VALUES ('delete-all')")
        db.execute("DROP TABLE IF EXISTS name_keys")
        if version == "5":
            for statement in _NAME_KEYS_5:
                db.execute(statement)
        for seq, text in db.execute("SELECT seq, doc FROM nodes ORDER BY seq").fetchall():
            words, keys = doc_index(orjson.loads(text))
            db.execute("INSERT INTO names (rowid, words) VALUES (?, ?)", (seq, " ".join(words)))
            if version == "5":
                db.executemany(
                    "INSERT INTO name_keys (key, node_seq) VALUES (?, ?)", [(k, seq) for k in keys]
                )
        db.execute("UPDATE meta SET value = ? WHERE key = 'schema'", (version,))
        db.execute("COMMIT")
    finally:
        db.close()
