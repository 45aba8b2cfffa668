"""The GraphStore contract, run against every backend."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest

from graph.errors import OrdergraphError
from graph.model import Edge, Node, Source
from graph.store.base import GraphStore, neighbour_ids
from graph.store.memory import MemoryStore

BACKENDS: dict[str, Callable[[], GraphStore]] = {"memory": MemoryStore}
SRC = [Source(url="https://example.org/s", title="t", publisher="p", kind="other")]


def _edge(
    id_: str, kind: str, source: str, target: str, start: str | None = None, end: str | None = None
) -> Edge:
    return Edge(
        id=id_,
        kind=kind,
        source=source,
        target=target,
        start=start,
        end=end,
        confidence="verified",
        sources=SRC,
    )


@pytest.fixture(params=sorted(BACKENDS))
def empty(request: pytest.FixtureRequest) -> GraphStore:
    return BACKENDS[request.param]()


@pytest.fixture
def small(empty: GraphStore) -> GraphStore:
    for node in (
        Node(id="ORG:a", kind="Company", name="A"),
        Node(id="LIST:l", kind="SanctionsList", name="L"),
        Node(id="SEC:NYSE:A", kind="Security", name="A ADS"),
    ):
        empty.add_node(node)
    empty.add_edge(_edge("e1", "LISTED_ON", "ORG:a", "LIST:l", "2020-01-01", "2020-06-01"))
    empty.add_edge(_edge("e2", "LISTED_ON", "ORG:a", "LIST:l", "2020-09-01"))
    empty.add_edge(_edge("e3", "ISSUES", "ORG:a", "SEC:NYSE:A"))
    return empty


def test_counts_and_lookups(small: GraphStore) -> None:
    assert (small.node_count(), small.edge_count()) == (3, 3)
    node = small.get_node("ORG:a")
    assert node is not None and node.name == "A"
    edge = small.get_edge("e2")
    assert edge is not None and edge.start == "2020-09-01"
    assert small.get_node("ORG:none") is None and small.get_edge("none") is None


def test_parallel_edges_are_kept(small: GraphStore) -> None:
    assert sorted(e.id for e in small.edges("LISTED_ON")) == ["e1", "e2"]


def test_edges_of_filters_direction_kind_and_date(small: GraphStore) -> None:
    assert sorted(e.id for e in small.edges_of("ORG:a", "out")) == ["e1", "e2", "e3"]
    assert [e.id for e in small.edges_of("ORG:a", "in")] == []
    assert sorted(e.id for e in small.edges_of("ORG:a", kinds=["ISSUES"])) == ["e3"]
    assert sorted(e.id for e in small.edges_of("LIST:l", "in", as_of=date(2020, 7, 1))) == []
    assert sorted(e.id for e in small.edges_of("LIST:l", "in", as_of=date(2020, 5, 31))) == ["e1"]
    assert neighbour_ids(small, "ORG:a") == {"LIST:l", "SEC:NYSE:A"}


def test_nodes_by_kind(small: GraphStore) -> None:
    assert [n.id for n in small.nodes("Security")] == ["SEC:NYSE:A"]


def test_readding_an_edge_replaces_it(small: GraphStore) -> None:
    small.add_edge(_edge("e2", "LISTED_ON", "ORG:a", "LIST:l", "2020-10-01"))
    assert small.edge_count() == 3
    edge = small.get_edge("e2")
    assert edge is not None and edge.start == "2020-10-01"


def test_edge_to_unknown_node_is_refused(empty: GraphStore) -> None:
    empty.add_node(Node(id="ORG:a", kind="Company", name="A"))
    with pytest.raises(OrdergraphError):
        empty.add_edge(_edge("x", "LISTED_ON", "ORG:a", "LIST:missing"))


CHL_ISIN, CHU_ISIN = "US16941M1099", "US16945R1041"


def test_nodes_by_identifier_follow_replacements(empty: GraphStore) -> None:
    empty.add_node(Node(id="SEC:NYSE:CHL", kind="Security", name="CHL", identifiers={"isin": [CHL_ISIN]}))
    assert [n.id for n in empty.nodes_by_identifier("isin", "US16941M1099")] == ["SEC:NYSE:CHL"]
    empty.add_node(Node(id="SEC:NYSE:CHL", kind="Security", name="CHL", identifiers={"isin": [CHU_ISIN]}))
    assert empty.nodes_by_identifier("isin", "US16941M1099") == []
    assert [n.name for n in empty.nodes_by_identifier("isin", "US16945R1041")] == ["CHL"]
