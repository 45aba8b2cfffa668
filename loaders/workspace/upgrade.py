"""Bringing the bookkeeping tables of a workspace written by an earlier version up to date."""

from __future__ import annotations

import sqlite3

from graph.errors import StoreUnavailable
from loaders.workspace.tables import (
    _BOOKKEEPING,
    _FOLD_MERGE,
    _FOLDING,
    _INDEXES,
    _TABLES,
    RULES_CHANGED,
    _meta,
)

# The readers and the resolver are imported where used: a command over the curated
# graph (``ordergraph affects``) starts without loading any of them.


class _Bookkeeping:
    """The bookkeeping tables of a workspace written at an earlier version brought to this one (see
    ``_BOOKKEEPING``), in the store's upgrade transaction (:class:`~graph.store.workspace.Upgrade`),
    with its own tables' upgrade: all of it or none. A version this ordergraph does not know is
    refused, and so is a table that cannot be converted faithfully: nothing is changed then.

    Indexing every name again (names normalised by other rules) is said by ``indexes_names``: the
    store's upgrade tells it, as its own, a sentence before and how long it took once committed,
    and indexes the names once (its schema upgrade leaves them to this one)."""

    def due(self, conn: sqlite3.Connection) -> bool:
        found = conn.execute("SELECT value FROM meta WHERE key = ?", (_BOOKKEEPING[0],)).fetchone()
        return (
            found is None
            or found[0] != _BOOKKEEPING[1]
            or _meta(conn, _FOLDING) != _folding()
            or _unmarked_7(conn)
        )

    def indexes_names(self, conn: sqlite3.Connection, file: str) -> str | None:
        if not _folded_again(conn):
            return None
        return (
            f"{file}: names are normalised by other rules than when it was built, once: "
            "indexing every node's names again (about a minute a million nodes)…"
        )

    def apply(self, conn: sqlite3.Connection, file: str) -> None:
        key, current = _BOOKKEEPING
        again = _folded_again(conn)
        found = conn.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        old = conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'given'").fetchone()
        version = found[0] if found is not None else ("1" if old is not None else current)
        if version not in ("1", "2", "3", "4", "5", "6", "7", current):
            newer = version.isdigit() and int(version) > int(current)
            what = (
                "it was written by a newer ordergraph: upgrade ordergraph to open it"
                if newer
                else "load its sources again into a new workspace"
            )
            raise StoreUnavailable(
                f"{file}: workspace bookkeeping version {version}, this ordergraph reads {current}; {what}"
            )
        if version == "1":
            # 1 → 2: each name's bringing dataset, read from its node.
            conn.execute("DROP INDEX IF EXISTS name_blocks_block")
            conn.execute("ALTER TABLE name_blocks ADD COLUMN dataset TEXT NOT NULL DEFAULT ''")
            conn.execute(
                "UPDATE name_blocks SET dataset = COALESCE((SELECT json_extract(n.doc, "
                "'$.provenance[0].dataset') FROM nodes AS n WHERE n.id = name_blocks.node), '')"
            )
        if version in ("1", "2", "3"):
            # → 3: the same records, keyed by their order; a record's own id kept when it is not its
            # row's. → 4: each record's row number, and each name's node's (the tables written anew,
            # in the order of their keys; the old ones and their indexes dropped).
            given = _TABLES[_TABLES.index("CREATE TABLE IF NOT EXISTS given") :].split(";")[0]
            blocks = _TABLES[_TABLES.index("CREATE TABLE IF NOT EXISTS name_blocks") :].split(";")[0]
            conn.execute("ALTER TABLE given RENAME TO given_old")  # its indexes go with it
            conn.execute("ALTER TABLE name_blocks RENAME TO name_blocks_old")
            conn.execute(given)
            conn.execute(blocks)
            own = "own" if version == "3" else "NULLIF(own, target)"
            try:
                conn.execute(
                    "INSERT INTO given (load_seq, rank, idx, origin, is_edge, target, row, own, line, doc) "  # noqa: S608
                    "SELECT load_seq, rank, idx, origin, is_edge, target, CASE is_edge "
                    "WHEN 0 THEN (SELECT n.seq FROM nodes AS n WHERE n.id = given_old.target) "
                    "ELSE (SELECT e.seq FROM edges AS e WHERE e.id = given_old.target) END, "
                    f"{own}, line, doc "
                    "FROM given_old ORDER BY load_seq, rank, idx"
                )
            except sqlite3.IntegrityError as exc:
                raise StoreUnavailable(
                    f"{file}: its load records cannot be brought to bookkeeping version {current} ({exc}); "
                    "nothing was changed: load its sources again into a new workspace"
                ) from None
            # A name whose node is not in the graph (none should be) is no candidate for anything.
            conn.execute(
                "INSERT INTO name_blocks (rowid, block, norm, node, country, kind, dataset, node_seq) "
                "SELECT b.rowid, b.block, b.norm, b.node, b.country, b.kind, b.dataset, n.seq "
                "FROM name_blocks_old AS b JOIN nodes AS n ON n.id = b.node ORDER BY b.rowid"
            )
            conn.execute("DROP TABLE given_old")
            conn.execute("DROP TABLE name_blocks_old")
        if version in ("1", "2", "3", "4"):
            # → 5: only the edge records' origins indexed (the tables stay; for 1–3 the old index
            # went with the old table).
            conn.execute("DROP INDEX IF EXISTS given_origin")
            conn.execute(next(s for s in _INDEXES if " given_edge_origin " in s))
        if version in ("1", "2", "3", "4", "5") and not again:
            _names_simplified(conn)  # (indexed again below, they are folded to simplified there)
        if version in ("1", "2", "3", "4", "5", "6"):
            # → 7: what each FtM load left out, empty for the loads before (it was not kept): those
            # that skipped something are marked as not knowing it (a delta on one is refused).
            _left_out_tables(conn)
            for statement in _INDEXES:
                if " ON left_out " in statement:
                    conn.execute(statement)
            conn.execute(
                "INSERT OR IGNORE INTO left_out_unknown SELECT seq FROM loads "
                "WHERE format = 'ftm' AND (skipped > 0 OR skipped_links > 0)"
            )
        elif version == "7" and _unmarked_7(conn):
            # A 7 without the mark's table: brought from 6 by the ordergraph of 4c95e52..9c6fd2b^, whose
            # upgrade kept nothing of what the loads before had left out and marked none of them.
            # Such a load is the one that counts something left out yet kept none of it (a load
            # since keeps a row for each entity and link it leaves out, and its counts follow them).
            _left_out_tables(conn)
            conn.execute(
                "INSERT OR IGNORE INTO left_out_unknown SELECT seq FROM loads AS l "
                "WHERE format = 'ftm' AND (skipped > 0 OR skipped_links > 0) "
                "AND NOT EXISTS (SELECT 1 FROM left_out AS o WHERE o.load_seq = l.seq)"
            )
        if version != current:
            # → 8: where each link an FtM load gave late stood in its file, empty for the loads before
            # (not kept: their late links keep the place they were given at, loaders/workspace/late.py).
            conn.execute(_TABLES[_TABLES.index("CREATE TABLE IF NOT EXISTS given_late ") :].split(";")[0])
        if again:
            _names_folded_again(conn)
        if found is None or found[0] != current:
            conn.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", (key, current))
        conn.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", (_FOLDING, _folding()))


def _folded_again(conn: sqlite3.Connection) -> bool:
    """Whether the workspace's names are to be indexed again: normalised by other rules than this
    version's. A workspace written before the rules were recorded (not a new one's: nothing to
    index yet) normalised its names by earlier ones: 有限公司 was not set aside as Co., Ltd. was."""
    written = conn.execute("SELECT 1 FROM meta WHERE key = ?", (_BOOKKEEPING[0],)).fetchone() is not None
    return _meta(conn, _FOLDING) != _folding() and (written or _has_table(conn, "given"))


def _left_out_tables(conn: sqlite3.Connection) -> None:
    """What FtM loads left out (``left_out``) and which loads do not know it (``left_out_unknown``)."""
    for table in ("left_out", "left_out_unknown"):
        conn.execute(_TABLES[_TABLES.index(f"CREATE TABLE IF NOT EXISTS {table} ") :].split(";")[0])


def _unmarked_7(conn: sqlite3.Connection) -> bool:
    """A bookkeeping 7 without the mark's table: brought from 6 by the ordergraph of 4c95e52..9c6fd2b^."""
    return _has_table(conn, "loads") and not _has_table(conn, "left_out_unknown")


def _has_table(conn: sqlite3.Connection, name: str) -> bool:
    return (
        conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", (name,)).fetchone()
        is not None
    )


def _folding() -> str:
    """The rules names are normalised by now: the OpenCC tables (read and hashed once a process) and
    the legal forms set aside (:func:`graph.names.rules_version`)."""
    from graph.names import rules_version

    return rules_version()


def _names_folded_again(conn: sqlite3.Connection) -> None:
    """The names folded again with other OpenCC tables (or normalised by other rules): the store's
    word index (``names``, ``terms``) and the resolver's ``name_blocks``, each written anew from
    every node's names as this version folds them (a folded name cannot be unfolded: the nodes keep
    the names as given). A record may now meet a node it did not: the datasets are merged again
    when the workspace opens, as after 5 → 6 (a workspace holding rows no dataset gives keeps its
    graph, its indexes folded anew)."""
    import orjson

    from graph.store.workspace import reindex_names
    from loaders.resolve import doc_name_entries

    reindex_names(conn)
    conn.execute("DELETE FROM name_blocks")
    last = -1
    while rows := conn.execute(
        "SELECT seq, doc FROM nodes WHERE seq > ? ORDER BY seq LIMIT ?", (last, 50_000)
    ).fetchall():
        entries = []
        for seq, text in rows:
            doc = orjson.loads(text)
            dataset = doc["provenance"][0]["dataset"]
            entries += [(block, *entry, dataset, seq) for block, entry in doc_name_entries(doc)]
        conn.executemany("INSERT INTO name_blocks VALUES (?, ?, ?, ?, ?, ?, ?)", entries)
        last = rows[-1][0]
    # Why the datasets are merged again (Workspace._merge_folded), unless 5 → 6 already said.
    conn.execute("INSERT OR IGNORE INTO meta VALUES (?, ?)", (_FOLD_MERGE, RULES_CHANGED))


def _names_simplified(conn: sqlite3.Connection) -> None:
    """Bookkeeping 5 → 6: each name in ``name_blocks`` folded to simplified Chinese characters, and
    its block with it. A name was normalised (:func:`graph.names.normalise_name`) before folding
    came in; folding its normalised form gives what normalising it now gives (the folding maps a
    Chinese character to another, after the accents are taken off as before). Names in ASCII, the
    most, are left as they are. When some name changed, a record may now meet a node it did not
    (中國移動 and 中国移动): the datasets are merged again when the workspace opens."""
    from graph.hanzi import simplified
    from loaders.resolve import block_of

    changed = []
    for rowid, norm in conn.execute("SELECT rowid, norm FROM name_blocks"):
        if not norm.isascii() and (folded := simplified(norm)) != norm:
            changed.append((block_of(folded), folded, rowid))
    conn.executemany("UPDATE name_blocks SET block = ?, norm = ? WHERE rowid = ?", changed)
    if changed:
        conn.execute("INSERT OR REPLACE INTO meta VALUES (?, '1')", (_FOLD_MERGE,))
