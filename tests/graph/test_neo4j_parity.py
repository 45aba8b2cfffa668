"""The Neo4j store answers exactly as the embedded one: on the curated graph around every rule boundary,
and on random graphs (hypothesis)."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import cast

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from neo4j import Driver, GraphDatabase, ManagedTransaction

from graph.affects import AFFECTS_DEPTH, AFFECTS_HOPS
from graph.errors import OrdergraphError
from graph.model import Edge, Node, Source
from graph.neo4j_sync import sync
from graph.query import affects, neighbours, paths, search, show, timeline
from graph.store import neo4j as neo4j_store
from graph.store.base import GraphStore, Hops, Neighbourhood
from graph.store.memory import MemoryStore
from graph.store.neo4j import Neo4jStore
from graph.store.workspace import WorkspaceStore
from tests.graph.answers import affects_once
from tests.graph.snapshot_answers import boundary_days
from tools.neo4j import server
from tools.neo4j.bulk import bulk_sync

pytestmark = pytest.mark.neo4j


@pytest.fixture(scope="module", params=["bolt", "bulk"])
def curated(request: pytest.FixtureRequest, store: MemoryStore) -> Iterator[Neo4jStore]:
    """The curated graph in Neo4j, written by the Bolt sync, and by the bulk import (tools.neo4j.bulk)
    into a server of its own."""
    nodes, edges = list(store.nodes()), list(store.edges())
    if request.param == "bolt":
        neo4j_driver: Driver = request.getfixturevalue("neo4j_driver")
        neo4j_driver.execute_query("MATCH (n) DETACH DELETE n")
        sync(neo4j_driver, nodes, edges)
        yield Neo4jStore(neo4j_driver)
        return
    home: Path = request.getfixturevalue("neo4j_bulk_home")
    running = server.read_state(home)
    assert running is not None
    with GraphDatabase.driver(running.bolt_uri, auth=None) as driver:
        driver.execute_query("MATCH (n) DETACH DELETE n")
    bulk_sync(home, nodes, edges, stop_with=os.getpid())
    running = server.read_state(home)
    assert running is not None
    with GraphDatabase.driver(running.bolt_uri, auth=None) as driver:
        yield Neo4jStore(driver)


class _ReachOnce:
    """A store that fetches each neighbourhood from Neo4j once: ``affects`` asks for the same one
    (no day in it) on every day, so each security costs one round trip here, not one per day."""

    def __init__(self, inner: Neo4jStore) -> None:
        self.inner = inner
        self.fetched: dict[tuple[object, ...], Neighbourhood] = {}

    def __getattr__(self, name: str) -> object:
        return getattr(self.inner, name)

    def reach(self, seeds: list[str], hops: Hops, depth: int, as_of: date | None = None) -> Neighbourhood:
        key = (tuple(seeds), tuple(sorted(hops.items())), depth, as_of)
        if key not in self.fetched:
            self.fetched[key] = self.inner.reach(seeds, hops, depth, as_of)
        return self.fetched[key]


# The bulk route's graph is the Bolt route's, property for property: test_neo4j_bulk compares a full
# dump of both on the curated graph. So the sweeps below read every entity on the Bolt route and every
# BULK_STRIDE-th on the bulk route (its reads are the same code over the same graph).
BULK_STRIDE = 4


def _swept(request: pytest.FixtureRequest, items: list[Node]) -> list[Node]:
    """Every item on the Bolt route; every BULK_STRIDE-th, from the first, on the bulk route."""
    return items if request.node.callspec.params["curated"] == "bolt" else items[::BULK_STRIDE]


def test_affects_alike_on_every_security_around_every_rule_boundary(
    request: pytest.FixtureRequest, curated: Neo4jStore, store: MemoryStore
) -> None:
    remote = cast(GraphStore, _ReachOnce(curated))
    checked = 0
    for security in _swept(request, list(store.nodes("Security"))):
        fetched = curated.reach([security.id], AFFECTS_HOPS, AFFECTS_DEPTH)
        assert fetched == store.reach([security.id], AFFECTS_HOPS, AFFECTS_DEPTH), security.id
        for day in boundary_days(store, security.id):
            expected = affects_once(store, security.id, day)
            assert affects(remote, security.id, day) == expected, (security.id, day)
            checked += 1
    assert checked > 500 // BULK_STRIDE


def test_timelines_alike(request: pytest.FixtureRequest, curated: Neo4jStore, store: MemoryStore) -> None:
    for node in _swept(request, list(store.nodes())):
        assert timeline(curated, node.id) == timeline(store, node.id), node.id


def _property_maps(value: object) -> Iterator[dict[str, object]]:
    """Every entity or relationship property map in what a read returned (maps with an id and a kind)."""
    if isinstance(value, dict):
        if "id" in value and "kind" in value:
            yield value
        for inner in value.values():
            yield from _property_maps(inner)
    elif isinstance(value, list):
        for inner in value:
            yield from _property_maps(inner)


def test_reads_give_the_embedded_nodes_and_ship_no_index_only_property(
    curated: Neo4jStore, store: MemoryStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A node read from Neo4j is the embedded one, and no read carries a property only the lookups
    or the sync use: every node's name keys once rode along with every read, unseen (the model
    drops them)."""
    shipped: list[dict[str, object]] = []
    real_rows = neo4j_store._rows

    def seen(tx: ManagedTransaction, statement: tuple[str, dict[str, object]]) -> list[dict[str, object]]:
        rows = real_rows(tx, statement)
        shipped.extend(rows)
        return rows

    monkeypatch.setattr(neo4j_store, "_rows", seen)
    ids = [n.id for n in store.nodes()]
    assert curated.get_nodes(ids) == store.get_nodes(ids)
    assert list(curated.nodes()) == list(store.nodes())
    assert list(curated.nodes("Security")) == list(store.nodes("Security"))
    assert list(curated.edges()) == list(store.edges())
    assert curated.securities("HKEX", "1810") == store.securities("HKEX", "1810")
    isin = next(n for n in store.nodes() if "isin" in n.identifiers).identifiers["isin"][0]
    assert curated.nodes_by_identifier("isin", isin) == store.nodes_by_identifier("isin", isin)
    day = date(2021, 2, 1)
    assert affects(curated, "SEC:HKEX:1810", day) == affects(store, "SEC:HKEX:1810", day)
    for text in ("xiaomi", "China Mobile", "1810.HK", "小米"):
        assert search(curated, text) == search(store, text), text
    assert show(curated, "ORG:xiaomi") == show(store, "ORG:xiaomi")
    assert neighbours(curated, "ORG:xiaomi", 2) == neighbours(store, "ORG:xiaomi", 2)
    assert paths(curated, "ORG:xiaomi", "EO:13959") == paths(store, "ORG:xiaomi", "EO:13959")
    edge = next(store.edges("LISTED_ON"))
    assert curated.get_edge(edge.id) == edge
    maps = [m for row in shipped for m in _property_maps(row)]
    assert len(maps) > len(ids)
    index_only = {"name_words", "name_keys", "code_key", "exchange_key", "digest", "sync"}
    leaked = sorted({k for m in maps for k in index_only if m.get(k) is not None})
    assert not leaked, f"reads ship index-only properties: {leaked}"


# -- random graphs -----------------------------------------------------------------------------

SRC = [Source(url="https://example.org/s", title="t", publisher="p", kind="official")]
DAY0 = date(2020, 1, 1)
days = st.integers(min_value=0, max_value=700).map(lambda n: (DAY0 + timedelta(days=n)).isoformat())
imprecise = st.one_of(days, days.map(lambda d: d[:7]), days.map(lambda d: d[:4]))


def _edge(kind: str, source: str, target: str, start: str | None, end: str | None, **props: object) -> Edge:
    if start and end and end < start:
        start, end = end, start
    if start and end and end[: len(start)] == start[: len(end)]:
        end = None  # keep the period well ordered whatever the precisions
    return Edge(
        id=f"{kind}|{source}|{target}|{start or '-'}",
        kind=kind,
        source=source,
        target=target,
        start=start,
        end=end,
        confidence="verified",
        sources=SRC,
        properties=props,
    )


@st.composite
def graphs(draw: st.DrawFn) -> tuple[list[Node], list[Edge]]:
    """A small order / list / company / security world with dated, parallel and chained edges."""
    n_companies = draw(st.integers(1, 6))
    companies = [
        Node(id=f"ORG:c{i}", kind="Company", name=draw(st.sampled_from(NAMES)) + f" {i}")
        for i in range(n_companies)
    ]
    lists = [Node(id=f"LIST:l{i}", kind="SanctionsList", name=f"List {i}") for i in range(2)]
    orders = [
        Node(id=f"EO:{90 + i}", kind="ExecutiveOrder", name=f"Executive Order {90 + i}",
             properties={"number": str(90 + i), "signed": draw(days)})
        for i in range(2)
    ]  # fmt: skip
    securities = [
        Node(id=f"SEC:NYSE:S{i}", kind="Security", name=f"Security {i}",
             properties={"exchange": "EXCH:NYSE", "code": f"S{i}"})
        for i in range(draw(st.integers(1, 4)))
    ]  # fmt: skip
    case = Node(id="CASE:X:1:1", kind="CourtCase", name="A v. B")
    nodes = [*companies, *lists, *orders, *securities, case]
    edges: dict[str, Edge] = {}

    def add(edge: Edge) -> None:
        edges.setdefault(edge.id, edge)

    for order in orders:
        for lst in lists:
            if draw(st.booleans()):
                rule = {
                    "annex_cutoff": draw(days),
                    "annex_effective": draw(days),
                    "later_delay_days": draw(st.integers(0, 90)),
                    "reaches_subsidiaries": draw(st.booleans()),
                }
                rule["restriction"] = "securities"
                add(_edge("GOVERNS", order.id, lst.id, draw(days), None, **rule))
    for company in companies:
        for _ in range(draw(st.integers(0, 2))):  # parallel listings
            add(_edge("LISTED_ON", company.id, draw(st.sampled_from(lists)).id, draw(imprecise),
                      draw(st.none() | imprecise)))  # fmt: skip
    for i, security in enumerate(securities):
        add(_edge("ISSUES", companies[i % len(companies)].id, security.id, None, None))
    for i, company in enumerate(companies[1:], start=1):
        if draw(st.booleans()):
            add(_edge("SUBSIDIARY_OF", company.id, companies[draw(st.integers(0, i - 1))].id, None, None))
    if draw(st.booleans()):
        add(_edge("REVOKES", orders[1].id, orders[0].id, draw(days), None))
    if draw(st.booleans()):
        protected = draw(st.sampled_from(companies)).id
        add(_edge("ENJOINS", case.id, draw(st.sampled_from(orders)).id, draw(days), draw(st.none() | days),
                  applies_to=[protected]))  # fmt: skip
    return nodes, list(edges.values())


NAMES = ["Xiaomi", "China Mobile", "Luokung", "Grand China Air", "Hikvision", "小米", "AECC", "AMEC"]
PROBE_DAYS = [DAY0 + timedelta(days=n) for n in range(0, 760, 45)]


def _outcome(query: Callable[..., object], *args: object) -> object:
    """A query's answer, or the error it raised (type and message)."""
    try:
        return query(*args)
    except OrdergraphError as exc:
        return type(exc).__name__, str(exc)


@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(graph=graphs())
def test_random_graphs_answer_alike(neo4j_empty: Driver, graph: tuple[list[Node], list[Edge]]) -> None:
    """Every store (Neo4j, the SQLite workspace) answers as the in-memory one on a random graph."""
    nodes, edges = graph
    embedded = MemoryStore.from_parts(nodes, edges)
    neo4j_empty.execute_query("MATCH (n) DETACH DELETE n")
    stores: dict[str, GraphStore] = {
        "neo4j": Neo4jStore(neo4j_empty),
        "workspace": WorkspaceStore.open(":memory:"),
    }
    for other in stores.values():
        other.write(nodes, edges)
    for name, other in stores.items():
        for security in embedded.nodes("Security"):
            for day in PROBE_DAYS:
                got, expected = (
                    _outcome(affects, other, security.id, day),
                    _outcome(affects, embedded, security.id, day),
                )
                assert got == expected, (name, security.id, day)
        for node in nodes:
            assert show(other, node.id) == show(embedded, node.id), name
            assert neighbours(other, node.id, 2) == neighbours(embedded, node.id, 2), name
            assert search(other, node.name) == search(embedded, node.name), name
        assert paths(other, nodes[0].id, "EO:90") == paths(embedded, nodes[0].id, "EO:90"), name
        assert other.counts() == embedded.counts(), name
