"""ordergraph's own queries (the store's, the sync's) ask the server for no UNRECOGNIZED notification:
on a sparse graph "label does not exist" would be logged as a warning at every query. Other warnings
(a deprecation…) still come and are logged, and a user's own Cypher keeps every notification."""

from __future__ import annotations

import logging

import pytest
from neo4j import Driver

from graph.model import Node
from graph.store.neo4j import Neo4jStore

pytestmark = pytest.mark.neo4j

NEVER = "MATCH (n:OrdergraphNeverALabel) RETURN n"  # a label no test ever writes
DEPRECATED = "MATCH (n) RETURN id(n) AS i LIMIT 1"  # id() is deprecated in Neo4j 5: a WARNING


def _warnings(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.name == "neo4j.notifications" and r.levelno >= 30]


def test_the_stores_queries_leave_out_unknown_labels_and_keep_other_warnings(
    neo4j_empty: Driver, caplog: pytest.LogCaptureFixture
) -> None:
    store = Neo4jStore(neo4j_empty)
    store.write([Node(id="ORG:one", kind="Company", name="One")])
    with caplog.at_level(logging.WARNING, logger="neo4j.notifications"):
        with neo4j_empty.session() as session:  # a user's session: told
            session.run(NEVER).consume()
        told = _warnings(caplog)
        assert any("OrdergraphNeverALabel" in m for m in told), told
        caplog.clear()
        with store._session() as session:
            session.run(NEVER).consume()
            assert _warnings(caplog) == []
            session.run(DEPRECATED).consume()
        assert any("id" in m and "deprecated" in m.lower() for m in _warnings(caplog)), _warnings(caplog)
        caplog.clear()
        # The store's own answers on a graph with one company: no Security, ExecutiveOrder… yet.
        one = store.get_node("ORG:one")
        assert one is not None and one.name == "One"
        assert list(store.nodes("Security")) == [] and store.nodes_by_identifier("LEI", "x") == []
        assert _warnings(caplog) == []
