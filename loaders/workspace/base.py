"""The workspace's folder, its connection, and the hashes of the files its graph was merged from."""

from __future__ import annotations

import sqlite3
from abc import ABC, abstractmethod
from collections.abc import Callable
from contextlib import AbstractContextManager
from pathlib import Path
from typing import TYPE_CHECKING

from graph.store.workspace import WorkspaceStore
from loaders.cache import files_digest
from loaders.workspace.folders import RESOLUTIONS, data_dir, workspace_dir
from loaders.workspace.tables import _BASE_DIGEST, _JUDGED_DIGEST, _meta

if TYPE_CHECKING:
    from loaders.resolve import Judgement
    from loaders.workspace.remerge import Remerge

# The readers and the resolver are imported where used: a command over the curated
# graph (``ordergraph affects``) starts without loading any of them.


class WorkspaceBase(ABC):
    """A workspace folder and its store, which the facade (:class:`~loaders.workspace.opening.Workspace`)
    opens."""

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
        # Told, in a sentence, when another process holds the workspace lock (recording a decision,
        # merging every dataset again) and this one waits for it to finish, what that process does;
        # and when opening brings the file to this schema, which at a million nodes takes a minute
        # (graph.store.workspace's upgrade: before, and how long after). None: a note on stderr.
        self.waiting = waiting
        self._store: WorkspaceStore | None = None
        # While a delta merges: its load number and the places of the records it replaces (each
        # ``place(rank, idx)``: a rank may be shared by origins, loaders/workspace/skips.py), which
        # stay in ``given`` until its new records are written (``_replace_given``) but are read
        # as gone.
        self._replacing: tuple[int, frozenset[int]] | None = None

    @abstractmethod
    def store(self) -> WorkspaceStore:
        """The merged graph in its file (the facade opens it, and brings it up to date)."""

    def _locked(self, doing: str) -> AbstractContextManager[None]:
        """The workspace lock, held while ``doing`` (a phrase: :meth:`_remerging`, or
        :func:`loaders.files.recording_decision`), which a process waiting for it tells its user.

        The lock is the one on the folder of the workspace's resolutions.yaml
        (:func:`loaders.files.locked`): one decision recorded, or one re-merge, at a time.
        """
        from loaders.files import locked

        return locked(self.folder / RESOLUTIONS, self.waiting, doing)

    def _remerging(self, why: str) -> str:
        """What a process merging every dataset again holds the workspace lock for, e.g. ``merging
        every dataset of ws again (the curated data changed since this workspace was built)``."""
        return f"merging every dataset of {self.folder} again ({why})"

    @property
    def conn(self) -> sqlite3.Connection:
        return self.store().conn

    def close(self) -> None:
        if self._store is not None:
            self._store.close()
            self._store = None

    def _data_folder(self) -> Path:
        return data_dir(str(self.data)) if self.data is not None else data_dir()

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

    def judgements(self) -> list[Judgement]:
        """Decisions from the curated data's resolutions.yaml and from this workspace's own."""
        from loaders.resolve import read_judgements

        curated = data_dir(str(self.data) if self.data is not None else None) / RESOLUTIONS
        return [*read_judgements(curated), *read_judgements(self.folder / RESOLUTIONS)]
