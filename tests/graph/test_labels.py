"""Every property has a human label in one place (graph/schema.yaml), read by both faces."""

from __future__ import annotations

from typing import cast

from graph.labels import (
    edge_label,
    edge_sentence,
    edge_step,
    entity_ids,
    is_web_address,
    membership_text,
    names_of_ids,
    property_label,
    property_text,
    property_url,
    property_value_text,
)
from graph.model import vocabulary
from graph.store.base import GraphStore
from graph.store.memory import MemoryStore
from tests.graph.counting import CountingStore


def test_every_property_of_the_curated_data_has_a_label(store: MemoryStore) -> None:
    keys = {k for n in store.nodes() for k in n.properties} | {k for e in store.edges() for k in e.properties}
    assert keys - set(vocabulary().property_labels) == set()


def test_labels_are_words_not_keys() -> None:
    for key, label in vocabulary().property_labels.items():
        assert "_" not in label and label[:1].isupper(), (key, label)
    assert property_label("prohibitions_note") == "Note on the prohibitions"


def test_an_unlisted_key_reads_as_words() -> None:
    assert property_label("incorporationDate") == "Incorporation date"
    assert property_label("legal_form") == "Legal form"


def test_values_read_as_text_and_dates_keep_their_precision() -> None:
    assert property_text("2020-09") == "2020-09"
    assert property_text(True) == "yes"
    assert property_text(None) == "—"
    assert property_text([47, 60]) == "47, 60"
    assert is_web_address("https://www.federalregister.gov/d/2020-17700")
    assert not is_web_address("javascript:alert(1)")


def test_a_value_ending_in_a_newline_is_no_link() -> None:
    """``$`` also matches before a final newline: the whole value must match."""
    assert property_url("fr_doc", "2020-17700") == "https://www.federalregister.gov/d/2020-17700"
    assert property_url("fr_doc", "2020-17700\n") is None
    assert is_web_address("https://www.federalregister.gov/d/2020-17700")
    assert not is_web_address("https://www.federalregister.gov/d/2020-17700\n")
    assert property_url("website", "https://example.org/\n") is None


def test_every_edge_kind_has_a_label_in_the_schema() -> None:
    """Both faces print an edge kind's label (``enjoins``), never the kind (``ENJOINS``)."""
    import yaml

    raw = yaml.safe_load(model_schema_text())
    assert raw["edge_kinds"]
    for kind, spec in raw["edge_kinds"].items():
        label = spec.get("label")
        assert isinstance(label, str) and label.strip(), f"edge kind {kind} has no label"
        assert label == label.lower() and "_" not in label and label != kind, (kind, label)
        assert edge_label(kind) == label
    assert set(vocabulary().edge_labels) == set(vocabulary().edge_kinds)
    assert (edge_label("ENJOINS"), edge_label("ISSUED_BY"), edge_label("LISTED_ON")) == (
        "enjoins",
        "issued by",
        "listed on",
    )


def model_schema_text() -> str:
    from graph.model import SCHEMA_FILE

    return SCHEMA_FILE.read_text(encoding="utf-8")


def test_ids_read_as_names_in_one_store_call(store: MemoryStore) -> None:
    (enjoins,) = store.edges_of("CASE:DDC:1:21-cv-00280", "out", ["ENJOINS"])
    protected = enjoins.properties["applies_to"]
    assert isinstance(protected, list) and protected
    counter = CountingStore(store)
    names = names_of_ids(cast(GraphStore, counter), [enjoins.properties, {"tranche": 4}])
    assert dict(counter.calls) == {"get_nodes": 1}  # every id of every edge in one round trip
    expected = {i: n.name for i, n in store.get_nodes([str(p) for p in protected]).items()}
    assert names == expected and set(names) == set(map(str, protected))
    text = property_value_text("applies_to", [*protected, "ORG:not-in-the-graph"], names)
    assert text == ", ".join(f"{expected[str(p)]} [{p}]" for p in protected) + ", ORG:not-in-the-graph"
    assert property_value_text("tranche", 4, names) == "4"
    counter.reset()
    assert names_of_ids(cast(GraphStore, counter), [{"tranche": 4}]) == {}
    assert counter.total() == 0  # no id: no store call


def test_a_node_property_typed_ids_reads_by_name(store: MemoryStore) -> None:
    """LIST:DOD-1260H's keeper is an id: the schema types it ``ids`` (node_properties), so the faces
    show the body's name with the id after, as they show whom an injunction protects."""
    keeper = store.get_node("LIST:DOD-1260H").properties["keeper"]  # type: ignore[union-attr]
    assert entity_ids("keeper", keeper) == ["BODY:dod"]
    names = names_of_ids(store, [{"keeper": keeper}])
    assert property_value_text("keeper", keeper, names) == "U.S. Department of Defense [BODY:dod]"
    assert (
        entity_ids("legal_basis", "BODY:dod") is None
    )  # an untyped property is text, even if it looks like an id


def test_a_node_property_typed_ids_must_hold_ids() -> None:
    import pytest
    from pydantic import ValidationError

    from graph.model import Node

    with pytest.raises(ValidationError, match="keeper"):
        Node(id="LIST:x", kind="SanctionsList", name="X", properties={"keeper": "the Pentagon"})
    with pytest.raises(ValidationError, match="keeper"):
        Node(id="LIST:x", kind="SanctionsList", name="X", properties={"keeper": 4})
    both = Node(id="LIST:x", kind="SanctionsList", name="X", properties={"keeper": ["BODY:dod", "BODY:ofac"]})
    assert entity_ids("keeper", both.properties["keeper"]) == ["BODY:dod", "BODY:ofac"]


def test_a_path_step_reads_by_label_the_way_its_edge_points() -> None:
    assert (
        edge_step("ISSUES", along=False, detail="from 1997, no end recorded")
        == "←issues (from 1997, no end recorded)—"
    )
    assert edge_step("EXCHANGE_ACTION", along=True) == "—acts on→"
    assert (
        edge_sentence("LISTED_ON", "Xiaomi Corporation", "1237 list")
        == "Xiaomi Corporation listed on 1237 list"
    )


def test_an_identifiers_label_names_the_scheme_not_an_example_value() -> None:
    """OFAC's program code reads "Sanctions program code: CMIC-EO13959", not with the code twice."""
    from graph.labels import identifier_label, identifier_text

    assert identifier_label("program") == "Sanctions program code"
    assert identifier_text("program", ["CMIC-EO13959"]).count("CMIC-EO13959") == 1


def test_a_list_with_no_published_size_says_its_members_shown_may_not_be_all(store: MemoryStore) -> None:
    # Review 34 L4: "5 members shown (every member ever listed that this graph holds)" made OFAC's
    # NS-CCMC List look like five companies; no source here gives its size (it first carried the
    # CCMCs, about 35, then the four subsidiaries of 2021-01-08), so none is invented.
    from graph.query import membership

    (ccmc,) = [membership_text(c) for c in membership(store, "LIST:OFAC-NS-CCMC")]
    assert ccmc == (
        "5 members shown (every member ever listed that this graph holds; no published size of the "
        "list is recorded here, so it may have named more)"
    )
    # A list whose editions' sizes are recorded says "N of M" per edition, and nothing more at the end.
    last = membership_text(membership(store, "LIST:DOD-1260H")[-1])
    assert last.endswith("members shown (every member ever listed that this graph holds)")


def test_a_lists_members_drawn_as_of_a_day_are_counted_as_drawn(store: MemoryStore) -> None:
    # Session 40: `neighbours LIST:DOD-1260H --as-of 2021-07-01` drew 47 listings under
    # "edition 2025-01-06: 134 of 134 members shown" and "209 members shown (every member ever
    # listed …)": editions not yet published and members not drawn. Counted from what was drawn:
    from datetime import date

    from graph.query import membership, neighbours

    day = date(2022, 11, 1)
    drawn = neighbours(store, "LIST:DOD-1260H", as_of=day)
    counts = membership(store, "LIST:DOD-1260H", drawn, day)
    # The edition in force that day only: the 2021 edition's members still listed in November
    # 2022 would read "N of 47", as if the graph lacked the others.
    assert [(c.edition, c.shown, c.published) for c in counts[:1]] == [("2022-10-05", 60, 60)]
    assert [c.edition for c in counts] == ["2022-10-05", None]
    members = {e.source for e in drawn.edges if e.kind == "LISTED_ON"}
    assert counts[-1].shown == len(members) and counts[-1].listed_on == "2022-11-01"
    assert membership_text(counts[-1]) == (
        f"{len(members)} members shown (those listed on 2022-11-01 that this graph holds)"
    )
    # A list too big to draw whole (a hub) says its members drawn are not all it holds.
    few = neighbours(store, "LIST:DOD-1260H", hub=10)
    (last,) = [c for c in membership(store, "LIST:DOD-1260H", few) if c.edition is None]
    assert last.partial and last.shown <= 10
    assert "the list has more edges than are drawn" in membership_text(last)
    # Drawn whole and not as of a day, the counts are the graph's, as `show` gives them.
    assert membership(store, "LIST:DOD-1260H", neighbours(store, "LIST:DOD-1260H")) == membership(
        store, "LIST:DOD-1260H"
    )
