"""The store's file: opening it (and upgrading an old one), its settings for a block, transactions."""

from __future__ import annotations

import sqlite3
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from types import TracebackType
from typing import Self

import orjson

from graph.errors import StoreUnavailable
from graph.model import Edge, Node
from graph.store.base import StoreBase
from graph.store.words import Vocabulary
from graph.store.workspace.rows import PARSED, _rebuilt
from graph.store.workspace.schema import (
    _INDEXES,
    _TABLES,
    SCHEMA_VERSION,
    Upgrade,
    _degrees_apart,
    _schema,
    reindex_names,
)

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
# The most distinct words a transaction's bulk inserts count in memory before writing their counts.
PENDING_TERMS = 200_000
# The earlier schemas a file is brought from by indexing every node's names again (:func:`reindex_names`).
_REINDEXED = ("2", "3", "4", "5")


def held_elsewhere(conn: sqlite3.Connection, exc: sqlite3.OperationalError) -> StoreUnavailable | None:
    """What to raise for ``exc`` when it is SQLite's "database is locked" (SQLITE_BUSY): another
    process held the file longer than ``conn`` waited for it (its busy timeout). None for any other
    error, "database table is locked" (SQLITE_LOCKED) too.

    Every wait for the file says the same: who holds it, how long this one waited, what to do —
    never sqlite3's own words.
    """
    # SQLITE_BUSY (and its extended codes) only: SQLITE_LOCKED ("database table is locked") is a
    # conflict inside this connection, which no other process's letting go would end.
    if (getattr(exc, "sqlite_errorcode", 0) & 0xFF) != sqlite3.SQLITE_BUSY:
        return None
    waited = conn.execute("PRAGMA busy_timeout").fetchone()[0] / 1000
    file = conn.execute("PRAGMA database_list").fetchone()[2] or ":memory:"
    return StoreUnavailable(
        f"{file}: another ordergraph process holds the workspace (loading, unloading, or "
        f"merging every dataset again) and did not let go within {waited:g} s; let it "
        "finish (or stop it), then run the command again"
    )


def _upgraded(
    conn: sqlite3.Connection, target: str, upgrade: Upgrade | None, tell: Callable[[str], None] | None = None
) -> None:
    """A new file given its tables, or an old one brought to this schema with its loader's tables,
    in one transaction: a failure anywhere leaves the file as it was.

    The versions are read again once the file is held: another process may have upgraded it
    meanwhile (the app and the CLI opening one old file together). Waits up to ``UPGRADE_WAIT`` ms
    for another's upgrade (of a large file: tens of seconds) to finish.

    Indexing every node's names again (from schema 5 or earlier, or when ``upgrade`` does: about a
    minute at a million nodes; once, whichever asks) is told to ``tell`` in a sentence before it
    begins, and how long it took once committed.
    """
    conn.execute(f"PRAGMA busy_timeout = {UPGRADE_WAIT}")
    try:
        conn.execute("BEGIN IMMEDIATE")
    except sqlite3.OperationalError as exc:
        held = held_elsewhere(conn, exc)
        raise held or StoreUnavailable(f"{target}: cannot begin its upgrade ({exc})") from None
    finally:
        conn.execute(f"PRAGMA busy_timeout = {BUSY_WAIT}")
    started: float | None = None  # when the names began to be indexed again
    try:
        version = _schema(conn)
        if version not in (None, *_REINDEXED, SCHEMA_VERSION):
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
        due = upgrade is not None and upgrade.due(conn)
        # The loader's upgrade indexing the names itself (other rules), the store leaves them to it.
        why = upgrade.indexes_names(conn, target) if upgrade is not None and due else None
        if version in _REINDEXED:
            started = time.monotonic()
            if tell is not None:
                tell(
                    f"{target}: bringing workspace schema {version} to {SCHEMA_VERSION}, once: "
                    "indexing every node's names again (about a minute a million nodes)…"
                )
            if why is None:
                reindex_names(conn)
        elif why is not None:
            started = time.monotonic()
            if tell is not None:
                tell(why)
        if upgrade is not None and due:
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
    if started is not None and tell is not None:
        took = time.monotonic() - started
        if version in _REINDEXED:
            tell(f"{target}: workspace schema {SCHEMA_VERSION}, names indexed in {took:.1f} s")
        else:
            tell(f"{target}: names indexed again in {took:.1f} s")


class StoreConnection(StoreBase):
    """The SQLite connection under a :class:`~graph.store.workspace.WorkspaceStore`, and its parsed rows."""

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
        # Words of rows insert_new wrote in this transaction, not yet added to ``terms``: a
        # batch's counts upserted into the vocabulary batch after batch took ~3 % of a 100k
        # load; added at once, each word is written once (:meth:`_flush_terms`).
        self._pending_terms: Counter[str] = Counter()

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

    @classmethod
    def open(
        cls,
        path: str | Path,
        create: bool = True,
        upgrade: Upgrade | None = None,
        tell: Callable[[str], None] | None = None,
    ) -> Self:
        """The workspace in the file at ``path``, created (with its tables) when ``create``.

        A file of an earlier schema is brought to this one, with ``upgrade`` (a loader's own
        tables), in one transaction (:func:`_upgraded`; a long one is told to ``tell``). Raises
        StoreUnavailable when the file is missing (and not to be created), is not a workspace, was
        written by a newer schema, or cannot be upgraded (left as it was then).
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
                held = held_elsewhere(conn, exc) if isinstance(exc, sqlite3.OperationalError) else None
                raise held or StoreUnavailable(f"{target}: not a workspace ({exc})") from exc
            if version != SCHEMA_VERSION or (upgrade is not None and upgrade.due(conn)):
                _upgraded(conn, target, upgrade, tell)
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

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    def _empty(self) -> bool:
        return self.conn.execute("SELECT 1 FROM nodes LIMIT 1").fetchone() is None

    def node_count(self) -> int:
        return int(self.conn.execute("SELECT COUNT(*) FROM nodes").fetchone()[0])

    @contextmanager
    def waiting_long(self) -> Iterator[None]:
        """For the block, a write waits up to ``UPGRADE_WAIT`` ms for another process's to finish
        (as the upgrade does: another's merging every dataset again can take tens of seconds), not
        the usual ``BUSY_WAIT``.

        >>> from graph.store.workspace import WorkspaceStore
        >>> store = WorkspaceStore.open(":memory:")
        >>> with store.waiting_long():
        ...     store.conn.execute("PRAGMA busy_timeout").fetchone()[0] == UPGRADE_WAIT
        True
        >>> store.conn.execute("PRAGMA busy_timeout").fetchone()[0] == BUSY_WAIT
        True
        """
        with self.pragma_during("busy_timeout", UPGRADE_WAIT):
            yield

    @contextmanager
    def sorting_on_disk(self) -> Iterator[None]:
        """SQLite's sorts and temporary b-trees in temporary files for the block, not in memory (the
        connection's default): a load's statements over as many rows as its file has lines (building
        the load bookkeeping's indexes, giving its records their row numbers) sort, or gather their
        keys, in runs and temporary b-trees that, held in memory, grew the process with the file.
        In files, SQLite caches a little of them and the operating system the rest.

        >>> from graph.store.workspace import WorkspaceStore
        >>> store = WorkspaceStore.open(":memory:")
        >>> with store.sorting_on_disk():
        ...     store.conn.execute("PRAGMA temp_store").fetchone()
        (1,)
        >>> store.conn.execute("PRAGMA temp_store").fetchone()
        (2,)
        """
        # Switching deletes the connection's temporary tables. The only one made on it (the
        # re-merge's ``temp.remerged_records``, loaders/workspace/remerge.py) is made and dropped inside
        # this block, so none is there to lose at either switch.
        with self.pragma_during("temp_store", "FILE"):
            yield

    @contextmanager
    def scattered_cache(self) -> Iterator[None]:
        """A larger page cache for the block (``SCATTERED_CACHE``), the usual one after: for a
        transaction whose changes are scattered over a large graph (a 1 % delta at 1M dirties
        ~36,000 pages, 143 MiB, and reads its index pages more than once). With the usual 64 MiB,
        SQLite spilled dirty pages to the log mid-transaction and read pages back: 177,000 reads
        and 141,000 writes instead of 95,000 and 110,000. The cache grows only as pages are read.

        >>> from graph.store.workspace import WorkspaceStore
        >>> store = WorkspaceStore.open(":memory:")
        >>> with store.scattered_cache():
        ...     store.conn.execute("PRAGMA cache_size").fetchone()
        (-262144,)
        >>> store.conn.execute("PRAGMA cache_size").fetchone()
        (-65536,)
        """
        with self.pragma_during("cache_size", SCATTERED_CACHE):
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
        >>> from graph.store.workspace import WorkspaceStore
        >>> with tempfile.TemporaryDirectory() as folder:
        ...     store = WorkspaceStore.open(Path(folder) / "graph.sqlite")
        ...     with store.mapped_reads():
        ...         during = store.conn.execute("PRAGMA mmap_size").fetchone()[0]
        ...     after = store.conn.execute("PRAGMA mmap_size").fetchone()[0]
        ...     store.close()
        >>> during > 0, after
        (True, 0)
        """
        with self.pragma_during("mmap_size", MAPPED):
            yield

    @contextmanager
    def pragma_during(self, name: str, during: int | str) -> Iterator[None]:
        """SQLite's setting ``name`` at ``during`` for the block, back at what it was before once it
        ends (also when it raises; inside an outer block, the outer block's value): the one shape of
        ``waiting_long``, ``sorting_on_disk``, ``scattered_cache``, ``mapped_reads`` and a load's page
        cache. Names and values are this module's constants, never user input.

        >>> from graph.store.workspace import WorkspaceStore
        >>> store = WorkspaceStore.open(":memory:")
        >>> with store.pragma_during("cache_size", -1024):
        ...     store.conn.execute("PRAGMA cache_size").fetchone()
        (-1024,)
        >>> store.conn.execute("PRAGMA cache_size").fetchone()
        (-65536,)
        """
        (before,) = self.conn.execute(f"PRAGMA {name}").fetchone()
        self.conn.execute(f"PRAGMA {name} = {during}")
        try:
            yield
        finally:
            self.conn.execute(f"PRAGMA {name} = {before}")

    def _begin(self) -> None:
        """``BEGIN IMMEDIATE``, waiting the connection's busy timeout for another writer; a wait in
        vain (another process loading, unloading, or merging every dataset again for longer) raises
        StoreUnavailable saying so and what to do, not sqlite3's "database is locked"."""
        try:
            self.conn.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as exc:
            held = held_elsewhere(self.conn, exc)
            if held is None:
                raise
            raise held from None

    @contextmanager
    def transaction(self) -> Iterator[Self]:
        """One atomic write: every ``write`` and ``delete`` inside joins it, all of it or none of it.

        A loader writes the graph's rows and its own bookkeeping (in its own tables of
        ``self.conn``) in one transaction this way; nested uses join the outer one.

        >>> from graph.model import Node
        >>> from graph.store.workspace import WorkspaceStore
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
            self._flush_terms()
            if self._analyse:
                # The planner's statistics go in with the rows they describe (one commit, and no
                # second write left in the log after it).
                self._analyse = False
                self.conn.execute(f"PRAGMA analysis_limit = {ANALYSIS_LIMIT}")
                self.conn.execute("ANALYZE")
            self.conn.execute("COMMIT")
        except BaseException:
            # A failure anywhere, ANALYZE and COMMIT too, lets the file go (a COMMIT that failed
            # may have rolled back already): else the connection stayed in a write transaction
            # and held the file against every other process.
            self._analyse = False
            self._pending_terms.clear()
            if self.conn.in_transaction:
                self.conn.execute("ROLLBACK")
            raise
        finally:
            self._in_transaction = False
            self._vocab = None  # this connection's commits do not change its data_version

    def _flush_terms(self, terms: Counter[str] | None = None) -> None:
        """Add word counts to the vocabulary (``terms``; negative: words taken out), with those the
        transaction's bulk inserts still hold (``_pending_terms``), each word in one statement. A
        word no node carries any more leaves the vocabulary, as a write of the same nodes from
        scratch never puts it in."""
        if self._pending_terms:
            pending, self._pending_terms = self._pending_terms, Counter()
            if terms is not None:
                pending.update(terms)  # adds (a Counter's update keeps negative counts)
            terms = pending
        if not terms:
            return
        changed = sorted((t, n) for t, n in terms.items() if n)
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
