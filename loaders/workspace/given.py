"""A record a dataset gave, as the bookkeeping keeps it, and merging records one at a time."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from itertools import islice
from typing import TYPE_CHECKING, Any, TypeVar

from graph.errors import LoadError
from graph.model import Edge, Node, edge_endpoints
from loaders.records import Record

if TYPE_CHECKING:
    from loaders.records import Row
    from loaders.resolve import Merger

# The readers and the resolver are imported where used: a command over the curated
# graph (``ordergraph affects``) starts without loading any of them.


T = TypeVar("T")


@dataclass
class _Given:
    """One record a dataset gave, and the row of the graph it went into.

    The record is a model, or (a delta's plain node, ``loaders/delta.py``) the document its model
    would dump.
    """

    rank: int
    idx: int
    record: Record | Row
    target: str
    # The record went into a new row as it is: its document is the row's (``given.doc`` NULL).
    as_row: bool = False

    @property
    def is_edge(self) -> bool:
        record = self.record
        return isinstance(record.item, Edge) if isinstance(record, Record) else record.is_edge

    @property
    def own(self) -> str:
        """The record's own id (of the node or edge it stands for)."""
        record = self.record
        return record.item.id if isinstance(record, Record) else str(record.doc["id"])

    @property
    def line(self) -> int | None:
        # A plain row keeps no line, as the records a delta merges (``row_record``) and a load's rows.
        return self.record.line if isinstance(self.record, Record) else None

    def document(self) -> str:
        record = self.record
        if isinstance(record, Record):
            return record.item.model_dump_json()
        return record.text if record.text is not None else _json(record.doc)

    def seen(self) -> Iterator[tuple[str | None, str | None]]:
        """The first and last seen dates of its provenance."""
        record = self.record
        if isinstance(record, Record):
            yield from ((p.first_seen, p.last_seen) for p in record.item.provenance)
        else:
            yield from ((p["first_seen"], p["last_seen"]) for p in record.doc["provenance"])


def _json(doc: dict[str, Any]) -> str:
    import orjson

    return orjson.dumps(doc).decode()


@dataclass(frozen=True, slots=True)
class _Stored:
    """A record in ``given`` that a delta replaces: where it stands in its origin's rank, and its keys."""

    idx: int
    is_edge: bool
    target: str
    own: str | None
    origin: str


def _seen(given: list[_Given]) -> tuple[str | None, str | None]:
    """The earliest first_seen and latest last_seen of the records' provenance."""
    dates = [seen for g in given for seen in g.seen()]
    firsts = [first for first, _ in dates if first]
    lasts = [last for _, last in dates if last]
    return (min(firsts) if firsts else None, max(lasts) if lasts else None)


def _batches(items: Iterable[T], size: int) -> Iterator[list[T]]:
    """``items`` in lists of ``size`` (the last one shorter)."""
    it = iter(items)
    while batch := list(islice(it, size)):
        yield batch


def _record(origin: str, is_edge: int, line: int | None, doc: str) -> Record:
    item: Node | Edge = Edge.model_validate_json(doc) if is_edge else Node.model_validate_json(doc)
    return Record(origin, item, line)


def _merge(
    merger: Merger,
    records: Iterable[Record],
    path: str,
    ranks: dict[str, int],
    next_rank: int,
    progress: Callable[[int], None] | None,
    next_idx: int = 0,
    aside: list[tuple[str, str]] | None = None,
) -> Iterator[_Given]:
    """Merge records in order, each given as it is merged; each keeps its origin's rank (a new
    origin: the next one).

    With ``aside``, an edge with an end no dataset gives is not merged but listed there as
    ``(edge id, missing node)`` (a link set aside, merging every dataset again after an unload).
    """
    for idx, record in enumerate(records, start=next_idx):
        target = _apply(merger, record, path, aside)
        rank = ranks.get(record.origin)
        if rank is None:
            rank = ranks[record.origin] = next_rank
            next_rank += 1
        yield _Given(rank, idx, record, target)
        if progress is not None and record.line is not None:
            progress(record.line)


def _apply(merger: Merger, record: Record, path: str, aside: list[tuple[str, str]] | None = None) -> str:
    """Merge one record, checking what joins what against the schema; the id of the row it went into."""
    item = record.item
    if isinstance(item, Node):
        return merger.node(item).id
    source, target = merger.graph_id(item.source), merger.graph_id(item.target)
    ends = [merger.get_node(source), merger.get_node(target)]
    if aside is not None and None in ends:
        moved = merger.moved(item)
        aside += [(moved.id, end) for end, node in zip((source, target), ends, strict=True) if node is None]
        return moved.id
    where = f"{item.kind} {item.id}"
    for end, node in zip((source, target), ends, strict=True):
        if node is None:
            raise LoadError(path, record.line, where, f"unknown node {end!r}")
    allowed_source, allowed_target = edge_endpoints(item.kind)
    kinds = [n.kind for n in ends if n is not None]
    if kinds[0] not in allowed_source or kinds[1] not in allowed_target:
        raise LoadError(path, record.line, where, f"{item.kind} cannot join {kinds[0]} → {kinds[1]}")
    return merger.edge(item).id
