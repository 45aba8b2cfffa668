"""The embedded default store: the whole graph in Python dictionaries.

Adjacency is indexed by (node, direction, edge kind), so a list node with
thousands of members does not make a lookup of its few ``GOVERNS`` edges scan
them all; names are indexed by their words (:mod:`graph.store.words`) and
securities by exchange and code, so ``search`` never scans every node.
Edges keep the order they were first written (see :mod:`graph.store.base`).

>>> from graph.model import Node
>>> store = MemoryStore()
>>> store.write([Node(id="ORG:x", kind="Company", name="X Corp")])
>>> store.node_count(), store.get_node("ORG:x").name
(1, 'X Corp')
>>> [n.id for n in store.name_candidates("x corporation")]
['ORG:x']
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection, Iterable, Iterator
from datetime import date

from graph.errors import OrdergraphError
from graph.model import Edge, Node, identifier_keys
from graph.names import code_key
from graph.store.base import CANDIDATES, Direction, Hops, Neighbourhood, StoreBase, reach_by_levels
from graph.store.words import Vocabulary, exact_keys, names_keys, node_words, pick, ranked, word_query

_Ids = dict[str, None]  # an insertion-ordered set of ids


def _security_keys(node: Node) -> tuple[str, str] | None:
    """(exchange without ``EXCH:``, code key) of a security, or None."""
    if node.kind != "Security":
        return None
    exchange = str(node.properties.get("exchange", "")).removeprefix("EXCH:")
    return exchange, code_key(str(node.properties.get("code", "")))


def _identifier_keys(node: Node) -> list[tuple[str, str]]:
    return [(scheme, value) for scheme, values in node.identifiers.items() for value in values]


class MemoryStore(StoreBase):
    """A GraphStore held in memory, with the indexes the protocol's lookups need."""

    def __init__(self) -> None:
        self._nodes: dict[str, Node] = {}
        self._position: dict[str, int] = {}  # node id → write position (kept when replaced)
        self._edges: dict[str, Edge] = {}
        self._seq: dict[str, int] = {}  # edge id → write position (kept when replaced)
        self._next = 0
        self._adjacency: dict[tuple[str, str], dict[str, _Ids]] = {}  # (node, side) → kind → edges
        self._node_kinds: dict[str, _Ids] = {}
        self._edge_kinds: dict[str, _Ids] = {}
        # Built on the first name lookup: a command given an id or a ticker never folds a name.
        self._words: dict[str, _Ids] | None = None
        self._named: dict[str, _Ids] = {}  # exact name key → nodes (built with _words)
        self._vocabulary: Vocabulary | None = None  # of _words, until the next write
        self._codes: dict[str, _Ids] = {}
        self._exchanges: dict[str, _Ids] = {}
        self._identifiers: dict[tuple[str, str], _Ids] = {}  # (scheme, value) → nodes
        self._placed = 0

    @classmethod
    def from_parts(cls, nodes: Iterable[Node], edges: Iterable[Edge]) -> MemoryStore:
        """A new store holding these nodes and edges."""
        store = cls()
        store.write(nodes, edges)
        return store

    # -- writing -------------------------------------------------------------

    def write(self, nodes: Iterable[Node] = (), edges: Iterable[Edge] = ()) -> None:
        nodes, edges = list(nodes), list(edges)
        incoming = {n.id for n in nodes}
        for edge in edges:  # check everything first: all or nothing
            for end in (edge.source, edge.target):
                if end not in self._nodes and end not in incoming:
                    raise OrdergraphError(f"edge {edge.id}: unknown node {end!r}")
        for node in nodes:
            self._put_node(node)
        for edge in edges:
            self._put_edge(edge)

    def add_node(self, node: Node) -> None:
        self.write([node])

    def add_edge(self, edge: Edge) -> None:
        self.write(edges=[edge])

    def delete(self, node_ids: Collection[str] = (), edge_ids: Collection[str] = ()) -> None:
        doomed = dict.fromkeys(e for e in edge_ids if e in self._edges)
        for node_id in node_ids:
            for side in ("out", "in"):
                for ids in self._adjacency.get((node_id, side), {}).values():
                    doomed.update(ids)
        for edge_id in doomed:
            self._drop_edge(self._edges[edge_id])
        for node_id in node_ids:
            if node_id in self._nodes:
                self._drop_node(self._nodes.pop(node_id))
                del self._position[node_id]

    def _put_node(self, node: Node) -> None:
        old = self._nodes.get(node.id)
        if old is not None:
            self._drop_node(old, keep_kind=old.kind == node.kind)
        self._nodes[node.id] = node
        if node.id not in self._position:
            self._position[node.id] = self._placed
            self._placed += 1
        self._node_kinds.setdefault(node.kind, {}).setdefault(node.id, None)
        if self._words is not None:
            self._index_name(self._words, node)
            self._vocabulary = None
        keys = _security_keys(node)
        if keys is not None:
            self._exchanges.setdefault(keys[0], {})[node.id] = None
            self._codes.setdefault(keys[1], {})[node.id] = None
        for key in _identifier_keys(node):
            self._identifiers.setdefault(key, {})[node.id] = None

    def _index_name(self, index: dict[str, _Ids], node: Node) -> None:
        for word in node_words(node):
            index.setdefault(word, {})[node.id] = None
        for key in exact_keys(node):
            self._named.setdefault(key, {})[node.id] = None

    def _name_index(self) -> tuple[dict[str, _Ids], Vocabulary]:
        """Name word → nodes (and exact name key → nodes), built from every node the first time a
        name is looked up; its vocabulary."""
        if self._words is None:
            self._words = {}
            for node in self._nodes.values():
                self._index_name(self._words, node)
        if self._vocabulary is None:
            self._vocabulary = Vocabulary.of({w: len(ids) for w, ids in self._words.items()})
        return self._words, self._vocabulary

    def _drop_node(self, node: Node, keep_kind: bool = False) -> None:
        """Take a node out of the indexes (its edges stay: a replaced node keeps them)."""
        if not keep_kind:
            del self._node_kinds[node.kind][node.id]
        if self._words is not None:
            for word in node_words(node):
                self._words[word].pop(node.id, None)
            for name in exact_keys(node):
                self._named[name].pop(node.id, None)
            self._vocabulary = None
        keys = _security_keys(node)
        if keys is not None:
            self._exchanges[keys[0]].pop(node.id, None)
            self._codes[keys[1]].pop(node.id, None)
        for key in _identifier_keys(node):
            self._identifiers[key].pop(node.id, None)

    def _put_edge(self, edge: Edge) -> None:
        old = self._edges.get(edge.id)
        if old is not None:
            self._drop_edge(old, keep_place=True)
        self._edges[edge.id] = edge
        if edge.id not in self._seq:
            self._seq[edge.id] = self._next
            self._next += 1
        self._edge_kinds.setdefault(edge.kind, {})[edge.id] = None
        for end, side in ((edge.source, "out"), (edge.target, "in")):
            self._adjacency.setdefault((end, side), {}).setdefault(edge.kind, {})[edge.id] = None

    def _drop_edge(self, edge: Edge, keep_place: bool = False) -> None:
        if not keep_place:
            del self._edges[edge.id]
            del self._seq[edge.id]
        del self._edge_kinds[edge.kind][edge.id]
        for end, side in ((edge.source, "out"), (edge.target, "in")):
            del self._adjacency[(end, side)][edge.kind][edge.id]

    # -- reading -------------------------------------------------------------

    def get_node(self, node_id: str) -> Node | None:
        return self._nodes.get(node_id)

    def get_edge(self, edge_id: str) -> Edge | None:
        return self._edges.get(edge_id)

    def get_nodes(self, node_ids: Iterable[str]) -> dict[str, Node]:
        return {i: self._nodes[i] for i in node_ids if i in self._nodes}

    def edges_of_many(
        self,
        node_ids: Collection[str],
        direction: Direction = "both",
        kinds: Collection[str] | None = None,
        as_of: date | None = None,
    ) -> list[Edge]:
        sides = [d for d in ("out", "in") if direction in (d, "both")]
        found: set[str] = set()
        for node_id in node_ids:
            for side in sides:
                by_kind = self._adjacency.get((node_id, side))
                if not by_kind:
                    continue
                for kind in by_kind if kinds is None else kinds:
                    found.update(by_kind.get(kind, ()))
        edges = (self._edges[i] for i in sorted(found, key=self._seq.__getitem__))
        return [e for e in edges if as_of is None or e.valid_on(as_of)]

    def reach(
        self,
        seeds: Collection[str],
        hops: Hops,
        depth: int,
        as_of: date | None = None,
        hub: int | None = None,
    ) -> Neighbourhood:
        return reach_by_levels(self, seeds, hops, depth, as_of, hub)

    def degrees(self, node_ids: Iterable[str]) -> dict[str, int]:
        return {
            i: sum(len(ids) for side in ("out", "in") for ids in self._adjacency.get((i, side), {}).values())
            for i in node_ids
            if i in self._nodes
        }

    def securities(self, exchange: str | None = None, code: str | None = None) -> list[Node]:
        if code is not None:
            ids: Iterable[str] = self._codes.get(code_key(code), {})
        elif exchange is not None:
            ids = self._exchanges.get(exchange, {})
        else:
            ids = self._node_kinds.get("Security", {})
        found = [self._nodes[i] for i in ids]
        if exchange is not None:
            found = [n for n in found if (_security_keys(n) or ("",))[0] == exchange]
        return sorted(found, key=lambda n: self._position[n.id])

    def nodes_by_identifier(self, scheme: str, value: str) -> list[Node]:
        return [self._nodes[i] for i in self._identifiers.get((scheme, value), {})]

    def name_candidates(
        self, text: str, kinds: Collection[str] | None = None, limit: int = CANDIDATES
    ) -> list[Node]:
        index, vocabulary = self._name_index()
        query = word_query(text, vocabulary, len(self._nodes))
        exact = self._nodes.get(text.strip())
        holders = {i: None for key in identifier_keys(text) for i in self._identifiers.get(key, {})}
        identified = [self._nodes[i] for i in sorted(holders, key=self._position.__getitem__)]
        position = self._position.__getitem__
        named = [
            self._nodes[i]
            for key in names_keys([text])
            for i in sorted(self._named.get(key, {}), key=position)
        ]
        if not query:
            return pick([], exact, kinds, limit, identified, text=text, named=named)
        carrying = [set().union(*(index[w] for w in group)) for group in query.groups]
        every = sorted(set.intersection(*carrying), key=position)
        weight: Counter[str] = Counter()
        for word, w in query.weights.items():
            for node_id in index[word]:
                weight[node_id] += w
        weighed = sorted(weight, key=lambda i: (-weight[i], position(i)))
        return pick(
            (self._nodes[i] for i in ranked(every, weighed)),
            exact,
            kinds,
            limit,
            identified,
            text=text,
            named=named,
        )

    # -- scans and counts ----------------------------------------------------

    def nodes(self, kind: str | None = None) -> Iterator[Node]:
        if kind is None:
            yield from self._nodes.values()
        else:
            yield from (self._nodes[i] for i in self._node_kinds.get(kind, {}))

    def edges(self, kind: str | None = None) -> Iterator[Edge]:
        if kind is None:
            yield from self._edges.values()
        else:
            yield from (self._edges[i] for i in self._edge_kinds.get(kind, {}))

    def node_count(self) -> int:
        return len(self._nodes)

    def edge_count(self) -> int:
        return len(self._edges)

    def counts(self) -> tuple[dict[str, int], dict[str, int]]:
        nodes = {k: len(v) for k, v in sorted(self._node_kinds.items()) if v}
        edges = {k: len(v) for k, v in sorted(self._edge_kinds.items()) if v}
        return nodes, edges
