"""The GraphStore protocol: what every backend offers the queries.

A store holds :class:`~graph.model.Node` and :class:`~graph.model.Edge`
objects. Parallel edges (same endpoints, different kind or period) are kept;
an edge is identified by its own stable id, never by its endpoints.
"""

from __future__ import annotations

from collections.abc import Collection, Iterator
from datetime import date
from typing import Literal, Protocol, runtime_checkable

from graph.model import Edge, Node

Direction = Literal["out", "in", "both"]


@runtime_checkable
class GraphStore(Protocol):
    """A typed, dated multigraph of nodes and edges."""

    def add_node(self, node: Node) -> None:
        """Add a node, or replace the node with the same id."""

    def add_edge(self, edge: Edge) -> None:
        """Add an edge; both endpoints must already be in the store."""

    def get_node(self, node_id: str) -> Node | None:
        """The node with this id, or None."""

    def get_edge(self, edge_id: str) -> Edge | None:
        """The edge with this id, or None."""

    def nodes(self, kind: str | None = None) -> Iterator[Node]:
        """Every node, or every node of one kind."""

    def edges(self, kind: str | None = None) -> Iterator[Edge]:
        """Every edge, or every edge of one kind."""

    def edges_of(
        self,
        node_id: str,
        direction: Direction = "both",
        kinds: Collection[str] | None = None,
        as_of: date | None = None,
    ) -> Iterator[Edge]:
        """Edges touching a node, filtered by direction, kinds and validity on ``as_of``."""

    def node_count(self) -> int:
        """How many nodes the store holds."""

    def edge_count(self) -> int:
        """How many edges the store holds."""

    def nodes_by_identifier(self, scheme: str, value: str) -> list[Node]:
        """The nodes carrying this identifier (``("isin", "US16941M1099")``), from an index."""


def other_end(edge: Edge, node_id: str) -> str:
    """The endpoint of ``edge`` that is not ``node_id`` (itself for a loop)."""
    return edge.target if edge.source == node_id else edge.source


def neighbour_ids(
    store: GraphStore,
    node_id: str,
    direction: Direction = "both",
    kinds: Collection[str] | None = None,
    as_of: date | None = None,
) -> set[str]:
    """The ids of the nodes one edge away from ``node_id``."""
    return {other_end(e, node_id) for e in store.edges_of(node_id, direction, kinds, as_of)}
