"""Where the curated data and the workspace live, and the curated graph in memory."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from graph.errors import LoadError
from graph.store.memory import MemoryStore
from loaders.cache import files_digest, read_dataset_cached

# The readers and the resolver are imported where used: a command over the curated
# graph (``ordergraph affects``) starts without loading any of them.


DATA_ENV = "ORDERGRAPH_DATA"
_SOURCE_DATA = Path(__file__).resolve().parents[2] / "data"  # a checkout (or an editable install)
_INSTALLED_DATA = Path(sys.prefix) / "share" / "ordergraph" / "data"  # `pip install .`
PROJECT_DATA = _SOURCE_DATA if _SOURCE_DATA.is_dir() or not _INSTALLED_DATA.is_dir() else _INSTALLED_DATA


def data_dir(explicit: str | None = None) -> Path:
    """The curated data folder: ``explicit``, else ``$ORDERGRAPH_DATA``, else the project's ``data/``."""
    chosen = explicit or os.environ.get(DATA_ENV)
    return Path(chosen) if chosen else PROJECT_DATA


def _data_digest(folder: Path) -> str | None:
    """A hash of a curated data folder's files (names and bytes), then "/" and the number of the rules
    its listings' sources are judged by (:data:`graph.naming.JUDGING_RULES`): a workspace built on
    other files or under other rules merges its datasets again; None when the folder has no files."""
    from graph import naming
    from loaders.curated import data_files

    try:
        files = data_files(folder)
    except LoadError:
        return None
    return f"{files_digest('ordergraph-curated', files)}/{naming.JUDGING_RULES}"


def rules_only(built: str | None, digest: str) -> bool:
    """Whether a base built at digest ``built`` differs from ``digest`` (:func:`_data_digest`) only
    by the rules its listings' sources are judged by: the same files."""
    return built is not None and built.split("/")[0] == digest.split("/")[0]


def why_merged_again(built: str | None, digest: str) -> str:
    """Why a workspace whose base was built at digest ``built`` merges again onto ``digest``
    (:func:`_data_digest`): its files changed, or only the rules that judge their listings' sources
    (a digest without a rules number was written before rules 2).

    >>> why_merged_again("abc/1", "abc/2")[:59]
    "the rules that judge which of a listing's sources name the "
    >>> why_merged_again("abc", "def/2")
    'the curated data changed since this workspace was built'
    """
    if rules_only(built, digest):
        return (
            "the rules that judge which of a listing's sources name the company changed since this "
            "workspace was built"
        )
    return "the curated data changed since this workspace was built"


def load_memory_store(folder: str | Path | None = None) -> MemoryStore:
    """A new in-memory store holding the whole curated dataset (raises LoadErrors on bad data).

    The validated dataset is cached (see ``loaders.cache``), so an unchanged folder is not parsed again.
    """
    dataset = read_dataset_cached(data_dir(str(folder)) if folder is not None else data_dir())
    return MemoryStore.from_parts(dataset.nodes, dataset.edges)


HOME_ENV = "ORDERGRAPH_HOME"
DEFAULT_HOME = ".ordergraph"
DATABASE = "graph.sqlite"
RESOLUTIONS = "resolutions.yaml"


def workspace_dir(explicit: str | Path | None = None) -> Path:
    """The workspace folder: ``explicit``, else ``$ORDERGRAPH_HOME``, else ``./.ordergraph``."""
    chosen = explicit or os.environ.get(HOME_ENV)
    return Path(chosen) if chosen else Path.cwd() / DEFAULT_HOME


def workspace_exists(folder: str | Path | None = None) -> bool:
    """Whether a workspace has been created there (by a first ``load``)."""
    return (workspace_dir(folder) / DATABASE).exists()
