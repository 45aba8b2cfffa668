"""FollowTheMoney entities and deltas (fixtures in the OpenSanctions export format)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from graph.errors import LoadError
from graph.model import Edge, Node
from loaders.ftm import parse_ftm, parse_ftm_delta, read_ftm
from loaders.records import MAX_LINE, numbered_lines, open_lines

FIXTURES = Path(__file__).parents[1] / "fixtures" / "ftm"


def _items(path: Path) -> dict[str, Node | Edge]:
    return {r.item.id: r.item for r in read_ftm(path, "opensanctions")}


def test_company_names_aliases_identifiers_and_provenance() -> None:
    items = _items(FIXTURES / "entities.ftm.json")
    smic = items["ORG:NK-9Fq2smicCmicOfac"]
    assert isinstance(smic, Node) and smic.kind == "Company"
    assert smic.name == "SEMICONDUCTOR MANUFACTURING INTERNATIONAL CORPORATION"
    # The second name and the alias become aliases.
    assert smic.aliases == ["Semiconductor Manufacturing International Corporation Limited", "SMIC"]
    assert smic.identifiers["ftm_id"] == ["NK-9Fq2smicCmicOfac", "ofac-30951"]
    assert smic.identifiers["ofac_uid"] == ["30951"]
    assert smic.identifiers["ticker"] == ["HKEX:0981", "SSE:688981"]
    assert [(p.dataset, p.first_seen, p.last_seen) for p in smic.provenance] == [
        ("opensanctions", "2021-06-04", "2021-12-20")
    ]


def test_sanction_becomes_a_dated_listing_on_the_programs_list() -> None:
    items = _items(FIXTURES / "entities.ftm.json")
    listing = next(i for i in items.values() if isinstance(i, Edge) and i.kind == "LISTED_ON")
    assert (listing.source, listing.target, listing.start) == (
        "ORG:NK-9Fq2smicCmicOfac",
        "LIST:CMIC-EO13959",
        "2021-06-03",
    )
    assert listing.properties["effective"] == "2021-08-02"
    assert listing.sources[0].url == "https://sanctionssearch.ofac.treas.gov/Details.aspx?id=30951"
    assert items["LIST:CMIC-EO13959"].identifiers["program"] == ["CMIC-EO13959", "US-CMIC"]


def test_security_ownership_and_directorship() -> None:
    items = _items(FIXTURES / "entities.ftm.json")
    kinds = {(i.kind, i.source, i.target) for i in items.values() if isinstance(i, Edge)}
    assert ("ISSUES", "ORG:NK-9Fq2smicCmicOfac", "SEC:SSE:688981") in kinds
    assert ("SUBSIDIARY_OF", "ORG:NK-smicBeijing0001", "ORG:NK-9Fq2smicCmicOfac") in kinds
    assert ("ROLE_IN", "PERSON:NK-zhouZixueSmic", "ORG:NK-9Fq2smicCmicOfac") in kinds
    assert "addr-smic-shanghai" not in {i.id for i in items.values()}  # Address: read, not mapped


def test_edges_may_name_entities_that_come_later() -> None:
    lines = [
        '{"id": "s1", "schema": "Sanction", "properties": {"entity": ["c1"], "program": ["CMIC-EO13959"]}}',
        '{"id": "c1", "schema": "Company", "properties": {"name": ["Later Co"]}}',
    ]
    ids = [r.item.id for r in parse_ftm(enumerate(lines, 1), "x")]
    assert "ORG:c1" in ids and any(i.startswith("LISTED_ON|ORG:c1|") for i in ids)


def test_nested_entities_are_read_inline() -> None:
    nested = {
        "id": "c2",
        "schema": "Company",
        "properties": {
            "name": ["Nested Co"],
            "sanctions": [
                {"id": "s2", "schema": "Sanction", "properties": {"entity": ["c2"], "program": ["SSI"]}}
            ],
        },
    }
    ids = [r.item.id for r in parse_ftm([(1, json.dumps(nested))], "x")]
    assert "ORG:c2" in ids and "LIST:SSI" in ids


@pytest.mark.parametrize(
    ("line", "field", "words"),
    [
        ('{"id": "a", "schema": "Company", "properties": {"name": ["A"]', None, "malformed JSON"),
        ('["not", "an", "object"]', None, "expected a JSON object"),
        ('{"id": "a", "schema": "Compny", "properties": {"name": ["A"]}}', "entity.schema", "unknown"),
        (
            '{"id": "a", "schema": "Company", "properties": {"country": ["cn"]}}',
            "entity.properties.name",
            "missing",
        ),
        ('{"schema": "Company", "properties": {"name": ["A"]}}', "entity.id", "missing entity id"),
        ('{"id": "a", "schema": "Company", "properties": {"name": "A"}}', "entity.properties", "list"),
        (
            '{"id": "a", "schema": "Company", "properties": {"name": ["A"]}, "first_seen": "2021-13-40"}',
            "entity.first_seen",
            "bad date",
        ),
        (
            '{"id": "s", "schema": "Sanction", "properties": {"entity": ["nobody"], "program": ["SSI"]}}',
            "entity",
            "unknown entity 'nobody'",
        ),
    ],
)
def test_bad_lines_name_file_line_and_field(line: str, field: str | None, words: str) -> None:
    good = '{"id": "ok", "schema": "Company", "properties": {"name": ["OK"]}}'
    with pytest.raises(LoadError) as caught:
        list(parse_ftm([(1, good), (2, line)], "x", file="f.json"))
    assert (caught.value.file, caught.value.line, caught.value.field) == ("f.json", 2, field)
    assert words in caught.value.message


def test_wrong_encoding_and_huge_lines(tmp_path: Path) -> None:
    latin = tmp_path / "latin1.json"
    latin.write_bytes(b'{"id": "a", "schema": "Company", "properties": {"name": ["A"]}}\n{"x": "caf\xe9"}\n')
    with pytest.raises(LoadError, match=r"latin1.json:2: not UTF-8"):
        list(open_lines(latin))
    huge = tmp_path / "huge.json"
    huge.write_bytes(b"{}\n" + b"x" * (MAX_LINE + 10) + b"\n{}\n")
    with pytest.raises(LoadError, match=r"huge.json:2: line is longer"):
        list(open_lines(huge))
    assert [n for n, _ in numbered_lines([b"a\n", b"\n", b"b"])] == [1, 3]


def test_delta_lines() -> None:
    lines = [
        '{"op": "ADD", "entity": {"id": "a", "schema": "Company", "properties": {"name": ["A"]}}}',
        '{"op": "DEL", "entity": {"id": "a"}}',
    ]
    assert [(c.op, c.entity_id, c.line) for c in parse_ftm_delta(enumerate(lines, 1))] == [
        ("ADD", "a", 1),
        ("DEL", "a", 2),
    ]
    with pytest.raises(LoadError, match=r"d.json:1: op: 'UPSERT' is not one of ADD, MOD, DEL"):
        list(parse_ftm_delta([(1, '{"op": "UPSERT", "entity": {"id": "a"}}')], "d.json"))
