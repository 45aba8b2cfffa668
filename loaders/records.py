"""What every source loader yields, and reading a source file safely.

A loader turns its format into :class:`Record` objects: a node or an edge of
the model, plus the key the source itself uses for what gave it (an FtM entity
id, an OFAC entry number, a Federal Register document number). The key lets a
later delta replace or delete exactly what one source entity gave.

>>> lines = list(numbered_lines([b'{"a": 1}\\n', b'{"b": 2}']))
>>> [(n, text) for n, text in lines]
[(1, '{"a": 1}'), (2, '{"b": 2}')]
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import orjson
from pydantic import BaseModel, ValidationError

from graph.errors import LoadError
from graph.model import Edge, Node, check_date

# A line longer than this is not a record of any format we read (OpenSanctions' largest
# entities are a few hundred kilobytes): refuse it rather than hold it in memory.
MAX_LINE = 4 * 1024 * 1024


@dataclass(frozen=True)
class Record:
    """A node or an edge one source gave, and the source's own key for what gave it."""

    origin: str
    item: Node | Edge
    line: int | None = None  # where in the source file, for errors found after parsing


class Row:
    """A node or an edge one source gave, as the plain document its model dumps (no model built).

    What a bulk load writes: most rows go into the workspace as they are, and only those
    that meet the graph already there become models to merge. A row read in the reading
    worker (``loaders/worker.py``) comes as its JSON and what the bulk path reads of it
    (``facts``, :func:`loaders.bulk.row_facts`): its document is parsed only when asked for
    (a row that meets the graph), not for each of the rows written as they are.

    >>> row = Row("c1", False, None, 3, '{"id": "ORG:c1"}')
    >>> row.doc["id"], row.line
    ('ORG:c1', 3)
    """

    __slots__ = ("_doc", "facts", "is_edge", "line", "origin", "text")

    def __init__(
        self,
        origin: str,
        is_edge: bool,
        doc: dict[str, Any] | None,
        line: int | None = None,
        text: str | None = None,  # the document's JSON, when the reader made it already
        facts: tuple[Any, ...] | None = None,
    ) -> None:
        if doc is None and text is None:
            raise ValueError("a row needs its document or its JSON")
        self.origin, self.is_edge, self._doc, self.line, self.text, self.facts = (
            origin, is_edge, doc, line, text, facts
        )  # fmt: skip

    @property
    def doc(self) -> dict[str, Any]:
        if self._doc is None:
            self._doc = orjson.loads(self.text or "")
        return self._doc

    def __repr__(self) -> str:
        return f"Row({self.origin!r}, {self.is_edge}, line {self.line})"


def numbered_lines(raw: Iterable[bytes], file: str = "<input>") -> Iterator[tuple[int, str]]:
    """Decode lines as UTF-8, numbered from 1, without their line ends; blank lines skipped."""
    for number, chunk in enumerate(raw, start=1):
        if len(chunk) > MAX_LINE:
            raise LoadError(file, number, None, f"line is longer than {MAX_LINE} bytes")
        try:
            text = chunk.decode("utf-8")
        except UnicodeDecodeError as exc:
            message = f"not UTF-8 text (byte {exc.start + 1} of the line)"
            raise LoadError(file, number, None, message) from None
        text = text.rstrip("\r\n")
        if text.strip():
            yield number, text


def open_lines(path: str | Path) -> Iterator[tuple[int, str]]:
    """The numbered lines of a file, streamed (a file is never read whole)."""
    file = str(path)
    try:
        handle = open(path, "rb")  # noqa: SIM115 - closed by the generator
    except OSError as exc:
        raise LoadError(file, None, None, f"cannot read: {exc.strerror or exc}") from None
    with handle:
        yield from numbered_lines(_bounded(handle), file)


def _bounded(handle: Any) -> Iterator[bytes]:
    """Lines of a binary file, never reading more than MAX_LINE + 1 bytes for one line."""
    while True:
        chunk: bytes = handle.readline(MAX_LINE + 1)
        if not chunk:
            return
        while len(chunk) > MAX_LINE and not chunk.endswith(b"\n"):
            # Drain the rest of a huge line cheaply; numbered_lines reports it.
            rest: bytes = handle.readline(MAX_LINE + 1)
            if not rest or rest.endswith(b"\n"):
                break
        yield chunk


def json_object(text: str, file: str, line: int) -> dict[str, Any]:
    """One JSON object from one line; anything else is a LoadError naming the line."""
    try:
        value = orjson.loads(text)
    except orjson.JSONDecodeError as exc:
        raise LoadError(file, line, None, f"malformed JSON ({exc.msg}; truncated file?)") from None
    if not isinstance(value, dict):
        raise LoadError(file, line, None, f"expected a JSON object, found {type(value).__name__}")
    return value


def iso_date(value: object, file: str, line: int, field: str) -> str:
    """A date or timestamp from a source, cut to its ``YYYY[-MM[-DD]]`` prefix and checked."""
    if not isinstance(value, str):
        raise LoadError(file, line, field, f"bad date {value!r}: expected a string")
    text = date_text(value)
    try:
        return check_date(text)
    except ValueError as exc:
        raise LoadError(file, line, field, str(exc)) from None


def date_text(value: str) -> str:
    """The part of a source's date or timestamp that :func:`iso_date` checks: ``YYYY[-MM[-DD]]``.

    >>> date_text("2021-01-15T00:00:00"), date_text(" 2021-06 ")
    ('2021-01-15', '2021-06')
    """
    return value.strip()[:10] if "T" in value or len(value) > 10 else value.strip()


def built(model: type[BaseModel], data: dict[str, Any], file: str, line: int | None, where: str) -> Any:
    """A model validated from ``data``; a validation error becomes a LoadError naming the field."""
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        field = ".".join(str(p) for p in first["loc"])
        message = first["msg"].removeprefix("Value error, ")
        raise LoadError(file, line, f"{where}.{field}" if field else where, message) from None
