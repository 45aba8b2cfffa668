"""Nodes and edges as Neo4j property maps, without a database: native, exact, and back to the models."""

from __future__ import annotations

import json
from datetime import date

from graph import cypher, neo4j_rows
from graph.model import (
    Disputed,
    Edge,
    Node,
    NodeClaim,
    NodeDisputed,
    Provenance,
    Source,
)
from graph.store.memory import MemoryStore

SRC = [Source(url="https://example.org/s", title="t", publisher="p", kind="official")]


def test_every_curated_model_survives_the_property_maps(store: MemoryStore) -> None:
    for node in store.nodes():
        assert neo4j_rows.node_from_record(neo4j_rows.node_row(node, sync=3)["props"]) == node
    for edge in store.edges():
        row = neo4j_rows.edge_row(edge, sync=3)
        assert neo4j_rows.edge_from_record(row["props"], row["source"], row["target"]) == edge


# Written for people writing Cypher (docs/neo4j_rows.md), not read back into the model.
FOR_CYPHER_USERS = {"ticker", "source_urls", "source_kinds", "disputed_fields"}


def test_every_property_the_model_does_not_read_back_is_for_cypher_users_or_left_out_of_reads(
    store: MemoryStore,
) -> None:
    """A property a new lookup or the sync adds must be named in INDEX_ONLY_NODE_KEYS, so reads
    leave it out (:func:`graph.neo4j_rows.node_map`): found here as a key whose removal leaves the model
    read back unchanged, and which is neither Cypher's to filter on nor a date bound."""
    written: set[str] = set()
    read: set[str] = set()  # keys whose removal changes some node read back
    merged = Node(id="ORG:m", kind="Company", name="M", provenance=[Provenance(dataset="os")])
    for node in [*store.nodes(), merged]:
        props = neo4j_rows.node_row(node, sync=3)["props"] | {"digest": "d"}
        for key in props:
            if key.endswith(("_from", "_to")) and key.rsplit("_", 1)[0] in neo4j_rows.NODE_DATE_PROPERTIES:
                continue
            try:
                same = neo4j_rows.node_from_record({k: v for k, v in props.items() if k != key}) == node
            except (KeyError, ValueError):  # the model needs it (a pydantic error is a ValueError)
                same = False
            written.add(key)
            if not same:
                read.add(key)
    assert written - read - FOR_CYPHER_USERS - {"seq"} == set(cypher.INDEX_ONLY_NODE_KEYS)
    query = cypher.get_nodes(["ORG:x"])[0]
    assert all(f"{key}: null" in query for key in cypher.INDEX_ONLY_NODE_KEYS)


def test_awkward_properties_travel_exactly_in_extra() -> None:
    edge = Edge(
        id="e",
        kind="LISTED_ON",
        source="ORG:a",
        target="LIST:l",
        confidence="likely",
        sources=SRC,
        properties={"mixed": [1, "a"], "nothing": None, "start": "clash", "ok": 1.5, "flag": True},
    )
    props = neo4j_rows.edge_row(edge)["props"]
    assert props["ok"] == 1.5 and props["flag"] is True
    assert "mixed" not in props and "nothing" not in props and "start" not in props
    assert neo4j_rows.edge_from_record(props, "ORG:a", "LIST:l") == edge


def test_the_property_map_holds_no_bookkeeping_lists_and_still_rebuilds_the_model() -> None:
    """Each list property costs Neo4j dynamic records: the model's keys and datasets are not stored
    as lists (the reader tells model properties from the mapping's own keys; datasets are in
    provenance), and a node without identifiers has no empty identifier list."""
    node = Node(
        id="EO:1",
        kind="ExecutiveOrder",
        name="Order",
        properties={
            "signed": "2021-01",
            "signed_from": "not a bound",  # clashes with the bound of `signed`: kept exactly in extra
            "effective_to": 3,  # looks like a bound, but there is no `effective`: native
            "published": "someday",  # a date property that is no date: no bounds
            "published_to": "x",
            "property_keys": ["a"],
            "datasets": "mine",
            "seq": 7,
        },
        provenance=[Provenance(dataset="curated"), Provenance(dataset="os")],
    )
    props = neo4j_rows.node_row(node, sync=2)["props"]
    assert props["effective_to"] == 3 and props["published_to"] == "x"
    assert props["signed_from"] == date(2021, 1, 1)
    assert "identifier_keys" not in props and props.get("property_keys") is None
    assert props.get("datasets") is None
    assert neo4j_rows.node_from_record(props) == node
    assert list(neo4j_rows.node_from_record(props).properties) == sorted(node.properties)
    edge = Edge(
        id="e",
        kind="LISTED_ON",
        source="ORG:a",
        target="LIST:l",
        start="2021-01-11",
        confidence="likely",
        sources=SRC,
        properties={"start_to": "clash", "end_from": "no end: native", "datasets": ["x"]},
        identifiers={"ftm_id": ["x1"]},
    )
    row = neo4j_rows.edge_row(edge)
    assert row["props"]["end_from"] == "no end: native" and row["props"]["identifier_keys"] == ["ftm_id:x1"]
    assert neo4j_rows.edge_from_record(row["props"], "ORG:a", "LIST:l") == edge


def test_identifiers_are_stored_once_as_keys_unless_the_keys_cannot_give_them_back() -> None:
    """``identifier_keys`` (a list the identifiers index reads) gives the identifiers back, values in
    their order (a ticker's own ``:`` included): no second copy as JSON, one dynamic record less an
    item. Only what the keys cannot say (a scheme listed with no value) also travels as JSON."""
    node = Node(
        id="SEC:HKEX:0001",
        kind="Security",
        name="HKEX 0001",
        identifiers={"ticker": ["HKEX:0001"], "isin": ["HK0000000007", "HK0000000001"]},
    )
    props = neo4j_rows.node_row(node)["props"]
    assert props["identifier_keys"] == ["isin:HK0000000007", "isin:HK0000000001", "ticker:HKEX:0001"]
    assert "identifiers" not in props
    assert neo4j_rows.node_from_record(props) == node
    edge = Edge(id="e", kind="LISTED_ON", source="ORG:a", target="LIST:l", confidence="likely", sources=SRC)
    assert "identifiers" not in neo4j_rows.edge_row(edge)["props"]
    assert neo4j_rows.edge_from_record(neo4j_rows.edge_row(edge)["props"], "ORG:a", "LIST:l") == edge
    odd = node.model_copy(update={"identifiers": {"isin": [], "ticker": ["HKEX:0001"]}})
    props = neo4j_rows.node_row(odd)["props"]
    assert props["identifier_keys"] == ["ticker:HKEX:0001"] and "identifiers" in props
    assert neo4j_rows.node_from_record(props) == odd


def test_a_nodes_disputed_values_survive_the_property_map() -> None:
    node = Node(
        id="ORG:a",
        kind="Company",
        name="Alpha",
        properties={"incorporated": "1999-01-01"},
        disputed=[NodeDisputed(field="incorporated", value="1998-12-31", datasets=["os"], sources=SRC)],
        claims=[NodeClaim(field="incorporated", value="1999-01-01", datasets=["curated"], sources=SRC)],
        provenance=[Provenance(dataset="curated"), Provenance(dataset="os")],
    )
    props = neo4j_rows.node_row(node)["props"]
    assert "claims" not in neo4j_rows.node_from_record(props).properties
    assert props["disputed_fields"] == ["incorporated"]
    assert neo4j_rows.node_from_record(props) == node


def test_an_edges_disputed_reading_keeps_whom_it_is_about() -> None:
    """NYSE's date for the telcos' ADSs (``about``) survives the row the Bolt and bulk syncs write:
    without it, ``affects`` over Neo4j would show the reading on the Hong Kong shares again."""
    reading = Disputed(field="applies_from", value="2021-01-11", sources=SRC, about=["SEC:NYSE:CHA"])
    edge = Edge(
        id="e", kind="LISTED_ON", source="ORG:a", target="LIST:l", confidence="verified", sources=SRC,
        start="2021-01-08", disputed=[reading],
    )  # fmt: skip
    back = neo4j_rows.edge_from_record(neo4j_rows.edge_row(edge)["props"], "ORG:a", "LIST:l")
    assert back == edge and back.disputed[0].about == ["SEC:NYSE:CHA"]


def test_a_disputed_readings_sources_come_back_ranked_as_the_listings() -> None:
    """Issue 7: a reading's sources read back from Neo4j in the listing's order (a silent alert on the
    whole edition after the report naming the company), whatever order the row holds them in."""
    alert = Source(url="https://example.org/alert", title="a", publisher="Firm", kind="law_firm")
    report = Source(url="https://example.org/report", title="r", publisher="Daily", kind="press")
    edge = Edge(
        id="e", kind="LISTED_ON", source="ORG:a", target="LIST:l", confidence="likely", sources=SRC,
        properties={"not_named_by": [alert.url]},
        disputed=[Disputed(field="start", value="2021-01-08", sources=[alert, report])],
    )  # fmt: skip
    assert edge.disputed[0].sources == [report, alert]
    props = neo4j_rows.edge_row(edge)["props"]
    (reading,) = json.loads(props["disputed"])
    reading["sources"].reverse()  # a row holding them by kind alone (as written before the judgement)
    props["disputed"] = json.dumps([reading])
    back = neo4j_rows.edge_from_record(props, "ORG:a", "LIST:l")
    assert back == edge and [s.url for s in back.disputed[0].sources] == [report.url, alert.url]


def test_dates_keep_their_text_and_gain_bounds() -> None:
    edge = Edge(
        id="e",
        kind="GOVERNS",
        source="EO:1",
        target="LIST:l",
        start="2021",
        end="2021-02",
        confidence="verified",
        sources=SRC,
        properties={"annex_effective": "2021-01-11"},
    )
    props = neo4j_rows.edge_row(edge)["props"]
    assert (props["start"], props["start_from"], props["start_to"]) == (
        "2021",
        date(2021, 1, 1),
        date(2021, 12, 31),
    )
    assert (props["end_from"], props["end_to"]) == (date(2021, 2, 1), date(2021, 2, 28))
    assert props["annex_effective_from"] == props["annex_effective_to"] == date(2021, 1, 11)
    node = Node(
        id="SEC:HKEX:1810", kind="Security", name="X", properties={"code": "1810", "exchange": "EXCH:HKEX"}
    )
    assert "code_from" not in neo4j_rows.node_row(node)["props"], (
        "a code that reads like a year is not a date"
    )


def test_a_public_inspection_day_is_a_native_date_in_neo4j(store: MemoryStore) -> None:
    """A document's ``public_inspection`` (eyes36 P4) is typed as its ``date`` was: native bounds
    beside it, so Cypher's date filters find 31 CFR part 586 by its day."""
    node = store.get_node("DOC:2022-03378")
    assert node is not None
    props = neo4j_rows.node_row(node, sync=3)["props"]
    assert props["public_inspection"] == "2022-02-15"
    assert (props["public_inspection_from"], props["public_inspection_to"]) == (
        date(2022, 2, 15),
        date(2022, 2, 15),
    )
