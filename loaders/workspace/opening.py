"""The workspace facade: opening its store, with the curated base, and bringing it up to date."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from pathlib import Path

from graph.model import CURATED
from graph.store.memory import MemoryStore
from graph.store.workspace import WorkspaceStore, held_elsewhere
from loaders.cache import read_dataset_cached
from loaders.files import note_on_stderr
from loaders.records import Record
from loaders.workspace.folders import (
    DATABASE,
    RESOLUTIONS,
    _data_digest,
    data_dir,
    load_memory_store,
    rules_only,
    why_merged_again,
    workspace_exists,
)
from loaders.workspace.given import _Given
from loaders.workspace.judging import Judging
from loaders.workspace.remerge import Remerge
from loaders.workspace.tables import (
    _BASE_DIGEST,
    _FOLD_MERGE,
    _INDEXES,
    _TABLES,
    RULES_CHANGED,
    _meta,
    _writing_records,
)
from loaders.workspace.upgrade import _Bookkeeping


class Workspace(Judging):
    """The workspace store and, beside it, what each loaded dataset gave.

    Loads are all-or-nothing: records are resolved against the store, merged and written —
    only the rows they change — in one SQLite transaction with their bookkeeping, which
    commits once the whole file was read without error. What a load holds in memory is the
    graph it changes and a fixed-size batch of records (``loaders.bulk.BATCH``), written as
    it goes, not the file.
    """

    def store(self) -> WorkspaceStore:
        """The merged graph in its file (created, with the curated data as its base, the first time)."""
        store = self._store
        if store is None:
            told = self.waiting or note_on_stderr
            store = self._store = WorkspaceStore.open(
                self.folder / DATABASE, upgrade=_Bookkeeping(), tell=told
            )
            try:
                self._bring_up_to_date(store)
            except sqlite3.OperationalError as exc:
                # Another process held the file longer than this one waited: said as every wait
                # for the file says it (loading, merging again), not in sqlite3's words.
                held = held_elsewhere(store.conn, exc)
                self.close()
                if held is None:
                    raise
                raise held from None
            except BaseException:
                self.close()
                raise
        return store

    def _bring_up_to_date(self, store: WorkspaceStore) -> None:
        """A new workspace given its base (the curated data); an existing one merged again where
        what it was built from changed. Every write here waits for another process's as long as
        the upgrade does (that process may be merging every dataset again too)."""
        store.conn.executescript(_TABLES + ";".join(_INDEXES) + ";")
        if store.conn.execute("SELECT 1 FROM loads WHERE seq = 0").fetchone() is None:
            with store.waiting_long(), store.transaction():
                # Another process creating it too may have written the base meanwhile: look again.
                if store.conn.execute("SELECT 1 FROM loads WHERE seq = 0").fetchone() is None:
                    self._write_base(store)
        else:
            self._refresh_base(store)
            self._merge_folded(store)

    def _refresh_base(self, store: WorkspaceStore) -> None:
        """Every dataset merged again onto the curated data when its files, or the rules its listings'
        sources are judged by, changed since the copy.

        A data folder that is missing or empty leaves the copy as it is (the workspace
        answers without its sources); so does an unchanged one.
        """
        digest = _data_digest(self._data_folder())
        if digest is None or _meta(store.conn, _BASE_DIGEST) == digest:
            if self._judged_stale(store):
                # Another process may be recording a decision (it holds the lock while it writes the
                # file and merges the graph again): wait for it, then look again — its merge may
                # be the one this workspace needed.
                why = f"{self.folder / RESOLUTIONS} changed since this workspace was built"
                with self._locked(self._remerging(why)):
                    if self._judged_stale(store):
                        self._refuse_unrecorded("with the decisions now in resolutions.yaml")
                        self._rebuild(why=why)
            return
        # One re-merge at a time, as a decision's: another process recording one (or merging this
        # edition in) holds the lock; once held, look again — its merge may be the one needed —
        # and only then ask whether merging again would drop rows (asked before waiting, the answer
        # could be stale by the time the lock is held).
        why = why_merged_again(_meta(store.conn, _BASE_DIGEST), digest)
        with self._locked(self._remerging(why)):
            if _meta(store.conn, _BASE_DIGEST) == digest:
                return
            nodes, edges = self._unrecorded()
            if (nodes or edges) and rules_only(_meta(store.conn, _BASE_DIGEST), digest):
                # Only the judging rules changed, and rows streamed without records cannot be merged
                # again: the workspace keeps its listings as judged, and says so once.
                note_on_stderr(
                    f"{nodes:,} nodes and {edges:,} edges here were written without load records (as bench/ "
                    "streams them): merging every dataset again would drop them, so the listings stay "
                    "judged under the earlier rules"
                )
                with store.transaction():
                    self._set_digest(digest)
                return
            self._refuse_unrecorded("onto the new edition of the curated data")
            base = read_dataset_cached(self._data_folder())
            records = [Record(n.id, n) for n in base.nodes] + [Record(e.id, e) for e in base.edges]
            self._rebuild(base=records, digest=digest, why=why)

    def _merge_folded(self, store: WorkspaceStore) -> None:
        """Every dataset merged again, once, after the bookkeeping folded some of its names to
        simplified Chinese characters (5 → 6) or indexed them again under other rules: the graph is
        then the one a load by this version makes. A workspace holding rows no dataset's records
        give (a bench corpus) cannot be merged again: it keeps the graph as it was merged, its name
        indexes folded."""
        conn = store.conn

        def due() -> bool:
            return conn.execute("SELECT 1 FROM meta WHERE key = ?", (_FOLD_MERGE,)).fetchone() is not None

        if not due():
            return
        # Another process opening the file may be merging it again (the app and the CLI opening one
        # old workspace together), or recording a decision: wait for it, holding the workspace lock
        # as every re-merge does, and for the file as for the upgrade; then look again once both are
        # held, and merge again inside that transaction (all or nothing) only if still due.
        why = (
            "names are now matched by this version's rules (which legal forms are set aside, in "
            "Chinese as in Latin script, and how traditional characters are read as simplified)"
            if _meta(conn, _FOLD_MERGE) == RULES_CHANGED
            else "names are now matched across traditional and simplified Chinese characters"
        )
        with (
            self._locked(self._remerging(why)),
            _writing_records(store),
            store.waiting_long(),
            store.transaction(),
        ):
            if not due():
                return
            loaded = conn.execute("SELECT 1 FROM loads WHERE seq > 0 LIMIT 1").fetchone() is not None
            if loaded and self._unrecorded() == (0, 0):
                self._rebuild(why=why, checked=True)
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


def open_store(
    folder: str | Path | None = None,
    data: str | Path | None = None,
    remerging: Callable[[Remerge], None] | None = None,
    waiting: Callable[[str], None] | None = None,
) -> WorkspaceStore | MemoryStore:
    """The graph the faces show: the workspace's store when one exists, else the curated data.

    ``remerging`` is told when opening merges every loaded dataset again (see :class:`Remerge`),
    ``waiting`` when it first waits for another process holding the workspace lock (recording a
    decision, merging every dataset again), in a sentence saying what that process does, and when
    it brings the file to this schema (before, and how long it took).
    """
    if workspace_exists(folder):
        return Workspace(folder, data, remerging, waiting).store()
    return load_memory_store(data)
