"""A JSON cache of validated curated datasets, so a command does not parse YAML it parsed before.

Each entry is keyed by a hash of the bytes of every data file, of the code
that reads and validates them (``graph/``, ``loaders/``) and of the OpenCC
table names are folded by; change a byte of any and the entry is never found
again. Only a dataset that passed every check of ``loaders.curated`` is ever
written, so a hit is not validated again: its models are rebuilt with
``model_construct`` and no pydantic schema is built on this path (that is most
of a command's start-up). An entry is one line of
header (format, and a hash of the body) and the dataset's own JSON (no pickle);
a damaged or hand-edited body fails the hash and the folder is read afresh.

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
from collections.abc import Sequence
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel

from graph.model import Edge, Node, Provenance, Source, nested_models
from graph.names import rules_version
from loaders.curated import Dataset, data_files, parse_dataset

CACHE_ENV = "ORDERGRAPH_CACHE"
FORMAT = 3  # 3: a header line with the body's hash; models rebuilt without validation
KEEP = 8  # entries kept: a few data folders (and versions of them) at once
M = TypeVar("M", bound=BaseModel)
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


def files_digest(salt: str, *groups: list[Path]) -> str:
    """A hash of some files' names and bytes, in the order given, under ``salt``."""
    digest = hashlib.blake2b(salt.encode(), digest_size=20)
    for group in groups:
        for path in group:
            data = path.read_bytes()
            digest.update(f"\0{path.name}\0{len(data)}\0".encode())
            digest.update(data)
    return digest.hexdigest()


def dataset_key(files: list[Path]) -> str:
    """A hash of the data files (names and bytes), of the code that validates them, and of the
    rules names are normalised by (:func:`graph.names.rules_version`: the OpenCC table, a new
    opencc-purepy's, and the legal forms set aside)."""
    return files_digest(f"ordergraph-dataset-{FORMAT}-{rules_version()}", _code_files(), files)


def _body_hash(body: bytes) -> str:
    return hashlib.blake2b(body, digest_size=20).hexdigest()


# Models written once in a table and referred to by index: most edges cite the same few documents.
_INTERNED: tuple[type[BaseModel], ...] = (Source, Provenance)


class _Interned:
    """Equal models written once; ``refs`` gives their indexes in ``rows``."""

    def __init__(self) -> None:
        self.rows: list[dict[str, Any]] = []
        self._index: dict[str, int] = {}

    def refs(self, models: Sequence[BaseModel]) -> list[int]:
        out = []
        for model in models:
            row = model.model_dump(mode="json")
            key = json.dumps(row, sort_keys=True, ensure_ascii=False)
            if key not in self._index:
                self._index[key] = len(self.rows)
                self.rows.append(row)
            out.append(self._index[key])
        return out


def _dump(dataset: Dataset) -> dict[str, Any]:
    tables = {cls.__name__: _Interned() for cls in _INTERNED}

    def dump(model: BaseModel) -> dict[str, Any]:
        row = model.model_dump(mode="json")
        for name, nested in nested_models(type(model)).items():
            items = getattr(model, name)
            interned = nested in _INTERNED
            row[name] = tables[nested.__name__].refs(items) if interned else [dump(m) for m in items]
        return row

    return {
        "tables": {name: table.rows for name, table in tables.items()},
        "nodes": [dump(n) for n in dataset.nodes],
        "edges": [dump(e) for e in dataset.edges],
    }


def _load(raw: dict[str, Any]) -> Dataset:
    """The dataset ``_dump`` wrote, rebuilt without validation (equal interned models shared, not copied)."""
    tables = {cls: [cls.model_construct(**row) for row in raw["tables"][cls.__name__]] for cls in _INTERNED}

    def build(cls: type[M], row: dict[str, Any]) -> M:
        values = dict(row)
        for name, nested in nested_models(cls).items():
            if nested in _INTERNED:
                values[name] = [tables[nested][i] for i in values[name]]
            else:
                values[name] = [build(nested, r) for r in values[name]]
        return cls.model_construct(**values)

    return Dataset(nodes=[build(Node, r) for r in raw["nodes"]], edges=[build(Edge, r) for r in raw["edges"]])


def _read(entry: Path) -> Dataset | None:
    try:
        header, _, body = entry.read_bytes().partition(b"\n")
        meta: Any = json.loads(header)
        if not isinstance(meta, dict) or meta.get("format") != FORMAT or meta.get("body") != _body_hash(body):
            return None
        return _load(json.loads(body))
    except (OSError, ValueError, KeyError, IndexError, TypeError, AttributeError):
        return None


def write_entry(entry: Path, dataset: Dataset) -> None:
    """Write ``dataset`` (which must have passed validation) as the cache entry ``entry``.

    Raises OSError when it cannot be written; the previous entry, if any, is replaced whole.
    """
    payload = _dump(dataset)
    # A model this file does not know how to rebuild (a new nested field) must not come back different.
    again = _load(json.loads(json.dumps(payload)))
    if again.nodes != dataset.nodes or again.edges != dataset.edges:
        raise OSError("the cache cannot rebuild this dataset exactly: not written")
    body = json.dumps(payload, ensure_ascii=False).encode()
    header = json.dumps({"format": FORMAT, "body": _body_hash(body)}).encode()
    entry.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile("wb", dir=entry.parent, suffix=".tmp", delete=False) as f:
        f.write(header + b"\n" + body)
    os.replace(f.name, entry)


def _write(where: Path, entry: Path, dataset: Dataset) -> None:
    try:
        write_entry(entry, dataset)
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
