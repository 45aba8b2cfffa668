"""How a node or edge is kept in its row: its columns, its JSON read back, ids as one parameter."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from functools import lru_cache
from typing import Any, NamedTuple, TypeVar

import orjson
from pydantic import BaseModel

from graph.model import Node, constructed, first_day, nested_models
from graph.names import code_key

T = TypeVar("T")
M = TypeVar("M", bound=BaseModel)
# A first load at least this big builds the secondary indexes after the rows are in.
BULK = 5000
# How many nodes and edges a streamed write holds in memory at once.
STREAM_BATCH = 20_000
# How many parsed nodes (and edges) a store keeps at most.
PARSED = 100_000
# Ids per statement when a batch is split (one JSON parameter carries each chunk).
CHUNK = 50_000

# What :meth:`WorkspaceStore.insert_new` writes of a new node: id, kind, exchange and code (a
# security's, :func:`doc_security_columns`), its JSON, its name-index words, its identifiers
# (scheme, value), its datasets (each once) and its exact names (graph.store.words.exact_keys); of
# a new edge: id, kind, source, target, the first days of its start and end (:func:`day`), its JSON
# and its datasets.
NewNode = tuple[str, str, str | None, str | None, str, list[str], list[tuple[str, str]], list[str], list[str]]
NewEdge = tuple[str, str, str, str, str | None, str | None, str, list[str]]


def json_param(values: Iterable[Any]) -> str:
    """Values (ids, row numbers, tuples of them) as one JSON array parameter, read back in SQL with
    ``json_each``. Written by orjson: ~20× the standard library's ``json.dumps`` on a list of
    10,000 ids (a 1 % delta at 1M passes a dozen such lists).

    >>> json_param(["a", "中"]), json_param([("ftm_id", "x"), (1, 2)])
    ('["a","中"]', '[["ftm_id","x"],[1,2]]')
    """
    return orjson.dumps(values if isinstance(values, list) else list(values)).decode()


def _ids(values: Iterable[str]) -> str:
    """A list of ids as one JSON parameter, read back in SQL with ``json_each``."""
    return json_param(values)


def _chunks(values: Sequence[T], size: int = CHUNK) -> Iterator[Sequence[T]]:
    for i in range(0, len(values), size):
        yield values[i : i + size]


def _quoted(term: str) -> str:
    return '"{}"'.format(term.replace('"', '""'))


def _rebuilt(cls: type[M], data: dict[str, Any]) -> M:
    """The model whose ``model_dump_json`` gave ``data``, rebuilt without validating it again.

    Every row was validated before it was written (and the schema version guards the
    format); validating it on every read cost ~50 µs a node, most of a search's time.
    """
    for name, nested in nested_models(cls).items():
        items = data.get(name)
        if items:
            data[name] = [_rebuilt(nested, item) for item in items]
    return constructed(cls, data)


def _security_columns(node: Node) -> tuple[str | None, str | None]:
    if node.kind != "Security":
        return None, None
    exchange = str(node.properties.get("exchange", "")).removeprefix("EXCH:")
    return exchange, code_key(str(node.properties.get("code", "")))


# Remembered: a load asks it of both ends of every link, and a file has few distinct dates (at 100k
# FtM lines, parsing each again was ~3 % of the reading worker's CPU).
@lru_cache(maxsize=4096)
def day(value: str | None) -> str | None:
    """A date's ISO first day (``2021`` → ``2021-01-01``), as ``edges.start_day`` and ``end_day`` keep it.

    >>> day("2021"), day("2021-05"), day("2021-05-03"), day(None)
    ('2021-01-01', '2021-05-01', '2021-05-03', None)
    """
    return first_day(value).isoformat() if value else None


def doc_security_columns(doc: dict[str, Any]) -> tuple[str | None, str | None]:
    """A node document's ``exchange`` and ``code`` columns (a security's; None for other kinds)."""
    if doc["kind"] != "Security":
        return None, None
    properties = doc["properties"]
    exchange = str(properties.get("exchange", "")).removeprefix("EXCH:")
    return exchange, code_key(str(properties.get("code", "")))


class _NodeRow(NamedTuple):
    """A node as its row is written: columns, JSON, name-index words, identifiers, datasets and
    exact names."""

    id: str
    kind: str
    exchange: str | None
    code: str | None
    text: str
    words: list[str]
    identifiers: list[tuple[str, str]]
    datasets: list[str]
    exact_names: list[str]
