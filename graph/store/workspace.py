"""The workspace store: the graph in one SQLite file that opens without re-reading its sources.

Each node and edge is kept whole as its model's JSON (so a new model field
persists without a schema change) beside the columns the protocol's lookups
filter on, each indexed: id and kind; an edge's endpoints and its first and
last day as ISO dates (``start_day <= day < end_day`` is exactly
:meth:`~graph.model.Edge.valid_on`); a security's exchange and code; every
identifier; every dataset that gave it; how many edges touch each node
(``degrees``, so a hub is known without counting its edges: a narrow table of its own, by
row number, so that adding an edge rewrites a few bytes, not the node's wide row). Names are found
through an FTS5 index of their words (:func:`graph.names.name_tokens`), with
the vocabulary beside it (``terms``: each word and how many nodes carry it):
a misspelt query word finds the indexed words it may mean by a fuzzy match
against the vocabulary (tens of thousands of words, not millions of names).
Rows keep the order they were first written (``seq``), so answers come
in the same order as from the memory store.

Every write is one transaction: all of it or none of it. A large first load
drops the secondary indexes and builds them after the rows are in, as bulk
loaders do. No pickle: only JSON and plain columns.

>>> from graph.model import Node
>>> store = WorkspaceStore.open(":memory:")
>>> store.write([Node(id="ORG:x", kind="Company", name="X Corp")])
>>> store.node_count(), store.get_node("ORG:x").name
(1, 'X Corp')
>>> [n.id for n in store.name_candidates("x corporation")]
['ORG:x']
"""

from __future__ import annotations

import json
import sqlite3
from collections import Counter
from collections.abc import Collection, Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from types import TracebackType
from typing import Any, Literal, NamedTuple, Protocol, TypeVar

import orjson
from pydantic import BaseModel

from graph.errors import OrdergraphError, StoreUnavailable
from graph.model import Edge, Node, constructed, first_day, identifier_keys, nested_models
from graph.names import code_key
from graph.store.base import CANDIDATES, Direction, Hops, Neighbourhood, StoreBase, reach_by_levels
from graph.store.words import Vocabulary, doc_words, node_words, pick, ranked, word_query

T = TypeVar("T")
M = TypeVar("M", bound=BaseModel)
# 3: the degrees in a table of their own (2 kept them in the node rows). 4: names indexed in
# simplified Chinese characters (graph.hanzi; 3 indexed them as written). Opened, a file of an
# earlier schema is brought to this one in one transaction.
SCHEMA_VERSION = "4"
# A first load at least this big builds the secondary indexes after the rows are in.
BULK = 5000
# How many nodes and edges a streamed write holds in memory at once.
STREAM_BATCH = 20_000
# How many parsed nodes (and edges) a store keeps at most.
PARSED = 100_000
# Ids per statement when a batch is split (one JSON parameter carries each chunk).
CHUNK = 50_000
# The page cache: usually, and while a first load writes its rows and builds its indexes.
CACHE = -65536  # 64 MiB
BULK_CACHE = -524288  # 512 MiB
# ... and while a change scattered over a large graph is written (a delta): its dirty pages and the
# index pages it reads again stay in memory instead of being spilled to the log and read back.
SCATTERED_CACHE = -262144  # 256 MiB
# ... and the file memory-mapped for reading (bytes; SQLite caps it at just under 2 GiB, and reads
# pages beyond that as usual): the pages such a change reads are not copied into the cache.
MAPPED = 1 << 31
# ANALYZE samples this many rows of each index (reading every row of a large file took seconds).
ANALYSIS_LIMIT = 1000
# How long (ms) a statement waits for another connection's write lock; opening an old file waits
# longer, for another opener's upgrade of it to finish.
BUSY_WAIT = 5000
UPGRADE_WAIT = 600_000

# What :meth:`WorkspaceStore.insert_new` writes of a new node: id, kind, exchange and code (a
# security's, :func:`doc_security_columns`), its JSON, its name-index words, its identifiers
# (scheme, value) and its datasets (each once); of a new edge: id, kind, source, target, the first
# days of its start and end (:func:`day`), its JSON and its datasets.
NewNode = tuple[str, str, str | None, str | None, str, list[str], list[tuple[str, str]], list[str]]
NewEdge = tuple[str, str, str, str, str | None, str | None, str, list[str]]

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
_OUT = "SELECT e.seq, e.doc FROM edges AS e WHERE e.source IN (SELECT value FROM json_each(?))"
_IN = "SELECT e.seq, e.doc FROM edges AS e WHERE e.target IN (SELECT value FROM json_each(?))"
_EDGES_AT = {"out": [_OUT], "in": [_IN], "both": [_OUT, _IN]}
# With kinds: every (node, kind) pair probes the (end, kind, seq) index; a list with
# thousands of members is not scanned for its few GOVERNS edges.
_OUT_KINDS = (
    "SELECT e.seq, e.doc FROM json_each(?) AS n CROSS JOIN json_each(?) AS k CROSS JOIN edges AS e "
    "WHERE e.source = n.value AND e.kind = k.value"
)
_IN_KINDS = (
    "SELECT e.seq, e.doc FROM json_each(?) AS n CROSS JOIN json_each(?) AS k CROSS JOIN edges AS e "
    "WHERE e.target = n.value AND e.kind = k.value"
)
_EDGES_OF_KINDS_AT = {"out": [_OUT_KINDS], "in": [_IN_KINDS], "both": [_OUT_KINDS, _IN_KINDS]}
# Exactly Edge.valid_on: the first day of start on or before the day, the first day of end after it.
_VALID_ON = "AND (e.start_day IS NULL OR e.start_day <= ?) AND (e.end_day IS NULL OR e.end_day > ?)"


def _ids(values: Iterable[str]) -> str:
    """A list of ids as one JSON parameter, read back in SQL with ``json_each``."""
    return json.dumps(list(values))


def _chunks(values: Sequence[T], size: int = CHUNK) -> Iterator[Sequence[T]]:
    for i in range(0, len(values), size):
        yield values[i : i + size]


def _quoted(term: str) -> str:
    return '"{}"'.format(term.replace('"', '""'))


def _rebuilt(cls: type[M], data: dict[str, Any]) -> M:
    """The model whose ``model_dump_json`` gave ``data``, rebuilt without validating it again.

    Every row was validated before it was written (and the schema version guards the
    format); validating it on every read cost ~50 µs a node, most of a search's time.
    """
    for name, nested in nested_models(cls).items():
        items = data.get(name)
        if items:
            data[name] = [_rebuilt(nested, item) for item in items]
    return constructed(cls, data)


def _security_columns(node: Node) -> tuple[str | None, str | None]:
    if node.kind != "Security":
        return None, None
    exchange = str(node.properties.get("exchange", "")).removeprefix("EXCH:")
    return exchange, code_key(str(node.properties.get("code", "")))


def day(value: str | None) -> str | None:
    """A date's ISO first day (``2021`` → ``2021-01-01``), as ``edges.start_day`` and ``end_day`` keep it."""
    return first_day(value).isoformat() if value else None


def _degrees_apart(conn: sqlite3.Connection) -> None:
    """A file of schema 2 brought to 3 (inside :func:`_upgraded`'s transaction; then to 4): each node's degree
    moved out of its row into ``degrees`` (the rows are rewritten once, without the column)."""
    conn.execute("INSERT INTO degrees (seq, n) SELECT seq, degree FROM nodes WHERE degree != 0")
    conn.execute("ALTER TABLE nodes DROP COLUMN degree")
    conn.execute("UPDATE meta SET value = '3' WHERE key = 'schema'")


def _names_reindexed(conn: sqlite3.Connection) -> None:
    """A file of schema 3 brought to 4 (inside :func:`_upgraded`'s transaction): the name index
    (``names``, ``terms``) written anew from every node's names, with the words this version
    indexes (:func:`graph.store.words.doc_words`: traditional Chinese folded to simplified).

    The index is contentless (a row's old words cannot be read back to take them out one by one),
    so it is emptied and every row's words put in again, in row order as a load writes them.
    """
    conn.execute("INSERT INTO names (names) VALUES ('delete-all')")
    conn.execute("DELETE FROM terms")
    terms: Counter[str] = Counter()
    last = -1
    while rows := conn.execute(
        "SELECT seq, doc FROM nodes WHERE seq > ? ORDER BY seq LIMIT ?", (last, CHUNK)
    ).fetchall():
        fts = []
        for seq, doc in rows:
            words = doc_words(orjson.loads(doc))
            terms.update(words)
            fts.append((seq, " ".join(words)))
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
    """

    def due(self, conn: sqlite3.Connection) -> bool: ...

    def apply(self, conn: sqlite3.Connection, file: str) -> None: ...


def _upgraded(conn: sqlite3.Connection, target: str, upgrade: Upgrade | None) -> None:
    """A new file given its tables, or an old one brought to this schema with its loader's tables,
    in one transaction: a failure anywhere leaves the file as it was.

    The versions are read again once the file is held: another process may have upgraded it
    meanwhile (the app and the CLI opening one old file together). Waits up to ``UPGRADE_WAIT`` ms
    for another's upgrade (of a large file: tens of seconds) to finish.
    """
    conn.execute(f"PRAGMA busy_timeout = {UPGRADE_WAIT}")
    try:
        conn.execute("BEGIN IMMEDIATE")
    except sqlite3.OperationalError as exc:
        raise StoreUnavailable(
            f"{target}: held by another writer ({exc}); try again when it is done"
        ) from None
    finally:
        conn.execute(f"PRAGMA busy_timeout = {BUSY_WAIT}")
    try:
        version = _schema(conn)
        if version not in (None, "2", "3", SCHEMA_VERSION):
            newer = version.isdigit() and int(version) > int(SCHEMA_VERSION)
            advice = "upgrade ordergraph to open it" if newer else "load its sources again"
            raise StoreUnavailable(
                f"{target}: workspace schema {version}, this ordergraph reads {SCHEMA_VERSION}: {advice}"
            )
        # executescript would commit the open transaction: one statement at a time instead.
        for statement in _TABLES.split(";"):
            if statement.strip():
                conn.execute(statement)
        if version is None:
            conn.execute("INSERT OR REPLACE INTO meta VALUES ('schema', ?)", (SCHEMA_VERSION,))
        if version == "2":
            _degrees_apart(conn)
        if version in ("2", "3"):
            _names_reindexed(conn)
        if upgrade is not None and upgrade.due(conn):
            upgrade.apply(conn, target)
    except BaseException as exc:
        conn.execute("ROLLBACK")
        if isinstance(exc, sqlite3.Error):
            raise StoreUnavailable(
                f"{target}: cannot be brought to workspace schema {SCHEMA_VERSION} ({exc}); "
                "nothing was changed"
            ) from exc
        raise
    conn.execute("COMMIT")


def doc_security_columns(doc: dict[str, Any]) -> tuple[str | None, str | None]:
    """A node document's ``exchange`` and ``code`` columns (a security's; None for other kinds)."""
    if doc["kind"] != "Security":
        return None, None
    properties = doc["properties"]
    exchange = str(properties.get("exchange", "")).removeprefix("EXCH:")
    return exchange, code_key(str(properties.get("code", "")))


class _NodeRow(NamedTuple):
    """A node as its row is written: columns, JSON, name-index words, identifiers and datasets."""

    id: str
    kind: str
    exchange: str | None
    code: str | None
    text: str
    words: list[str]
    identifiers: list[tuple[str, str]]
    datasets: list[str]


class WorkspaceStore(StoreBase):
    """A GraphStore in a SQLite file (or ``":memory:"``).

    Open one with :meth:`open`; close it with :meth:`close` (or use ``with``).
    """

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn
        # Parsed models by their JSON: validating a document costs far more than reading it,
        # and orders, lists and exchanges are read by almost every query. Keyed by the
        # document itself, so a row another process rewrote is parsed afresh.
        self._parsed_nodes: dict[str, Node] = {}
        self._parsed_edges: dict[str, Edge] = {}
        self._vocab: tuple[int, Vocabulary, int] | None = None  # data_version, words, node count
        self._in_transaction = False
        self._analyse = False

    def _node(self, doc: str) -> Node:
        node = self._parsed_nodes.get(doc)
        if node is None:
            if len(self._parsed_nodes) >= PARSED:
                self._parsed_nodes.clear()
            node = self._parsed_nodes[doc] = _rebuilt(Node, orjson.loads(doc))
        return node

    def _passing_node(self, doc: str) -> Node:
        """:meth:`_node` without keeping what it parses: for a search's candidates (up to 201 a
        search, few of them read again), which in the cache were most of what the garbage
        collector's full passes walked (at 1M, after 1,000 searches, 24k nodes: 390k objects)."""
        node = self._parsed_nodes.get(doc)
        return node if node is not None else _rebuilt(Node, orjson.loads(doc))

    def _edge(self, doc: str) -> Edge:
        edge = self._parsed_edges.get(doc)
        if edge is None:
            if len(self._parsed_edges) >= PARSED:
                self._parsed_edges.clear()
            edge = self._parsed_edges[doc] = _rebuilt(Edge, orjson.loads(doc))
        return edge

    # -- opening -------------------------------------------------------------

    @classmethod
    def open(cls, path: str | Path, create: bool = True, upgrade: Upgrade | None = None) -> WorkspaceStore:
        """The workspace in the file at ``path``, created (with its tables) when ``create``.

        A file of an earlier schema is brought to this one, with ``upgrade`` (a loader's own
        tables), in one transaction (:func:`_upgraded`). Raises StoreUnavailable when the file is
        missing (and not to be created), is not a workspace, was written by a newer schema, or
        cannot be upgraded (left as it was then).
        """
        target = str(path)
        if target != ":memory:" and not create and not Path(target).is_file():
            raise StoreUnavailable(f"{target}: no workspace there")
        if target != ":memory:":
            Path(target).parent.mkdir(parents=True, exist_ok=True)
        conn = sqlite3.connect(
            target, isolation_level=None, check_same_thread=False, timeout=BUSY_WAIT / 1000
        )
        try:
            try:
                conn.execute("PRAGMA journal_mode = WAL")
                conn.execute("PRAGMA synchronous = NORMAL")
                conn.execute("PRAGMA foreign_keys = OFF")
                conn.execute(f"PRAGMA cache_size = {CACHE}")
                conn.execute("PRAGMA temp_store = MEMORY")
                version = _schema(conn)
            except sqlite3.DatabaseError as exc:
                raise StoreUnavailable(f"{target}: not a workspace ({exc})") from exc
            if version != SCHEMA_VERSION or (upgrade is not None and upgrade.due(conn)):
                _upgraded(conn, target, upgrade)
            else:
                conn.executescript(_TABLES)  # IF NOT EXISTS: nothing written to a complete file
            store = cls(conn)
            if not store._empty():
                # Indexes are built by the first write (after its rows, when it is large).
                conn.executescript(_INDEXES)
        except BaseException:
            conn.close()
            raise
        return store

    def close(self) -> None:
        """Close the file (checkpointing the write-ahead log)."""
        self.conn.close()

    def __enter__(self) -> WorkspaceStore:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    def _empty(self) -> bool:
        return self.conn.execute("SELECT 1 FROM nodes LIMIT 1").fetchone() is None

    # -- writing -------------------------------------------------------------

    @contextmanager
    def waiting_long(self) -> Iterator[None]:
        """For the block, a write waits up to ``UPGRADE_WAIT`` ms for another process's to finish
        (as the upgrade does: another's merging every dataset again can take tens of seconds), not
        the usual ``BUSY_WAIT``.

        >>> store = WorkspaceStore.open(":memory:")
        >>> with store.waiting_long():
        ...     store.conn.execute("PRAGMA busy_timeout").fetchone()[0] == UPGRADE_WAIT
        True
        >>> store.conn.execute("PRAGMA busy_timeout").fetchone()[0] == BUSY_WAIT
        True
        """
        with self.pragma_during("busy_timeout", UPGRADE_WAIT, BUSY_WAIT):
            yield

    @contextmanager
    def sorting_on_disk(self) -> Iterator[None]:
        """SQLite's sorts and temporary b-trees in temporary files for the block, not in memory (the
        connection's default): a load's statements over as many rows as its file has lines (building
        the load bookkeeping's indexes, giving its records their row numbers) sort, or gather their
        keys, in runs and temporary b-trees that, held in memory, grew the process with the file.
        In files, SQLite caches a little of them and the operating system the rest.

        >>> store = WorkspaceStore.open(":memory:")
        >>> with store.sorting_on_disk():
        ...     store.conn.execute("PRAGMA temp_store").fetchone()
        (1,)
        >>> store.conn.execute("PRAGMA temp_store").fetchone()
        (2,)
        """
        # Switching deletes the connection's temporary tables. The only one made on it (the
        # re-merge's ``temp.remerged_records``, loaders/workspace.py) is made and dropped inside
        # this block, so none is there to lose at either switch.
        with self.pragma_during("temp_store", "FILE", "MEMORY"):
            yield

    @contextmanager
    def scattered_cache(self) -> Iterator[None]:
        """A larger page cache for the block (``SCATTERED_CACHE``), the usual one after: for a
        transaction whose changes are scattered over a large graph (a 1 % delta at 1M dirties
        ~36,000 pages, 143 MiB, and reads its index pages more than once). With the usual 64 MiB,
        SQLite spilled dirty pages to the log mid-transaction and read pages back: 177,000 reads
        and 141,000 writes instead of 95,000 and 110,000. The cache grows only as pages are read.

        >>> store = WorkspaceStore.open(":memory:")
        >>> with store.scattered_cache():
        ...     store.conn.execute("PRAGMA cache_size").fetchone()
        (-262144,)
        >>> store.conn.execute("PRAGMA cache_size").fetchone()
        (-65536,)
        """
        with self.pragma_during("cache_size", SCATTERED_CACHE, CACHE):
            yield

    @contextmanager
    def mapped_reads(self) -> Iterator[None]:
        """The file memory-mapped for the block (``MAPPED`` bytes of it), as it was after: for a
        transaction reading pages scattered over a large file (a delta). SQLite then reads a page
        where the operating system's page cache holds it, instead of a ``pread`` and a copy into
        its own cache for each; a page it changes is copied into its cache and written through the
        log, as before (a 1 % delta at 1M: ~4 % less CPU, the kernel's share most of it). The
        mapped pages count in the process's resident size: they are the page cache's, shared, not
        memory of the process's own (its anonymous memory does not grow).

        >>> import tempfile
        >>> with tempfile.TemporaryDirectory() as folder:
        ...     store = WorkspaceStore.open(Path(folder) / "graph.sqlite")
        ...     with store.mapped_reads():
        ...         during = store.conn.execute("PRAGMA mmap_size").fetchone()[0]
        ...     after = store.conn.execute("PRAGMA mmap_size").fetchone()[0]
        ...     store.close()
        >>> during > 0, after
        (True, 0)
        """
        (before,) = self.conn.execute("PRAGMA mmap_size").fetchone()
        with self.pragma_during("mmap_size", MAPPED, before):
            yield

    @contextmanager
    def pragma_during(self, name: str, during: int | str, after: int | str) -> Iterator[None]:
        """SQLite's setting ``name`` at ``during`` for the block, at ``after`` once it ends (also when
        it raises): the one shape of ``waiting_long``, ``sorting_on_disk``, ``scattered_cache``,
        ``mapped_reads`` and a load's page cache. Names and values are this module's constants, never
        user input.

        >>> store = WorkspaceStore.open(":memory:")
        >>> with store.pragma_during("cache_size", -1024, CACHE):
        ...     store.conn.execute("PRAGMA cache_size").fetchone()
        (-1024,)
        >>> store.conn.execute("PRAGMA cache_size").fetchone()
        (-65536,)
        """
        self.conn.execute(f"PRAGMA {name} = {during}")
        try:
            yield
        finally:
            self.conn.execute(f"PRAGMA {name} = {after}")

    def _begin(self) -> None:
        """``BEGIN IMMEDIATE``, waiting the connection's busy timeout for another writer; a wait in
        vain (another process loading, unloading, or merging every dataset again for longer) raises
        StoreUnavailable saying so and what to do, not sqlite3's "database is locked"."""
        try:
            self.conn.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) and "busy" not in str(exc):
                raise
            waited = self.conn.execute("PRAGMA busy_timeout").fetchone()[0] / 1000
            file = self.conn.execute("PRAGMA database_list").fetchone()[2] or ":memory:"
            raise StoreUnavailable(
                f"{file}: another ordergraph process holds the workspace (loading, unloading, or "
                f"merging every dataset again) and did not let go within {waited:g} s; let it "
                "finish (or stop it), then run the command again"
            ) from None

    @contextmanager
    def transaction(self) -> Iterator[WorkspaceStore]:
        """One atomic write: every ``write`` and ``delete`` inside joins it, all of it or none of it.

        A loader writes the graph's rows and its own bookkeeping (in its own tables of
        ``self.conn``) in one transaction this way; nested uses join the outer one.

        >>> from graph.model import Node
        >>> store = WorkspaceStore.open(":memory:")
        >>> try:
        ...     with store.transaction():
        ...         store.write([Node(id="ORG:x", kind="Company", name="X")])
        ...         raise RuntimeError("a bad line")
        ... except RuntimeError:
        ...     pass
        >>> store.node_count()
        0
        """
        if self._in_transaction:
            yield self
            return
        self._begin()
        self._in_transaction = True
        try:
            yield self
        except BaseException:
            self._analyse = False
            self.conn.execute("ROLLBACK")
            raise
        else:
            if self._analyse:
                # The planner's statistics go in with the rows they describe (one commit, and no
                # second write left in the log after it).
                self._analyse = False
                self.conn.execute(f"PRAGMA analysis_limit = {ANALYSIS_LIMIT}")
                self.conn.execute("ANALYZE")
            self.conn.execute("COMMIT")
        finally:
            self._in_transaction = False
            self._vocab = None  # this connection's commits do not change its data_version

    def write(self, nodes: Iterable[Node] = (), edges: Iterable[Edge] = ()) -> None:
        nodes, edges = list(nodes), list(edges)
        if not nodes and not edges:
            return
        self._transaction([(nodes, edges)], len(nodes) + len(edges) >= BULK)

    def write_stream(self, items: Iterable[Node | Edge], batch: int = STREAM_BATCH) -> int:
        """Write a stream of nodes and edges in one transaction, ``batch`` at a time, all or nothing.

        An edge may name nodes of its own batch or of earlier ones. Memory stays at one batch,
        however long the stream (a first load of a million entities). Returns how many were written.
        """
        written = 0

        def batches() -> Iterator[tuple[list[Node], list[Edge]]]:
            nonlocal written
            nodes: list[Node] = []
            edges: list[Edge] = []
            for item in items:
                if isinstance(item, Node):
                    nodes.append(item)
                else:
                    edges.append(item)
                if len(nodes) + len(edges) >= batch:
                    written += len(nodes) + len(edges)
                    yield nodes, edges
                    nodes, edges = [], []
            written += len(nodes) + len(edges)
            yield nodes, edges

        self._transaction(batches(), True)
        return written

    def _transaction(self, batches: Iterable[tuple[list[Node], list[Edge]]], large: bool) -> None:
        with self.transaction():
            # A big write into a (nearly) empty store: rows first, the secondary indexes after,
            # with a bigger page cache.
            bulk = large and self.node_count() < BULK
            if bulk:
                self.conn.execute(f"PRAGMA cache_size = {BULK_CACHE}")
                for name in _INDEX_NAMES:
                    self.conn.execute(f"DROP INDEX IF EXISTS {name}")
            try:
                for nodes, edges in batches:
                    self._write_batch(nodes, edges)
                self._create_indexes()
            finally:
                if bulk:
                    self.conn.execute(f"PRAGMA cache_size = {CACHE}")
            self._analyse = self._analyse or bulk

    def _write_batch(self, nodes: list[Node], edges: list[Edge]) -> None:
        self._check_endpoints(nodes, edges)
        latest_edges = {e.id: e for e in edges}  # the last write of an id in a batch wins
        old_edges = self._existing_ends(list(latest_edges))
        degree: Counter[str] = Counter()
        for edge in latest_edges.values():
            degree[edge.source] += 1
            degree[edge.target] += 1
        for _, source, target in old_edges.values():
            degree[source] -= 1
            degree[target] -= 1
        self._write_nodes(nodes)
        self._add_degrees(degree)
        self._write_edges(latest_edges, old_edges)

    def _create_indexes(self) -> None:
        # executescript would commit the open transaction: one statement at a time instead.
        for statement in _INDEXES.strip().splitlines():
            self.conn.execute(statement)

    def _check_endpoints(self, nodes: list[Node], edges: list[Edge]) -> None:
        incoming = {n.id for n in nodes}
        wanted = list({end for e in edges for end in (e.source, e.target)} - incoming)
        known: set[str] = set()
        for chunk in _chunks(wanted):
            known.update(
                r[0]
                for r in self.conn.execute(
                    "SELECT id FROM nodes WHERE id IN (SELECT value FROM json_each(?))", (_ids(chunk),)
                )
            )
        for edge in edges:
            for end in (edge.source, edge.target):
                if end not in incoming and end not in known:
                    raise OrdergraphError(f"edge {edge.id}: unknown node {end!r}")

    def _existing(self, table: str, ids: Sequence[str]) -> dict[str, tuple[int, str]]:
        """id → (seq, doc) of the rows of ``table`` already holding these ids."""
        found: dict[str, tuple[int, str]] = {}
        if self._empty_table(table):
            return found
        for chunk in _chunks(ids):
            rows = self.conn.execute(
                f"SELECT id, seq, doc FROM {table} WHERE id IN (SELECT value FROM json_each(?))",  # noqa: S608
                (_ids(chunk),),
            )
            found.update((r[0], (r[1], r[2])) for r in rows)
        return found

    def _existing_ends(self, ids: Sequence[str]) -> dict[str, tuple[int, str, str]]:
        """id → (seq, source, target) of the edges already holding these ids."""
        found: dict[str, tuple[int, str, str]] = {}
        if self._empty_table("edges"):
            return found
        for chunk in _chunks(ids):
            rows = self.conn.execute(
                "SELECT id, seq, source, target FROM edges WHERE id IN (SELECT value FROM json_each(?))",
                (_ids(chunk),),
            )
            found.update((r[0], (r[1], r[2], r[3])) for r in rows)
        return found

    def _empty_table(self, table: str) -> bool:
        return self.conn.execute(f"SELECT 1 FROM {table} LIMIT 1").fetchone() is None  # noqa: S608

    def _next_seq(self, table: str) -> int:
        row = self.conn.execute(f"SELECT COALESCE(MAX(seq), 0) FROM {table}").fetchone()  # noqa: S608
        return int(row[0]) + 1

    def _write_nodes(self, nodes: list[Node]) -> None:
        """Write nodes (their degrees are not in their rows: :meth:`_add_degrees`)."""
        if not nodes:
            return
        latest = {n.id: n for n in nodes}  # the last write of an id in a batch wins
        self._write_node_rows(
            [
                _NodeRow(
                    node.id,
                    node.kind,
                    *_security_columns(node),
                    node.model_dump_json(),
                    node_words(node),
                    [(s, v) for s, values in node.identifiers.items() for v in values],
                    list(dict.fromkeys(node.datasets)),
                )
                for node in latest.values()
            ]
        )

    def write_node_docs(self, nodes: Sequence[tuple[dict[str, Any], str, list[str]]]) -> None:
        """Write nodes given as their documents (a model's dump), its JSON and their name-index
        words, new or replacing a row of the same id, as :meth:`write` writes their models.

        A delta's entities that meet nothing else (``loaders.workspace``), inside its
        transaction: no model is built. Degrees are not touched (nodes only).
        """
        if not self._in_transaction:
            raise OrdergraphError("write_node_docs writes inside a transaction only")
        latest = {doc["id"]: (doc, text, words) for doc, text, words in nodes}
        self._write_node_rows(
            [
                _NodeRow(
                    doc["id"],
                    doc["kind"],
                    *doc_security_columns(doc),
                    text,
                    words,
                    [(s, v) for s, values in doc["identifiers"].items() for v in values],
                    list(dict.fromkeys(p["dataset"] for p in doc["provenance"])),
                )
                for doc, text, words in latest.values()
            ]
        )

    def write_edge_docs(self, edges: Sequence[tuple[dict[str, Any], str]]) -> None:
        """Write new edges given as their documents (a model's dump) and its JSON, as :meth:`write`
        writes their models (through :meth:`insert_new`); their ends' degrees grow.

        A delta's links that meet nothing else (``loaders/delta.py``), inside its transaction: the
        caller vouches that no id is in the store and that both ends are.
        """
        if not edges:
            return
        new: list[NewEdge] = [
            (
                doc["id"],
                doc["kind"],
                doc["source"],
                doc["target"],
                day(doc["start"]),
                day(doc["end"]),
                text,
                list(dict.fromkeys(p["dataset"] for p in doc["provenance"])),
            )
            for doc, text in edges
        ]
        self.insert_new(edges=new)
        self._add_degrees(Counter(end for doc, _ in edges for end in (doc["source"], doc["target"])))

    def _write_node_rows(self, nodes: list[_NodeRow]) -> None:
        """Write nodes, each once (their degrees are not in their rows: :meth:`_add_degrees`).

        A node already stored keeps its row, updated in place; its words, identifiers and
        datasets are written again only when they changed (a delta's modified entity mostly
        keeps them), and the columns indexed only when they changed.
        """
        old = self._existing("nodes", [n.id for n in nodes])
        seq = self._next_seq("nodes")
        rows, moved, kept, idents, idents_gone, sets, sets_gone = ([] for _ in range(7))
        fts: list[tuple[int, str | None, str]] = []
        # The words put in and taken out, counted apart (``update`` counts an iterable in C;
        # ``subtract`` of one is a Python loop a word) and netted once at the end.
        terms: Counter[str] = Counter()
        gone_terms: Counter[str] = Counter()
        for node in nodes:
            exchange, code, text, words = node.exchange, node.code, node.text, node.words
            node_idents, node_sets = node.identifiers, node.datasets
            found = old.get(node.id)
            if found is None:
                row_seq, seq = seq, seq + 1
                rows.append((row_seq, node.id, node.kind, exchange, code, text))
                before: tuple[list[str], list[tuple[str, str]], list[str]] | None = None
            else:
                # The row being replaced, read as its document (no model built).
                row_seq, was = found[0], orjson.loads(found[1])
                before = (
                    doc_words(was),
                    [(s, v) for s, values in was["identifiers"].items() for v in values],
                    list(dict.fromkeys(p["dataset"] for p in was["provenance"])),
                )
                if (was["kind"], *doc_security_columns(was)) == (node.kind, exchange, code):
                    kept.append((text, row_seq))
                else:
                    moved.append((node.kind, exchange, code, text, row_seq))
            if before is None or words != before[0]:
                if before is not None:
                    fts.append((row_seq, "delete", " ".join(before[0])))
                    gone_terms.update(before[0])
                terms.update(words)
                fts.append((row_seq, None, " ".join(words)))
            if before is None or node_idents != before[1]:
                if before is not None:
                    idents_gone.append((row_seq,))
                idents += [(s, v, row_seq) for s, v in node_idents]
            if before is None or node_sets != before[2]:
                if before is not None:
                    sets_gone.append((row_seq,))
                sets += [(d, 0, row_seq) for d in node_sets]
        conn = self.conn
        conn.executemany("DELETE FROM identifiers WHERE node_seq = ?", idents_gone)
        conn.executemany("DELETE FROM datasets WHERE is_edge = 0 AND seq = ?", sets_gone)
        conn.executemany(
            "INSERT INTO nodes (seq, id, kind, exchange, code, doc) VALUES (?, ?, ?, ?, ?, ?)", rows
        )
        # By row number; a row whose indexed columns stay is not taken out of their indexes.
        conn.executemany("UPDATE nodes SET doc = ? WHERE seq = ?", kept)
        conn.executemany("UPDATE nodes SET kind = ?, exchange = ?, code = ?, doc = ? WHERE seq = ?", moved)
        self._write_words(fts)
        terms.subtract(gone_terms)
        self._count_terms(terms)
        conn.executemany("INSERT INTO identifiers VALUES (?, ?, ?)", idents)
        conn.executemany("INSERT INTO datasets VALUES (?, ?, ?)", sets)

    def _write_words(self, changes: list[tuple[int, str | None, str]]) -> None:
        """Take rows' words out of the FTS5 index (``"delete"``) and put them in (None), in order
        of row number, a row's old words before its new ones.

        FTS5 keeps a transaction's changes in memory while their row numbers rise; a change
        to a lower row (or a delete after an insert of the same one) first writes out all it
        holds as a new segment. Row by row in a delta's random order, that was a segment per
        change, each merged again later: ~110 µs a node at 1M, and most of the commit.
        """
        changes.sort(key=lambda change: (change[0], change[1] is None))
        self.conn.executemany(
            "INSERT INTO names (names, rowid, words) VALUES (?, ?, ?)", [(c, r, w) for r, c, w in changes]
        )

    def _count_terms(self, terms: Counter[str]) -> None:
        """Add to the vocabulary's counts (negative: words taken out). A word no node carries any
        more leaves the vocabulary, as a write of the same nodes from scratch never puts it in."""
        changed = [(t, n) for t, n in terms.items() if n]
        if not changed:
            return
        self.conn.executemany(
            "INSERT INTO terms (term, n) VALUES (?, ?) ON CONFLICT (term) DO UPDATE SET n = n + excluded.n",
            changed,
        )
        # Only a word taken out can reach 0 (one seek each, in the table's key).
        self.conn.executemany(
            "DELETE FROM terms WHERE term = ? AND n <= 0", [(t,) for t, n in changed if n < 0]
        )
        self._vocab = None

    def _add_degrees(self, degree: Counter[str]) -> None:
        self.add_degrees([(i, n) for i, n in degree.items() if n])

    def _unindex_nodes(self, old: dict[int, Node]) -> None:
        """Take nodes out of the name, identifier and dataset indexes (before replacing or deleting)."""
        if not old:
            return
        fts: list[tuple[int, str | None, str]] = []
        terms = Counter[str]()
        for seq, node in old.items():
            words = node_words(node)
            terms.subtract(words)
            fts.append((seq, "delete", " ".join(words)))
        self._write_words(fts)
        self._count_terms(terms)
        seqs = [(seq,) for seq in old]
        self.conn.executemany("DELETE FROM identifiers WHERE node_seq = ?", seqs)
        self.conn.executemany("DELETE FROM datasets WHERE is_edge = 0 AND seq = ?", seqs)

    def _write_edges(self, latest: dict[str, Edge], old: dict[str, tuple[int, str, str]]) -> None:
        if not latest:
            return
        self.conn.executemany(
            "DELETE FROM datasets WHERE is_edge = 1 AND seq = ?", [(row[0],) for row in old.values()]
        )
        seq = self._next_seq("edges")
        rows, sets = [], []
        for edge in latest.values():
            if edge.id in old:
                row_seq = old[edge.id][0]
            else:
                row_seq, seq = seq, seq + 1
            rows.append(
                (
                    row_seq,
                    edge.id,
                    edge.kind,
                    edge.source,
                    edge.target,
                    day(edge.start),
                    day(edge.end),
                    edge.model_dump_json(),
                )
            )
            sets += [(d, 1, row_seq) for d in dict.fromkeys(edge.datasets)]
        self.conn.executemany(
            "INSERT INTO edges (seq, id, kind, source, target, start_day, end_day, doc) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET kind = excluded.kind, "
            "source = excluded.source, target = excluded.target, start_day = excluded.start_day, "
            "end_day = excluded.end_day, doc = excluded.doc",
            rows,
        )
        self.conn.executemany("INSERT INTO datasets VALUES (?, ?, ?)", sets)

    def insert_new(self, nodes: Sequence[NewNode] = (), edges: Sequence[NewEdge] = ()) -> tuple[int, int]:
        """Insert nodes and edges that are new, as what a caller worked out of their documents
        (:data:`NewNode`, :data:`NewEdge`: the same columns and index rows :meth:`write` gives
        their models). Returns the row numbers of the first node and the first edge: the others
        follow in order.

        The bulk path of a load, inside its transaction: no model is built and nothing is read
        back. The caller vouches that no id is in the store yet and that every edge's ends
        will be by the end of the transaction, and adds their edges to their degrees (:meth:`add_degrees`).
        """
        if not self._in_transaction:
            raise OrdergraphError("insert_new writes inside a transaction only")
        conn = self.conn
        seq = first_node = self._next_seq("nodes")
        rows, fts, idents, sets = [], [], [], []
        terms: Counter[str] = Counter()
        for node_id, kind, exchange, code, text, words, node_idents, datasets in nodes:
            rows.append((seq, node_id, kind, exchange, code, text))
            terms.update(words)
            fts.append((seq, " ".join(words)))
            idents += [(s, v, seq) for s, v in node_idents]
            sets += [(d, 0, seq) for d in datasets]
            seq += 1
        conn.executemany(
            "INSERT INTO nodes (seq, id, kind, exchange, code, doc) VALUES (?, ?, ?, ?, ?, ?)", rows
        )
        conn.executemany("INSERT INTO names (rowid, words) VALUES (?, ?)", fts)
        self._count_terms(terms)
        conn.executemany("INSERT INTO identifiers VALUES (?, ?, ?)", idents)
        seq = first_edge = self._next_seq("edges")
        edge_rows = []
        for edge_id, kind, source, target, start, end, text, datasets in edges:
            edge_rows.append((seq, edge_id, kind, source, target, start, end, text))
            sets += [(d, 1, seq) for d in datasets]
            seq += 1
        conn.executemany(
            "INSERT INTO edges (seq, id, kind, source, target, start_day, end_day, doc) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            edge_rows,
        )
        conn.executemany("INSERT INTO datasets VALUES (?, ?, ?)", sets)
        return first_node, first_edge

    def add_degrees(self, added: Iterable[tuple[str, int]]) -> None:
        """Add to nodes' degrees ``(node id, edges)`` (negative: edges taken away): what the edges
        :meth:`insert_new` wrote add (the caller counted them as it wrote them)."""
        self.conn.executemany(
            "INSERT INTO degrees (seq, n) SELECT seq, ?2 FROM nodes WHERE id = ?1 "
            "ON CONFLICT (seq) DO UPDATE SET n = n + excluded.n",
            added,
        )

    def defer_indexes(self) -> None:
        """Drop the indexes a load does not read, in its transaction (:meth:`build_indexes` after)."""
        if not self._in_transaction:
            raise OrdergraphError("defer_indexes works inside a transaction only")
        for name in _INDEX_NAMES:
            if name not in _LOOKUP_INDEXES:
                self.conn.execute(f"DROP INDEX IF EXISTS {name}")

    def build_indexes(self) -> None:
        """Every secondary index, built if missing."""
        self._create_indexes()

    def analyse_after(self) -> None:
        """Gather the query planner's statistics as the current transaction commits (after a bulk load)."""
        self._analyse = True

    def next_node_seq(self) -> int:
        """The row number the next new node gets (rows written later have higher ones)."""
        return self._next_seq("nodes")

    def next_edge_seq(self) -> int:
        """The row number the next new edge gets (as :meth:`next_node_seq`)."""
        return self._next_seq("edges")

    def add_node(self, node: Node) -> None:
        self.write([node])

    def add_edge(self, edge: Edge) -> None:
        self.write(edges=[edge])

    def delete(self, node_ids: Collection[str] = (), edge_ids: Collection[str] = ()) -> None:
        conn = self.conn
        with self.transaction():
            nodes = self._existing("nodes", list(node_ids))
            doomed = {i: (s, t) for i, (_, s, t) in self._existing_ends(list(edge_ids)).items()}
            for chunk in _chunks(list(nodes)):
                doomed.update(
                    (r[0], (r[1], r[2]))
                    for r in conn.execute(
                        "SELECT id, source, target FROM edges "
                        "WHERE source IN (SELECT value FROM json_each(?1)) "
                        "OR target IN (SELECT value FROM json_each(?1))",
                        (_ids(chunk),),
                    )
                )
            degree: Counter[str] = Counter()
            for source, target in doomed.values():
                degree[source] -= 1
                degree[target] -= 1
            for gone in nodes:
                degree.pop(gone, None)
            for chunk in _chunks(list(doomed)):
                conn.execute(
                    "DELETE FROM datasets WHERE is_edge = 1 AND seq IN "
                    "(SELECT seq FROM edges WHERE id IN (SELECT value FROM json_each(?)))",
                    (_ids(chunk),),
                )
                conn.execute("DELETE FROM edges WHERE id IN (SELECT value FROM json_each(?))", (_ids(chunk),))
            self._add_degrees(degree)
            self._unindex_nodes({seq: self._node(doc) for seq, doc in nodes.values()})
            conn.executemany("DELETE FROM nodes WHERE seq = ?", [(seq,) for seq, _ in nodes.values()])
            # A new node may take a deleted one's row number: it starts with no edges.
            conn.executemany("DELETE FROM degrees WHERE seq = ?", [(seq,) for seq, _ in nodes.values()])

    def clear(self) -> None:
        """Remove every node and edge, all or nothing (the tables stay)."""
        with self.transaction():
            for table in ("nodes", "degrees", "edges", "identifiers", "datasets", "terms"):
                self.conn.execute(f"DELETE FROM {table}")  # noqa: S608 - fixed table names
            self.conn.execute("INSERT INTO names (names) VALUES ('delete-all')")
            self._vocab = None

    def dataset_ids(self, dataset: str) -> tuple[list[str], list[str]]:
        """The ids of the nodes and of the edges that ``dataset`` gave (its provenance names it)."""
        nodes = self.conn.execute(
            "SELECT n.id FROM datasets d JOIN nodes n ON n.seq = d.seq "
            "WHERE d.dataset = ? AND d.is_edge = 0 ORDER BY n.seq",
            (dataset,),
        )
        node_ids = [r[0] for r in nodes]
        edges = self.conn.execute(
            "SELECT e.id FROM datasets d JOIN edges e ON e.seq = d.seq "
            "WHERE d.dataset = ? AND d.is_edge = 1 ORDER BY e.seq",
            (dataset,),
        )
        return node_ids, [r[0] for r in edges]

    def datasets(self) -> dict[str, tuple[int, int]]:
        """Each dataset in the workspace: (nodes, edges) it gave."""
        found: dict[str, tuple[int, int]] = {}
        rows = self.conn.execute(
            "SELECT dataset, SUM(is_edge = 0), SUM(is_edge = 1) FROM datasets "
            "GROUP BY dataset ORDER BY dataset"
        )
        for name, nodes, edges in rows:
            found[name] = (int(nodes), int(edges))
        return found

    def dataset_counts(self, dataset: str) -> tuple[int, int]:
        """The nodes and edges one dataset gave (:meth:`datasets` of one, from its index)."""
        # Two counts of index ranges (2.5× faster than summing a test over the dataset's range:
        # 0.04 s for a 1M-entity dataset, read after every load and delta).
        row = self.conn.execute(
            "SELECT (SELECT COUNT(*) FROM datasets WHERE dataset = ?1 AND is_edge = 0), "
            "(SELECT COUNT(*) FROM datasets WHERE dataset = ?1 AND is_edge = 1)",
            (dataset,),
        ).fetchone()
        return int(row[0]), int(row[1])

    # -- reading -------------------------------------------------------------

    def get_node(self, node_id: str) -> Node | None:
        row = self.conn.execute("SELECT doc FROM nodes WHERE id = ?", (node_id,)).fetchone()
        return None if row is None else self._node(row[0])

    def get_edge(self, edge_id: str) -> Edge | None:
        row = self.conn.execute("SELECT doc FROM edges WHERE id = ?", (edge_id,)).fetchone()
        return None if row is None else self._edge(row[0])

    def get_nodes(self, node_ids: Iterable[str]) -> dict[str, Node]:
        wanted = list(dict.fromkeys(node_ids))
        found: dict[str, Node] = {}
        for chunk in _chunks(wanted):
            rows = self.conn.execute(
                "SELECT id, doc FROM nodes WHERE id IN (SELECT value FROM json_each(?))", (_ids(chunk),)
            )
            found.update((r[0], self._node(r[1])) for r in rows)
        return {i: found[i] for i in wanted if i in found}

    def edges_of_many(
        self,
        node_ids: Collection[str],
        direction: Direction = "both",
        kinds: Collection[str] | None = None,
        as_of: date | None = None,
    ) -> list[Edge]:
        ids = list(dict.fromkeys(node_ids))
        if not ids:
            return []
        found: dict[int, str] = {}
        for chunk in _chunks(ids):
            selects = _EDGES_AT[direction] if kinds is None else _EDGES_OF_KINDS_AT[direction]
            for select in selects:
                sql = [select]
                params: list[object] = [_ids(chunk)] if kinds is None else [_ids(chunk), _ids(kinds)]
                if as_of is not None:
                    sql.append(_VALID_ON)
                    params += [as_of.isoformat(), as_of.isoformat()]
                found.update(self.conn.execute(" ".join(sql), params).fetchall())
        return [self._edge(found[seq]) for seq in sorted(found)]

    def degrees(self, node_ids: Iterable[str]) -> dict[str, int]:
        wanted = list(dict.fromkeys(node_ids))
        found: dict[str, int] = {}
        for chunk in _chunks(wanted):
            rows = self.conn.execute(
                "SELECT n.id, COALESCE(d.n, 0) FROM nodes AS n LEFT JOIN degrees AS d ON d.seq = n.seq "
                "WHERE n.id IN (SELECT value FROM json_each(?))",
                (_ids(chunk),),
            )
            found.update((r[0], int(r[1])) for r in rows)
        return {i: found[i] for i in wanted if i in found}

    def reach(
        self,
        seeds: Collection[str],
        hops: Hops,
        depth: int,
        as_of: date | None = None,
        hub: int | None = None,
    ) -> Neighbourhood:
        # In-process SQLite: a level costs a degree lookup, two indexed queries and a node fetch;
        # a hub seed's first edges are read without the rest.
        return reach_by_levels(self, seeds, hops, depth, as_of, hub, first_edges=self._first_edges)

    def _first_edges(
        self, node_id: str, side: Literal["out", "in"], kinds: list[str], as_of: date | None, limit: int
    ) -> list[Edge]:
        """A node's first ``limit`` edges on one side (in write order), without reading the rest."""
        end = "source" if side == "out" else "target"
        valid, params = ("", []) if as_of is None else (_VALID_ON, [as_of.isoformat()] * 2)
        each = (
            f"SELECT * FROM (SELECT e.seq, e.doc FROM edges AS e WHERE e.{end} = ? AND e.kind = ? {valid} "  # noqa: S608
            "ORDER BY e.seq LIMIT ?)"
        )
        sql = " UNION ALL ".join([each] * len(kinds)) + " ORDER BY 1 LIMIT ?"
        args: list[object] = []
        for kind in kinds:
            args += [node_id, kind, *params, limit]
        rows = self.conn.execute(sql, [*args, limit]).fetchall()
        return [self._edge(doc) for _, doc in rows]

    def securities(self, exchange: str | None = None, code: str | None = None) -> list[Node]:
        # Given a code or an exchange, ``+kind`` keeps SQLite off ``nodes_kind``: without statistics
        # for it, a code alone was looked for among every security in seq order (120k rows at 1M, a
        # "PDUX" search 50-60 ms CPU) instead of in ``nodes_ticker`` (a few rows, then sorted).
        kind = "kind" if exchange is None and code is None else "+kind"
        sql, params = [f"SELECT doc FROM nodes WHERE {kind} = 'Security'"], []  # noqa: S608 - a column
        if code is not None:
            sql.append("AND code = ?")
            params.append(code_key(code))
        if exchange is not None:
            sql.append("AND exchange = ?")
            params.append(exchange)
        sql.append("ORDER BY seq")
        return [self._node(r[0]) for r in self.conn.execute(" ".join(sql), params)]

    def nodes_by_identifier(self, scheme: str, value: str) -> list[Node]:
        rows = self.conn.execute(
            "SELECT n.doc FROM identifiers i JOIN nodes n ON n.seq = i.node_seq "
            "WHERE i.scheme = ? AND i.value = ? ORDER BY n.seq",
            (scheme, value),
        )
        return [self._node(r[0]) for r in rows]

    def name_candidates(
        self, text: str, kinds: Collection[str] | None = None, limit: int = CANDIDATES
    ) -> list[Node]:
        # The candidates every store gives (graph.store.words): nodes carrying every query word
        # (or a variant of it), in write order, from an FTS5 AND (cheap even over common words);
        # then nodes carrying the telling words, the heaviest first, summed here from each
        # word's postings (no bm25, which reads every matching node's size).
        exact = self.get_node(text.strip())
        identified = self._identified(text, -1 if kinds is not None else limit + 1)
        vocabulary, total = self._vocabulary()
        query = word_query(text, vocabulary, total)
        if not query:
            return pick([], exact, kinds, limit, identified)
        every_match = " AND ".join("(" + " OR ".join(_quoted(t) for t in g) + ")" for g in query.groups)
        cap = -1 if kinds is not None else limit + 1  # the kinds are filtered below
        rows = self.conn.execute("SELECT rowid FROM names WHERE names MATCH ? LIMIT ?", (every_match, cap))
        every = [r[0] for r in rows]
        weighed: list[int] = []
        if kinds is not None or len(every) < limit + 1:
            each = "SELECT rowid, ? AS w FROM names WHERE names MATCH ?"
            params: list[object] = []
            for term, weight in query.weights.items():
                params += [weight, _quoted(term)]
            rows = self.conn.execute(
                f"SELECT rowid FROM ({' UNION ALL '.join([each] * len(query.weights))}) "  # noqa: S608
                "GROUP BY rowid ORDER BY SUM(w) DESC, rowid LIMIT ?",
                [*params, cap if cap < 0 else cap + len(every)],
            )
            weighed = [r[0] for r in rows]
        return pick(self._nodes_at(ranked(every, weighed), limit + 1), exact, kinds, limit, identified)

    def _identified(self, text: str, cap: int) -> list[Node]:
        """The first ``cap`` nodes (all: -1) carrying ``text`` as an identifier of any scheme, in
        write order (the index on (scheme, value), one lookup per scheme whose form the text has)."""
        keys = identifier_keys(text)
        if not keys:
            return []
        where = " OR ".join(["(i.scheme = ? AND i.value = ?)"] * len(keys))
        rows = self.conn.execute(
            "SELECT n.doc FROM nodes n WHERE n.seq IN "  # noqa: S608 - only placeholders are joined in
            f"(SELECT i.node_seq FROM identifiers i WHERE {where}) ORDER BY n.seq LIMIT ?",
            [*(part for key in keys for part in key), cap],
        )
        return [self._node(doc) for (doc,) in rows]

    def _nodes_at(self, seqs: list[int], chunk: int) -> Iterator[Node]:
        """The nodes at these write positions, in that order, read ``chunk`` at a time as needed."""
        for part in _chunks(seqs, chunk):
            rows = self.conn.execute(
                "SELECT n.doc FROM json_each(?) AS r JOIN nodes AS n ON n.seq = r.value ORDER BY r.key",
                (json.dumps(list(part)),),
            )
            yield from (self._passing_node(doc) for (doc,) in rows)

    def _vocabulary(self) -> tuple[Vocabulary, int]:
        """Every indexed word with its count, and how many nodes there are: read on the first
        search, kept until this store writes or another connection commits (``data_version``)."""
        version = self.conn.execute("PRAGMA data_version").fetchone()[0]
        if self._vocab is None or self._vocab[0] != version:
            counts = dict(self.conn.execute("SELECT term, n FROM terms WHERE n > 0").fetchall())
            self._vocab = (version, Vocabulary.of(counts), self.node_count())
        return self._vocab[1], self._vocab[2]

    # -- scans and counts ----------------------------------------------------

    def nodes(self, kind: str | None = None) -> Iterator[Node]:
        if kind is None:
            rows = self.conn.execute("SELECT doc FROM nodes ORDER BY seq")
        else:
            rows = self.conn.execute("SELECT doc FROM nodes WHERE kind = ? ORDER BY seq", (kind,))
        for (doc,) in rows:
            yield Node.model_validate_json(doc)  # a scan: not worth keeping

    def edges(self, kind: str | None = None) -> Iterator[Edge]:
        if kind is None:
            rows = self.conn.execute("SELECT doc FROM edges ORDER BY seq")
        else:
            rows = self.conn.execute("SELECT doc FROM edges WHERE kind = ? ORDER BY seq", (kind,))
        for (doc,) in rows:
            yield Edge.model_validate_json(doc)  # a scan: not worth keeping

    def node_count(self) -> int:
        return int(self.conn.execute("SELECT COUNT(*) FROM nodes").fetchone()[0])

    def edge_count(self) -> int:
        return int(self.conn.execute("SELECT COUNT(*) FROM edges").fetchone()[0])

    def counts(self) -> tuple[dict[str, int], dict[str, int]]:
        nodes = self.conn.execute("SELECT kind, COUNT(*) FROM nodes GROUP BY kind ORDER BY kind")
        node_counts = {k: int(c) for k, c in nodes}
        edges = self.conn.execute("SELECT kind, COUNT(*) FROM edges GROUP BY kind ORDER BY kind")
        return node_counts, {k: int(c) for k, c in edges}
