"""The model's vocabulary comes from graph/schema.yaml; provenance and identifiers are first-class."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from pydantic import BaseModel, ValidationError

from graph import model
from graph.errors import LoadError
from graph.model import Edge, Node, Provenance, Source
from graph.store.memory import MemoryStore

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


def _state(item: object) -> tuple[object, ...]:
    """Everything a pydantic model holds: its fields in order and pydantic's own slots."""
    return (
        type(item),
        list(item.__dict__.items()),
        item.__pydantic_fields_set__,  # type: ignore[attr-defined]
        item.__pydantic_extra__,  # type: ignore[attr-defined]
        item.__pydantic_private__,  # type: ignore[attr-defined]
    )


def _built_both_ways(cls: type[BaseModel], doc: dict[str, Any]) -> BaseModel:
    """The model of a dumped document, its nested models first, checking that
    ``constructed`` and ``model_construct`` build the same at every level."""
    for name, nested in model.nested_models(cls).items():
        doc[name] = [_built_both_ways(nested, part) for part in doc[name]]
    built = model.constructed(cls, dict(doc))
    assert _state(built) == _state(cls.model_construct(**doc))
    return built


def test_constructed_is_model_construct_for_every_curated_document(store: MemoryStore) -> None:
    items: list[Node | Edge] = [*store.nodes(), *store.edges()]
    assert len(items) > 100
    for item in items:
        built = _built_both_ways(type(item), item.model_dump())
        assert built == item and built.model_dump_json() == item.model_dump_json()


def test_constructed_leaves_an_incomplete_or_unknown_document_to_model_construct() -> None:
    # A field missing takes its default, an unknown key is ignored: as model_construct does.
    partial: dict[str, Any] = {"id": "ORG:x", "kind": "Company", "name": "X"}
    built = model.constructed(Node, dict(partial))
    assert _state(built) == _state(Node.model_construct(**partial))
    assert built.aliases == [] and built.__pydantic_fields_set__ == {"id", "kind", "name"}
    extra: dict[str, Any] = {**Node.model_construct(**partial).model_dump(), "unknown": 1}
    assert _state(model.constructed(Node, dict(extra))) == _state(Node.model_construct(**extra))
    assert "unknown" not in model.constructed(Node, dict(extra)).__dict__


@pytest.mark.parametrize(
    "bad",
    [
        {"id": "ORG:x\n"},
        {"sources": [{"url": "https://x.org/a\n", "title": "t", "publisher": "p", "kind": "press"}]},
        {"provenance": [{"dataset": "curated", "first_seen": "2021-01-01\n"}]},
    ],
)
def test_a_value_ending_in_a_newline_is_refused(bad: dict[str, Any]) -> None:
    # Python's '$' matches before a final newline: ids, web addresses and dates are matched whole.
    fields: dict[str, Any] = {"id": "ORG:x", "kind": "Company", "name": "X"} | bad
    with pytest.raises(ValidationError):
        Node(**fields)


def test_an_edge_kind_without_a_label_is_refused_naming_it(schema_copy: Path) -> None:
    text = schema_copy.read_text(encoding="utf-8")
    schema_copy.write_text(text.replace(", label: enjoins}", "}"), encoding="utf-8")
    model.vocabulary.cache_clear()
    with pytest.raises(LoadError, match=r"edge_kinds: ENJOINS: no label") as raised:
        model.vocabulary()
    assert raised.value.file == str(schema_copy)
    assert raised.value.line is not None
    named = schema_copy.read_text(encoding="utf-8").splitlines()[raised.value.line - 1]
    assert named.strip().startswith("ENJOINS:")


def test_every_date_typed_edge_property_is_a_date_field_of_a_dispute() -> None:
    """``date_fields`` (the fields whose disputed values are dates) names every edge property the
    schema types ``date`` — ``known_from`` and ``annex_cutoff`` too — beside start and end; a
    disputed ``known_from`` that is no date is refused, naming the field."""
    from graph.model import Disputed

    typed = {name for name, kind in model.vocabulary().edge_properties.items() if kind == "date"}
    assert {"known_from", "annex_cutoff"} <= typed
    assert typed | {"start", "end"} <= model.date_fields()
    other = Disputed(field="known_from", value="late 2020", sources=SRC)
    with pytest.raises(ValidationError, match=r"known_from: bad date 'late 2020'"):
        Edge(
            id="e",
            kind="SUBSIDIARY_OF",
            source="ORG:x",
            target="ORG:y",
            confidence="likely",
            sources=SRC,
            properties={"known_from": "2020-08-24"},
            disputed=[other],
        )


def test_an_edge_kinds_wording_is_data(schema_copy: Path) -> None:
    """How a timeline row reads an edge kind, and what ended when it ends, are in schema.yaml
    (``edge_wording``), as its label is: changing the data changes the row; a kind the schema lacks
    is an error naming the file and line."""
    from graph.timeline import end_row

    eo = [Node(id=f"EO:{n}", kind="ExecutiveOrder", name=f"EO {n}", properties={"number": n}) for n in (1, 2)]
    app = Node(id="APP:x", kind="App", name="X")
    targets = Edge(
        id="t", kind="TARGETS", source="EO:1", target="APP:x", start="2020-08-06", end="2021-06-09",
        confidence="verified", sources=SRC,
    )  # fmt: skip
    store = MemoryStore.from_parts([*eo, app], [targets])
    assert end_row(store, targets, eo[0], app) == "EO 1 — targeting of X ends"
    text = schema_copy.read_text(encoding="utf-8")
    schema_copy.write_text(text.replace('"targeting of {o} ends"', '"the order stops targeting {o}"'))
    model.vocabulary.cache_clear()
    assert end_row(store, targets, eo[0], app) == "EO 1 — the order stops targeting X"
    schema_copy.write_text(text.replace("edge_wording:\n", "edge_wording:\n  OWNS: {reads: [a, b]}\n"))
    model.vocabulary.cache_clear()
    with pytest.raises(LoadError, match="OWNS: no such edge kind") as raised:
        model.vocabulary()
    assert "schema.yaml" in str(raised.value)
