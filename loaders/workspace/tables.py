"""The workspace's bookkeeping tables beside the graph (``loads``, ``given``, ``name_blocks``,
``set_aside``, ``left_out``, ``left_out_unknown``, ``given_late``), the SQL that reads a record's
document, and how a transaction writing records is set up."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager

from graph.store.workspace import WorkspaceStore

# The meta key under which the workspace keeps the hash of the curated files it copied.
_BASE_DIGEST = "curated_digest"
# ... and of the workspace's own resolutions.yaml its graph was merged with (a file a team shares
# changes under it: another workspace's decision is applied when this one opens).
_JUDGED_DIGEST = "judgements_digest"
# SQLite's page cache, in KiB, while a transaction writes a dataset's records (a load, an unload,
# merging every dataset again), instead of the connection's 64 MiB: filled by a long load's
# inserts, the larger cache grew the process with the file (up to its size and beyond) for no speed
# the loads show (bench/RESULTS.md, "the page cache during loads"). A delta keeps its own larger
# one (WorkspaceStore.scattered_cache: its changes are scattered, not appended).
LOAD_CACHE_KIB = 8 * 1024
# ... and while the bulk path writes a dataset's rows (``Loading.load_rows``, an FtM file): its
# rows go into five b-trees keyed at random (``nodes.id``, ``edges.id``, ``identifiers_value``,
# ``edges_out``, ``edges_in``), ~150 MB at 1M lines, and with 8 MiB each insert read and spilled
# again pages it had just had; the loading process then grew +65 % over linear from 100k to 1M
# (bench/RESULTS.md, "The load at 1M, session 38": the figures this size was chosen by).
ROWS_CACHE_KIB = 32 * 1024

_TABLES = """
CREATE TABLE IF NOT EXISTS loads (
    name TEXT PRIMARY KEY, format TEXT NOT NULL, path TEXT NOT NULL, loaded_at TEXT NOT NULL,
    seq INTEGER NOT NULL UNIQUE, records INTEGER NOT NULL, skipped INTEGER NOT NULL,
    skipped_links INTEGER NOT NULL,
    first_seen TEXT, last_seen TEXT
);
CREATE TABLE IF NOT EXISTS given (
    load_seq INTEGER NOT NULL, rank INTEGER NOT NULL, idx INTEGER NOT NULL, origin TEXT NOT NULL,
    is_edge INTEGER NOT NULL, target TEXT NOT NULL, row INTEGER, own TEXT, line INTEGER, doc TEXT,
    PRIMARY KEY (load_seq, rank, idx)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS name_blocks (
    block TEXT NOT NULL, norm TEXT NOT NULL, node TEXT NOT NULL, country TEXT, kind TEXT NOT NULL,
    dataset TEXT NOT NULL, node_seq INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS set_aside (dataset TEXT NOT NULL, edge TEXT NOT NULL, node TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS left_out (
    load_seq INTEGER NOT NULL, entity TEXT NOT NULL, origin TEXT, rank INTEGER, doc TEXT
);
CREATE TABLE IF NOT EXISTS left_out_unknown (load_seq INTEGER PRIMARY KEY);
CREATE TABLE IF NOT EXISTS given_late (
    load_seq INTEGER NOT NULL, origin TEXT NOT NULL, rank INTEGER NOT NULL, PRIMARY KEY (load_seq, origin)
) WITHOUT ROWID;
"""
_INDEXES = [
    "CREATE INDEX IF NOT EXISTS given_row ON given (is_edge, row) WHERE row IS NOT NULL",
    "CREATE INDEX IF NOT EXISTS given_rowless ON given (is_edge, target) WHERE row IS NULL",
    "CREATE INDEX IF NOT EXISTS given_edge_origin ON given (load_seq, origin) WHERE is_edge = 1",
    "CREATE INDEX IF NOT EXISTS given_own ON given (own, load_seq) WHERE own IS NOT NULL",
    "CREATE INDEX IF NOT EXISTS name_blocks_dataset ON name_blocks (block, dataset)",
    "CREATE INDEX IF NOT EXISTS name_blocks_node ON name_blocks (node_seq)",
    "CREATE INDEX IF NOT EXISTS set_aside_node ON set_aside (node)",
    "CREATE INDEX IF NOT EXISTS left_out_entity ON left_out (load_seq, entity)",
    "CREATE INDEX IF NOT EXISTS left_out_origin ON left_out (load_seq, origin) WHERE origin IS NOT NULL",
]
_GIVEN_INDEXES = [statement for statement in _INDEXES if " ON given " in statement]
# The version of the tables above, in ``meta`` (the store keeps its own): 2 keeps a record's
# document only when it differs from the row it went into, and each name's bringing dataset;
# 3 keys ``given`` by load number, origin rank and index (the table itself, no rowid), says the
# dataset by its load number, and keeps a record's own id only when it is not the row's (most
# records go into a row of their own id): three b-trees a record instead of five, fewer pages
# a delta dirties. 4 finds a row's records and a node's names by the row's number in the store
# (``given.row``, ``name_blocks.node_seq``), not by its id: a new row's entries go at the end of
# those indexes instead of splitting pages all over them (a 1 % delta at 1M dirtied ~15,000 pages
# there). A record whose row is not in the graph (a link set aside) has no row number, and is
# found by its target id in a small index of its own. 5 indexes the origins (FtM ids) of the
# records that went into edges only: a node record of an FtM entity is found through its node,
# which carries the entity's id as an ``ftm_id`` identifier (the store's ``identifiers_value``, written
# anyway), so a new entity's record no longer splits a page of an index of random ids (~5,000 of the
# ~41,600 pages a 1 % delta at 1M dirtied). A workspace written at an earlier version is brought up
# to date when opened (``_Bookkeeping``, with the store's own tables); a later one is refused. 6
# keeps names (``name_blocks.norm`` and their blocks) in simplified Chinese characters, as
# :func:`graph.names.normalise_name` now gives them (:mod:`graph.hanzi`). 7 keeps what each FtM load left
# out (``left_out``: entities of schemas we skip, links to them; :mod:`.skips`), which a delta reads:
# a workspace of 6 gets the table empty, and each FtM load of it that skipped entities or links (which
# were not kept) in ``left_out_unknown``: a delta on such a load is refused (it could diverge from its
# final file), the dataset to be loaded again; an ordergraph reading 6 cannot open a 7 and leave the
# tables behind. 8 keeps where each link an FtM load gave late stood in the file (``given_late``: its
# entity further down; :mod:`.late`), which a delta moving it onto an entity before it gives it at: a
# workspace of 7 gets the table empty (its loads' late links keep the place they were given at).
_BOOKKEEPING = ("bookkeeping", "8")
# Set (in ``meta``) by the bookkeeping's 5 → 6 when it folded some name: the datasets are merged
# again once (``Workspace._merge_folded``), as they merge now, and the key taken out by the merge.
_FOLD_MERGE = "fold_merge_due"
# Its value when the names were indexed again for other rules (``_FOLDING``), not by the 5 → 6 ('1').
RULES_CHANGED = "rules"
# The rules the names were normalised by (:func:`graph.names.rules_version`: the OpenCC tables they
# were folded with, the legal forms set aside): other tables (a new opencc-purepy) fold some names
# otherwise, other legal forms cut others, so stored names would no longer meet normalised queries:
# opened under other rules (or none recorded: written before 有限公司 was set aside as Co., Ltd.
# is), the workspace indexes its names again and merges every dataset again (``_Bookkeeping``,
# then ``Workspace._merge_folded``), as the 5 → 6 upgrade did.
_FOLDING = "names_folding"


def _doc(given: str = "given") -> str:
    """SQL for a given record's document: its own, or (NULL: the bulk path wrote the record as a
    row of its own) the row's, the same text until the row is written again (then
    :meth:`Workspace._keep_given_docs` copies it into ``given`` first)."""
    # The row by its number (one seek in the table, not two through the id index); by its id
    # while a load has not bound the number yet (rows its merger writes after their records).
    return (
        f"COALESCE({given}.doc, CASE {given}.is_edge "  # noqa: S608 - ``given``: this module's alias
        f"WHEN 0 THEN COALESCE((SELECT n.doc FROM nodes AS n WHERE n.seq = {given}.row), "
        f"(SELECT n.doc FROM nodes AS n WHERE n.id = {given}.target)) "
        f"ELSE COALESCE((SELECT e.doc FROM edges AS e WHERE e.seq = {given}.row), "
        f"(SELECT e.doc FROM edges AS e WHERE e.id = {given}.target)) END)"
    )


# A given record's dates (the dataset's own provenance, the only one a record it gave carries).
_FIRST = f"json_extract({_doc()}, '$.provenance[0].first_seen')"
_LAST = f"json_extract({_doc()}, '$.provenance[0].last_seen')"
# The row number of a record's target (``?5``: whether it is an edge; ``?6``: its id), NULL when
# the graph has no such row (yet): the value of ``given.row`` (:meth:`Workspace._bind` sets it later).
_ROW_OF = (
    "COALESCE((SELECT seq FROM nodes WHERE ?5 = 0 AND id = ?6), "
    "(SELECT seq FROM edges WHERE ?5 = 1 AND id = ?6))"
)


def _of_entities(columns: str, edges: bool = True) -> str:
    """SQL for ``columns`` of the records (``g``) an FtM dataset (load ``?2``) gave for the entities
    whose ids are the JSON list ``?1``, each with the entity's id: those that went into a node through
    the node, which carries the entity's id as an ``ftm_id`` identifier (a merged node carries every
    id merged into it), those that went into an edge (unless not ``edges``) by their origin, and a
    node record without a row (none is left by a finished load) by a scan of those. A record may
    come twice (a node naming the id twice): the caller keeps one."""
    nodes = (
        f"SELECT o.value, {columns} FROM json_each(?1) AS o CROSS JOIN identifiers AS i "  # noqa: S608
        "CROSS JOIN given AS g WHERE i.scheme = 'ftm_id' AND i.value = o.value AND g.is_edge = 0 "
        "AND g.row = i.node_seq AND g.load_seq = ?2 AND g.origin = o.value "
        f"UNION ALL SELECT g.origin, {columns} FROM given AS g WHERE g.is_edge = 0 AND g.row IS NULL "
        "AND g.load_seq = ?2 AND g.origin IN (SELECT value FROM json_each(?1))"
    )
    if not edges:
        return nodes
    return (
        f"{nodes} UNION ALL SELECT o.value, {columns} FROM json_each(?1) AS o CROSS JOIN given AS g "  # noqa: S608
        "WHERE g.load_seq = ?2 AND g.origin = o.value AND g.is_edge = 1"
    )


def _records_of(columns: str, table: str) -> str:
    """SQL for ``columns`` of the records (``g``) that went into the rows of ``table`` whose ids are
    the JSON list ``?1`` (``?2``: 1 for edges), each with ``j.value``, its row's id: those of a row
    in the graph by its number, and those of a row not in it (set aside) by its id."""
    return (
        f"SELECT j.value, {columns} FROM json_each(?1) AS j CROSS JOIN {table} AS t "  # noqa: S608
        "CROSS JOIN given AS g WHERE t.id = j.value AND g.is_edge = ?2 AND g.row = t.seq "
        f"UNION ALL SELECT j.value, {columns} FROM json_each(?1) AS j CROSS JOIN given AS g "
        "WHERE g.is_edge = ?2 AND g.row IS NULL AND g.target = j.value"
    )


def next_idx_key(seq: int) -> str:
    """The ``meta`` key of the index a delta's records on load ``seq`` start from: past every index
    the load and its deltas gave (a record given at a rank another origin's records hold,
    loaders/workspace/skips.py, must not take one of theirs; the dataset's last record alone does not
    say: a load gives a security's ISSUES once its issuer further down is read, last, at the
    security's rank). Every index of a load is its own, which moving a record to another rank
    (loaders/workspace/lists.py) relies on."""
    return f"delta_next_idx:{seq}"


def keep_next_idx(conn: sqlite3.Connection, seq: int, next_idx: int) -> None:
    """Keep ``next_idx`` as the index load ``seq``'s next delta's records start from."""
    conn.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", (next_idx_key(seq), str(next_idx)))


def next_idx_of(conn: sqlite3.Connection, seq: int) -> int:
    """The index load ``seq``'s next delta's records start from: the one kept, else (a load made
    before loads kept it, no delta since) past its highest index (one scan of its records)."""
    kept = _meta(conn, next_idx_key(seq))
    if kept is not None:
        return int(kept)
    (highest,) = conn.execute("SELECT MAX(idx) FROM given WHERE load_seq = ?", (seq,)).fetchone()
    return 0 if highest is None else int(highest) + 1


def place(rank: int, idx: int) -> int:
    """One number for a record's place in its dataset, ``(rank, idx)``, as :func:`place_sql` makes it
    in SQL (a rank may be shared by a record left out and brought back at its place: see
    loaders/workspace/skips.py; the index keeps records apart).

    >>> place(-1, 5) < place(0, 0) < place(0, 1) < place(1, 0)
    True
    """
    return (rank << 32) + idx


def place_sql(alias: str = "") -> str:
    """:func:`place` of a ``given`` record in SQL (``alias``: the table's, with its dot)."""
    return f"(({alias}rank << 32) + {alias}idx)"


def _meta(conn: sqlite3.Connection, key: str) -> str | None:
    """The workspace's bookkeeping value stored under ``key`` in ``meta``; None when none is."""
    found = conn.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
    return None if found is None else str(found[0])


@contextmanager
def _writing_records(store: WorkspaceStore, cache_kib: int = LOAD_CACHE_KIB) -> Iterator[None]:
    """For a transaction writing a dataset's records: sorts on disk (``sorting_on_disk``) and a page
    cache of ``cache_kib`` (``LOAD_CACHE_KIB``; the bulk path's rows ``ROWS_CACHE_KIB``), the
    connection's own given back after.

    >>> store = WorkspaceStore.open(":memory:")
    >>> with _writing_records(store):
    ...     store.conn.execute("PRAGMA cache_size").fetchone()[0] == -LOAD_CACHE_KIB
    True
    >>> with _writing_records(store, ROWS_CACHE_KIB):
    ...     store.conn.execute("PRAGMA cache_size").fetchone()[0] == -ROWS_CACHE_KIB
    True
    >>> store.conn.execute("PRAGMA cache_size").fetchone()[0]  # the store's 64 MiB
    -65536
    """
    conn = store.conn
    if conn.in_transaction:
        # Inside another such block (an unload merging every dataset again): its settings hold,
        # and SQLite refuses to change where temporary tables live within a transaction.
        yield
        return
    with store.pragma_during("cache_size", -int(cache_kib)), store.sorting_on_disk():
        yield
