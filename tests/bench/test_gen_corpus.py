"""The synthetic FtM corpus: deterministic, well-formed FollowTheMoney, no dangling references."""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

import orjson
import pytest
from followthemoney import model

from bench.gen_corpus import REAL_ORDERS, Corpus, isin, ticker_code, write_corpus


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    return write_corpus(3000, tmp_path_factory.mktemp("corpus"), seed=11)


def _lines(path: Path) -> list[dict[str, Any]]:
    return [orjson.loads(line) for line in path.read_bytes().splitlines()]


def _refs(entity: dict[str, Any]) -> list[str]:
    schema = model.get(entity["schema"])
    assert schema is not None
    refs = []
    for name, values in entity["properties"].items():
        prop = schema.get(name)
        if prop is not None and prop.type.name == "entity":
            refs.extend(values)
    return refs


def test_same_seed_same_bytes_other_seed_other_bytes(corpus: tuple[Path, Path], tmp_path: Path) -> None:
    full, delta = corpus
    again_full, again_delta = write_corpus(3000, tmp_path / "a", seed=11)
    assert again_full.read_bytes() == full.read_bytes()
    assert again_delta.read_bytes() == delta.read_bytes()
    other_full, _ = write_corpus(3000, tmp_path / "b", seed=12)
    assert other_full.read_bytes() != full.read_bytes()


def test_every_line_is_a_followthemoney_entity(corpus: tuple[Path, Path]) -> None:
    entities = _lines(corpus[0])
    assert len(entities) == 3000
    assert len({e["id"] for e in entities}) == 3000
    for entity in entities:
        assert set(entity) >= {"id", "schema", "properties", "datasets", "referents", "first_seen"}
        proxy = model.get_proxy(entity, cleaned=False)  # unknown properties or schemata raise
        assert proxy.schema.name == entity["schema"]
        assert all(isinstance(v, list) and v for v in entity["properties"].values())
    schemata = Counter(e["schema"] for e in entities)
    expected = {"Company", "Person", "PublicBody", "Document", "Asset", "UnknownLink", "Security"}
    assert expected | {"Ownership", "Directorship", "Sanction"} <= set(schemata)
    assert schemata["Company"] > schemata["Security"] > schemata["Person"]


def test_references_point_backwards_at_entities_in_the_file(corpus: tuple[Path, Path]) -> None:
    seen: set[str] = set()
    for entity in _lines(corpus[0]):
        for ref in _refs(entity):
            assert ref in seen, f"{entity['id']} refers to {ref} before (or without) it"
        seen.add(entity["id"])


def test_delta_touches_one_percent_and_keeps_references_whole(corpus: tuple[Path, Path]) -> None:
    entities = {e["id"]: e for e in _lines(corpus[0])}
    records = _lines(corpus[1])
    ops = Counter(r["op"] for r in records)
    assert set(ops) == {"ADD", "MOD", "DEL"}
    assert len(records) == 30
    for record in records:
        entity = record["entity"]
        if record["op"] == "ADD":
            assert entity["id"] not in entities
            entities[entity["id"]] = entity
        elif record["op"] == "MOD":
            assert entity["id"] in entities and entity != entities[entity["id"]]
            entities[entity["id"]] = entity
        else:
            del entities[entity["id"]]
    for entity in entities.values():
        model.get_proxy(entity, cleaned=False)
        assert all(ref in entities for ref in _refs(entity)), entity["id"]


def test_shape_names_in_three_scripts_and_big_lists(corpus: tuple[Path, Path]) -> None:
    entities = _lines(corpus[0])
    aliases = [a for e in entities if e["schema"] == "Company" for a in e["properties"]["alias"]]
    assert any("\u4e00" <= c <= "\u9fff" for a in aliases for c in a)  # CJK
    assert any("\u0400" <= c <= "\u04ff" for a in aliases for c in a)  # Cyrillic
    programs = Counter(e["properties"]["programId"][0] for e in entities if e["schema"] == "Sanction")
    assert programs.most_common(1)[0][1] > 5 * programs["US-DOD-1237"] > 0
    owners = Counter(e["properties"]["owner"][0] for e in entities if e["schema"] == "Ownership")
    mean = sum(owners.values()) / len(owners)
    # Heavy tail: a few holdings own many, most owners own one or two.
    assert owners.most_common(1)[0][1] >= 8 * mean
    assert sum(1 for n in owners.values() if n <= 2) >= len(owners) / 4


def test_executive_orders_are_the_real_eight_then_one_per_50k(corpus: tuple[Path, Path]) -> None:
    orders = [e for e in _lines(corpus[0]) if e["schema"] == "Document"]
    assert [o["properties"]["name"][0] for o in orders] == [f"Executive Order {n}" for n, *_ in REAL_ORDERS]
    assert len(REAL_ORDERS) == 8  # as the module's table says
    assert [Corpus(n, 7).counts["Document"] for n in (10_000, 100_000, 1_000_000)] == [8, 10, 28]


def test_identifiers_are_well_formed_and_unique() -> None:
    assert isin("US", 0)[:11] == "US000000000" and isin("US", 0)[-1].isdigit()
    assert isin("US", 3783310) == "US003783310" + isin("US", 3783310)[-1]
    # Apple's real ISIN has check digit 5: the Luhn rule over letters-as-numbers.
    assert isin("US", 37833100) == "US0378331005"
    for exchange in ("HKEX", "SSE", "SZSE", "NYSE"):
        codes = [ticker_code(exchange, k) for k in range(5000)]
        assert len(set(codes)) == len(codes), exchange


def test_only_the_real_orders_cite_the_federal_register() -> None:
    orders = list(Corpus(100_000, 7).orders())
    urls = [o["properties"]["sourceUrl"][0] for o in orders]
    assert urls[:8] == [f"https://www.federalregister.gov/d/{doc}" for *_, doc in REAL_ORDERS]
    assert len(urls) == 10 and all(u.startswith("https://orders.example.org/d/") for u in urls[8:])
