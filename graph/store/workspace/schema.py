"""The store's tables and indexes, its schema version, and bringing an earlier schema's file to it."""

from __future__ import annotations

import sqlite3
from collections import Counter
from collections.abc import Iterable
from typing import Protocol

import orjson

from graph.store.words import doc_index
from graph.store.workspace.rows import CHUNK

# 3: the degrees in a table of their own (2 kept them in the node rows). 4: names indexed in
# simplified Chinese characters (graph.hanzi; 3 indexed them as written). 5: each node's exact
# names (graph.store.words.exact_keys) in a table of their own. Opened, a file of an earlier schema
# is brought to this one in one transaction. 6: those exact names in the word index itself, each as
# one term of its own (:func:`key_term`), instead of a table with two indexes of its own: a 1 % delta
# at 1M dirtied ~12,600 pages of those (a key's leaf is anywhere in a b-tree keyed by names), where
# the FTS5 index writes the transaction's terms as one new segment.
SCHEMA_VERSION = "6"

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
CREATE INDEX IF NOT EXISTS datasets_name ON datasets (dataset, is_edge);
CREATE INDEX IF NOT EXISTS datasets_row ON datasets (is_edge, seq);
"""
_INDEX_NAMES = [line.split()[5] for line in _INDEXES.strip().splitlines()]
# What a load reads while it writes (resolving identifiers, an entity's edges): the
# other indexes can wait until its rows are in.
_LOOKUP_INDEXES = ("identifiers_value", "edges_out", "edges_in")
# An exact name's term in the word index (``names``) opens with this mark, and its words are joined
# by the second: private-use characters, which no normalised name holds (:func:`graph.names.fold`
# turns every character that is not a letter, a digit or "_" into a space), so the term is never
# one of the index's words, never one of another key, and one token of the index's tokenizer (every
# character above ASCII is a token character). FTS5 keeps a token's first 32,768 bytes, so two names
# alike that far (over 10,000 characters) would find each other: schema 5's table compared whole names.
KEY_MARK, KEY_SPACE = "\ue000", "\ue001"


def key_term(key: str) -> str:
    """The term under which the word index finds a node by an exact name (``key``: a normalised
    name, :func:`graph.store.words.exact_keys`).

    >>> key_term("xiaomi corp") == KEY_MARK + "xiaomi" + KEY_SPACE + "corp"
    True
    """
    return KEY_MARK + key.replace(" ", KEY_SPACE)


def index_text(words: Iterable[str], keys: Iterable[str]) -> str:
    """What a node's row of the word index holds: its words, then its exact names' terms
    (:func:`key_term`); a row taken out is given as it was put in (the index is contentless).

    >>> index_text(["xiaomi", "corp"], ["xiaomi"]) == "xiaomi corp " + key_term("xiaomi")
    True
    """
    return " ".join([*words, *map(key_term, keys)])


def _degrees_apart(conn: sqlite3.Connection) -> None:
    """A file of schema 2 brought to 3 (inside :func:`_upgraded`'s transaction; then to 4): each node's degree
    moved out of its row into ``degrees`` (the rows are rewritten once, without the column)."""
    conn.execute("INSERT INTO degrees (seq, n) SELECT seq, degree FROM nodes WHERE degree != 0")
    conn.execute("ALTER TABLE nodes DROP COLUMN degree")
    conn.execute("UPDATE meta SET value = '3' WHERE key = 'schema'")


def reindex_names(conn: sqlite3.Connection) -> None:
    """A file of schema 3, 4 or 5 brought to 6 (inside :func:`_upgraded`'s transaction), or a file
    whose names were folded with other OpenCC tables (a loader's upgrade,
    ``loaders/workspace/upgrade.py``): the name index (``names``, ``terms``) written anew from every
    node's names, with the words this version indexes and the exact names' terms
    (:func:`index_text`), each name normalised once for both (:func:`graph.store.words.doc_index`:
    traditional Chinese folded to simplified). Schema 5's table of exact names (``name_keys``) goes.

    The index is contentless (a row's old words cannot be read back to take them out one by one),
    so it is emptied and every row's words put in again, in row order as a load writes them.
    """
    conn.execute("INSERT INTO names (names) VALUES ('delete-all')")
    conn.execute("DELETE FROM terms")
    conn.execute("DROP TABLE IF EXISTS name_keys")  # its indexes go with it
    terms: Counter[str] = Counter()
    last = -1
    while rows := conn.execute(
        "SELECT seq, doc FROM nodes WHERE seq > ? ORDER BY seq LIMIT ?", (last, CHUNK)
    ).fetchall():
        fts = []
        for seq, text in rows:
            doc = orjson.loads(text)
            words, exact = doc_index(doc)
            terms.update(words)
            fts.append((seq, index_text(words, exact)))
        conn.executemany("INSERT INTO names (rowid, words) VALUES (?, ?)", fts)
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
