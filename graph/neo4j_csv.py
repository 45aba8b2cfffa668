"""The graph as ``neo4j-admin database import full`` CSV: the bulk first sync's files (no driver here).

Every node and relationship gets exactly the property map the Bolt sync writes
(:func:`graph.neo4j_sync.node_props`, :func:`~graph.neo4j_sync.edge_props`: one
function decides each property); this module only spells those values as the
importer's typed columns: ``string``, ``boolean``, ``long``, ``double``, ``date``
and their arrays (elements split on :data:`ARRAY_DELIMITER`).

Rows are written as they come (memory does not grow with the corpus), into one
file per node kind or relationship type and *column set*: a file's header is
its first line, so a row bringing a column its file lacks starts a new file
with the wider header (a kind's files are a handful: its columns only grow),
and a row giving a column another type than its file's goes to a second lane
of files of that kind. Every string is quoted (``"`` doubled inside), so an
empty string stays one; an absent property is an empty field. A row whose
values are all of the common types and fit its kind's first file as it is
(most rows, once a kind's first rows have set its columns) is spelled in one
pass (:func:`_fast_values`), as the general path (:func:`_line`) spells it.

What the importer cannot spell is left out of the row and kept aside
(:class:`Written`) for the caller to set through Cypher parameters after the
import:

- an empty list (an empty field reads as no property): for the lists every row
  has (:data:`EVERY_NODE_LIST`, :data:`EVERY_EDGE_LIST`: ``aliases`` is empty on
  most entities) only *which* properties were ever empty is kept, and a
  property absent after the import means that empty list; any other empty list
  is kept with its row's id;
- a list holding one empty string (written, it would read as no property), a
  string list element holding :data:`ARRAY_DELIMITER`, a property name the
  header cannot carry (``:``, ``,``, a quote, a line break): kept with its row's id.

>>> from graph.model import Node
>>> text = _line({"id": "ORG:x", "name": 'A "quoted", name', "aliases": ["a", "b"], "n": 2}.items())
>>> for spelled in text.fields: print(spelled)
('id', 'string', '"ORG:x"')
('name', 'string', '"A ""quoted"", name"')
('aliases', 'string[]', '"a\\x1fb"')
('n', 'long', '2')
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import IO, Any

# Between array elements: a control character no name, URL or code holds (one that does goes aside).
ARRAY_DELIMITER = "\x1f"
ARRAY_DELIMITER_OPTION = "U+001F"
# Lists the row builders write on every node / relationship (graph.neo4j_rows.node_row, edge_row).
EVERY_NODE_LIST = ("aliases", "source_urls", "source_kinds", "name_keys")
EVERY_EDGE_LIST = ("source_urls", "source_kinds")
_SCALAR_TYPES: dict[type, str] = {str: "string", bool: "boolean", int: "long", float: "double", date: "date"}
_SAFE_NAME = re.compile(r'[^:,"\r\n\x1f]+')


def _quote(text: str) -> str:
    return '"' + text.replace('"', '""') + '"' if '"' in text else '"' + text + '"'


def _scalar_text(kind: str, value: Any) -> str:
    if kind == "boolean":
        return "true" if value else "false"
    if kind == "double":
        return repr(value)
    if kind == "date":
        return str(value.isoformat())
    return str(value)


def field_of(value: Any) -> tuple[str, str] | None:
    """``(column type, CSV text)`` of one property value, or None when the importer cannot spell it.

    >>> field_of(True), field_of(7), field_of(date(2021, 1, 31)), field_of(["x", ""])
    (('boolean', 'true'), ('long', '7'), ('date', '2021-01-31'), ('string[]', '"x\\x1f"'))
    >>> field_of([]), field_of([""]), field_of(["a\\x1fb"])
    (None, None, None)
    """
    kind = _SCALAR_TYPES.get(type(value))
    if kind == "string":
        return kind, _quote(value)
    if kind is not None:
        return kind, _scalar_text(kind, value)
    if type(value) is not list:
        raise TypeError(f"no Neo4j import column type for {type(value).__name__} {value!r}")
    if not value:
        return None
    kind = _SCALAR_TYPES.get(type(value[0]))
    if kind is None or any(type(v) is not type(value[0]) for v in value):
        raise TypeError(f"no Neo4j import column type for the list {value!r}")
    if kind == "string":
        if value == [""] or any(ARRAY_DELIMITER in v for v in value):
            return None
        return "string[]", _quote(ARRAY_DELIMITER.join(value))
    return kind + "[]", ARRAY_DELIMITER.join(_scalar_text(kind, v) for v in value)


@dataclass
class _Line:
    fields: list[tuple[str, str, str]]  # name, column type, text
    aside: dict[str, Any]  # what the CSV cannot carry (see the module's doc)
    empty: list[str]  # names whose value was an empty list


_safe_names: set[str] = set()


def _line(items: Iterable[tuple[str, Any]]) -> _Line:
    fields: list[tuple[str, str, str]] = []
    aside: dict[str, Any] = {}
    empty: list[str] = []
    add = fields.append
    for name, value in items:
        if name not in _safe_names:
            if not _SAFE_NAME.fullmatch(name):
                aside[name] = value
                continue
            _safe_names.add(name)
        kind = type(value)
        # The common types inline (a 100k corpus has ~2M values); field_of decides the rest alike.
        if kind is str:
            add((name, "string", '"' + value.replace('"', '""') + '"'))
        elif kind is int:
            add((name, "long", str(value)))
        elif kind is list and value and type(value[0]) is str:
            joined = ARRAY_DELIMITER.join(value)
            if (
                joined
                and joined.count(ARRAY_DELIMITER) == len(value) - 1
                and all(type(v) is str for v in value)
            ):
                add((name, "string[]", '"' + joined.replace('"', '""') + '"'))
            else:
                spelled = field_of(value)  # one empty string, an element holding the delimiter, mixed types
                if spelled is None:
                    aside[name] = value
                else:
                    add((name, *spelled))
        else:
            spelled = field_of(value)
            if spelled is None:
                if value == []:
                    empty.append(name)
                else:
                    aside[name] = value
                continue
            add((name, *spelled))
    return _Line(fields, aside, empty)


@dataclass
class ImportFile:
    """One CSV file of the import: its header is its first line."""

    path: Path
    group: str  # the node labels ("Entity:Company") or the relationship type
    multiline: bool = False  # a value holds a line break (the importer must be told)


@dataclass
class _Lane:
    """Files of one kind sharing column types: the current file's columns, and its handle."""

    fixed: tuple[str, ...]  # leading header fields (the ids)
    columns: dict[str, str] = field(default_factory=dict)  # name → type, in header order
    position: dict[str, int] = field(default_factory=dict)
    # The same columns by type: type → {name: position} (what _fast_values looks a value up in).
    slots: dict[str, dict[str, int]] = field(default_factory=dict)
    handle: IO[str] | None = None
    file: ImportFile | None = None
    header: tuple[str, ...] = ()

    def fits(self, fields: list[tuple[str, str, str]]) -> bool:
        columns = self.columns
        return all(columns.get(name, kind) == kind for name, kind, _ in fields)

    def add_column(self, name: str, kind: str) -> None:
        self.columns[name] = kind
        self.position[name] = len(self.position)
        self.slots.setdefault(kind, {})[name] = self.position[name]


_NO_SLOTS: dict[str, int] = {}


def _fast_values(
    lane: _Lane, props: dict[str, Any], skip: str | None, every: tuple[str, ...], empty: list[str]
) -> list[str] | None:
    """The row's fields in ``lane``'s columns, spelled as :func:`_line` spells them, when every value is
    one of the common kinds (a string, an integer, a boolean, a date, a non-empty list of strings, an
    empty list named in ``every``) of a column ``lane`` already has with that type; else None (the
    general path decides). One pass, no intermediate fields: most rows of a corpus take it.

    ``skip``: the property the fixed columns carry (a node's ``id``); ``empty`` gets the names whose
    value was an empty list."""
    slots = lane.slots
    strings = slots.get("string", _NO_SLOTS)
    values = [""] * len(lane.position)
    for name, value in props.items():
        kind = type(value)
        if kind is str:
            at = strings.get(name)
            if at is None:
                if name == skip:
                    continue
                return None
            values[at] = '"' + value.replace('"', '""') + '"'
        elif kind is list:
            if not value:
                if name not in every:
                    return None
                empty.append(name)
                continue
            at = slots.get("string[]", _NO_SLOTS).get(name)
            if at is None or type(value[0]) is not str:
                return None
            joined = ARRAY_DELIMITER.join(value)
            # Not one empty string, no element holding the delimiter, every element exactly a str.
            if (
                not joined
                or joined.count(ARRAY_DELIMITER) != len(value) - 1
                or (len(value) > 1 and not all(type(v) is str for v in value))
            ):
                return None
            values[at] = '"' + joined.replace('"', '""') + '"'
        elif kind is int:
            at = slots.get("long", _NO_SLOTS).get(name)
            if at is None:
                return None
            values[at] = str(value)
        elif kind is date:
            at = slots.get("date", _NO_SLOTS).get(name)
            if at is None:
                return None
            values[at] = value.isoformat()
        elif kind is bool:
            at = slots.get("boolean", _NO_SLOTS).get(name)
            if at is None:
                return None
            values[at] = "true" if value else "false"
        else:
            return None
    return values


@dataclass
class Aside:
    """A row's properties the CSV could not carry, to set after the import."""

    node: bool
    kind: str
    id: str
    props: dict[str, Any]


@dataclass
class Written:
    """What :class:`CsvWriter` wrote: the files, and what the caller must set after the import."""

    nodes: list[ImportFile]
    relationships: list[ImportFile]
    aside: list[Aside]
    # Of EVERY_NODE_LIST / EVERY_EDGE_LIST: those some row had empty (absent after the import).
    empty_node_lists: set[str]
    empty_edge_lists: set[str]
    node_rows: int = 0
    relationship_rows: int = 0


class CsvWriter:
    """Streams nodes and relationships into import CSV files under ``folder``."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        folder.mkdir(parents=True, exist_ok=True)
        self.lanes: dict[tuple[bool, str], list[_Lane]] = {}
        self.files: dict[bool, list[ImportFile]] = {True: [], False: []}
        self.written = Written([], [], [], set(), set())
        self.count = 0

    def node(self, kind: str, props: dict[str, Any]) -> None:
        """One node (labels ``Entity`` and ``kind``) with this whole property map (``id`` included)."""
        if self._fast(True, kind, "id", (_quote(props["id"]),), props):
            return
        line = _line(props.items())
        self._aside(True, kind, props["id"], line)
        # The id column: also stored as the string property ``id``.
        fields = [f for f in line.fields if f[0] != "id"]
        self._write(True, kind, ("id:ID",), (_quote(props["id"]),), fields)
        self.written.node_rows += 1

    def relationship(self, kind: str, source: str, target: str, props: dict[str, Any]) -> None:
        """One relationship of type ``kind`` from ``source`` to ``target`` (node ids)."""
        if self._fast(False, kind, None, (_quote(source), _quote(target)), props):
            return
        line = _line(props.items())
        self._aside(False, kind, props["id"], line)
        self._write(False, kind, (":START_ID", ":END_ID"), (_quote(source), _quote(target)), line.fields)
        self.written.relationship_rows += 1

    def _fast(
        self, node: bool, kind: str, skip: str | None, ids: tuple[str, ...], props: dict[str, Any]
    ) -> bool:
        """Write the row into its kind's first lane if :func:`_fast_values` can spell it there; whether
        it did (if not, nothing was written or noted)."""
        lanes = self.lanes.get((node, kind))
        if not lanes:
            return False
        empty: list[str] = []
        values = _fast_values(lanes[0], props, skip, EVERY_NODE_LIST if node else EVERY_EDGE_LIST, empty)
        if values is None:
            return False
        if empty:
            (self.written.empty_node_lists if node else self.written.empty_edge_lists).update(empty)
        self._emit(lanes[0], ",".join((*ids, *values)))
        if node:
            self.written.node_rows += 1
        else:
            self.written.relationship_rows += 1
        return True

    def _aside(self, node: bool, kind: str, item_id: str, line: _Line) -> None:
        every = EVERY_NODE_LIST if node else EVERY_EDGE_LIST
        props = dict(line.aside)
        for name in line.empty:
            if name in every:
                (self.written.empty_node_lists if node else self.written.empty_edge_lists).add(name)
            else:
                props[name] = []
        if props:
            self.written.aside.append(Aside(node, kind, item_id, props))

    def _write(
        self,
        node: bool,
        kind: str,
        fixed: tuple[str, ...],
        ids: tuple[str, ...],
        fields: list[tuple[str, str, str]],
    ) -> None:
        lanes = self.lanes.setdefault((node, kind), [])
        values: list[str] | None = None
        lane: _Lane | None = None
        if lanes:  # the common case: the first lane already has every column, of these types
            lane = lanes[0]
            columns, position = lane.columns, lane.position
            values = [""] * len(columns)
            for name, kind_of, text in fields:
                if columns.get(name) != kind_of:
                    values = None
                    break
                values[position[name]] = text
        if values is None:
            lane = next((la for la in lanes if la.fits(fields)), None)
            if lane is None:
                lane = _Lane(fixed)
                lanes.append(lane)
            for name, kind_of, _ in fields:
                if name not in lane.columns:
                    lane.add_column(name, kind_of)
            values = [""] * len(lane.columns)
            for name, _, text in fields:
                values[lane.position[name]] = text
        assert lane is not None
        if lane.handle is None or len(lane.header) != len(fixed) + len(lane.columns):
            self._open(node, kind, lane)
        self._emit(lane, ",".join((*ids, *values)))

    @staticmethod
    def _emit(lane: _Lane, row: str) -> None:
        assert lane.handle is not None and lane.file is not None
        if not lane.file.multiline and ("\n" in row or "\r" in row):
            lane.file.multiline = True
        lane.handle.write(row + "\n")

    def _open(self, node: bool, kind: str, lane: _Lane) -> None:
        if lane.handle is not None:
            lane.handle.close()
        self.count += 1
        path = self.folder / f"{'n' if node else 'r'}{self.count:04d}-{kind}.csv"
        lane.header = (*lane.fixed, *(f"{name}:{kind_of}" for name, kind_of in lane.columns.items()))
        lane.handle = path.open("w", encoding="utf-8", newline="")
        lane.handle.write(",".join(lane.header) + "\n")
        lane.file = ImportFile(path, f"Entity:{kind}" if node else kind)
        (self.written.nodes if node else self.written.relationships).append(lane.file)

    def close(self) -> Written:
        """Close every file; what was written."""
        for lanes in self.lanes.values():
            for lane in lanes:
                if lane.handle is not None:
                    lane.handle.close()
                    lane.handle = None
        return self.written
