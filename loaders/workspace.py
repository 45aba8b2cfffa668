"""Which data is loaded, and building the store from it safely.

A store is built whole from a validated dataset and only then handed out, so
a bad file never leaves a half-loaded graph behind: the caller keeps the store
it had.
"""

from __future__ import annotations

import json
import os
import re
import sqlite3
import sys
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

from graph.errors import LoadError
from graph.model import Edge, Node, edge_endpoints
from graph.store.memory import MemoryStore
from loaders.cache import read_dataset_cached
from loaders.records import Record

if TYPE_CHECKING:
    from loaders.ftm import Change
    from loaders.resolve import Judgement, Merger

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


def load_memory_store(folder: str | Path | None = None) -> MemoryStore:
    """A new in-memory store holding the whole curated dataset (raises LoadErrors on bad data).

    The validated dataset is cached (see ``loaders.cache``), so an unchanged folder is not parsed again.
    """
    dataset = read_dataset_cached(data_dir(str(folder)) if folder is not None else data_dir())
    return MemoryStore.from_parts(dataset.nodes, dataset.edges)


# --- The workspace: sources a user loads, merged with the curated data, kept on disk. ---

HOME_ENV = "ORDERGRAPH_HOME"
DEFAULT_HOME = ".ordergraph"
DATABASE = "workspace.sqlite"
RESOLUTIONS = "resolutions.yaml"

_SCHEMA = """
CREATE TABLE IF NOT EXISTS datasets (
    name TEXT PRIMARY KEY, format TEXT NOT NULL, path TEXT NOT NULL, loaded_at TEXT NOT NULL,
    seq INTEGER NOT NULL, records INTEGER NOT NULL, first_seen TEXT, last_seen TEXT
);
CREATE TABLE IF NOT EXISTS records (
    dataset TEXT NOT NULL, seq INTEGER NOT NULL, origin TEXT NOT NULL, type TEXT NOT NULL, json TEXT NOT NULL,
    PRIMARY KEY (dataset, seq)
);
CREATE TABLE IF NOT EXISTS nodes (
    id TEXT PRIMARY KEY, kind TEXT NOT NULL, name TEXT NOT NULL, json TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS edges (
    id TEXT PRIMARY KEY, kind TEXT NOT NULL, source TEXT NOT NULL, target TEXT NOT NULL, json TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS identifiers (scheme TEXT NOT NULL, value TEXT NOT NULL, node TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS identifiers_by_value ON identifiers (scheme, value);
CREATE INDEX IF NOT EXISTS identifiers_by_node ON identifiers (node);
CREATE INDEX IF NOT EXISTS edges_by_source ON edges (source);
CREATE INDEX IF NOT EXISTS edges_by_target ON edges (target);
"""


def workspace_dir(explicit: str | Path | None = None) -> Path:
    """The workspace folder: ``explicit``, else ``$ORDERGRAPH_HOME``, else ``./.ordergraph``."""
    chosen = explicit or os.environ.get(HOME_ENV)
    return Path(chosen) if chosen else Path.cwd() / DEFAULT_HOME


def workspace_exists(folder: str | Path | None = None) -> bool:
    """Whether a workspace has been created there (by a first ``load``)."""
    return (workspace_dir(folder) / DATABASE).exists()


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


def _record_json(record: Record) -> tuple[str, str]:
    kind = "node" if isinstance(record.item, Node) else "edge"
    return kind, record.item.model_dump_json()


def _record_from(origin: str, kind: str, text: str) -> Record:
    item: Node | Edge = Node.model_validate_json(text) if kind == "node" else Edge.model_validate_json(text)
    return Record(origin, item)


class Workspace:
    """A file database holding the merged graph and, per loaded dataset, the records it gave.

    Loads are all-or-nothing: records are merged into a copy of the graph in memory and
    written in one SQLite transaction only when the whole file was read without error.
    Unloading a dataset, or recording a judgement, rebuilds the graph from the curated
    data and the remaining datasets' records, in load order, so it is exactly the graph
    those sources give.
    """

    def __init__(self, folder: str | Path | None = None, data: str | Path | None = None) -> None:
        self.folder = workspace_dir(folder)
        self.data = data
        self._db: sqlite3.Connection | None = None
        self._store: MemoryStore | None = None

    # -- opening --
    @property
    def db(self) -> sqlite3.Connection:
        if self._db is None:
            self.folder.mkdir(parents=True, exist_ok=True)
            fresh = not (self.folder / DATABASE).exists()
            self._db = sqlite3.connect(self.folder / DATABASE, isolation_level=None)
            self._db.executescript(_SCHEMA)
            if fresh:
                with self._transaction():
                    self._write_graph(self._base(), replace=True)
        return self._db

    def close(self) -> None:
        if self._db is not None:
            self._db.close()
            self._db = None

    @contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        db = self.db
        db.execute("BEGIN IMMEDIATE")
        try:
            yield db
        except BaseException:
            db.execute("ROLLBACK")
            self._store = None
            raise
        db.execute("COMMIT")

    def _base(self) -> MemoryStore:
        return load_memory_store(self.data)

    def store(self) -> MemoryStore:
        """The merged graph, read from the database (not from the sources)."""
        if self._store is None:
            store = MemoryStore()
            for (text,) in self.db.execute("SELECT json FROM nodes"):
                store.add_node(Node.model_validate_json(text))
            for (text,) in self.db.execute("SELECT json FROM edges"):
                store.add_edge(Edge.model_validate_json(text))
            self._store = store
        return self._store

    # -- reading --
    def judgements(self) -> list[Judgement]:
        """Decisions from the curated data's resolutions.yaml and from this workspace's own."""
        from loaders.resolve import read_judgements

        curated = data_dir(str(self.data) if self.data is not None else None) / RESOLUTIONS
        return [*read_judgements(curated), *read_judgements(self.folder / RESOLUTIONS)]

    def datasets(self) -> list[DatasetInfo]:
        """The loaded datasets in load order, with what each gave."""
        out = []
        rows = self.db.execute(
            "SELECT name, format, path, loaded_at, records, first_seen, last_seen FROM datasets ORDER BY seq"
        ).fetchall()
        counts: dict[str, tuple[int, int]] = {}
        for node in self.store().nodes():
            for name in node.datasets:
                n, e = counts.get(name, (0, 0))
                counts[name] = (n + 1, e)
        for edge in self.store().edges():
            for name in edge.datasets:
                n, e = counts.get(name, (0, 0))
                counts[name] = (n, e + 1)
        for name, fmt, path, loaded_at, records, first_seen, last_seen in rows:
            nodes, edges = counts.get(name, (0, 0))
            out.append(DatasetInfo(name, fmt, path, loaded_at, records, nodes, edges, first_seen, last_seen))
        return out

    def records(self, dataset: str) -> list[Record]:
        """The records a dataset gave, in the order it gave them."""
        rows = self.db.execute(
            "SELECT origin, type, json FROM records WHERE dataset = ? ORDER BY seq", (dataset,)
        ).fetchall()
        return [_record_from(origin, kind, text) for origin, kind, text in rows]

    def has(self, dataset: str) -> bool:
        return self.db.execute("SELECT 1 FROM datasets WHERE name = ?", (dataset,)).fetchone() is not None

    # -- writing --
    def load(
        self,
        records: Iterable[Record],
        dataset: str,
        fmt: str,
        path: str,
        progress: Callable[[int], None] | None = None,
    ) -> DatasetInfo:
        """Merge a new dataset's records into the graph, all or nothing."""
        if self.has(dataset):
            raise LoadError(
                path, None, "--dataset", f"dataset {dataset!r} is already loaded; unload it first"
            )
        from loaders.resolve import Merger, Resolver

        store = _copy(self.store())
        merger = Merger(store, Resolver(store, self.judgements()))
        kept: list[Record] = []
        for record in records:
            _apply(merger, record, path)
            kept.append(record)
            if progress is not None:
                progress(len(kept))
        with self._transaction():
            self._write_dataset(dataset, fmt, path, kept)
            self._write_changes(merger)
        self._store = store
        return next(d for d in self.datasets() if d.name == dataset)

    def replace_records(self, dataset: str, fmt: str, path: str, records: list[Record]) -> None:
        """Give a loaded dataset new records (a delta applied) and rebuild the graph."""
        self._rebuild(replace={dataset: (fmt, path, records)})

    def unload(self, dataset: str) -> None:
        """Remove a dataset and everything only it gave; the graph is rebuilt without it."""
        if not self.has(dataset):
            known = ", ".join(d.name for d in self.datasets()) or "none"
            raise LoadError(dataset, None, None, f"no dataset {dataset!r} is loaded (loaded: {known})")
        self._rebuild(drop=dataset)

    def judge(self, judgement: Judgement) -> None:
        """Record a person's decision and rebuild the graph with it."""
        from loaders.resolve import judgement_yaml, read_judgements

        for node_id in (judgement.a, judgement.b):
            if self.store().get_node(node_id) is None:
                raise LoadError(str(self.folder / RESOLUTIONS), None, None, f"unknown node {node_id!r}")
        file = self.folder / RESOLUTIONS
        before = file.read_text(encoding="utf-8") if file.exists() else None
        existing = read_judgements(file)
        kept = [j for j in existing if j.pair != judgement.pair]
        doc = {"judgements": [judgement_yaml(j) for j in [*kept, judgement]]}
        file.write_text(yaml.safe_dump(doc, sort_keys=False, allow_unicode=True), encoding="utf-8")
        try:
            self._rebuild()
        except BaseException:
            if before is None:
                file.unlink()
            else:
                file.write_text(before, encoding="utf-8")
            raise

    def _rebuild(
        self, drop: str | None = None, replace: dict[str, tuple[str, str, list[Record]]] | None = None
    ) -> None:
        replace = replace or {}
        from loaders.resolve import Merger, Resolver

        store = self._base()
        merger = Merger(store, Resolver(store, self.judgements()))
        rows = self.db.execute("SELECT name, format, path FROM datasets ORDER BY seq").fetchall()
        for name, _fmt, path in rows:
            if name == drop:
                continue
            records = replace[name][2] if name in replace else self.records(name)
            for record in records:
                _apply(merger, record, path)
        with self._transaction() as db:
            if drop is not None:
                db.execute("DELETE FROM records WHERE dataset = ?", (drop,))
                db.execute("DELETE FROM datasets WHERE name = ?", (drop,))
            for name, (fmt, path, records) in replace.items():
                db.execute("DELETE FROM records WHERE dataset = ?", (name,))
                db.execute("DELETE FROM datasets WHERE name = ?", (name,))
                self._write_dataset(name, fmt, path, records)
            self._write_graph(store, replace=True)
        self._store = store

    def _write_dataset(self, dataset: str, fmt: str, path: str, records: list[Record]) -> None:
        seq = self.db.execute("SELECT COALESCE(MAX(seq), 0) + 1 FROM datasets").fetchone()[0]
        firsts = [p.first_seen for r in records for p in r.item.provenance if p.first_seen]
        lasts = [p.last_seen for r in records for p in r.item.provenance if p.last_seen]
        self.db.execute(
            "INSERT INTO datasets VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (
                dataset,
                fmt,
                path,
                datetime.now(UTC).isoformat(timespec="seconds"),
                seq,
                len(records),
                min(firsts) if firsts else None,
                max(lasts) if lasts else None,
            ),
        )
        self.db.executemany(
            "INSERT INTO records VALUES (?, ?, ?, ?, ?)",
            ((dataset, i, r.origin, *_record_json(r)) for i, r in enumerate(records)),
        )

    def _write_changes(self, merger: Merger) -> None:
        self._write_nodes(merger.nodes.values())
        self._write_edges(merger.edges.values())

    def _write_graph(self, store: MemoryStore, replace: bool) -> None:
        if replace:
            for table in ("nodes", "edges", "identifiers"):
                self.db.execute(f"DELETE FROM {table}")  # noqa: S608 - fixed table names
        self._write_nodes(store.nodes())
        self._write_edges(store.edges())

    def _write_nodes(self, nodes: Iterable[Node]) -> None:
        rows = [(n.id, n.kind, n.name, n.model_dump_json()) for n in nodes]
        self.db.executemany("INSERT OR REPLACE INTO nodes VALUES (?, ?, ?, ?)", rows)
        self.db.executemany("DELETE FROM identifiers WHERE node = ?", ((row[0],) for row in rows))
        self.db.executemany(
            "INSERT INTO identifiers VALUES (?, ?, ?)",
            (
                (scheme, value, node_id)
                for node_id, _kind, _name, text in rows
                for scheme, values in json.loads(text)["identifiers"].items()
                for value in values
            ),
        )

    def _write_edges(self, edges: Iterable[Edge]) -> None:
        self.db.executemany(
            "INSERT OR REPLACE INTO edges VALUES (?, ?, ?, ?, ?)",
            ((e.id, e.kind, e.source, e.target, e.model_dump_json()) for e in edges),
        )


def _copy(store: MemoryStore) -> MemoryStore:
    return MemoryStore.from_parts(store.nodes(), store.edges())


def _apply(merger: Merger, record: Record, path: str) -> None:
    """Merge one record, checking what joins what against the schema."""
    item = record.item
    if isinstance(item, Node):
        merger.node(item)
        return
    source = merger.renamed.get(item.source, item.source)
    target = merger.renamed.get(item.target, item.target)
    ends = [merger.store.get_node(source), merger.store.get_node(target)]
    where = f"{item.kind} {item.id}"
    for end, node in zip((source, target), ends, strict=True):
        if node is None:
            raise LoadError(path, record.line, where, f"unknown node {end!r}")
    allowed_source, allowed_target = edge_endpoints(item.kind)
    kinds = [n.kind for n in ends if n is not None]
    if kinds[0] not in allowed_source or kinds[1] not in allowed_target:
        raise LoadError(path, record.line, where, f"{item.kind} cannot join {kinds[0]} → {kinds[1]}")
    merger.edge(item)


def open_store(folder: str | Path | None = None, data: str | Path | None = None) -> MemoryStore:
    """The graph the faces show: the workspace's when one exists, else the curated data."""
    if workspace_exists(folder):
        return Workspace(folder, data).store()
    return load_memory_store(data)


FORMATS = ("ftm", "ftm-delta", "fedreg", "ofac", "article")


def default_dataset(path: str | Path, fmt: str) -> str:
    """A dataset name from a file name: ``entities.ftm.json`` → ``entities-ftm``."""
    p = Path(path)
    stem = p.name if p.is_dir() else p.name.split(".json")[0].split(".csv")[0].split(".txt")[0]
    slug = "-".join(re.findall(r"[a-z0-9]+", stem.lower().replace(".", "-"))) or fmt
    return slug if slug[0].isalnum() else f"{fmt}-{slug}"


def _programs(store: MemoryStore) -> dict[str, str]:
    return {
        code: node.id for node in store.nodes("SanctionsList") for code in node.identifiers.get("program", [])
    }


def _ftm_ids(records: Iterable[Record]) -> dict[str, str]:
    return {
        ftm_id: record.item.id
        for record in records
        if isinstance(record.item, Node)
        for ftm_id in record.item.identifiers.get("ftm_id", [])
    }


def load_path(
    workspace: Workspace,
    path: str | Path,
    fmt: str,
    dataset: str | None = None,
    progress: Callable[[int], None] | None = None,
    **options: Any,
) -> DatasetInfo:
    """Load one source file into the workspace, all or nothing (``options`` for articles: url, title…)."""
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
        from loaders.ftm import read_ftm

        records: Iterable[Record] = read_ftm(path, name)
    elif fmt == "fedreg":
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


_DATASET_RE = re.compile(r"^[a-z0-9][a-z0-9_.-]*$")


def apply_ftm_delta(
    workspace: Workspace, path: str | Path, dataset: str, progress: Callable[[int], None] | None = None
) -> DatasetInfo:
    """Apply an FtM delta file to a loaded FtM dataset (or start one): ADD, MOD and DEL in order."""
    from loaders.ftm import read_ftm_delta

    file = str(path)
    if not workspace.has(dataset):
        changes = list(read_ftm_delta(path))
        for change in changes:
            if change.op != "ADD":
                raise LoadError(file, change.line, "op", f"{change.op} of {change.entity_id!r}: not loaded")
        reader_records = _delta_records([], changes, dataset, file)
        return workspace.load(reader_records, dataset, "ftm", file, progress)
    records = workspace.records(dataset)
    new = _delta_records(records, list(read_ftm_delta(path)), dataset, file)
    workspace.replace_records(dataset, "ftm", file, new)
    return next(d for d in workspace.datasets() if d.name == dataset)


def _delta_records(records: list[Record], changes: list[Change], dataset: str, file: str) -> list[Record]:
    from loaders.ftm import FtmReader

    by_origin: dict[str, list[Record]] = {}
    for record in records:
        by_origin.setdefault(record.origin, []).append(record)
    reader = FtmReader(dataset, file, _ftm_ids(records))
    reader.lists_given = {
        origin.removeprefix("program:") for origin in by_origin if origin.startswith("program:")
    }

    def take(emitted: Iterable[Record]) -> None:
        for record in emitted:
            by_origin.setdefault(record.origin, []).append(record)

    for change in changes:
        if change.op == "DEL":
            # An entity that gave no records (an Address, say) has nothing to delete.
            by_origin.pop(change.entity_id, None)
            continue
        by_origin[change.entity_id] = []
        take(reader.entity(change.entity, change.line))
    take(reader.ready(final=True))
    return [record for group in by_origin.values() for record in group]
