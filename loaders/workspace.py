"""Which data is loaded, and building the store from it safely.

A store is built whole from a validated dataset and only then handed out, so
a bad file never leaves a half-loaded graph behind: the caller keeps the store
it had.
"""

from __future__ import annotations

import os
from pathlib import Path

from graph.store.memory import MemoryStore
from loaders.cache import read_dataset_cached

DATA_ENV = "ORDERGRAPH_DATA"
PROJECT_DATA = Path(__file__).resolve().parent.parent / "data"


def data_dir(explicit: str | None = None) -> Path:
    """The curated data folder: ``explicit``, else ``$ORDERGRAPH_DATA``, else the project's ``data/``."""
    chosen = explicit or os.environ.get(DATA_ENV)
    return Path(chosen) if chosen else PROJECT_DATA


def load_memory_store(folder: str | Path | None = None) -> MemoryStore:
    """A new in-memory store holding the whole curated dataset (raises LoadErrors on bad data).

    The validated dataset is cached (see ``loaders.cache``), so an unchanged folder is not parsed again.
    """
    dataset = read_dataset_cached(data_dir(str(folder)) if folder is not None else data_dir())
    return MemoryStore.from_parts(dataset.nodes, dataset.edges)
