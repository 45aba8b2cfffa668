"""Cypher injection through search text, ids and tickers is inert: values only ever travel as parameters."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from neo4j import Driver

from graph.errors import OrdergraphError
from graph.neo4j_sync import graph_counts, sync
from graph.query import resolve, search, show
from graph.store.base import GraphStore
from graph.store.memory import MemoryStore
from graph.store.neo4j import Neo4jStore

pytestmark = pytest.mark.neo4j

HOSTILE = [
    "x'}) MATCH (n) DETACH DELETE n //",
    'x"}) MATCH (n) DETACH DELETE n //',
    "ORG:xiaomi' OR 1=1 //",
    "ORG:xiaomi`]->() DELETE r //",
    "NYSE:CHL'}) MATCH (n) SET n.name = 'pwned' //",
    "1810.HK\\' DETACH DELETE n",
    "*:*",
    "name:* OR aliases:*",
    "Xiaomi AND NOT Xiaomi",
    "\\",
    "$ids",
    "{limit: 0}",
    'Luokong~ ) ( [ ] { } ^ " ~ * ? : \\ /',
]


@pytest.fixture(scope="module")
def curated(neo4j_driver: Driver, store: MemoryStore) -> Neo4jStore:
    neo4j_driver.execute_query("MATCH (n) DETACH DELETE n")
    sync(neo4j_driver, list(store.nodes()), list(store.edges()))
    return Neo4jStore(neo4j_driver)


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_text_is_searched_for_never_run(curated: Neo4jStore, store: MemoryStore, text: str) -> None:
    before = graph_counts(curated.driver)
    assert search(curated, text) == search(store, text)
    assert curated.get_node(text) is None and curated.get_nodes([text, "ORG:xiaomi"]).keys() == {"ORG:xiaomi"}
    assert curated.get_edge(text) is None
    assert curated.securities(text, text) == [] and curated.nodes_by_identifier("isin", text) == []
    assert curated.edges_of_many([text], "both") == []
    for query in (resolve, show):
        assert _outcome(query, curated, text) == _outcome(query, store, text)
    assert graph_counts(curated.driver) == before
    names, _, _ = curated.driver.execute_query("MATCH (n:Entity {name: 'pwned'}) RETURN count(n) AS n")
    assert names[0]["n"] == 0


def _outcome(query: Callable[[GraphStore, str], object], store: GraphStore, text: str) -> object:
    """What a query answers, or the error it raises (type and message)."""
    try:
        return query(store, text)
    except OrdergraphError as exc:
        return type(exc).__name__, str(exc)
