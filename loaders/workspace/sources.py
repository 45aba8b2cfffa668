"""A source file loaded into the workspace by its format, and FtM deltas."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from graph.errors import LoadError
from graph.store.base import GraphStore
from loaders.records import Record
from loaders.workspace.datasets import DatasetInfo
from loaders.workspace.opening import Workspace

if TYPE_CHECKING:
    from loaders.records import Row

# The readers and the resolver are imported where used: a command over the curated
# graph (``ordergraph affects``) starts without loading any of them.


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
                return workspace.load_rows(
                    worker.rows(),
                    name,
                    fmt,
                    file,
                    progress,
                    worker.counts,
                    worker.left_out,
                    worker.given_late,
                )
        reader = FtmReader(name, file)
        rows = parse_ftm_rows(reader, open_lines(path))
        counts = lambda: (reader.skipped, reader.skipped_links)  # noqa: E731
        return workspace.load_rows(
            rows, name, fmt, file, progress, counts, reader.left_out, reader.given_late
        )
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

        counts = lambda: (reader.skipped, reader.skipped_links)  # noqa: E731
        return workspace.load_rows(
            rows(), dataset, "ftm", file, progress, counts, reader.left_out, reader.given_late
        )
    return workspace.apply_delta(dataset, read_ftm_delta(path), file, progress)
