"""The GraphStore protocol: what every backend offers the queries.

A store holds :class:`~graph.model.Node` and :class:`~graph.model.Edge`
objects. Parallel edges (same endpoints, different kind or period) are kept;
an edge is identified by its own stable id, never by its endpoints.

The protocol is shaped for a store across a network, where every call is a
round trip: reads come in batches (nodes by ids, the edges of many nodes, a
whole typed neighbourhood), lookups go through indexes (a security by exchange
and code, name candidates), and writes are one atomic batch. A query costs a
bounded number of store calls, never one per node and never a full scan;
``tests/graph/test_query.py`` pins the budgets with a call counter.

Edges come back in the order they were first written (a replaced edge keeps
its place), so every backend gives the same answers in the same order.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Literal, Protocol, runtime_checkable

from graph.errors import OrdergraphError
from graph.model import Edge, Node

Direction = Literal["out", "in", "both"]
# Which edges a walk follows: edge kind → the direction it is walked from a node.
Hops = Mapping[str, Direction]

# How many name candidates a store offers when the caller does not say: the same on every
# backend, which all follow one definition of the candidates (graph.store.words).
CANDIDATES = 200
# A name word more nodes than this carry ("trading" in a corpus of "… Trading Co.") tells
# nothing particular: candidates are not weighed by it, unless every word of the text is
# that common (then the rarest few are used).
COMMON_GRAM = 10_000
RAREST = 3
# A node with more edges than this is a hub (a sanctions list with 10^4 members, an exchange,
# a president who issues every order): walks show it but do not go through it, as a
# reporter reads "on the SDN list" without wanting the other members. The curated graph's
# busiest node (the DoD §1260H list) has about 200 edges: no hub (tests/graph/test_hubs.py).
HUB = 500


def telling_grams(frequency: Mapping[str, int]) -> list[str]:
    """The words worth weighing by, rarest first, given how many nodes carry each (``COMMON_GRAM``).

    >>> telling_grams({"syn": 90_000, "123": 40, " 12": 12_000})
    ['123']
    >>> telling_grams({"a": 90_000, "b": 80_000, "c": 70_000, "d": 60_000})
    ['d', 'c', 'b']
    """
    rarest = sorted(frequency, key=lambda g: (frequency[g], g))
    telling = [g for g in rarest if frequency[g] <= COMMON_GRAM]
    return telling or rarest[:RAREST]


class GraphView(Protocol):
    """What rules read one node at a time: a whole store, or a :class:`Neighbourhood` fetched from one."""

    def get_node(self, node_id: str) -> Node | None:
        """The node with this id, or None."""

    def edges_of(
        self,
        node_id: str,
        direction: Direction = "both",
        kinds: Collection[str] | None = None,
        as_of: date | None = None,
    ) -> Iterator[Edge]:
        """Edges touching a node, filtered by direction, kinds and validity on ``as_of``."""


@runtime_checkable
class GraphStore(Protocol):
    """A typed, dated multigraph of nodes and edges."""

    # -- writing -------------------------------------------------------------

    def write(self, nodes: Iterable[Node] = (), edges: Iterable[Edge] = ()) -> None:
        """Add (or replace, by id) nodes and edges, all or nothing.

        Every edge's endpoints must be in the store or among ``nodes``;
        otherwise OrdergraphError is raised and the store is left as it was.
        """

    def delete(self, node_ids: Collection[str] = (), edge_ids: Collection[str] = ()) -> None:
        """Remove edges, and nodes with every edge touching them, all or nothing (unknown ids: ignored)."""

    def add_node(self, node: Node) -> None:
        """Add a node, or replace the node with the same id (``write([node])``)."""

    def add_edge(self, edge: Edge) -> None:
        """Add an edge; both endpoints must already be in the store (``write(edges=[edge])``)."""

    # -- batch reads ---------------------------------------------------------

    def get_node(self, node_id: str) -> Node | None:
        """The node with this id, or None."""

    def get_edge(self, edge_id: str) -> Edge | None:
        """The edge with this id, or None."""

    def get_nodes(self, node_ids: Iterable[str]) -> dict[str, Node]:
        """The nodes with these ids, by id, in the order asked; unknown ids are left out."""

    def edges_of(
        self,
        node_id: str,
        direction: Direction = "both",
        kinds: Collection[str] | None = None,
        as_of: date | None = None,
    ) -> Iterator[Edge]:
        """Edges touching a node, filtered by direction, kinds and validity on ``as_of``."""

    def edges_of_many(
        self,
        node_ids: Collection[str],
        direction: Direction = "both",
        kinds: Collection[str] | None = None,
        as_of: date | None = None,
    ) -> list[Edge]:
        """Edges touching any of ``node_ids`` (each once), filtered as :meth:`edges_of`.

        One call per breadth-first level: ``direction`` is seen from the given nodes.
        """

    def reach(
        self,
        seeds: Collection[str],
        hops: Hops,
        depth: int,
        as_of: date | None = None,
        hub: int | None = None,
    ) -> Neighbourhood:
        """Every node within ``depth`` steps of ``seeds`` along ``hops``, with the edges walked.

        ``hops`` maps an edge kind to the direction it is followed in (from the
        node being expanded); edges not valid on ``as_of`` (when given) are not
        walked. Seeds that are not in the store are left out. With ``hub``, a
        node with more than ``hub`` edges (:meth:`degrees`) is reached but not
        walked through (a seed: only its first ``hub`` edges), and listed in
        ``hubs``. See :func:`reach_by_levels` for the meaning, which every
        backend matches.
        """

    def degrees(self, node_ids: Iterable[str]) -> dict[str, int]:
        """How many edges touch each of these nodes (any kind, any day; a loop twice), from an index."""

    # -- index lookups -------------------------------------------------------

    def securities(self, exchange: str | None = None, code: str | None = None) -> list[Node]:
        """Securities listed on ``exchange`` (``"HKEX"``, no ``EXCH:``) with ``code``, in write order.

        Either may be None (any). Codes compare upper-cased, and all-digit codes
        without leading zeros (``01810`` = ``1810``).
        """

    def name_candidates(
        self, text: str, kinds: Collection[str] | None = None, limit: int = CANDIDATES
    ) -> list[Node]:
        """Nodes that may be what ``text`` names, from an index (never a scan), best first.

        The node whose id is ``text`` comes first; then the nodes carrying the
        words ``text`` may mean, as :mod:`graph.store.words` defines them for
        every backend, at most ``limit``: every store offers the same nodes in
        the same order, and the caller ranks them (:func:`graph.names.similarity`).
        """

    # -- scans and counts ----------------------------------------------------

    def nodes(self, kind: str | None = None) -> Iterator[Node]:
        """Every node, or every node of one kind (a scan: for exports, not queries)."""

    def edges(self, kind: str | None = None) -> Iterator[Edge]:
        """Every edge, or every edge of one kind (a scan: for exports, not queries)."""

    def node_count(self) -> int:
        """How many nodes the store holds."""

    def edge_count(self) -> int:
        """How many edges the store holds."""

    def nodes_by_identifier(self, scheme: str, value: str) -> list[Node]:
        """The nodes carrying this identifier (``("isin", "US16941M1099")``), from an index."""

    def counts(self) -> tuple[dict[str, int], dict[str, int]]:
        """How many nodes of each kind, and how many edges of each kind."""


class StoreBase(ABC):
    """What every backend shares: ``edges_of`` is ``edges_of_many`` of one node (one round trip)."""

    @abstractmethod
    def edges_of_many(
        self,
        node_ids: Collection[str],
        direction: Direction = "both",
        kinds: Collection[str] | None = None,
        as_of: date | None = None,
    ) -> list[Edge]:
        """As :meth:`GraphStore.edges_of_many`."""

    def edges_of(
        self,
        node_id: str,
        direction: Direction = "both",
        kinds: Collection[str] | None = None,
        as_of: date | None = None,
    ) -> Iterator[Edge]:
        """As :meth:`GraphStore.edges_of`."""
        return iter(self.edges_of_many([node_id], direction, kinds, as_of))


@dataclass
class Neighbourhood:
    """Nodes and edges fetched around some seeds, read like a small store.

    A query fetches what its rules need in one :meth:`GraphStore.reach` call,
    then walks this in Python. Asking it for edges it did not fetch (a node at
    the rim, a kind or direction outside ``hops``) raises instead of answering
    short, so a rule can never silently miss an edge.
    """

    hops: dict[str, Direction]
    as_of: date | None
    nodes: dict[str, Node] = field(default_factory=dict)
    edges: dict[str, Edge] = field(default_factory=dict)
    # (expanded node, "out"|"in", kind) → its edges, in write order.
    index: dict[tuple[str, str, str], list[Edge]] = field(default_factory=dict)
    expanded: set[str] = field(default_factory=set)
    # Hubs reached and not walked through (or, a seed, only in part): id → all its edges.
    hubs: dict[str, int] = field(default_factory=dict)

    def record(self, frontier: Collection[str], side: Literal["out", "in"], fetched: Iterable[Edge]) -> None:
        """Keep the ``side`` edges fetched (in write order) for the nodes of ``frontier``."""
        self.expanded.update(frontier)
        for edge in fetched:
            self.edges.setdefault(edge.id, edge)
            end = edge.source if side == "out" else edge.target
            if end in frontier and self.hops.get(edge.kind) in (side, "both"):
                self.index.setdefault((end, side, edge.kind), []).append(edge)

    def get_node(self, node_id: str) -> Node | None:
        """The node, if it was reached."""
        return self.nodes.get(node_id)

    def edges_of(
        self,
        node_id: str,
        direction: Direction = "both",
        kinds: Collection[str] | None = None,
        as_of: date | None = None,
    ) -> Iterator[Edge]:
        """As :meth:`GraphStore.edges_of`, over what was fetched (``kinds`` must be named)."""
        if node_id not in self.expanded:
            raise OrdergraphError(f"neighbourhood: the edges of {node_id!r} were not fetched")
        if as_of is not None and self.as_of is not None and as_of != self.as_of:
            raise OrdergraphError("neighbourhood: fetched on another day")
        sides = [d for d in ("out", "in") if direction in (d, "both")]
        wanted = list(self.hops) if kinds is None else list(kinds)
        for side in sides:
            for kind in wanted:
                if self.hops.get(kind) not in (side, "both"):
                    raise OrdergraphError(f"neighbourhood: {side} {kind} edges were not fetched")
        seen: set[str] = set()
        for side in sides:
            for kind in wanted:
                for edge in self.index.get((node_id, side, kind), ()):
                    if edge.id in seen or (as_of is not None and not edge.valid_on(as_of)):
                        continue
                    seen.add(edge.id)
                    yield edge


def split_hops(hops: Hops) -> tuple[list[str], list[str]]:
    """The edge kinds followed outwards and those followed inwards."""
    out = [k for k, d in hops.items() if d in ("out", "both")]
    inn = [k for k, d in hops.items() if d in ("in", "both")]
    return out, inn


# A node's first ``limit`` edges on one side, of these kinds, valid on the day (in write order).
FirstEdges = Callable[[str, Literal["out", "in"], list[str], date | None, int], list[Edge]]


def reach_by_levels(
    store: GraphStore,
    seeds: Collection[str],
    hops: Hops,
    depth: int,
    as_of: date | None = None,
    hub: int | None = None,
    first_edges: FirstEdges | None = None,
) -> Neighbourhood:
    """:meth:`GraphStore.reach` from batch reads: per level, the edges of its new nodes, then their nodes.

    A backend without a faster way can return this; it costs the store
    ``1 + 2 * depth`` calls at most (two ``edges_of_many``, one per direction, and
    one ``get_nodes`` per level), never one per node; with ``hub``, one
    ``degrees`` call more per level. A hub (more than ``hub`` edges) is not
    expanded; a hub seed is expanded by its first ``hub`` edges (outgoing ones
    first, each side in write order) and, like every hub, is not marked
    expanded, so asking the neighbourhood for its edges raises. ``first_edges``
    reads a hub seed's first edges without reading all of them (a backend that
    can); by default they are the first of all its edges.

    >>> from graph.store.memory import MemoryStore
    >>> from graph.model import Node
    >>> s = MemoryStore.from_parts([Node(id="ORG:a", kind="Company", name="A")], [])
    >>> sorted(reach_by_levels(s, ["ORG:a", "ORG:gone"], {"ISSUES": "out"}, 2).nodes)
    ['ORG:a']
    """
    found = Neighbourhood(hops=dict(hops), as_of=as_of)
    found.nodes = store.get_nodes(seeds)
    out_kinds, in_kinds = split_hops(hops)
    frontier = list(found.nodes)
    seeded = set(frontier)
    for _ in range(max(depth, 0)):
        if not frontier:
            break
        hubs: dict[str, int] = {}
        if hub is not None:
            hubs = {n: d for n, d in store.degrees(frontier).items() if d > hub}
            found.hubs.update(hubs)
        expand = [n for n in frontier if n not in hubs]
        capped = {n: hub or 0 for n in hubs if n in seeded}  # room left for each hub seed
        fetched: list[Edge] = []
        sides: tuple[tuple[Literal["out", "in"], list[str]], ...] = (("out", out_kinds), ("in", in_kinds))
        for side, kinds in sides:
            if not kinds:
                continue
            if expand:
                batch = store.edges_of_many(expand, side, kinds, as_of)
                found.record(set(expand), side, batch)
                fetched += batch
            for seed, room in capped.items():
                if not room:
                    batch = []
                elif first_edges is not None:
                    batch = first_edges(seed, side, kinds, as_of, room)
                else:
                    batch = store.edges_of_many([seed], side, kinds, as_of)[:room]
                capped[seed] = room - len(batch)
                found.record({seed}, side, batch)
                fetched += batch
        found.expanded.difference_update(capped)
        new_ids = list(dict.fromkeys(e for edge in fetched for e in (edge.source, edge.target)))
        new_nodes = store.get_nodes([i for i in new_ids if i not in found.nodes])
        found.nodes.update(new_nodes)
        frontier = list(new_nodes)
        seeded = set()
    return found


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
