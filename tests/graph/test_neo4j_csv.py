"""The import CSV (graph.neo4j_csv) without a server: a row is spelled alike whichever path writes it.

A kind's first row is spelled field by field (its columns are decided then); a later row whose values
all fit the kind's first lane is spelled in one pass. Both must give the importer the same fields, and
keep aside the same values (tests/graph/test_neo4j_bulk.py imports the files into a real server)."""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path
from typing import Any

from graph.neo4j_csv import ARRAY_DELIMITER, CsvWriter, Written

NODES: list[dict[str, Any]] = [
    {"id": "ORG:a", "name": "A", "aliases": ["a1", "a2"], "source_urls": ["u"], "seq": 1, "listed": True},
    {"id": "ORG:b", "name": 'B "quoted", name', "aliases": [], "source_urls": ['u "1"', "u,2"], "seq": 2},
    {
        "id": "ORG:c",
        "name": "C\nline, 中兴通讯",
        "aliases": ["中興"],
        "filed_from": date(2021, 5, 1),
        "seq": 3,
    },
    {"id": "ORG:d", "name": "D", "aliases": [""], "seq": 4},  # one empty string: aside
    {"id": "ORG:e", "name": "E", "aliases": [f"x{ARRAY_DELIMITER}y", "z"], "seq": 5},  # delimiter: aside
    {"id": "ORG:f", "name": "F", "aliases": ["f"], "tags": [], "seq": 6},  # an empty list not every row has
    {"id": "ORG:g", "name": "G", "ratio": 0.25, "codes": [1, 2], "flags": [True], "seq": 7},
    {"id": "ORG:h", "name": "H", "a:b": "unsafe name", "listed": False, "seq": 8},
    {"id": "ORG:i", "name": "I", "seq": "nine"},  # another type: another lane
    {"id": "ORG:j", "name": "", "aliases": ["", "j"], "source_urls": [], "seq": 10},
]
EDGES: list[tuple[str, str, dict[str, Any]]] = [
    ("ORG:a", "ORG:b", {"id": "e1", "confidence": "likely", "source_urls": ["u"], "start": "2021-03"}),
    (
        "ORG:b",
        "ORG:c",
        {"id": "e2", "confidence": 'a "b"', "source_urls": [], "start_from": date(2021, 3, 1)},
    ),
    ("ORG:c", "ORG:a", {"id": "e3", "confidence": "x", "note": "n\r\n", "later_delay_days": 60}),
    (
        "ORG:a",
        "ORG:c",
        {"id": "e4", "confidence": "x", "reaches_subsidiaries": False, "applies_to": ["ORG:a"]},
    ),
]


def _write(
    folder: Path, nodes: list[dict[str, Any]], edges: list[tuple[str, str, dict[str, Any]]]
) -> Written:
    writer = CsvWriter(folder)
    for props in nodes:
        writer.node("Company", props)
    for source, target, props in edges:
        writer.relationship("SUBSIDIARY_OF", source, target, props)
    return writer.close()


def _rows(written: Written) -> list[dict[str, str]]:
    """Every row as its non-empty fields by header (what the importer reads), in the order written."""
    rows = []
    for f in (*written.nodes, *written.relationships):
        with f.path.open(encoding="utf-8", newline="") as handle:
            header, *lines = list(csv.reader(handle))
        rows += [{h: v for h, v in zip(header, line, strict=True) if v} for line in lines]
    return rows


def _key(row: dict[str, str]) -> str:
    return row.get("id:ID") or row["id:string"]


def test_rows_after_a_kinds_first_read_as_each_does_alone(tmp_path: Path) -> None:
    together = _write(tmp_path / "together", NODES, EDGES)
    alone = [_write(tmp_path / f"n{i}", [props], []) for i, props in enumerate(NODES)]
    alone += [_write(tmp_path / f"e{i}", [], [edge]) for i, edge in enumerate(EDGES)]
    assert sorted(_rows(together), key=_key) == sorted((r for w in alone for r in _rows(w)), key=_key)
    assert len(_rows(together)) == len(NODES) + len(EDGES)
    assert sorted((a.id, sorted(a.props.items())) for a in together.aside) == sorted(
        (a.id, sorted(a.props.items())) for w in alone for a in w.aside
    )
    assert [a.id for a in together.aside] == ["ORG:d", "ORG:e", "ORG:f", "ORG:h"]
    assert together.empty_node_lists == {"aliases", "source_urls"} and together.empty_edge_lists == {
        "source_urls"
    }
    assert (together.node_rows, together.relationship_rows) == (len(NODES), len(EDGES))
    files = [*together.nodes, *together.relationships]
    assert [f.multiline for f in files] == [_breaks_a_line(f.path) for f in files] and sum(
        _breaks_a_line(f.path) for f in files
    ) == 2


def _breaks_a_line(path: Path) -> bool:
    with path.open(encoding="utf-8", newline="") as handle:
        return any("\n" in v or "\r" in v for line in csv.reader(handle) for v in line)


def test_a_row_written_twice_gives_two_equal_lines(tmp_path: Path) -> None:
    written = _write(tmp_path, [NODES[1], NODES[1]], [EDGES[0], EDGES[0]])
    for f in (*written.nodes, *written.relationships):
        _header, body = f.path.read_text("utf-8").split("\n", 1)
        half = len(body) // 2
        assert body[:half] == body[half:] and body.count("\n") == 2
