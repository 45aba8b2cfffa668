"""Which data is loaded: the curated data, and the workspace of sources a user loads.

The workspace folder (``./.ordergraph`` or ``$ORDERGRAPH_HOME``) holds one SQLite file,
a :class:`~graph.store.workspace.WorkspaceStore`: the merged graph itself, which the CLI
and the app query directly (opening it parses no source), and beside the graph, in
tables of its own, what each dataset gave:

- ``loads``: each dataset (the curated data first, as the base), its format, file,
  record and skip counts and first/last-seen dates;
- ``given``: every record a dataset gave, as the source said it (its own ids), and the
  node or edge of the graph it went into. A node or edge is the merge of what every
  dataset gave it, in load order, so taking one dataset out re-merges only the rows it
  touched — a row two datasets gave loses one dataset, not the row. A record that went
  into a new row as it is keeps no copy of its document (the row has it, until it is
  written again: most of a large load, which would otherwise store every document twice);
- ``name_blocks``: the names of companies, people and bodies by block, and the dataset
  that brought each one's node, where the resolver finds name candidates with one indexed
  lookup (a delta skipping its own dataset's names).

The base is a copy of the curated data, kept with a hash of its files: when ``data/``
changes (a new edition of the corpus), the next open merges every dataset again onto the
new base, so a workspace never answers from a superseded copy.

A load resolves its records against the graph already there (identifiers through the
store's index, names through ``name_blocks``), then writes only the rows it changed or
added, in one transaction with its bookkeeping: a bad line anywhere leaves the database
as it was. A delta touches only its entities; unloading restores what was there.
"""

from __future__ import annotations

import json
import os
import re
import sqlite3
import sys
import time
from collections.abc import Callable, Collection, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from itertools import islice
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, TypeVar

from graph.errors import LoadError, StoreUnavailable
from graph.model import CURATED, Edge, Node, edge_endpoints, vocabulary
from graph.store.base import GraphStore
from graph.store.memory import MemoryStore
from graph.store.workspace import WorkspaceStore
from loaders.cache import files_digest, read_dataset_cached
from loaders.records import Record

if TYPE_CHECKING:
    from loaders.bulk import BulkLoad
    from loaders.delta import NameRow
    from loaders.ftm import Change
    from loaders.records import Row
    from loaders.resolve import Judgement, Merger, NameEntry, NameIndex

# The readers and the resolver are imported where used: a command over the curated
# graph (``ordergraph affects``) starts without loading any of them.

DATA_ENV = "ORDERGRAPH_DATA"
_SOURCE_DATA = Path(__file__).resolve().parent.parent / "data"  # a checkout (or an editable install)
_INSTALLED_DATA = Path(sys.prefix) / "share" / "ordergraph" / "data"  # `pip install .`
PROJECT_DATA = _SOURCE_DATA if _SOURCE_DATA.is_dir() or not _INSTALLED_DATA.is_dir() else _INSTALLED_DATA


def data_dir(explicit: str | None = None) -> Path:
    """The curated data folder: ``explicit``, else ``$ORDERGRAPH_DATA``, else the project's ``data/``."""
    chosen = explicit or os.environ.get(DATA_ENV)
    return Path(chosen) if chosen else PROJECT_DATA


def _data_digest(folder: Path) -> str | None:
    """A hash of a curated data folder's files (names and bytes); None when it has none."""
    from loaders.curated import data_files

    try:
        files = data_files(folder)
    except LoadError:
        return None
    return files_digest("ordergraph-curated", files)


def load_memory_store(folder: str | Path | None = None) -> MemoryStore:
    """A new in-memory store holding the whole curated dataset (raises LoadErrors on bad data).

    The validated dataset is cached (see ``loaders.cache``), so an unchanged folder is not parsed again.
    """
    dataset = read_dataset_cached(data_dir(str(folder)) if folder is not None else data_dir())
    return MemoryStore.from_parts(dataset.nodes, dataset.edges)


# --- The workspace: sources a user loads, merged with the curated data, kept on disk. ---

HOME_ENV = "ORDERGRAPH_HOME"
DEFAULT_HOME = ".ordergraph"
DATABASE = "graph.sqlite"
# The meta key under which the workspace keeps the hash of the curated files it copied.
_BASE_DIGEST = "curated_digest"
# ... and of the workspace's own resolutions.yaml its graph was merged with (a file a team shares
# changes under it: another workspace's decision is applied when this one opens).
_JUDGED_DIGEST = "judgements_digest"
RESOLUTIONS = "resolutions.yaml"
REMERGE_STEP = 10_000  # rows merged again between two progress events
_REMERGED = "remerged_records"  # the temporary table of the records being merged again
# SQLite's page cache, in KiB, while a transaction writes a dataset's records (a load, an unload,
# merging every dataset again), instead of the connection's 64 MiB: filled by a long load's
# inserts, the larger cache grew the process with the file (up to its size and beyond) for no speed
# the loads show (bench/RESULTS.md, "the page cache during loads"). A delta keeps its own larger
# one (WorkspaceStore.scattered_cache: its changes are scattered, not appended).
LOAD_CACHE_KIB = 8 * 1024
T = TypeVar("T")

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
"""
_INDEXES = [
    "CREATE INDEX IF NOT EXISTS given_row ON given (is_edge, row) WHERE row IS NOT NULL",
    "CREATE INDEX IF NOT EXISTS given_rowless ON given (is_edge, target) WHERE row IS NULL",
    "CREATE INDEX IF NOT EXISTS given_edge_origin ON given (load_seq, origin) WHERE is_edge = 1",
    "CREATE INDEX IF NOT EXISTS given_own ON given (own, load_seq) WHERE own IS NOT NULL",
    "CREATE INDEX IF NOT EXISTS name_blocks_dataset ON name_blocks (block, dataset)",
    "CREATE INDEX IF NOT EXISTS name_blocks_node ON name_blocks (node_seq)",
    "CREATE INDEX IF NOT EXISTS set_aside_node ON set_aside (node)",
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
# :func:`graph.names.normalise_name` now gives them (:mod:`graph.hanzi`).
_BOOKKEEPING = ("bookkeeping", "6")
# Set (in ``meta``) by the bookkeeping's 5 → 6 when it folded some name: the datasets are merged
# again once (``Workspace._merge_folded``), as they merge now, and the key taken out by the merge.
_FOLD_MERGE = "fold_merge_due"


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


# A load giving at least this many records into a workspace holding fewer writes its
# bookkeeping rows first and builds their indexes after (as the store does its own).
BULK = 5000


def workspace_dir(explicit: str | Path | None = None) -> Path:
    """The workspace folder: ``explicit``, else ``$ORDERGRAPH_HOME``, else ``./.ordergraph``."""
    chosen = explicit or os.environ.get(HOME_ENV)
    return Path(chosen) if chosen else Path.cwd() / DEFAULT_HOME


def workspace_exists(folder: str | Path | None = None) -> bool:
    """Whether a workspace has been created there (by a first ``load``)."""
    return (workspace_dir(folder) / DATABASE).exists()


@dataclass(frozen=True)
class Remerge:
    """Every loaded dataset being merged again, as a face tells its user (at 1M entities: minutes).

    Sent at each ``stage``: when it begins (``rows`` 0: not read yet), when the rows are ``read``,
    now and then while they are ``merging`` (``done`` of ``rows``), and when it is ``done`` — or
    ``failed`` (the error follows; the workspace is as it was). Never sent when no dataset is loaded.
    """

    why: str  # "the curated data changed since this workspace was built"
    datasets: int  # the loaded datasets merged again (the curated base aside)
    records: int  # the records they gave, as ``ordergraph sources`` counts them
    rows: int = 0
    done: int = 0
    stage: Literal["begin", "read", "merging", "done", "failed"] = "begin"

    @property
    def finished(self) -> bool:
        """Whether the re-merge is over and written."""
        return self.stage == "done"

    def tenths(self) -> int:
        """How many tenths of the rows are merged."""
        return self.done * 10 // self.rows if self.rows else 0

    def sentence(self) -> str:
        """What is happening and why, e.g. ``the curated data changed since this workspace was built:
        re-merging 2 loaded datasets (1,204 records)…``."""
        datasets = f"{self.datasets} loaded dataset{'' if self.datasets == 1 else 's'}"
        return f"{self.why}: re-merging {datasets} ({self.records:,} records)…"


class RemergeLines:
    """What a face says about a re-merge, a line at a time through ``say``: why, when it begins; a
    line every tenth of the rows for a run of at least ``min_rows``; how long it took. Nothing
    when it fails: the face reports the error itself."""

    def __init__(self, say: Callable[[str], None], min_rows: int = 0) -> None:
        self.say = say
        self.min_rows = min_rows
        self.started = time.monotonic()
        self.said = 0  # tenths said so far

    def __call__(self, event: Remerge) -> None:
        if event.stage == "begin":
            self.started, self.said = time.monotonic(), 0
            self.say(event.sentence())
        elif event.stage == "done":
            self.say(f"re-merged {event.rows:,} rows in {time.monotonic() - self.started:.1f} s")
        elif event.stage == "merging" and event.rows >= self.min_rows and event.tenths() > self.said:
            self.said = event.tenths()
            self.say(f"re-merging: {event.done:,} of {event.rows:,} rows")


@dataclass(frozen=True)
class DatasetInfo:
    """A loaded source as ``ordergraph sources`` lists it."""

    name: str
    format: str
    path: str
    loaded_at: str
    records: int
    nodes: int
    edges: int
    first_seen: str | None
    last_seen: str | None
    skipped: int = 0  # entities the source gave that the graph has no kind for (vessels…)
    skipped_links: int = 0  # links (sanctions, ownerships…) with an end among those, left out
    set_aside: int = 0  # links it gave that wait, out of the graph, for an end no dataset gives now


@dataclass(frozen=True)
class SetAside:
    """A link a dataset gave to a node no dataset now gives: kept, out of the graph, until one does.

    An article's mention of a company only an unloaded dataset described; it comes back when a
    dataset gives that node again (loading the unloaded one again, say), as FtM statements about
    an entity stay while no dataset describes it.
    """

    dataset: str
    edge: str
    node: str


@dataclass
class _Given:
    """One record a dataset gave, and the row of the graph it went into.

    The record is a model, or (a delta's plain node, ``loaders/delta.py``) the document its model
    would dump.
    """

    rank: int
    idx: int
    record: Record | Row
    target: str
    # The record went into a new row as it is: its document is the row's (``given.doc`` NULL).
    as_row: bool = False

    @property
    def is_edge(self) -> bool:
        record = self.record
        return isinstance(record.item, Edge) if isinstance(record, Record) else record.is_edge

    @property
    def own(self) -> str:
        """The record's own id (of the node or edge it stands for)."""
        record = self.record
        return record.item.id if isinstance(record, Record) else str(record.doc["id"])

    @property
    def line(self) -> int | None:
        # A plain row keeps no line, as the records a delta merges (``row_record``) and a load's rows.
        return self.record.line if isinstance(self.record, Record) else None

    def document(self) -> str:
        record = self.record
        if isinstance(record, Record):
            return record.item.model_dump_json()
        return record.text if record.text is not None else _json(record.doc)

    def seen(self) -> Iterator[tuple[str | None, str | None]]:
        """The first and last seen dates of its provenance."""
        record = self.record
        if isinstance(record, Record):
            yield from ((p.first_seen, p.last_seen) for p in record.item.provenance)
        else:
            yield from ((p["first_seen"], p["last_seen"]) for p in record.doc["provenance"])


def _json(doc: dict[str, Any]) -> str:
    import orjson

    return orjson.dumps(doc).decode()


@dataclass(frozen=True, slots=True)
class _Stored:
    """A record in ``given`` that a delta replaces: where it stands in its origin's rank, and its keys."""

    idx: int
    is_edge: bool
    target: str
    own: str | None


class _Bookkeeping:
    """The bookkeeping tables of a workspace written at an earlier version brought to this one (see
    ``_BOOKKEEPING``), in the store's upgrade transaction (:class:`~graph.store.workspace.Upgrade`),
    with its own tables' upgrade: all of it or none. A version this ordergraph does not know is
    refused, and so is a table that cannot be converted faithfully: nothing is changed then."""

    def due(self, conn: sqlite3.Connection) -> bool:
        found = conn.execute("SELECT value FROM meta WHERE key = ?", (_BOOKKEEPING[0],)).fetchone()
        return found is None or found[0] != _BOOKKEEPING[1]

    def apply(self, conn: sqlite3.Connection, file: str) -> None:
        key, current = _BOOKKEEPING
        found = conn.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        old = conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'given'").fetchone()
        version = found[0] if found is not None else ("1" if old is not None else current)
        if version not in ("1", "2", "3", "4", "5", current):
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
        if version in ("1", "2", "3", "4", "5"):
            _names_simplified(conn)
        if found is None or found[0] != current:
            conn.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", (key, current))


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


class _SqlNames:
    """The resolver's name index in the ``name_blocks`` table (one indexed lookup a block).

    Why a second index of names beside the store's word index (``names``/``terms``): a load
    resolves every name it brings, and a merge must see every name of its block that can reach
    ``NAME_THRESHOLD``. The store's index cannot give that: its FTS5 table is contentless (it
    cannot return a node's normalised names, so each candidate's JSON must be read and its names
    normalised again), and ``name_candidates`` cuts at a limit (the AND of common words in write
    order) after matching unknown words against the vocabulary. Measured on the curated
    workspace: 43 µs a name here against 1.0 ms through ``name_candidates`` (24×; a 1M-entity
    load would take a quarter of an hour more). Review and the article linker, which look up few
    names, use the store's index (``Resolver.candidates``, ``loaders.article.link``).

    ``other_than``: the names of nodes another dataset brought only (a delta's resolver never
    matches its own dataset's nodes by name, so it need not read them).
    """

    def __init__(self, conn: sqlite3.Connection, other_than: str | None = None) -> None:
        self.conn, self.other_than = conn, other_than
        self._read: dict[str, list[NameEntry]] = {}

    def read_ahead(self, blocks: Collection[str]) -> set[str]:
        """The entries of these blocks, read now in one statement (two range seeks a block, as
        :meth:`entries` makes) and given from memory when asked for; the table must not change
        meanwhile (a delta reads ahead once its merge starts, and writes its names after it).
        Returns the blocks that hold any entry."""
        read: dict[str, list[NameEntry]] = {block: [] for block in blocks}
        select = (
            "SELECT b.block, b.norm, b.node, b.country, b.kind FROM json_each(?1) AS j "
            "CROSS JOIN name_blocks AS b WHERE b.block = j.value"
        )
        if self.other_than is None:
            rows = self.conn.execute(select, (json.dumps(list(read)),))
        else:
            rows = self.conn.execute(
                f"{select} AND b.dataset < ?2 UNION ALL {select} AND b.dataset > ?2",
                (json.dumps(list(read)), self.other_than),
            )
        for block, norm, node, country, kind in rows:
            read[block].append((norm, node, country, kind))
        self._read.update(read)
        return {block for block, entries in read.items() if entries}

    def entries(self, block: str) -> list[NameEntry]:
        ahead = self._read.get(block)
        if ahead is not None:
            return list(ahead)
        if self.other_than is None:
            rows = self.conn.execute(
                "SELECT norm, node, country, kind FROM name_blocks WHERE block = ?", (block,)
            )
        else:
            # Two seeks in the (block, dataset) index, around the dataset's own names: a delta
            # reads the names of the rest of the graph, never the thousands its dataset gave.
            rows = self.conn.execute(
                "SELECT norm, node, country, kind FROM name_blocks WHERE block = ?1 AND dataset < ?2 "
                "UNION ALL "
                "SELECT norm, node, country, kind FROM name_blocks WHERE block = ?1 AND dataset > ?2",
                (block, self.other_than),
            )
        return [(norm, node, country, kind) for norm, node, country, kind in rows]


class Workspace:
    """The workspace store and, beside it, what each loaded dataset gave.

    Loads are all-or-nothing: records are resolved against the store, merged and written —
    only the rows they change — in one SQLite transaction with their bookkeeping, which
    commits once the whole file was read without error. What a load holds in memory is the
    graph it changes and a fixed-size batch of records (``loaders.bulk.BATCH``), written as
    it goes, not the file.
    """

    def __init__(
        self,
        folder: str | Path | None = None,
        data: str | Path | None = None,
        remerging: Callable[[Remerge], None] | None = None,
        waiting: Callable[[str], None] | None = None,
    ) -> None:
        self.folder = workspace_dir(folder)
        self.data = data
        self.remerging = remerging  # told when every dataset is merged again (see Remerge)
        # Told, in a sentence, when another process is recording a decision and this one waits for
        # it to finish (None: a note on stderr, loaders.files.locked's default).
        self.waiting = waiting
        self._store: WorkspaceStore | None = None
        # While a delta merges: its load number and the ranks of the records it replaces, which
        # stay in ``given`` until its new records are written (``_replace_given``) but are read
        # as gone.
        self._replacing: tuple[int, frozenset[int]] | None = None

    # -- opening --
    def store(self) -> WorkspaceStore:
        """The merged graph in its file (created, with the curated data as its base, the first time)."""
        store = self._store
        if store is None:
            store = self._store = WorkspaceStore.open(self.folder / DATABASE, upgrade=_Bookkeeping())
            try:
                store.conn.executescript(_TABLES + ";".join(_INDEXES) + ";")
                if store.conn.execute("SELECT 1 FROM loads WHERE seq = 0").fetchone() is None:
                    with store.transaction():
                        self._write_base(store)
                else:
                    self._refresh_base(store)
                    self._merge_folded(store)
            except BaseException:
                self.close()
                raise
        return store

    @property
    def conn(self) -> sqlite3.Connection:
        return self.store().conn

    def close(self) -> None:
        if self._store is not None:
            self._store.close()
            self._store = None

    def _data_folder(self) -> Path:
        return data_dir(str(self.data)) if self.data is not None else data_dir()

    def _refresh_base(self, store: WorkspaceStore) -> None:
        """Every dataset merged again onto the curated data when its files changed since the copy.

        A data folder that is missing or empty leaves the copy as it is (the workspace
        answers without its sources); so does an unchanged one.
        """
        digest = _data_digest(self._data_folder())
        if digest is None or _meta(store.conn, _BASE_DIGEST) == digest:
            if self._judged_stale(store):
                from loaders.files import locked

                # Another process may be recording a decision (it holds the lock while it writes the
                # file and merges the graph again): wait for it, then look again — its merge may
                # be the one this workspace needed.
                with locked(self.folder / RESOLUTIONS, self.waiting):
                    if self._judged_stale(store):
                        self._refuse_unrecorded("with the decisions now in resolutions.yaml")
                        why = f"{self.folder / RESOLUTIONS} changed since this workspace was built"
                        self._rebuild(why=why)
            return
        self._refuse_unrecorded("onto the new edition of the curated data")
        from loaders.files import locked

        # One re-merge at a time, as a decision's: another process recording one (or merging this
        # edition in) holds the lock; once held, look again — its merge may be the one needed.
        with locked(self.folder / RESOLUTIONS, self.waiting):
            if _meta(store.conn, _BASE_DIGEST) == digest:
                return
            base = read_dataset_cached(self._data_folder())
            records = [Record(n.id, n) for n in base.nodes] + [Record(e.id, e) for e in base.edges]
            why = "the curated data changed since this workspace was built"
            self._rebuild(base=records, digest=digest, why=why)

    def _merge_folded(self, store: WorkspaceStore) -> None:
        """Every dataset merged again, once, after the bookkeeping folded some of its names to
        simplified Chinese characters (5 → 6): the graph is then the one a load by this version
        makes. A workspace holding rows no dataset's records give (a bench corpus) cannot be merged
        again: it keeps the graph as it was merged, its name indexes folded."""
        conn = store.conn

        def due() -> bool:
            return conn.execute("SELECT 1 FROM meta WHERE key = ?", (_FOLD_MERGE,)).fetchone() is not None

        if not due():
            return
        # Another process opening the file may be merging it again (the app and the CLI opening one
        # old workspace together): wait for it as for the upgrade, then look again once the file is
        # held, and merge again inside that transaction (all or nothing) only if still due.
        with _writing_records(store), store.waiting_long(), store.transaction():
            if not due():
                return
            loaded = conn.execute("SELECT 1 FROM loads WHERE seq > 0 LIMIT 1").fetchone() is not None
            if loaded and self._unrecorded() == (0, 0):
                why = "names are now matched across traditional and simplified Chinese characters"
                self._rebuild(why=why)
            else:
                conn.execute("DELETE FROM meta WHERE key = ?", (_FOLD_MERGE,))

    def _write_base(self, store: WorkspaceStore) -> None:
        """The curated data, written as the first dataset (``curated``, load 0)."""
        base = read_dataset_cached(self._data_folder())
        given = [_Given(i, 0, Record(n.id, n), n.id) for i, n in enumerate(base.nodes)]
        given += [_Given(len(given) + i, 0, Record(e.id, e), e.id) for i, e in enumerate(base.edges)]
        store.write(base.nodes, base.edges)
        self._index_names(base.nodes, fresh=True)
        self._insert_given(0, given)
        folder = str(data_dir(str(self.data) if self.data else None))
        self._insert_load(CURATED, "curated", folder, 0, 0, (0, 0), (None, None))
        self._set_digest(_data_digest(self._data_folder()))
        self._set_judged()

    def _set_digest(self, digest: str | None) -> None:
        if digest is not None:
            self.conn.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", (_BASE_DIGEST, digest))

    def _judged_stale(self, store: WorkspaceStore) -> bool:
        """Whether resolutions.yaml changed since the graph was last merged with its decisions."""
        return (_meta(store.conn, _JUDGED_DIGEST) or "") != self._judged_digest()

    def _judged_digest(self) -> str:
        """A hash of this workspace's resolutions.yaml (through a link), "" when there is none."""
        file = self.folder / RESOLUTIONS
        return files_digest("ordergraph-judgements", [file]) if file.exists() else ""

    def _set_judged(self) -> None:
        judged = self._judged_digest()
        self.conn.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", (_JUDGED_DIGEST, judged))

    # -- reading --
    def judgements(self) -> list[Judgement]:
        """Decisions from the curated data's resolutions.yaml and from this workspace's own."""
        from loaders.resolve import read_judgements

        curated = data_dir(str(self.data) if self.data is not None else None) / RESOLUTIONS
        return [*read_judgements(curated), *read_judgements(self.folder / RESOLUTIONS)]

    def datasets(self) -> list[DatasetInfo]:
        """The loaded datasets in load order (the curated base left out), with what each gave."""
        return self._infos(None, self.store().datasets())

    def info(self, dataset: str) -> DatasetInfo:
        """One loaded dataset (its counts read from the index of what it gave, not every dataset's)."""
        counts = {dataset: self.store().dataset_counts(dataset)}
        return self._infos(dataset, counts)[0]

    def _infos(self, dataset: str | None, counts: dict[str, tuple[int, int]]) -> list[DatasetInfo]:
        """Every loaded dataset (None), or one, with these node and edge counts."""
        aside = dict(
            self.conn.execute(
                "SELECT dataset, COUNT(DISTINCT edge) FROM set_aside "
                "WHERE ?1 IS NULL OR dataset = ?1 GROUP BY dataset",
                (dataset,),
            )
        )
        rows = self.conn.execute(
            "SELECT name, format, path, loaded_at, records, first_seen, last_seen, skipped, skipped_links "
            "FROM loads WHERE seq > 0 AND (?1 IS NULL OR name = ?1) ORDER BY seq",
            (dataset,),
        ).fetchall()
        out = []
        for name, fmt, path, loaded_at, records, first_seen, last_seen, skipped, links in rows:
            nodes, edges = counts.get(name, (0, 0))
            out.append(
                DatasetInfo(
                    name,
                    fmt,
                    path,
                    loaded_at,
                    records,
                    nodes,
                    edges,
                    first_seen,
                    last_seen,
                    skipped,
                    links,
                    int(aside.get(name, 0)),
                )
            )
        return out

    def records(self, dataset: str) -> list[Record]:
        """The records a dataset gave, in the order it gave them."""
        return [_record(origin, is_edge, line, doc) for origin, is_edge, line, doc in self._given(dataset)]

    def _given(self, dataset: str) -> list[tuple[str, int, int | None, str]]:
        """``(origin, is_edge, line, document)`` of each record a dataset gave, in its order."""
        return self.conn.execute(
            f"SELECT origin, is_edge, line, {_doc()} FROM given "  # noqa: S608
            "WHERE load_seq = (SELECT seq FROM loads WHERE name = ?) ORDER BY rank, idx",
            (dataset,),
        ).fetchall()

    def review_subjects(self, offset: int, limit: int) -> tuple[list[str], int]:
        """A page of the companies, people and bodies the loaded datasets gave, and how many there
        are: what ``resolve --review`` compares with the graph, page by page.

        The order is stable while nothing is loaded: the newest dataset's first, each dataset's in
        the order it gave them (a node two datasets gave counts once, with the newer one). Two
        queries a page, whatever its offset.
        """
        from loaders.resolve import NAME_KINDS

        prefixes = [p for p, kind in vocabulary().id_prefix.items() if kind in NAME_KINDS]
        like = " OR ".join("g.target LIKE ?" for _ in prefixes)
        subjects = (
            "SELECT g.target AS target, MAX(g.load_seq) AS seq, MIN((g.load_seq << 32) + g.rank) AS first "  # noqa: S608
            f"FROM given AS g WHERE g.load_seq > 0 AND g.is_edge = 0 AND ({like}) GROUP BY g.target"
        )
        patterns = [f"{p}:%" for p in prefixes]
        total = self.conn.execute(f"SELECT COUNT(*) FROM ({subjects})", patterns).fetchone()[0]  # noqa: S608
        rows = self.conn.execute(
            f"SELECT target FROM ({subjects}) ORDER BY seq DESC, first LIMIT ? OFFSET ?",  # noqa: S608
            (*patterns, limit, offset),
        )
        return [str(target) for (target,) in rows], int(total)

    def has(self, dataset: str) -> bool:
        return self.conn.execute("SELECT 1 FROM loads WHERE name = ?", (dataset,)).fetchone() is not None

    # -- writing --
    def _merger(self, absent: Collection[str] = (), names: NameIndex | None = None) -> Merger:
        """A merger into the store; ``absent`` rows are there but read as gone (a delta replaces them)."""
        from loaders.resolve import Merger, Resolver

        store = self.store()
        names = _SqlNames(store.conn) if names is None else names
        resolver = Resolver(store, self.judgements(), names, absent=set(absent))
        return Merger(store, resolver)

    def load_rows(
        self,
        rows: Iterable[Row],
        dataset: str,
        fmt: str,
        path: str,
        progress: Callable[[int], None] | None = None,
        skipped: Callable[[], tuple[int, int]] | None = None,
    ) -> DatasetInfo:
        """Merge a new dataset's plain rows into the graph, all or nothing, by the bulk path.

        Rows new to the graph are written as they come, the others merged (``loaders/bulk.py``);
        the graph is the one :meth:`load` would make of the same records.
        """
        from graph.gcpause import cyclic_gc_paused

        seq = self._new_seq(dataset, path)
        store, conn = self.store(), self.conn
        with cyclic_gc_paused(), _writing_records(store), store.transaction():
            merger, bulk = self._bulk_merge(rows, dataset, seq, path, progress)
            if conn.execute("SELECT 1 FROM set_aside LIMIT 1").fetchone() is not None:
                self._bring_back([*merger.nodes, *bulk.fresh])
            seen = (bulk.first_seen, bulk.last_seen)
            self._insert_load(dataset, fmt, path, seq, bulk.records, skipped() if skipped else (0, 0), seen)
            store.analyse_after()
        return self.info(dataset)

    def _bulk_merge(
        self,
        rows: Iterable[Row],
        dataset: str,
        seq: int,
        path: str,
        progress: Callable[[int], None] | None = None,
        aside: list[tuple[str, str]] | None = None,
    ) -> tuple[Merger, BulkLoad]:
        """A dataset's rows merged into the graph by the bulk path and written, in the caller's
        transaction, with their bookkeeping (the dataset's ``loads`` row aside).

        With ``aside`` (merging every dataset again), a link with an end no dataset gives now is
        listed there instead of refused.
        """
        from loaders.bulk import BoundedNames, BulkLoad
        from loaders.resolve import MemoryNames

        store, conn = self.store(), self.conn
        # Into a small workspace (the curated data alone), the bookkeeping's indexes are built
        # after the rows, and the names of the graph before the load are read into memory.
        small = self._given_count() < BULK
        blocks: set[str]
        names: NameIndex
        if small:
            memory = MemoryNames()
            for block, *entry in conn.execute("SELECT block, norm, node, country, kind FROM name_blocks"):
                memory.blocks.setdefault(block, []).append((entry[0], entry[1], entry[2], entry[3]))
            names, blocks = memory, set(memory.blocks)  # the table read once
            self._drop_indexes()
            store.defer_indexes()
        else:
            blocks = {r[0] for r in conn.execute("SELECT DISTINCT block FROM name_blocks")}
            last = conn.execute("SELECT COALESCE(MAX(rowid), 0) FROM name_blocks").fetchone()[0]
            names = BoundedNames(conn, int(last))
        merger = self._merger(names=names)
        apply = lambda m, r: _apply(m, r, path, aside)  # noqa: E731
        bulk = BulkLoad(store, merger, apply, dataset, seq, blocks, path, aside, in_memory=small)
        bulk.add_all(rows, progress)
        self._create_indexes()
        store.build_indexes()
        self._write_merged(merger)
        self._bind()  # the merger's rows are written after their records
        bulk.count_degrees()
        return merger, bulk

    def load(
        self,
        records: Iterable[Record],
        dataset: str,
        fmt: str,
        path: str,
        progress: Callable[[int], None] | None = None,
        skipped: Callable[[], tuple[int, int]] | None = None,
    ) -> DatasetInfo:
        """Merge a new dataset's records into the graph, all or nothing."""
        seq = self._new_seq(dataset, path)
        store = self.store()
        with _writing_records(store), store.transaction():
            merger = self._merger()
            small = self._given_count() < BULK
            given = _merge(merger, records, path, {}, 0, progress)
            count, seen = self._insert_given_batches(seq, given, small)
            self._write_merged(merger)
            self._bind()  # the records of rows new to the graph were written before their rows
            self._bring_back(merger.nodes.keys())
            counts = skipped() if skipped else (0, 0)
            self._insert_load(dataset, fmt, path, seq, count, counts, seen)
            self._create_indexes()
        return self.info(dataset)

    def apply_delta(
        self,
        dataset: str,
        changes: Iterable[Change],
        path: str,
        progress: Callable[[int], None] | None = None,
    ) -> DatasetInfo:
        """Apply FtM delta lines (ADD, MOD, DEL) to a loaded FtM dataset, touching only their entities.

        The last line about an entity decides: its records are taken out and, unless it
        was deleted, the new ones merged in where the old ones stood.
        """
        from graph.gcpause import cyclic_gc_paused

        # The collector paused from the first line read to the dataset's counts, not only while
        # writing: reading the changes and counting ran ~150 collections (0.14 s CPU of a 1 % delta
        # at 1M). What a delta builds is freed by reference counting.
        with cyclic_gc_paused():
            return self._apply_delta(dataset, changes, path, progress)

    def _apply_delta(
        self,
        dataset: str,
        changes: Iterable[Change],
        path: str,
        progress: Callable[[int], None] | None = None,
    ) -> DatasetInfo:
        from loaders.delta import DeltaRows
        from loaders.ftm import FtmReader

        store = self.store()
        last: dict[str, Change] = {}
        for change in changes:
            last.pop(change.entity_id, None)
            last[change.entity_id] = change  # in the order of each entity's last line
        conn = self.conn
        seq, fmt = conn.execute("SELECT seq, format FROM loads WHERE name = ?", (dataset,)).fetchone()
        if fmt != "ftm":
            # Its records are found by their FtM ids (_of_entities): another format's are not.
            what = f"dataset {dataset!r} was loaded as {fmt}: an FtM delta applies to FtM data"
            raise LoadError(path, None, "--dataset", what)
        with store.scattered_cache(), store.mapped_reads(), store.sorting_on_disk(), store.transaction():
            ranks: dict[str, int] = {}
            nodes: set[str] = set()
            edges: set[str] = set()
            removed: list[tuple[str | None, str | None]] = []  # the dates of the records taken out
            replaced: dict[int, list[_Stored]] = {}
            # The records of every entity the delta names, read by one statement (each entity a
            # seek or two: see _of_entities), not one a change. They are read as gone from here on,
            # and replaced when the new records are written.
            seen_at: set[tuple[int, int]] = set()
            for origin, rank, idx, is_edge, target, own, seen in conn.execute(
                _of_entities(
                    "g.rank, g.idx, g.is_edge, g.target, g.own, json_extract("
                    f"{_doc('g')}, '$.provenance[0].first_seen', '$.provenance[0].last_seen')"
                ),
                (json.dumps(list(last)), seq),
            ):
                if (rank, idx) in seen_at:
                    continue
                seen_at.add((rank, idx))
                ranks[origin] = rank
                (edges if is_edge else nodes).add(target)
                first, latest = json.loads(seen) if seen is not None else (None, None)
                removed.append((first, latest))
                replaced.setdefault(rank, []).append(_Stored(idx, bool(is_edge), target, own))
            self._replacing = (seq, frozenset(replaced))
            try:
                # Rows only these entities gave wait, absent to the resolver, for their new records.
                gone_nodes, gone_edges = self._refold(nodes, edges, dataset, drop=False)
                again = {ftm_id for ftm_id, change in last.items() if change.op != "DEL"}
                reader = FtmReader(dataset, path, _KnownIds(self, dataset, seq, again))
                # The lists the dataset gave (their nodes are the graph's few sanctions lists).
                reader.lists_given = {
                    origin.removeprefix("program:")
                    for (origin,) in conn.execute(
                        "SELECT g.origin FROM nodes AS n CROSS JOIN given AS g "
                        "WHERE n.kind = 'SanctionsList' AND g.is_edge = 0 AND g.row = n.seq "
                        "AND g.load_seq = ?1 AND g.origin >= 'program:' AND g.origin < 'program;' "
                        "UNION SELECT origin FROM given WHERE is_edge = 0 AND row IS NULL "
                        "AND load_seq = ?1 AND origin >= 'program:' AND origin < 'program;'",
                        (seq,),
                    )
                }
                # New origins rank after the dataset's last record, whose index the new records
                # continue (one seek in the table's key; the order only matters within a rank).
                top = conn.execute(
                    "SELECT rank, idx FROM given WHERE load_seq = ? ORDER BY rank DESC, idx DESC LIMIT 1",
                    (seq,),
                ).fetchone() or (0, 0)
                next_rank, next_idx = top[0] + 1, top[1] + 1

                def rows() -> Iterator[Row]:
                    for change in last.values():
                        if change.op != "DEL":
                            yield from reader.rows(change.entity, change.line)
                    yield from reader.ready_rows(final=True)

                names = _SqlNames(conn, other_than=dataset)
                merger = self._merger(absent=set(gone_nodes) | set(gone_edges), names=names)
                merger.resolver.own_dataset = dataset
                merger.resolver.names_exclude_own = True
                merger.earlier = lambda own: self._renamed(seq, own)
                # A delta is small: read whole, its lookups made ahead. Its entities that meet
                # nothing else are written as their documents, the rest merged (loaders/delta.py).
                delta = DeltaRows(store, merger, list(rows()), gone_nodes)
                delta.read_ahead(names)
                apply = lambda m, r: _apply(m, r, path)  # noqa: E731
                given = [
                    _Given(rank, idx, record, target)
                    for rank, idx, record, target in delta.merge(apply, ranks, next_rank, next_idx, progress)
                ]
                for g in given:
                    # A record that is its row keeps no copy of its document (as in a load's bulk path):
                    # the row is written from the same model (a plain row: from the same document).
                    if isinstance(g.record, Record):
                        item = g.record.item
                        written: dict[str, Any] = merger.edges if isinstance(item, Edge) else merger.nodes
                        g.as_row = written.get(g.target) is item
                    else:
                        g.as_row = True
                self._write_merged(merger)
                self._write_name_entries(delta.plain.keys(), delta.names, fresh=False)
                self._replace_given(seq, replaced, given)
                self._replacing = None  # written: read as they are
                re_given = merger.nodes.keys() | delta.plain.keys()
                self._drop(
                    [n for n in gone_nodes if n not in re_given],
                    [e for e in gone_edges if e not in merger.edges],
                    dataset,
                )
                # A row others gave too is merged again in load order, as a full reload would.
                self._refold(merger.nodes.keys() - merger.created, merger.joined, dataset)
                self._bring_back(re_given)
                skipped = (reader.skipped, reader.skipped_links)
                self._update_load(dataset, seq, path, skipped, removed, given)
            finally:
                self._replacing = None
        if progress is not None and last:
            progress(max(change.line for change in last.values()))  # every line applied (a DEL gives no row)
        return self.info(dataset)

    def unload(self, dataset: str) -> list[SetAside]:
        """Remove a dataset and everything only it gave; rows others gave too lose only it.

        The graph is left as if the dataset had never been loaded. Links other datasets gave to
        nodes only it gave (an article's mention of a company only it described) are set aside,
        not lost: they are returned, and come back when a dataset gives those nodes again.
        """
        if dataset == CURATED:
            raise LoadError(
                dataset, None, None, "the curated data is the workspace's base: it cannot be unloaded"
            )
        if not self.has(dataset):
            known = ", ".join(d.name for d in self.datasets()) or "none"
            raise LoadError(dataset, None, None, f"no dataset {dataset!r} is loaded (loaded: {known})")
        store, conn = self.store(), self.conn
        seq = int(conn.execute("SELECT seq FROM loads WHERE name = ?", (dataset,)).fetchone()[0])
        with _writing_records(store), store.transaction():
            nodes: set[str] = set()
            edges: set[str] = set()
            rows = conn.execute("SELECT is_edge, target FROM given WHERE load_seq = ?", (seq,))
            for is_edge, target in rows:
                (edges if is_edge else nodes).add(target)
            # A node a later dataset merged into: that dataset's records were resolved against
            # this one's (its company matched this one's by an LEI), so every dataset is merged
            # again without it, as if it had never been loaded. Otherwise only its rows change.
            joined = conn.execute(
                "SELECT 1 FROM given AS g JOIN given AS o ON o.is_edge = 0 AND o.row = g.row "
                "AND o.load_seq > g.load_seq WHERE g.load_seq = ? AND g.is_edge = 0 LIMIT 1",
                (seq,),
            ).fetchone()
            if joined is not None:
                self._refuse_unrecorded(f"without {dataset}")
            before = self.set_aside()
            conn.execute("DELETE FROM given WHERE load_seq = ?", (seq,))
            conn.execute("DELETE FROM set_aside WHERE dataset = ?", (dataset,))
            conn.execute("DELETE FROM loads WHERE name = ?", (dataset,))
            if joined is not None:
                self._rebuild(why=f"{dataset} was unloaded and a later dataset had merged into its entities")
            else:
                self._refold(nodes, edges, dataset)
            return [a for a in self.set_aside() if a not in before and a.dataset != dataset]

    def set_aside(self) -> list[SetAside]:
        """The links set aside (``ordergraph sources --set-aside``), in the order they were."""
        rows = self.conn.execute("SELECT dataset, edge, node FROM set_aside ORDER BY rowid").fetchall()
        return [SetAside(str(d), str(e), str(n)) for d, e, n in rows]

    def _bring_back(self, node_ids: Collection[str]) -> None:
        """Links set aside for want of one of these nodes, merged in again once both their ends are there."""
        if not node_ids:
            return
        conn, store = self.conn, self.store()
        waiting = conn.execute(
            "SELECT DISTINCT edge FROM set_aside WHERE node IN (SELECT value FROM json_each(?))",
            (json.dumps(sorted(node_ids)),),
        ).fetchall()
        if not waiting:
            return
        edges = [str(e) for (e,) in waiting]
        rows = conn.execute(
            "SELECT edge, node FROM set_aside WHERE edge IN (SELECT value FROM json_each(?))",
            (json.dumps(edges),),
        ).fetchall()
        present = store.get_nodes({str(n) for _, n in rows})
        missing = {str(e) for e, n in rows if n not in present}
        ready = [e for e in edges if e not in missing]
        conn.executemany(
            "DELETE FROM set_aside WHERE edge = ? AND node = ?", [(e, n) for e, n in rows if n in present]
        )
        if ready:
            self._refold(set(), ready, CURATED)

    def judge(self, judgement: Judgement) -> list[SetAside]:
        """Record a person's decision and merge the graph again with it.

        Returns the links newly set aside: another dataset's link to a node the decision merged
        away (an article's mention of the company now merged into another) names a node no
        dataset gives now, so it waits out of the graph, as after an unload.
        """
        from loaders.files import locked, real_path, write_whole
        from loaders.resolve import read_judgements, write_judgements

        store = self.store()
        for node_id in (judgement.a, judgement.b):
            # A dataset's own id merged into another node names an entity too: saying it is
            # *different* from that node is how a wrong merge is undone.
            if store.get_node(node_id) is None and not self._gave(node_id):
                raise LoadError(str(self.folder / RESOLUTIONS), None, None, f"unknown node {node_id!r}")
        self._refuse_unrecorded("with this decision")
        file = self.folder / RESOLUTIONS
        # One judgement at a time: another process's read-modify-write of the file (and its merge,
        # and its undoing on failure) ends before this one reads it, so neither decision is lost.
        with locked(file, self.waiting):
            before = file.read_text(encoding="utf-8") if file.exists() else None
            existing = read_judgements(file)
            kept = [j for j in existing if j.pair != judgement.pair]
            write_judgements(file, [*kept, judgement])
            aside = self.set_aside()
            try:
                self._rebuild(why="a resolution decision changed")
            except BaseException:
                if before is None:
                    real_path(file).unlink()  # the file this wrote; a link to it stays as it was
                else:
                    write_whole(file, before)
                raise
        return [a for a in self.set_aside() if a not in aside]

    def _rebuild(self, why: str, base: list[Record] | None = None, digest: str | None = None) -> None:
        """Every dataset merged again, in load order, from the records it gave.

        After a judgement; or onto ``base``, new curated records (whose files hash to
        ``digest``), when the curated data changed since the workspace copied it. Each dataset
        goes through the bulk path, as a load does (``loaders/bulk.py``): rows that meet nothing
        are written in batches, only the others merged one by one; the graph is the one merging
        every record in turn makes.
        """
        loads = self.conn.execute("SELECT name, path, seq FROM loads ORDER BY seq").fetchall()
        records = self.conn.execute("SELECT COALESCE(SUM(records), 0) FROM loads WHERE seq > 0").fetchone()[0]
        event = Remerge(why, len(loads) - 1, int(records))
        told = self.remerging if self.remerging is not None and event.datasets else None
        tell: Callable[[Remerge], None] = told or (lambda _: None)
        tell(event)
        try:
            self._remerge(loads, base, digest, event, tell)
        except BaseException:
            tell(replace(event, stage="failed"))
            raise

    def _remerge(
        self,
        loads: list[tuple[str, str, int]],
        base: list[Record] | None,
        digest: str | None,
        event: Remerge,
        tell: Callable[[Remerge], None],
    ) -> None:
        """:meth:`_rebuild`'s work, in one transaction, telling ``tell`` how far it is."""
        store, conn = self.store(), self.conn
        with _writing_records(store), store.transaction():
            base = base if base is not None else self.records(CURATED)
            spans = self._set_given_aside()
            event = replace(event, rows=sum(count for _, _, count in spans.values()), stage="read")
            tell(event)
            if digest is not None:
                self._set_digest(digest)
            self._set_judged()
            store.clear()
            conn.execute("DELETE FROM meta WHERE key = ?", (_FOLD_MERGE,))
            conn.execute("DELETE FROM name_blocks")
            conn.execute("DELETE FROM given")
            conn.execute("DELETE FROM set_aside")
            for name, path, seq in loads:
                if seq == 0:
                    nodes = [r.item for r in base if isinstance(r.item, Node)]
                    edges = [r.item for r in base if isinstance(r.item, Edge)]
                    store.write(nodes, edges)
                    self._index_names(nodes, fresh=True)
                    self._insert_given(0, [_Given(i, 0, r, r.item.id) for i, r in enumerate(base)])
                    continue
                # Set-based, as a load: rows new to the graph written in batches, the rest merged.
                aside: list[tuple[str, str]] = []
                first, last, count = spans.get(seq, (0, -1, 0))
                self._bulk_merge(
                    _told(self._aside_rows(first, last), event, tell), name, seq, path, aside=aside
                )
                conn.executemany("INSERT INTO set_aside VALUES (?, ?, ?)", [(name, e, n) for e, n in aside])
                event = replace(event, done=event.done + count)
            conn.execute(f"DROP TABLE temp.{_REMERGED}")
            # The first dataset's bulk path dropped and rebuilt the indexes (the graph was empty),
            # and a dropped index takes its planner statistics with it: gathered again once this
            # commits (a 1M workspace merged again kept none for nodes_kind, nodes_ticker, edges_kind
            # or the bookkeeping's indexes, and SQLite planned on defaults).
            store.analyse_after()
        tell(replace(event, done=event.rows, stage="done"))

    def _set_given_aside(self) -> dict[int, tuple[int, int, int]]:
        """The records every loaded dataset gave (not the curated base), copied into a temporary
        table (on disk, as the transaction's sorts: ``_writing_records``) before the graph and its
        bookkeeping are emptied, each with its document (the row's, for a record written as its
        row), in load and record order: read back a dataset at a time as they are merged again, not
        all held in memory first. Returns each load's ``(first rowid, last rowid, count)`` there.
        """
        self.conn.execute(
            f"CREATE TEMP TABLE {_REMERGED} AS SELECT load_seq, origin, is_edge, line, {_doc()} AS doc "  # noqa: S608
            "FROM given WHERE load_seq > 0 ORDER BY load_seq, rank, idx"
        )
        spans = self.conn.execute(
            f"SELECT load_seq, MIN(rowid), MAX(rowid), COUNT(*) FROM temp.{_REMERGED} GROUP BY load_seq"  # noqa: S608
        )
        return {int(seq): (int(first), int(last), int(count)) for seq, first, last, count in spans}

    def _aside_rows(self, first: int, last: int) -> Iterator[Row]:
        """The records set aside (``_set_given_aside``) from rowid ``first`` to ``last``, as plain
        rows carrying their JSON (parsed only where a row meets the graph), one at a time."""
        from loaders.records import Row

        cursor = self.conn.execute(
            f"SELECT origin, is_edge, line, doc FROM temp.{_REMERGED} WHERE rowid BETWEEN ? AND ? "  # noqa: S608
            "ORDER BY rowid",
            (first, last),
        )
        for origin, is_edge, line, doc in cursor:
            yield Row(origin, bool(is_edge), None, line, text=doc)

    def _gave(self, node_id: str) -> bool:
        """Whether a dataset gave a node of this id (it may have gone into another node)."""
        found = self.conn.execute(
            "SELECT EXISTS (SELECT 1 FROM given WHERE own = ?1 AND is_edge = 0) OR EXISTS "
            "(SELECT 1 FROM given WHERE is_edge = 0 AND row = (SELECT seq FROM nodes WHERE id = ?1) "
            "AND own IS NULL)",
            (node_id,),
        )
        return bool(found.fetchone()[0])

    def _unrecorded(self) -> tuple[int, int]:
        """How many nodes and edges of the graph no dataset's records give (written straight into
        the store, as ``bench/`` streams its corpus with ``write_stream``)."""
        counts = [
            self.conn.execute(
                f"SELECT COUNT(*) FROM {table} AS r WHERE NOT EXISTS "  # noqa: S608
                "(SELECT 1 FROM given AS g WHERE g.is_edge = ? AND g.row = r.seq)",
                (is_edge,),
            ).fetchone()[0]
            for table, is_edge in (("nodes", 0), ("edges", 1))
        ]
        return int(counts[0]), int(counts[1])

    def _refuse_unrecorded(self, what: str) -> None:
        """Refuse to merge every dataset again when rows no dataset gives would be lost with it.

        Merging again rebuilds the graph from the records each dataset gave; rows written without
        records (a bench corpus streamed into the store) cannot be rebuilt, so the workspace is
        left as it is and the message says what to do instead.
        """
        nodes, edges = self._unrecorded()
        if not nodes and not edges:
            return
        doing = f"merging every dataset again {what}".rstrip()
        raise LoadError(
            str(self.folder / DATABASE),
            None,
            None,
            f"{nodes:,} nodes and {edges:,} edges here were written without load records (streamed "
            f"into the store, as bench/ does, not by `ordergraph load`): {doing} would drop them, so "
            "nothing was changed. Point ORDERGRAPH_DATA at the curated data this workspace was built "
            "on, or load those sources with `ordergraph load` into a new workspace.",
        )

    # -- the rows --
    def _write_merged(self, merger: Merger) -> None:
        self._keep_given_docs(merger.nodes.keys(), merger.edges.keys())
        self.store().write(merger.nodes.values(), merger.edges.values())
        self._index_names(merger.nodes.values(), fresh=False)

    def _keep_given_docs(self, node_ids: Collection[str], edge_ids: Collection[str]) -> None:
        """Before these rows are written again or deleted: the records that went into them as they
        were (``given.doc`` NULL, see :func:`_doc`; such a record always has its row) get their
        document, the row's as it still is."""
        # The records a delta is replacing are left out: their documents are written over (a copy
        # would only grow their rows and split the table's pages).
        seq, ranks = self._replacing or (-1, frozenset())
        for is_edge, table, ids in ((0, "nodes", node_ids), (1, "edges", edge_ids)):
            if ids:
                self.conn.execute(
                    f"UPDATE given SET doc = (SELECT t.doc FROM {table} AS t WHERE t.seq = given.row) "  # noqa: S608
                    f"WHERE is_edge = ? AND row IN (SELECT t.seq FROM json_each(?) AS j JOIN {table} AS t "
                    "ON t.id = j.value) AND doc IS NULL "
                    "AND NOT (load_seq = ? AND rank IN (SELECT value FROM json_each(?)))",
                    (is_edge, json.dumps(list(ids)), seq, json.dumps(sorted(ranks))),
                )

    def _index_names(self, nodes: Iterable[Node], fresh: bool) -> None:
        """The nodes' names in ``name_blocks``: added (``fresh``: none is there yet), or made what
        the nodes have now — only the entries that changed are deleted or added (a delta's
        changed entity keeps most of its names, and its row, even when it is given anew)."""
        from loaders.resolve import name_entries

        nodes = list(nodes)
        entries = [
            (block, *entry, node.provenance[0].dataset)
            for node in nodes
            for block, entry in name_entries(node)
        ]
        self._write_name_entries([n.id for n in nodes], entries, fresh)

    def _write_name_entries(self, node_ids: Iterable[str], entries: list[NameRow], fresh: bool) -> None:
        """:meth:`_index_names` of nodes whose entries are known (``(block, norm, node, country, kind,
        dataset)``, every name of those nodes)."""
        node_ids = list(node_ids)
        if not node_ids:
            return
        # Each name is kept with its node's row number (the nodes are written).
        seqs = dict(
            self.conn.execute(
                "SELECT n.id, n.seq FROM json_each(?) AS j CROSS JOIN nodes AS n ON n.id = j.value",
                (json.dumps(node_ids),),
            ).fetchall()
        )
        if not fresh:
            stored: dict[tuple[object, ...], list[int]] = {}
            for rowid, *entry in self.conn.execute(
                "SELECT b.rowid, b.block, b.norm, b.node, b.country, b.kind, b.dataset "
                "FROM json_each(?) AS j CROSS JOIN name_blocks AS b WHERE b.node_seq = j.value",
                (json.dumps(list(seqs.values())),),
            ):
                stored.setdefault(tuple(entry), []).append(rowid)
            new = []
            for entry in entries:
                rowids = stored.get(entry)
                if rowids:
                    rowids.pop()  # there already
                else:
                    new.append(entry)
            gone = sorted((rowid,) for rowids in stored.values() for rowid in rowids)
            self.conn.executemany("DELETE FROM name_blocks WHERE rowid = ?", gone)
            entries = new
        self.conn.executemany(
            "INSERT INTO name_blocks VALUES (?, ?, ?, ?, ?, ?, ?)", [(*e, seqs[e[2]]) for e in entries]
        )

    def _bind(self) -> None:
        """The records without a row number given the one of their row, where the graph has it now
        (rows a load's merger wrote after their records; a link set aside, written again)."""
        for is_edge, table in ((0, "nodes"), (1, "edges")):
            self.conn.execute(
                f"UPDATE given SET row = (SELECT t.seq FROM {table} AS t WHERE t.id = given.target) "  # noqa: S608
                "WHERE is_edge = ? AND row IS NULL",
                (is_edge,),
            )

    def _given_count(self) -> int:
        """How many records the datasets gave, counted up to ``BULK`` (enough to tell a small workspace)."""
        found = self.conn.execute("SELECT COUNT(*) FROM (SELECT 1 FROM given LIMIT ?)", (BULK,))
        return int(found.fetchone()[0])

    def _insert_given_batches(
        self, seq: int, given: Iterable[_Given], small: bool
    ) -> tuple[int, tuple[str | None, str | None]]:
        """Insert records as they are merged, a batch at a time (a load holds a batch of them, not
        the file); how many there were, and their dates (:func:`_seen`). Into a ``small``
        workspace, a load giving ``BULK`` records or more drops the bookkeeping's indexes once it
        has given that many (the caller builds them after, :meth:`_create_indexes`)."""
        from loaders.bulk import BATCH

        count, first, last = 0, None, None
        for batch in _batches(given, BATCH):
            if small and count < BULK <= count + len(batch):
                # Only the records' own indexes: the merger still looks the graph's names up by
                # block (name_blocks_dataset) while these batches are written.
                self._drop_indexes(_GIVEN_INDEXES)
            count += len(batch)
            batch_first, batch_last = _seen(batch)
            first = min(filter(None, (first, batch_first)), default=None)
            last = max(filter(None, (last, batch_last)), default=None)
            self._insert_given(seq, batch)
        return count, (first, last)

    def _insert_given(self, seq: int, given: list[_Given]) -> None:
        """Insert records, each with the row number of its target (none while that row is not written)."""
        self.conn.executemany(
            "INSERT INTO given (load_seq, rank, idx, origin, is_edge, target, row, own, line, doc) "  # noqa: S608
            f"VALUES (?1, ?2, ?3, ?4, ?5, ?6, {_ROW_OF}, ?7, ?8, ?9)",
            (
                (
                    seq,
                    g.rank,
                    g.idx,
                    g.record.origin,
                    g.is_edge,
                    g.target,
                    None if g.own == g.target else g.own,
                    g.line,
                    None if g.as_row else g.document(),
                )
                for g in given
            ),
        )

    def _replace_given(self, seq: int, replaced: dict[int, list[_Stored]], given: list[_Given]) -> None:
        """A delta's records written over the ones it replaces (``replaced``: by rank).

        An entity that gave one record and gives one again into the same row (a company
        modified) has it updated where it stands: its keys stay, so only the table's page is
        written, not a page of each index (most of a delta's changes). The others are deleted
        and the new records inserted.
        """
        by_rank: dict[int, list[_Given]] = {}
        for g in given:
            by_rank.setdefault(g.rank, []).append(g)
        gone: list[tuple[int, int, int]] = []
        updates: list[tuple[int | None, str | None, int, int, int]] = []
        kept: set[int] = set()
        for rank, olds in replaced.items():
            news = by_rank.get(rank, [])
            if len(olds) == 1 and len(news) == 1:
                old, new = olds[0], news[0]
                own = None if new.own == new.target else new.own
                if (old.is_edge, old.target, old.own) == (new.is_edge, new.target, own):
                    doc = None if new.as_row else new.document()
                    updates.append((new.line, doc, seq, rank, old.idx))
                    kept.add(id(new))
                    continue
            gone += [(seq, rank, old.idx) for old in olds]
        conn = self.conn
        conn.executemany("DELETE FROM given WHERE load_seq = ? AND rank = ? AND idx = ?", sorted(gone))
        updates.sort(key=lambda update: (update[3], update[4]))  # in the order of the table
        conn.executemany(
            "UPDATE given SET line = ?, doc = ? WHERE load_seq = ? AND rank = ? AND idx = ?", updates
        )
        self._insert_given(seq, [g for g in given if id(g) not in kept])

    def _kept(self, seq: int, rank: int) -> bool:
        """Whether a record of ``given`` stands (not one a delta is replacing)."""
        replacing = self._replacing
        return replacing is None or seq != replacing[0] or rank not in replacing[1]

    def _new_seq(self, dataset: str, path: str) -> int:
        """The load number a new dataset gets; one already loaded is refused."""
        if self.has(dataset):
            raise LoadError(
                path, None, "--dataset", f"dataset {dataset!r} is already loaded; unload it first"
            )
        return int(self.conn.execute("SELECT COALESCE(MAX(seq), 0) + 1 FROM loads").fetchone()[0])

    def _drop_indexes(self, statements: Sequence[str] = _INDEXES) -> None:
        """The bookkeeping's indexes (or those of ``statements``), dropped while a large load writes
        its rows (:meth:`_create_indexes` after)."""
        for statement in statements:
            self.conn.execute("DROP INDEX IF EXISTS " + statement.split()[5])

    def _create_indexes(self) -> None:
        for statement in _INDEXES:
            self.conn.execute(statement)

    def _insert_load(
        self,
        dataset: str,
        fmt: str,
        path: str,
        seq: int,
        records: int,
        skipped: tuple[int, int],
        seen: tuple[str | None, str | None],
    ) -> None:
        """The dataset's row in ``loads``; ``seen`` is its first and last first_seen/last_seen."""
        now = datetime.now(UTC).isoformat(timespec="seconds")
        self.conn.execute(
            "INSERT INTO loads VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (dataset, fmt, path, now, seq, records, *skipped, *seen),
        )

    def _update_load(
        self,
        dataset: str,
        seq: int,
        path: str,
        skipped: tuple[int, int],
        removed: list[tuple[str | None, str | None]],
        added: list[_Given],
    ) -> None:
        """A dataset's counts and dates after a delta took out ``removed`` records and gave ``added``.

        The dates are the earliest first-seen and latest last-seen of the records it now gives:
        from the old ones and the added ones, unless a record taken out held one of them (then
        they are read again from every record the dataset gives).
        """
        conn = self.conn
        count, first, latest = conn.execute(
            "SELECT records, first_seen, last_seen FROM loads WHERE name = ?", (dataset,)
        ).fetchone()
        records = int(count) - len(removed) + len(added)

        def still_given(column: str, value: str | None) -> bool:
            """Whether a record the dataset still gives has this date (the first found ends the scan)."""
            return (
                value is None
                or conn.execute(
                    f"SELECT 1 FROM given WHERE load_seq = ? AND {column} = ? LIMIT 1",  # noqa: S608
                    (seq, value),
                ).fetchone()
                is not None
            )

        if (first in {f for f, _ in removed} and not still_given(_FIRST, first)) or (
            latest in {la for _, la in removed} and not still_given(_LAST, latest)
        ):
            first, latest = conn.execute(
                "SELECT MIN(json_extract(p.value, '$.first_seen')), "  # noqa: S608
                "MAX(json_extract(p.value, '$.last_seen')) "
                f"FROM given AS g, json_each({_doc('g')}, '$.provenance') AS p WHERE g.load_seq = ?",
                (seq,),
            ).fetchone()
        else:
            added_first, added_last = _seen(added)
            first = min((d for d in (first, added_first) if d), default=None)
            latest = max((d for d in (latest, added_last) if d), default=None)
        self.conn.execute(
            "UPDATE loads SET path = ?, loaded_at = ?, records = ?, skipped = skipped + ?, "
            "skipped_links = skipped_links + ?, first_seen = ?, last_seen = ? WHERE name = ?",
            (
                path,
                datetime.now(UTC).isoformat(timespec="seconds"),
                records,
                *skipped,
                first,
                latest,
                dataset,
            ),
        )

    def _renamed(self, seq: int, own: str) -> str:
        """The node a dataset's own node id went into (itself when the dataset, load ``seq``, did not
        give it, or gave it into a row of that id: ``given.own`` is kept only when it is not its row's)."""
        rows = self.conn.execute(
            "SELECT target, rank FROM given WHERE own = ? AND load_seq = ? AND is_edge = 0", (own, seq)
        )
        return next((str(target) for target, rank in rows if self._kept(seq, rank)), own)

    def _refold(
        self, node_ids: Collection[str], edge_ids: Collection[str], dataset: str, drop: bool = True
    ) -> tuple[list[str], list[str]]:
        """Write these rows again as the merge of what the datasets now give them.

        Rows nothing gives any more are deleted (``drop``), or returned for the caller to
        delete later: ``(nodes, edges)``.
        """
        from loaders.resolve import merge_edges, merge_nodes, moved_edge

        conn, store = self.conn, self.store()
        nodes: list[Node] = []
        gone_nodes: list[str] = []
        # Which rows any standing record still goes into, read in one statement each (a delta's
        # thousands of rows are mostly its own): only those are read record by record.
        given_nodes, given_edges = self._still_given(0, node_ids), self._still_given(1, edge_ids)
        for node_id in sorted(node_ids):
            if node_id not in given_nodes:
                gone_nodes.append(node_id)
                continue
            docs = [
                (doc,)
                for _, given_by, rank, _, doc in conn.execute(
                    _records_of(f"g.load_seq, g.rank, g.idx, {_doc('g')}", "nodes") + " ORDER BY 2, 3, 4",
                    (json.dumps([node_id]), 0),
                )
                if self._kept(given_by, rank)
            ]
            if not docs:
                gone_nodes.append(node_id)
                continue
            parts = [Node.model_validate_json(doc) for (doc,) in docs]
            node = parts[0] if parts[0].id == node_id else parts[0].model_copy(update={"id": node_id})
            for part in parts[1:]:
                node = merge_nodes(node, part)
            nodes.append(node)
        edges: list[Edge] = []
        gone_edges: list[str] = []
        for edge_id in sorted(edge_ids):
            if edge_id not in given_edges:
                gone_edges.append(edge_id)
                continue
            rows = [
                (given_by, doc)
                for _, given_by, rank, _, doc in conn.execute(
                    _records_of(f"g.load_seq, g.rank, g.idx, {_doc('g')}", "edges") + " ORDER BY 2, 3, 4",
                    (json.dumps([edge_id]), 1),
                )
                if self._kept(given_by, rank)
            ]
            if not rows:
                gone_edges.append(edge_id)
                continue
            merged: Edge | None = None
            for given_by, doc in rows:
                said = Edge.model_validate_json(doc)
                source, target = self._renamed(given_by, said.source), self._renamed(given_by, said.target)
                if (source, target) != (said.source, said.target):
                    said = moved_edge(said, source, target)
                if merged is None:
                    merged = said if said.id == edge_id else said.model_copy(update={"id": edge_id})
                else:
                    merged = merge_edges(merged, said)
            if merged is not None:
                edges.append(merged)
        self._keep_given_docs([n.id for n in nodes], [e.id for e in edges])
        store.write(nodes, edges)
        self._bind()  # a link set aside is written again
        self._index_names(nodes, fresh=False)
        if drop:
            self._drop(gone_nodes, gone_edges, dataset)
        return gone_nodes, gone_edges

    def _still_given(self, is_edge: int, ids: Collection[str]) -> set[str]:
        """Those of these rows that a standing record (not one a delta is replacing) goes into."""
        if not ids:
            return set()
        table = "edges" if is_edge else "nodes"
        # The records being replaced left out in SQL (a delta's thousands), as _kept would.
        seq, ranks = self._replacing or (-1, frozenset())
        rows = self.conn.execute(
            f"SELECT DISTINCT r.value FROM ({_records_of('g.load_seq, g.rank', table)}) AS r "  # noqa: S608
            "WHERE NOT (r.load_seq = ?3 AND r.rank IN (SELECT value FROM json_each(?4)))",
            (json.dumps(list(ids)), is_edge, seq, json.dumps(sorted(ranks))),
        )
        return {str(target) for (target,) in rows}

    def _drop(self, node_ids: Collection[str], edge_ids: Collection[str], dataset: str) -> None:
        """Delete rows nothing gives any more. Other datasets' edges still joining such a node go
        with it, set aside (``set_aside``) until a dataset gives the node again."""
        store = self.store()
        if node_ids:
            doomed = set(edge_ids)
            gone = set(node_ids)
            left = [e for e in store.edges_of_many(node_ids) if e.id not in doomed]
            self._keep_given_docs((), [e.id for e in left])
            aside = [
                (str(given_by), edge.id, end)
                for edge in left
                for end in dict.fromkeys((edge.source, edge.target))
                if end in gone
                for (given_by,) in self.conn.execute(
                    "SELECT DISTINCT l.name FROM (" + _records_of("g.load_seq", "edges") + ") AS g "  # noqa: S608
                    "JOIN loads AS l ON l.seq = g.load_seq",
                    (json.dumps([edge.id]), 1),
                )
            ]
            self.conn.executemany("INSERT INTO set_aside VALUES (?, ?, ?)", aside)
            edge_ids = [*edge_ids, *(e.id for e in left)]
        # The records of the rows going stay without a row number (a link set aside; any other
        # record of them is gone already), and their names go.
        conn = self.conn
        for is_edge, table, ids in ((0, "nodes", node_ids), (1, "edges", edge_ids)):
            conn.execute(
                f"UPDATE given SET row = NULL WHERE is_edge = ? AND row IN (SELECT t.seq FROM json_each(?) "  # noqa: S608
                f"AS j JOIN {table} AS t ON t.id = j.value)",
                (is_edge, json.dumps(list(ids))),
            )
        conn.execute(
            "DELETE FROM name_blocks WHERE node_seq IN "
            "(SELECT n.seq FROM json_each(?) AS j JOIN nodes AS n ON n.id = j.value)",
            (json.dumps(list(node_ids)),),
        )
        store.delete(node_ids, edge_ids)


class _KnownIds(dict[str, str]):
    """FtM ids (and referents) → node ids, for a delta: what it read, else what its dataset gave before.

    An entity the delta gives again (``later``) is not known until its line is read: a link to it
    waits for it, as a link to an entity further down a full file does (its old rows are out of
    the graph until then).
    """

    def __init__(self, workspace: Workspace, dataset: str, seq: int, later: Collection[str] = ()) -> None:
        super().__init__()
        self.workspace = workspace
        self.dataset, self.seq = dataset, seq
        self.later = later

    def _lookup(self, ftm_id: str) -> str | None:
        if ftm_id in self.later:
            return None
        rows = self.workspace.conn.execute(
            _of_entities("COALESCE(g.own, g.target), g.rank", edges=False), (json.dumps([ftm_id]), self.seq)
        )
        found = next((str(own) for _, own, rank in rows if self.workspace._kept(self.seq, rank)), None)
        if found is not None:
            return found
        for node in self.workspace.store().nodes_by_identifier("ftm_id", ftm_id):
            if self.dataset in node.datasets:
                return node.id
        return None

    def __contains__(self, key: object) -> bool:
        if dict.__contains__(self, key):
            return True
        found = self._lookup(key) if isinstance(key, str) else None
        if found is not None:
            self[key] = found  # type: ignore[index]
        return found is not None

    def __missing__(self, key: str) -> str:
        found = self._lookup(key)
        if found is None:
            raise KeyError(key)
        self[key] = found
        return found


def _seen(given: list[_Given]) -> tuple[str | None, str | None]:
    """The earliest first_seen and latest last_seen of the records' provenance."""
    dates = [seen for g in given for seen in g.seen()]
    firsts = [first for first, _ in dates if first]
    lasts = [last for _, last in dates if last]
    return (min(firsts) if firsts else None, max(lasts) if lasts else None)


def _meta(conn: sqlite3.Connection, key: str) -> str | None:
    """The workspace's bookkeeping value stored under ``key`` in ``meta``; None when none is."""
    found = conn.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
    return None if found is None else str(found[0])


@contextmanager
def _writing_records(store: WorkspaceStore) -> Iterator[None]:
    """For a transaction writing a dataset's records: sorts on disk (``sorting_on_disk``) and a page
    cache of ``LOAD_CACHE_KIB``, the connection's own given back after.

    >>> store = WorkspaceStore.open(":memory:")
    >>> with _writing_records(store):
    ...     store.conn.execute("PRAGMA cache_size").fetchone()[0] == -LOAD_CACHE_KIB
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
    (before,) = conn.execute("PRAGMA cache_size").fetchone()
    with store.pragma_during("cache_size", -int(LOAD_CACHE_KIB), int(before)), store.sorting_on_disk():
        yield


def _batches(items: Iterable[T], size: int) -> Iterator[list[T]]:
    """``items`` in lists of ``size`` (the last one shorter)."""
    it = iter(items)
    while batch := list(islice(it, size)):
        yield batch


def _record(origin: str, is_edge: int, line: int | None, doc: str) -> Record:
    item: Node | Edge = Edge.model_validate_json(doc) if is_edge else Node.model_validate_json(doc)
    return Record(origin, item, line)


def _told(rows: Iterable[Row], event: Remerge, tell: Callable[[Remerge], None]) -> Iterator[Row]:
    """``rows``, telling ``tell`` how far the merge is every ``REMERGE_STEP`` rows."""
    for i, row in enumerate(rows, start=1):
        yield row
        if i % REMERGE_STEP == 0:
            tell(replace(event, done=event.done + i, stage="merging"))


def _merge(
    merger: Merger,
    records: Iterable[Record],
    path: str,
    ranks: dict[str, int],
    next_rank: int,
    progress: Callable[[int], None] | None,
    next_idx: int = 0,
    aside: list[tuple[str, str]] | None = None,
) -> Iterator[_Given]:
    """Merge records in order, each given as it is merged; each keeps its origin's rank (a new
    origin: the next one).

    With ``aside``, an edge with an end no dataset gives is not merged but listed there as
    ``(edge id, missing node)`` (a link set aside, merging every dataset again after an unload).
    """
    for idx, record in enumerate(records, start=next_idx):
        target = _apply(merger, record, path, aside)
        rank = ranks.get(record.origin)
        if rank is None:
            rank = ranks[record.origin] = next_rank
            next_rank += 1
        yield _Given(rank, idx, record, target)
        if progress is not None and record.line is not None:
            progress(record.line)


def _apply(merger: Merger, record: Record, path: str, aside: list[tuple[str, str]] | None = None) -> str:
    """Merge one record, checking what joins what against the schema; the id of the row it went into."""
    item = record.item
    if isinstance(item, Node):
        return merger.node(item).id
    source, target = merger.graph_id(item.source), merger.graph_id(item.target)
    ends = [merger.get_node(source), merger.get_node(target)]
    if aside is not None and None in ends:
        moved = merger.moved(item)
        aside += [(moved.id, end) for end, node in zip((source, target), ends, strict=True) if node is None]
        return moved.id
    where = f"{item.kind} {item.id}"
    for end, node in zip((source, target), ends, strict=True):
        if node is None:
            raise LoadError(path, record.line, where, f"unknown node {end!r}")
    allowed_source, allowed_target = edge_endpoints(item.kind)
    kinds = [n.kind for n in ends if n is not None]
    if kinds[0] not in allowed_source or kinds[1] not in allowed_target:
        raise LoadError(path, record.line, where, f"{item.kind} cannot join {kinds[0]} → {kinds[1]}")
    return merger.edge(item).id


def open_store(
    folder: str | Path | None = None,
    data: str | Path | None = None,
    remerging: Callable[[Remerge], None] | None = None,
    waiting: Callable[[str], None] | None = None,
) -> WorkspaceStore | MemoryStore:
    """The graph the faces show: the workspace's store when one exists, else the curated data.

    ``remerging`` is told when opening merges every loaded dataset again (see :class:`Remerge`),
    ``waiting`` when it first waits for another process recording a decision.
    """
    if workspace_exists(folder):
        return Workspace(folder, data, remerging, waiting).store()
    return load_memory_store(data)


FORMATS = ("ftm", "ftm-delta", "fedreg", "ofac", "article")


def default_dataset(path: str | Path, fmt: str) -> str:
    """A dataset name from a file name: ``entities.ftm.json`` → ``entities-ftm``."""
    p = Path(path)
    stem = p.name if p.is_dir() else p.name.split(".json")[0].split(".csv")[0].split(".txt")[0]
    slug = "-".join(re.findall(r"[a-z0-9]+", stem.lower().replace(".", "-"))) or fmt
    return slug if slug[0].isalnum() else f"{fmt}-{slug}"


def _programs(store: GraphStore) -> dict[str, str]:
    return {
        code: node.id for node in store.nodes("SanctionsList") for code in node.identifiers.get("program", [])
    }


def load_path(
    workspace: Workspace,
    path: str | Path,
    fmt: str,
    dataset: str | None = None,
    progress: Callable[[int], None] | None = None,
    **options: Any,
) -> DatasetInfo:
    """Load one source file into the workspace, all or nothing (``options`` for articles: url, title…).

    ``progress`` is told the source line reached, now and then.
    """
    if fmt not in FORMATS:
        raise LoadError(str(path), None, "--format", f"{fmt!r} is not one of {', '.join(FORMATS)}")
    name = dataset or default_dataset(path, fmt)
    if not _DATASET_RE.match(name):
        raise LoadError(str(path), None, "--dataset", f"{name!r}: use lower-case letters, digits, . _ -")
    file = str(path)
    if not Path(path).exists():
        raise LoadError(file, None, None, "no such file")
    store = workspace.store()
    if fmt == "ftm":
        from loaders.ftm import FtmReader, parse_ftm_rows
        from loaders.records import open_lines
        from loaders.worker import WORKER_BYTES, FtmWorker

        if Path(path).is_file() and Path(path).stat().st_size >= WORKER_BYTES and FtmWorker.available():
            # A large file is read in a second process while this one writes (loaders/worker.py).
            with FtmWorker(file, name) as worker:
                return workspace.load_rows(worker.rows(), name, fmt, file, progress, worker.counts)
        reader = FtmReader(name, file)
        rows = parse_ftm_rows(reader, open_lines(path))
        counts = lambda: (reader.skipped, reader.skipped_links)  # noqa: E731
        return workspace.load_rows(rows, name, fmt, file, progress, counts)
    records: Iterable[Record]
    if fmt == "fedreg":
        from loaders.federal_register import read_federal_register

        records = read_federal_register(path, name)
    elif fmt == "ofac":
        from loaders.ofac import read_ofac

        records = read_ofac(path, name, _programs(store))
    elif fmt == "article":
        from loaders.article import read_article

        records = read_article(path, store, name, **options)
    else:
        return apply_ftm_delta(workspace, path, name, progress)
    return workspace.load(records, name, fmt, file, progress)


_DATASET_RE = re.compile(r"^[a-z0-9][a-z0-9_.-]*\Z")


def apply_ftm_delta(
    workspace: Workspace, path: str | Path, dataset: str, progress: Callable[[int], None] | None = None
) -> DatasetInfo:
    """Apply an FtM delta file to a loaded FtM dataset (or start one): ADD, MOD and DEL in order.

    The file is streamed: a delta keeps the last change of each entity it names, not its lines.
    """
    from loaders.ftm import read_ftm_delta

    file = str(path)
    if not workspace.has(dataset):
        # A first pass over the file (nothing kept): every line must read, and be an ADD.
        refused = None
        for change in read_ftm_delta(path):
            if change.op != "ADD" and refused is None:
                refused = change
        if refused is not None:
            raise LoadError(file, refused.line, "op", f"{refused.op} of {refused.entity_id!r}: not loaded")
        from loaders.ftm import FtmReader

        reader = FtmReader(dataset, file)

        def rows() -> Iterator[Row]:
            for change in read_ftm_delta(path):
                yield from reader.rows(change.entity, change.line)
            yield from reader.ready_rows(final=True)

        return workspace.load_rows(
            rows(), dataset, "ftm", file, progress, lambda: (reader.skipped, reader.skipped_links)
        )
    return workspace.apply_delta(dataset, read_ftm_delta(path), file, progress)
