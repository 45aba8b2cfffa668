"""The embedded default store: a networkx ``MultiDiGraph``.

Nodes carry their model under the attribute ``node``; edges are keyed by
their own id and carry their model under ``edge``, so parallel edges between
the same two nodes are all kept.

>>> from graph.model import Node
>>> store = MemoryStore()
>>> store.add_node(Node(id="ORG:x", kind="Company", name="X"))
>>> store.node_count(), store.get_node("ORG:x").name
(1, 'X')
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Iterator
from datetime import date

import networkx as nx

from graph.errors import OrdergraphError
from graph.model import Edge, Node
from graph.store.base import Direction


def _identifier_keys(node: Node) -> list[tuple[str, str]]:
    return [(scheme, value) for scheme, values in node.identifiers.items() for value in values]


class MemoryStore:
    """A GraphStore over ``networkx.MultiDiGraph``."""

    def __init__(self) -> None:
        self.graph = nx.MultiDiGraph()
        self._edges: dict[str, Edge] = {}
        # (node id, "out"|"in", edge kind) → edge ids: a list node with thousands of members
        # must not make a lookup of its few GOVERNS edges scan them all.
        self._by_kind: dict[tuple[str, str, str], dict[str, None]] = {}
        # (scheme, value) → node ids holding that identifier.
        self._by_identifier: dict[tuple[str, str], dict[str, None]] = {}

    @classmethod
    def from_parts(cls, nodes: Iterable[Node], edges: Iterable[Edge]) -> MemoryStore:
        """A new store holding these nodes and edges."""
        store = cls()
        for node in nodes:
            store.add_node(node)
        for edge in edges:
            store.add_edge(edge)
        return store

    def add_node(self, node: Node) -> None:
        old = self.get_node(node.id)
        if old is not None:
            for key in _identifier_keys(old):
                self._by_identifier[key].pop(old.id, None)
        self.graph.add_node(node.id, node=node, kind=node.kind)
        for key in _identifier_keys(node):
            self._by_identifier.setdefault(key, {})[node.id] = None

    def nodes_by_identifier(self, scheme: str, value: str) -> list[Node]:
        ids = self._by_identifier.get((scheme, value), {})
        return [self.graph.nodes[node_id]["node"] for node_id in ids]

    def add_edge(self, edge: Edge) -> None:
        for end in (edge.source, edge.target):
            if end not in self.graph:
                raise OrdergraphError(f"edge {edge.id}: unknown node {end!r}")
        if edge.id in self._edges:
            old = self._edges[edge.id]
            self.graph.remove_edge(old.source, old.target, key=edge.id)
            del self._by_kind[(old.source, "out", old.kind)][old.id]
            del self._by_kind[(old.target, "in", old.kind)][old.id]
        self.graph.add_edge(edge.source, edge.target, key=edge.id, edge=edge, kind=edge.kind)
        self._edges[edge.id] = edge
        self._by_kind.setdefault((edge.source, "out", edge.kind), {})[edge.id] = None
        self._by_kind.setdefault((edge.target, "in", edge.kind), {})[edge.id] = None

    def get_node(self, node_id: str) -> Node | None:
        data = self.graph.nodes.get(node_id)
        return None if data is None else data["node"]

    def get_edge(self, edge_id: str) -> Edge | None:
        return self._edges.get(edge_id)

    def nodes(self, kind: str | None = None) -> Iterator[Node]:
        for _, data in self.graph.nodes(data=True):
            node: Node = data["node"]
            if kind is None or node.kind == kind:
                yield node

    def edges(self, kind: str | None = None) -> Iterator[Edge]:
        for edge in self._edges.values():
            if kind is None or edge.kind == kind:
                yield edge

    def edges_of(
        self,
        node_id: str,
        direction: Direction = "both",
        kinds: Collection[str] | None = None,
        as_of: date | None = None,
    ) -> Iterator[Edge]:
        if node_id not in self.graph:
            return
        if kinds is not None:
            sides = [d for d in ("out", "in") if direction in (d, "both")]
            candidates: Iterator[Edge] = (
                self._edges[edge_id]
                for side in sides
                for kind in kinds
                for edge_id in self._by_kind.get((node_id, side, kind), ())
            )
        else:
            views = []
            if direction in ("out", "both"):
                views.append(self.graph.out_edges(node_id, data="edge"))
            if direction in ("in", "both"):
                views.append(self.graph.in_edges(node_id, data="edge"))
            candidates = (edge for view in views for _, _, edge in view)
        seen: set[str] = set()
        for edge in candidates:
            if edge.id in seen:
                continue
            seen.add(edge.id)
            if as_of is not None and not edge.valid_on(as_of):
                continue
            yield edge

    def node_count(self) -> int:
        return int(self.graph.number_of_nodes())

    def edge_count(self) -> int:
        return len(self._edges)
