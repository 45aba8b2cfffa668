"""The hub rule on a generated graph: a node with more than HUB edges is shown, not walked through."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from graph.model import Edge, Node, Source
from graph.query import neighbours, paths
from graph.store.base import HUB, GraphStore
from graph.store.memory import MemoryStore
from graph.store.workspace import WorkspaceStore

SRC = [Source(url="https://example.org/s", title="t", publisher="p", kind="other")]
MEMBERS = HUB + 40  # a list just big enough to be a hub
BACKENDS: dict[str, Callable[[], GraphStore]] = {
    "memory": MemoryStore,
    "workspace": lambda: WorkspaceStore.open(":memory:"),
}


def _edge(kind: str, source: str, target: str) -> Edge:
    return Edge(id=f"{kind}:{source}>{target}", kind=kind, source=source, target=target,
                confidence="verified", sources=SRC)  # fmt: skip


@pytest.fixture(params=sorted(BACKENDS))
def graph(request: pytest.FixtureRequest) -> GraphStore:
    """A and B on the big list L (with MEMBERS members in all); A owns S; S and T are on the small list K."""
    store = BACKENDS[request.param]()
    members = [f"ORG:m{i}" for i in range(MEMBERS - 2)]
    nodes = [Node(id=i, kind="Company", name=i) for i in ["ORG:a", "ORG:b", "ORG:s", "ORG:t", *members]]
    nodes += [
        Node(id="LIST:l", kind="SanctionsList", name="L"),
        Node(id="LIST:k", kind="SanctionsList", name="K"),
    ]
    edges = [_edge("LISTED_ON", m, "LIST:l") for m in ["ORG:a", "ORG:b", *members]]
    edges += [_edge("SUBSIDIARY_OF", "ORG:s", "ORG:a")]
    edges += [_edge("LISTED_ON", m, "LIST:k") for m in ("ORG:s", "ORG:t")]
    store.write(nodes, edges)
    return store


def test_degrees_count_every_edge_of_a_node(graph: GraphStore) -> None:
    assert graph.degrees(["LIST:l", "ORG:a", "LIST:k", "ORG:none"]) == {
        "LIST:l": MEMBERS,
        "ORG:a": 2,
        "LIST:k": 2,
    }
    graph.write(edges=[_edge("LISTED_ON", "ORG:s", "LIST:l")])
    graph.write(edges=[Edge(**{**_edge("SUBSIDIARY_OF", "ORG:s", "ORG:a").model_dump(), "target": "ORG:b"})])
    assert graph.degrees(["LIST:l", "ORG:a", "ORG:b", "ORG:s"]) == {
        "LIST:l": MEMBERS + 1, "ORG:a": 1, "ORG:b": 2, "ORG:s": 3,
    }  # fmt: skip
    graph.write([Node(id="ORG:s", kind="Company", name="S renamed")])  # a replaced node keeps its edges
    graph.delete(["ORG:b"])
    assert graph.degrees(["LIST:l", "ORG:s"]) == {"LIST:l": MEMBERS, "ORG:s": 2}


def test_neighbours_show_a_hub_without_walking_through_it(graph: GraphStore) -> None:
    sub = neighbours(graph, "ORG:a", depth=2)
    assert {n.id for n in sub.nodes} == {"ORG:a", "LIST:l", "ORG:s", "LIST:k"}
    assert sub.more == {"LIST:l": MEMBERS - 1}  # showing 1 of its MEMBERS edges
    everything = neighbours(graph, "ORG:a", depth=2, hub=None)
    assert len(everything.nodes) == MEMBERS + 3  # the members, L, S and K
    assert everything.more == {}


def test_a_hub_at_the_centre_shows_its_first_edges(graph: GraphStore) -> None:
    sub = neighbours(graph, "LIST:l", depth=1)
    assert len(sub.edges) == HUB and sub.more == {"LIST:l": MEMBERS - HUB}
    assert [n.id for n in sub.nodes[:3]] == ["LIST:l", "ORG:a", "ORG:b"]  # in write order


def test_paths_do_not_go_through_a_hub_unless_asked(graph: GraphStore) -> None:
    assert paths(graph, "ORG:a", "ORG:b") == []
    through = paths(graph, "ORG:a", "ORG:b", hub=None)
    assert [[step.id for step in p][::2] for p in through] == [["ORG:a", "LIST:l", "ORG:b"]]
    to_hub = paths(graph, "ORG:s", "LIST:l")  # a hub at an end is fine
    assert [[step.id for step in p][::2] for p in to_hub] == [["ORG:s", "ORG:a", "LIST:l"]]
    small = paths(graph, "ORG:a", "ORG:t")  # a small list is a step like any other
    assert [[step.id for step in p][::2] for p in small] == [["ORG:a", "ORG:s", "LIST:k", "ORG:t"]]


def test_no_node_of_the_curated_graph_is_a_hub(store: MemoryStore) -> None:
    """The README says so: on the curated graph the hub rule changes no answer."""
    degrees = store.degrees(node.id for node in store.nodes())
    busiest = max(degrees, key=degrees.__getitem__)
    assert degrees[busiest] <= HUB, (busiest, degrees[busiest])
