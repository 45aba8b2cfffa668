"""The model's vocabulary comes from graph/schema.yaml; provenance and identifiers are first-class."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from pydantic import ValidationError

from graph import model
from graph.model import Edge, Node, Provenance, Source

SRC = [Source(url="https://example.org/s", title="t", publisher="p", kind="other")]


@pytest.fixture
def schema_copy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    copy = tmp_path / "schema.yaml"
    copy.write_text(model.SCHEMA_FILE.read_text(encoding="utf-8"), encoding="utf-8")
    monkeypatch.setattr(model, "SCHEMA_FILE", copy)
    model.vocabulary.cache_clear()
    yield copy
    model.vocabulary.cache_clear()


def test_a_node_kind_added_to_the_schema_file_is_accepted(schema_copy: Path) -> None:
    with pytest.raises(ValidationError):
        Node(id="VESSEL:ever-given", kind="Vessel", name="Ever Given")
    text = schema_copy.read_text(encoding="utf-8")
    schema_copy.write_text(text.replace("node_kinds:\n", "node_kinds:\n  Vessel: {prefix: VESSEL}\n"))
    model.vocabulary.cache_clear()
    assert Node(id="VESSEL:ever-given", kind="Vessel", name="Ever Given").kind == "Vessel"
    assert "Vessel" in model.node_kinds()


def test_edge_endpoints_come_from_the_schema() -> None:
    sources, targets = model.edge_endpoints("ISSUES")
    assert sources == {"Company"} and targets == {"Security"}
    assert model.edge_endpoints("MENTIONS")[1] == set(model.node_kinds())


def test_curated_provenance_is_the_default() -> None:
    node = Node(id="ORG:x", kind="Company", name="X")
    assert node.provenance == [Provenance(dataset="curated")]
    edge = Edge(
        id="e", kind="SUBSIDIARY_OF", source="ORG:x", target="ORG:y", confidence="likely", sources=SRC
    )
    assert edge.datasets == ["curated"]


def test_provenance_dates_are_checked() -> None:
    with pytest.raises(ValidationError, match="bad date"):
        Provenance(dataset="us_ofac_cons", first_seen="2021-13-01")
    with pytest.raises(ValidationError):
        Provenance(dataset="Not A Name")


def test_identifier_schemes_are_a_closed_vocabulary() -> None:
    node = Node(id="SEC:NYSE:CHL", kind="Security", name="CHL", identifiers={"isin": ["US16941M1099"]})
    assert node.identifiers["isin"] == ["US16941M1099"]
    with pytest.raises(ValidationError, match="unknown identifier scheme 'cusip'"):
        Node(id="SEC:NYSE:CHL", kind="Security", name="CHL", identifiers={"cusip": ["16941M109"]})
    with pytest.raises(ValidationError, match="not a valid isin"):
        Node(id="SEC:NYSE:CHL", kind="Security", name="CHL", identifiers={"isin": ["US16941M"]})


def test_curated_data_gets_identifiers_from_its_properties() -> None:
    from loaders.workspace import load_memory_store

    store = load_memory_store()
    assert [n.id for n in store.nodes_by_identifier("ticker", "HKEX:1810")] == ["SEC:HKEX:1810"]
    assert [n.id for n in store.nodes_by_identifier("eo_number", "13959")] == ["EO:13959"]
    assert all(n.datasets == ["curated"] for n in store.nodes())
