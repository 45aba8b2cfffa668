"""ordergraph's own queries (the store's, the sync's) ask the server for no UNRECOGNIZED notification:
on a sparse graph "label does not exist" would be logged as a warning at every query. Other warnings
(a deprecation…) still come and are logged, and a user's own Cypher keeps every notification."""

from __future__ import annotations

import logging

import pytest
from neo4j import Driver

from graph import cypher
from graph.model import Node
from graph.neo4j_sync import graph_counts, last_sync, server_version
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


def test_the_syncs_status_reads_leave_out_unknown_labels(
    neo4j_empty: Driver, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`neo4j status` reads the sync record, the version and the counts: quietly too. Each query is
    given a label no graph has (every label the real ones name exists on a server that ever held a
    graph, so they would pass either way)."""
    never = "OPTIONAL MATCH (never:OrdergraphNeverALabel) WITH never "
    sync_state, components, counts = cypher.sync_state, cypher.components, cypher.counts
    monkeypatch.setattr(cypher, "sync_state", lambda name: (never + sync_state(name)[0], sync_state(name)[1]))
    monkeypatch.setattr(cypher, "components", lambda: (never + components()[0], {}))
    monkeypatch.setattr(cypher, "counts", lambda: (never + counts()[0], {}))
    with caplog.at_level(logging.WARNING, logger="neo4j.notifications"):
        neo4j_empty.execute_query(never + "RETURN 1")  # unquiet: told
        assert any("OrdergraphNeverALabel" in m for m in _warnings(caplog)), _warnings(caplog)
        caplog.clear()
        assert last_sync(neo4j_empty) is None
        assert server_version(neo4j_empty)[1] == "community"
        assert graph_counts(neo4j_empty) == {"node": {}, "edge": {}}
        assert _warnings(caplog) == []
