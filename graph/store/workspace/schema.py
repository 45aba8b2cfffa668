"""The store's tables and indexes, its schema version, and bringing an earlier schema's file to it."""

from __future__ import annotations

import sqlite3
from collections import Counter
from typing import Protocol

import orjson

from graph.store.words import doc_index
from graph.store.workspace.rows import CHUNK

# 3: the degrees in a table of their own (2 kept them in the node rows). 4: names indexed in
# simplified Chinese characters (graph.hanzi; 3 indexed them as written). 5: each node's exact
# names (graph.store.words.exact_keys) in a table of their own. Opened, a file of an earlier schema
# is brought to this one in one transaction.
SCHEMA_VERSION = "5"

_TABLES = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS nodes (
    seq INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    kind TEXT NOT NULL,
    exchange TEXT,
    code TEXT,
    doc TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS degrees (seq INTEGER PRIMARY KEY, n INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS edges (
    seq INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    kind TEXT NOT NULL,
    source TEXT NOT NULL,
    target TEXT NOT NULL,
    start_day TEXT,
    end_day TEXT,
    doc TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS identifiers (scheme TEXT NOT NULL, value TEXT NOT NULL, node_seq INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS datasets (dataset TEXT NOT NULL, is_edge INTEGER NOT NULL, seq INTEGER NOT NULL);
CREATE VIRTUAL TABLE IF NOT EXISTS names
    USING fts5(words, content='', detail=none, tokenize="ascii tokenchars '_'");
CREATE TABLE IF NOT EXISTS terms (term TEXT PRIMARY KEY, n INTEGER NOT NULL) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS name_keys (key TEXT NOT NULL, node_seq INTEGER NOT NULL);
"""
_INDEXES = """
CREATE INDEX IF NOT EXISTS nodes_kind ON nodes (kind, seq);
CREATE INDEX IF NOT EXISTS nodes_ticker ON nodes (code, exchange) WHERE code IS NOT NULL;
CREATE INDEX IF NOT EXISTS nodes_exchange ON nodes (exchange, seq) WHERE exchange IS NOT NULL;
CREATE INDEX IF NOT EXISTS edges_out ON edges (source, kind, seq);
CREATE INDEX IF NOT EXISTS edges_in ON edges (target, kind, seq);
CREATE INDEX IF NOT EXISTS edges_kind ON edges (kind, seq);
CREATE INDEX IF NOT EXISTS identifiers_value ON identifiers (scheme, value);
CREATE INDEX IF NOT EXISTS identifiers_node ON identifiers (node_seq);
CREATE INDEX IF NOT EXISTS name_keys_key ON name_keys (key, node_seq);
CREATE INDEX IF NOT EXISTS name_keys_node ON name_keys (node_seq);
CREATE INDEX IF NOT EXISTS datasets_name ON datasets (dataset, is_edge);
CREATE INDEX IF NOT EXISTS datasets_row ON datasets (is_edge, seq);
"""
_INDEX_NAMES = [line.split()[5] for line in _INDEXES.strip().splitlines()]
# What a load reads while it writes (resolving identifiers, an entity's edges): the
# other indexes can wait until its rows are in.
_LOOKUP_INDEXES = ("identifiers_value", "edges_out", "edges_in")


def _degrees_apart(conn: sqlite3.Connection) -> None:
    """A file of schema 2 brought to 3 (inside :func:`_upgraded`'s transaction; then to 4): each node's degree
    moved out of its row into ``degrees`` (the rows are rewritten once, without the column)."""
    conn.execute("INSERT INTO degrees (seq, n) SELECT seq, degree FROM nodes WHERE degree != 0")
    conn.execute("ALTER TABLE nodes DROP COLUMN degree")
    conn.execute("UPDATE meta SET value = '3' WHERE key = 'schema'")


def reindex_names(conn: sqlite3.Connection) -> None:
    """A file of schema 3 or 4 brought to 5 (inside :func:`_upgraded`'s transaction), or a file whose
    names were folded with other OpenCC tables (a loader's upgrade, ``loaders/workspace/upgrade.py``):
    the name index
    (``names``, ``terms``) written anew from every node's names, with the words this version
    indexes and the exact names (``name_keys``), each name normalised once for both
    (:func:`graph.store.words.doc_index`: traditional Chinese folded to simplified).

    The index is contentless (a row's old words cannot be read back to take them out one by one),
    so it is emptied and every row's words put in again, in row order as a load writes them.
    """
    conn.execute("INSERT INTO names (names) VALUES ('delete-all')")
    conn.execute("DELETE FROM terms")
    conn.execute("DELETE FROM name_keys")
    terms: Counter[str] = Counter()
    last = -1
    while rows := conn.execute(
        "SELECT seq, doc FROM nodes WHERE seq > ? ORDER BY seq LIMIT ?", (last, CHUNK)
    ).fetchall():
        fts = []
        keys = []
        for seq, text in rows:
            doc = orjson.loads(text)
            words, exact = doc_index(doc)
            terms.update(words)
            fts.append((seq, " ".join(words)))
            keys += [(key, seq) for key in exact]
        conn.executemany("INSERT INTO names (rowid, words) VALUES (?, ?)", fts)
        conn.executemany("INSERT INTO name_keys (key, node_seq) VALUES (?, ?)", keys)
        last = rows[-1][0]
    conn.executemany("INSERT INTO terms (term, n) VALUES (?, ?)", sorted(terms.items()))
    conn.execute("UPDATE meta SET value = ? WHERE key = 'schema'", (SCHEMA_VERSION,))


def _schema(conn: sqlite3.Connection) -> str | None:
    """The file's schema version; None for a file with no workspace in it yet."""
    if conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'meta'").fetchone() is None:
        return None
    found = conn.execute("SELECT value FROM meta WHERE key = 'schema'").fetchone()
    return None if found is None else str(found[0])


class Upgrade(Protocol):
    """A loader's own tables in the store's file, brought up to date in the store's upgrade transaction.

    ``due`` is asked when the file is opened (and again, inside the transaction, before ``apply``);
    ``apply`` converts the tables or raises (StoreUnavailable): then nothing of the file was changed.
    ``indexes_names`` says, before ``apply``, whether it will index every node's names again
    (:func:`reindex_names`), and why, in a sentence: the store's upgrade then leaves them to it
    (names are indexed once an opening) and tells the sentence and, once committed, the time.
    """

    def due(self, conn: sqlite3.Connection) -> bool: ...

    def indexes_names(self, conn: sqlite3.Connection, file: str) -> str | None: ...

    def apply(self, conn: sqlite3.Connection, file: str) -> None: ...
