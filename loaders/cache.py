"""A JSON cache of validated curated datasets, so a command does not parse YAML it parsed before.

Each entry is keyed by a hash of the bytes of every data file and of the code
that reads and validates them (``graph/``, ``loaders/``); change a byte of
either and the entry is never found again. An entry is the dataset's own JSON
(no pickle) and is validated by the models again when read, so a damaged or
hand-edited entry is refused and the folder read afresh, never trusted.

The cache lives in ``$ORDERGRAPH_CACHE`` (``off`` turns it off), else
``$XDG_CACHE_HOME/ordergraph``, else ``~/.cache/ordergraph``; only the most
recent entries are kept. A cache that cannot be written is skipped silently.

>>> import os; os.environ[CACHE_ENV] = "off"
>>> cache_dir() is None
True
>>> del os.environ[CACHE_ENV]
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from pathlib import Path
from typing import Any

from loaders.curated import Dataset, data_files, parse_dataset

CACHE_ENV = "ORDERGRAPH_CACHE"
FORMAT = 1
KEEP = 8  # entries kept: a few data folders (and versions of them) at once
_CODE_ROOTS = ("graph", "loaders")
_ROOT = Path(__file__).resolve().parent.parent


def cache_dir() -> Path | None:
    """Where entries live, or None when the cache is off."""
    chosen = os.environ.get(CACHE_ENV)
    if chosen is not None:
        return None if chosen.strip().lower() in ("", "off", "0", "no") else Path(chosen)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "ordergraph"


def _code_files() -> list[Path]:
    found = (p for root in _CODE_ROOTS for p in (_ROOT / root).rglob("*") if p.suffix in (".py", ".yaml"))
    return sorted(found)


def dataset_key(files: list[Path]) -> str:
    """A hash of the data files (names and bytes) and of the code that validates them."""
    digest = hashlib.blake2b(f"ordergraph-dataset-{FORMAT}".encode(), digest_size=20)
    for group in (_code_files(), files):
        for path in group:
            data = path.read_bytes()
            digest.update(f"\0{path.name}\0{len(data)}\0".encode())
            digest.update(data)
    return digest.hexdigest()


def _read(entry: Path) -> Dataset | None:
    from pydantic import TypeAdapter, ValidationError

    from graph.model import Edge, Node

    try:
        raw: Any = json.loads(entry.read_bytes())
        if not isinstance(raw, dict) or raw.get("format") != FORMAT:
            return None
        nodes = TypeAdapter(list[Node]).validate_python(raw["nodes"])
        edges = TypeAdapter(list[Edge]).validate_python(raw["edges"])
    except (OSError, ValueError, KeyError, ValidationError):
        return None
    return Dataset(nodes=nodes, edges=edges)


def _write(where: Path, entry: Path, dataset: Dataset) -> None:
    payload = {
        "format": FORMAT,
        "nodes": [n.model_dump(mode="json") for n in dataset.nodes],
        "edges": [e.model_dump(mode="json") for e in dataset.edges],
    }
    try:
        where.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile("w", dir=where, suffix=".tmp", delete=False, encoding="utf-8") as f:
            json.dump(payload, f, ensure_ascii=False)
        os.replace(f.name, entry)
        entries = sorted(where.glob("*.json"), key=lambda p: p.stat().st_mtime, reverse=True)
        for old in entries[KEEP:]:
            old.unlink(missing_ok=True)
    except OSError:
        return


def read_dataset_cached(folder: str | Path) -> Dataset:
    """``read_dataset(folder)``, from the cache when the files and code are unchanged.

    Raises exactly what ``read_dataset`` raises for a bad folder or file: only
    valid datasets are ever cached.
    """
    files = data_files(folder)
    where = cache_dir()
    if where is None:
        return parse_dataset(files)
    try:
        entry = where / f"{dataset_key(files)}.json"
    except OSError:  # an unreadable file: let the loader say which, and why
        return parse_dataset(files)
    cached = _read(entry)
    if cached is not None:
        return cached
    dataset = parse_dataset(files)
    _write(where, entry, dataset)
    return dataset
