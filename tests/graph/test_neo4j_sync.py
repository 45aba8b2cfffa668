"""The bulk sync into a real Neo4j server: idempotent, converging, loud about what it could not write."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from neo4j import Driver
from neo4j.exceptions import ConstraintError

from graph import cypher
from graph.model import Edge, Node, Source, node_kinds
from graph.neo4j_sync import SyncError, graph_counts, last_sync, sync
from graph.store.memory import MemoryStore

pytestmark = pytest.mark.neo4j
SRC = [Source(url="https://example.org/s", title="t", publisher="p", kind="official")]


def _graph(
    driver: Driver,
) -> tuple[dict[str, dict[str, Any]], dict[str, tuple[str, str, str, dict[str, Any]]]]:
    """Every entity and relationship, keyed by id, without the sync stamp."""
    nodes, _, _ = driver.execute_query(
        "MATCH (n:Entity) RETURN n.id AS id, properties(n) AS p, labels(n) AS l"
    )
    rels, _, _ = driver.execute_query(
        "MATCH (a:Entity)-[r]->(b:Entity)"
        " RETURN r.id AS id, type(r) AS t, a.id AS a, b.id AS b, properties(r) AS p"
    )
    return (
        {r["id"]: {**_unstamped(r["p"]), "labels": sorted(r["l"])} for r in nodes},
        {r["id"]: (r["t"], r["a"], r["b"], _unstamped(r["p"])) for r in rels},
    )


def _unstamped(props: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in props.items() if k != "sync"}


def _parts(store: MemoryStore) -> tuple[list[Node], list[Edge]]:
    return list(store.nodes()), list(store.edges())


def _keys_records(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """How many properties each recording of the keys version (cypher.record_keys) set, in order,
    from the server's counters, for the syncs run after this."""
    from graph import neo4j_sync

    recorded: list[int] = []
    consume = neo4j_sync._consume

    def counted(tx: Any, query: str, params: dict[str, Any]) -> None:
        if query != cypher.record_keys("")[0]:
            return consume(tx, query, params)
        recorded.append(tx.run(query, params).consume().counters.properties_set)
        return None

    monkeypatch.setattr(neo4j_sync, "_consume", counted)
    return recorded


def test_curated_sync_is_idempotent(
    neo4j_empty: Driver, store: MemoryStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    keys_records = _keys_records(monkeypatch)
    first = sync(neo4j_empty, *_parts(store), batch_size=50)
    assert keys_records == [2]  # once, at the start (an empty graph): the node's name and version
    counts = graph_counts(neo4j_empty)
    before = _graph(neo4j_empty)
    second = sync(neo4j_empty, *_parts(store), batch_size=50)
    assert keys_records == [2, 0]  # already this version's: not written again
    assert (first.nodes_written, first.edges_written) == (store.node_count(), store.edge_count())
    # The second run reads what the database holds and writes nothing: every item is unchanged.
    assert (second.nodes_written, second.edges_written) == (0, 0)
    assert (second.nodes_unchanged, second.edges_unchanged) == (store.node_count(), store.edge_count())
    assert (second.nodes_deleted, second.edges_deleted) == (0, 0)
    assert second.generation == first.generation + 1
    assert graph_counts(neo4j_empty) == counts
    assert _graph(neo4j_empty) == before
    assert sum(counts["node"].values()) == store.node_count()
    assert sum(counts["edge"].values()) == store.edge_count()
    assert counts["edge"]["LISTED_ON"] == sum(1 for _ in store.edges("LISTED_ON"))
    state = last_sync(neo4j_empty)
    assert state is not None and state["status"] == "complete" and state["generation"] == second.generation


def test_properties_are_native_values(neo4j_empty: Driver, store: MemoryStore) -> None:
    sync(neo4j_empty, *_parts(store))
    records, _, _ = neo4j_empty.execute_query(
        "MATCH (s:Security {ticker: 'HKEX:1810'})<-[:ISSUES]-(c:Company)"
        "-[l:LISTED_ON]->(:SanctionsList {id: $list}) "
        "RETURN s.code AS code, s.exchange AS exchange, c.id AS company, l.start AS start, "
        "l.start_from AS start_from, l.source_urls AS urls",
        {"list": "LIST:DOD-1237"},
    )
    assert len(records) == 1
    row = records[0]
    assert (row["code"], row["exchange"], row["company"]) == ("1810", "EXCH:HKEX", "ORG:xiaomi")
    assert row["start"] == "2021-01-14" and row["start_from"].to_native() == date(2021, 1, 14)
    assert row["urls"] and all(u.startswith("http") for u in row["urls"])
    # Typed rule properties filter as booleans and integers, not JSON text.
    records, _, _ = neo4j_empty.execute_query(
        "MATCH (o:ExecutiveOrder)-[g:GOVERNS]->(l:SanctionsList) WHERE g.reaches_subsidiaries = false "
        "AND g.later_delay_days = 60 RETURN o.number AS number, l.id AS list"
    )
    expected = {
        (str(_node(store, e.source).properties["number"]), e.target)
        for e in store.edges("GOVERNS")
        if e.properties.get("reaches_subsidiaries") is False and e.properties.get("later_delay_days") == 60
    }
    assert expected and {(r["number"], r["list"]) for r in records} == expected


def test_each_sources_kind_is_a_list_beside_its_url(neo4j_empty: Driver, store: MemoryStore) -> None:
    """`sources` is JSON text, which Cypher cannot read: the kinds are a native list in the order of
    ``source_urls`` (most authoritative first), so a query filters and ranks on them."""
    sync(neo4j_empty, *_parts(store))
    records, _, _ = neo4j_empty.execute_query(
        "MATCH (a)-[r]->(b) RETURN r.id AS id, r.source_urls AS urls, r.source_kinds AS kinds"
    )
    edges = {e.id: e for e in store.edges()}
    assert len(records) == len(edges)
    for row in records:
        sources = edges[row["id"]].sources
        assert (row["urls"], row["kinds"]) == ([s.url for s in sources], [s.kind for s in sources])
    node = neo4j_empty.execute_query("MATCH (n:Company {id: 'ORG:xiaomi'}) RETURN n.source_kinds AS kinds")
    assert node.records[0]["kinds"] == [s.kind for s in _node(store, "ORG:xiaomi").sources]
    # Filtering on them reads naturally: listings with no primary source.
    unbacked = neo4j_empty.execute_query(
        "MATCH ()-[r:LISTED_ON]->() WHERE none(k IN r.source_kinds WHERE k IN ['official', 'court', 'filing',"
        " 'exchange']) RETURN count(r) AS n"
    ).records[0]["n"]
    primary = {"official", "court", "filing", "exchange"}
    assert unbacked == sum(1 for e in store.edges("LISTED_ON") if not primary & {s.kind for s in e.sources})


def _node(store: MemoryStore, node_id: str) -> Node:
    node = store.get_node(node_id)
    assert node is not None
    return node


def _edge(id_: str, kind: str, source: str, target: str, start: str | None = None) -> Edge:
    return Edge(
        id=id_, kind=kind, source=source, target=target, start=start, confidence="verified", sources=SRC
    )


NODES = [
    Node(id="ORG:a", kind="Company", name="Alpha Holdings", aliases=["Alpha"]),
    Node(id="ORG:b", kind="Company", name="Beta Telecom"),
    Node(id="LIST:l", kind="SanctionsList", name="The list"),
    Node(
        id="SEC:NYSE:A", kind="Security", name="Alpha ADS", properties={"exchange": "EXCH:NYSE", "code": "A"}
    ),
]


def test_parallel_edges_survive(neo4j_empty: Driver) -> None:
    edges = [
        _edge("LISTED_ON|ORG:a|LIST:l|2020-01-01", "LISTED_ON", "ORG:a", "LIST:l", "2020-01-01"),
        _edge("LISTED_ON|ORG:a|LIST:l|2021-03-10", "LISTED_ON", "ORG:a", "LIST:l", "2021-03-10"),
        _edge("ISSUES|ORG:a|SEC:NYSE:A|-", "ISSUES", "ORG:a", "SEC:NYSE:A"),
    ]
    sync(neo4j_empty, NODES, edges)
    sync(neo4j_empty, NODES, edges)
    records, _, _ = neo4j_empty.execute_query(
        "MATCH (:Company {id: 'ORG:a'})-[r:LISTED_ON]->(:SanctionsList {id: 'LIST:l'})"
        " RETURN r.start AS s ORDER BY s"
    )
    assert [r["s"] for r in records] == ["2020-01-01", "2021-03-10"]


def _relationship_types(driver: Driver) -> set[str]:
    records, _, _ = driver.execute_query("CALL db.relationshipTypes() YIELD relationshipType RETURN *")
    return {r["relationshipType"] for r in records}


def test_only_relationship_types_the_graph_has_are_listed(neo4j_empty: Driver, store: MemoryStore) -> None:
    """A Cypher user's db.relationshipTypes() (and Browser's sidebar) lists the types that occur: the
    curated graph has no ROLE_IN (only FtM data does), so its id constraint is not made, or is dropped."""
    from graph.store.neo4j import Neo4jStore

    neo4j_empty.execute_query(cypher.create_edge_id_constraint("ROLE_IN")[0])  # as an earlier version made
    sync(neo4j_empty, *_parts(store))
    assert _relationship_types(neo4j_empty) == {e.kind for e in store.edges()}
    assert "ROLE_IN" not in _relationship_types(neo4j_empty)
    # A store writing a kind the last sync had none of makes its constraint first.
    person = Node(id="PERSON:zz", kind="Person", name="Z Z")
    Neo4jStore(neo4j_empty).write([person], [_edge("ROLE_IN|zz", "ROLE_IN", "PERSON:zz", "ORG:xiaomi")])
    records, _, _ = neo4j_empty.execute_query("SHOW CONSTRAINTS YIELD name RETURN name")
    assert "role_in_id" in {r["name"] for r in records}
    sync(neo4j_empty, *_parts(store))  # the data has none again: the relationship and constraint go
    assert "ROLE_IN" not in _relationship_types(neo4j_empty)


def test_constraints_exist_and_hold(neo4j_empty: Driver) -> None:
    sync(neo4j_empty, NODES, [_edge("LISTED_ON|ORG:a|LIST:l|-", "LISTED_ON", "ORG:a", "LIST:l")])
    records, _, _ = neo4j_empty.execute_query("SHOW CONSTRAINTS YIELD name, type, labelsOrTypes, properties")
    found = {r["name"]: (r["type"], r["labelsOrTypes"], r["properties"]) for r in records}
    assert found["entity_id"] == ("UNIQUENESS", ["Entity"], ["id"])
    assert found["security_ticker"] == ("UNIQUENESS", ["Security"], ["exchange", "code"])
    assert found["order_number"] == ("UNIQUENESS", ["ExecutiveOrder"], ["number"])
    assert found["listed_on_id"] == ("RELATIONSHIP_UNIQUENESS", ["LISTED_ON"], ["id"])
    records, _, _ = neo4j_empty.execute_query("SHOW FULLTEXT INDEXES YIELD name, properties")
    assert {r["name"]: r["properties"] for r in records}["entity_names"] == ["name", "aliases"]
    with pytest.raises(ConstraintError):
        neo4j_empty.execute_query("CREATE (:Entity {id: 'ORG:a'})")
    with pytest.raises(ConstraintError):
        neo4j_empty.execute_query(
            "CREATE (:Entity:Security {id: 'SEC:NYSE:A2', exchange: 'EXCH:NYSE', code: 'A'})"
        )


def test_a_node_named_by_its_kind_and_id_is_found_through_an_index(neo4j_empty: Driver) -> None:
    """`MATCH (c:Company {id: 'ORG:xiaomi'})`, as people write it: an index seek for every kind, not a
    scan of every node of that label (the :Entity constraint's index does not serve a kind's label)."""
    sync(neo4j_empty, NODES, [])
    for kind in node_kinds():
        with neo4j_empty.session() as session:
            plan = session.run(f"EXPLAIN MATCH (n:{kind} {{id: $id}}) RETURN n.name", id="x").consume().plan
        assert plan is not None
        operators = []
        todo: list[dict[str, Any]] = [plan]
        while todo:
            step = todo.pop()
            operators.append(step["operatorType"].split("@")[0])
            todo += step.get("children", [])
        assert "NodeIndexSeek" in operators and "NodeByLabelScan" not in operators, (kind, operators)


def test_the_stores_lookups_share_one_index_and_each_query_names_its_field(neo4j_empty: Driver) -> None:
    # An index of an earlier schema (one per field) is dropped by the next sync.
    neo4j_empty.execute_query(
        "CREATE FULLTEXT INDEX entity_name_words IF NOT EXISTS FOR (n:Entity) ON EACH [n.name_words]"
    )
    tagged = Node(id="ORG:t", kind="Company", name="Gamma Trading", identifiers={"ofac_uid": ["42"]})
    named = Node(id="ORG:n", kind="Company", name="Delta 42 Works")
    sync(neo4j_empty, [tagged, named], [])
    records, _, _ = neo4j_empty.execute_query("SHOW FULLTEXT INDEXES YIELD name, properties")
    found = {r["name"]: r["properties"] for r in records}
    assert found == {
        "entity_names": ["name", "aliases"],
        "entity_lookup_names": ["name_words", "identifier_keys", "name_keys"],
    }

    def ids(statement: tuple[str, dict[str, Any]]) -> list[str]:
        return [r["props"]["id"] for r in neo4j_empty.execute_query(*statement).records]

    # A name word finds names only, never an identifier's token; an identifier finds identifiers only.
    assert ids(cypher.word_candidates_every([["42"]], "", None, 10)) == ["ORG:n"]
    assert ids(cypher.word_candidates_weighed({"42": 1, "gamma": 1}, "", None, 10)) == ["ORG:t", "ORG:n"]
    assert ids(cypher.nodes_by_identifiers([("ofac_uid", "42")])) == ["ORG:t"]
    assert ids(cypher.nodes_by_identifiers([("ofac_uid", "Delta")])) == []


def test_a_corrected_date_leaves_no_stale_relationship(neo4j_empty: Driver) -> None:
    wrong = _edge("LISTED_ON|ORG:a|LIST:l|2021-03-09", "LISTED_ON", "ORG:a", "LIST:l", "2021-03-09")
    right = _edge("LISTED_ON|ORG:a|LIST:l|2021-03-10", "LISTED_ON", "ORG:a", "LIST:l", "2021-03-10")
    sync(neo4j_empty, NODES, [wrong])
    report = sync(neo4j_empty, NODES, [right])
    assert report.edges_deleted == 1
    records, _, _ = neo4j_empty.execute_query(
        "MATCH ()-[r:LISTED_ON]->() RETURN r.id AS id, r.start AS start"
    )
    assert [(r["id"], r["start"]) for r in records] == [(right.id, "2021-03-10")]


def test_a_node_removed_from_the_data_is_removed(neo4j_empty: Driver) -> None:
    edge = _edge("e1", "LISTED_ON", "ORG:b", "LIST:l", "2021-01-01")
    sync(neo4j_empty, NODES, [edge])
    report = sync(neo4j_empty, [n for n in NODES if n.id != "ORG:b"], [])
    assert (report.nodes_deleted, report.edges_deleted) == (1, 1)
    nodes, rels = _graph(neo4j_empty)
    assert sorted(nodes) == sorted(n.id for n in NODES if n.id != "ORG:b") and rels == {}


def test_an_edge_moved_to_other_endpoints_is_not_duplicated(neo4j_empty: Driver) -> None:
    sync(neo4j_empty, NODES, [_edge("explicit", "LISTED_ON", "ORG:a", "LIST:l", "2021-01-01")])
    sync(neo4j_empty, NODES, [_edge("explicit", "LISTED_ON", "ORG:b", "LIST:l", "2021-01-01")])
    _, rels = _graph(neo4j_empty)
    assert {k: v[:3] for k, v in rels.items()} == {"explicit": ("LISTED_ON", "ORG:b", "LIST:l")}


def test_missing_endpoints_are_reported_not_dropped_silently(neo4j_empty: Driver) -> None:
    edges = [
        _edge("ok", "LISTED_ON", "ORG:a", "LIST:l", "2021-01-01"),
        _edge("dangling", "LISTED_ON", "ORG:nobody", "LIST:l", "2021-01-01"),
        _edge("both", "SUBSIDIARY_OF", "ORG:x", "ORG:y"),
    ]
    report = sync(neo4j_empty, NODES, edges)
    assert report.edges_written == 1
    assert [(m.edge_id, m.missing) for m in report.missing_endpoints] == [
        ("dangling", ("ORG:nobody",)),
        ("both", ("ORG:x", "ORG:y")),
    ]
    assert "2 edges NOT written" in report.summary()
    state = last_sync(neo4j_empty)
    assert state is not None and state["missing_endpoints"] == 2
    _, rels = _graph(neo4j_empty)
    assert sorted(rels) == ["ok"]


class _Interrupt(Exception):
    pass


@pytest.mark.parametrize("workers", [1, 2])
def test_an_interrupted_sync_reports_what_it_wrote_and_a_rerun_converges(
    neo4j_empty: Driver, store: MemoryStore, workers: int
) -> None:
    nodes, edges = _parts(store)
    sync(neo4j_empty, NODES, [])  # a previous, different graph
    calls = 0

    def stop_after_three(_: int) -> None:
        nonlocal calls
        calls += 1
        if calls == 3:
            raise _Interrupt("killed")

    with pytest.raises(SyncError) as failed:
        sync(neo4j_empty, nodes, edges, batch_size=20, progress=stop_after_three, workers=workers)
    report = failed.value.report
    # One writer stops after the third batch; with two, the batch in flight then is waited for and counted.
    assert report.batches == 3 if workers == 1 else report.batches in (3, 4)
    assert not report.complete
    assert f"{report.batches} committed batches" in str(failed.value)
    written, _ = _graph(neo4j_empty)
    stamped, _, _ = neo4j_empty.execute_query(
        "MATCH (n:Entity) WHERE n.sync = $g RETURN count(n) AS n", {"g": report.generation}
    )
    assert stamped[0]["n"] == report.nodes_written == 20 * report.batches
    assert set(written) >= {n.id for n in NODES}, (
        "the previous graph is not deleted before the new one is whole"
    )
    state = last_sync(neo4j_empty)
    assert state is not None and state["status"] == "failed"
    assert state["nodes_written"] == report.nodes_written

    sync(neo4j_empty, nodes, edges, batch_size=20, workers=workers)
    after_rerun = _graph(neo4j_empty)
    neo4j_empty.execute_query("MATCH (n) DETACH DELETE n")
    sync(neo4j_empty, nodes, edges, batch_size=20)
    assert after_rerun == _graph(neo4j_empty)


def test_writers_in_flight_at_once_give_the_same_graph(neo4j_empty: Driver, store: MemoryStore) -> None:
    """Several write transactions at once (relationship batches touching the same nodes) write
    exactly what one writer writes; a hub with hundreds of relationships in small batches makes
    them wait on each other's locks."""
    hub = Node(id="LIST:hub", kind="SanctionsList", name="Hub list", sources=SRC)
    members = [Node(id=f"ORG:m{i}", kind="Company", name=f"Member {i}", sources=SRC) for i in range(300)]
    spokes = [
        _edge(f"LISTED_ON|ORG:m{i}|LIST:hub|{day}", "LISTED_ON", f"ORG:m{i}", "LIST:hub", day)
        for i in range(300)
        for day in ("2020-01-01", "2021-01-01")
    ]
    nodes, edges = _parts(store)
    nodes, edges = [*nodes, hub, *members], [*edges, *spokes]
    one = sync(neo4j_empty, nodes, edges, batch_size=500, workers=1)
    expected = _graph(neo4j_empty)
    neo4j_empty.execute_query("MATCH (n) DETACH DELETE n")
    many = sync(neo4j_empty, nodes, edges, batch_size=15, workers=4)
    assert many.complete and many.counts() == one.counts()
    assert (many.nodes_written, many.edges_written) == (len(nodes), len(edges))
    assert _graph(neo4j_empty) == expected
    again = sync(neo4j_empty, nodes, edges, batch_size=15, workers=4)
    assert (again.nodes_written, again.edges_written) == (0, 0)


def test_a_row_breaking_a_constraint_fails_loudly_and_a_fixed_rerun_converges(neo4j_empty: Driver) -> None:
    clash = Node(
        id="SEC:NYSE:A2",
        kind="Security",
        name="Alpha again",
        properties={"exchange": "EXCH:NYSE", "code": "A"},
    )
    with pytest.raises(SyncError) as failed:
        sync(neo4j_empty, [*NODES, clash], [])
    assert isinstance(failed.value.cause, ConstraintError)
    report = sync(neo4j_empty, NODES, [])
    assert report.complete and report.nodes_written + report.nodes_unchanged == len(NODES)
    # What the failed run committed (the batches before the clash) is not written again.
    assert failed.value.report.nodes_written + report.nodes_written == len(NODES)
    nodes, _ = _graph(neo4j_empty)
    assert sorted(nodes) == sorted(n.id for n in NODES)


def test_the_next_sync_rewrites_names_an_earlier_version_indexed_unfolded(
    neo4j_empty: Driver, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A database an earlier version synced holds each name's words as written (小米集團's 集團), its
    legal form too (华为技术有限公司's 公司); this version folds traditional Chinese to simplified
    (graph/hanzi.py) and sets Chinese legal forms aside (graph.names) in the index and the query.
    The graph records the version its keys were computed by: until the next sync, a search says
    to run it (it would find nothing: the old words are 國移, 移動); the sync rewrites every node,
    whatever its digest says, and the next one nothing."""
    from graph import query
    from graph.errors import GraphOutdated
    from graph.store.neo4j import Neo4jStore
    from tests.graph.unfolded import unfolded

    nodes = [
        Node(id="ORG:xiaomi", kind="Company", name="Xiaomi Corporation", aliases=["小米集團"]),
        Node(id="ORG:mobile", kind="Company", name="中國移動有限公司"),
        Node(id="ORG:huawei", kind="Company", name="华为技术有限公司"),
        Node(id="ORG:zte", kind="Company", name="ZTE Corporation"),
    ]
    with unfolded(monkeypatch):
        sync(neo4j_empty, nodes, [])
        earlier = cypher.keys_version()
    assert earlier != cypher.keys_version()
    store = Neo4jStore(neo4j_empty)
    with pytest.raises(GraphOutdated, match=f"under other name rules \\(keys {earlier},"):
        query.search(store, "中国移动")
    report = sync(neo4j_empty, nodes, [])
    assert (report.nodes_written, report.nodes_unchanged) == (4, 0)
    assert report.rewrote_all is not None and "other name rules" in report.summary()
    again = sync(neo4j_empty, nodes, [])
    assert (again.nodes_written, again.nodes_unchanged, again.rewrote_all) == (0, 4, None)
    store = Neo4jStore(neo4j_empty)
    for text, expected in [("小米集团", "ORG:xiaomi"), ("中国移动", "ORG:mobile"), ("華為", "ORG:huawei")]:
        assert [h.id for h in query.search(store, text)][:1] == [expected]
    assert [(h.id, h.exact) for h in query.search(store, "华为技术")][:1] == [("ORG:huawei", True)]
    assert store.get_node("ORG:mobile") == nodes[1]  # the name as given


def test_a_constraint_the_server_refuses_is_an_ordergraph_error_naming_it(neo4j_empty: Driver) -> None:
    """A store writing an edge kind the sync made no constraint for creates it first; a server that
    refuses (no schema rights on Aura or a managed cluster; here: data already breaking it) gives
    an OrdergraphError saying which constraint and why, not a raw Neo4j error, and nothing is written."""
    from graph.errors import OrdergraphError, SchemaRefused
    from graph.store.neo4j import Neo4jStore

    name = cypher.edge_id_constraint("ROLE_IN")
    neo4j_empty.execute_query(f"DROP CONSTRAINT {name} IF EXISTS")
    neo4j_empty.execute_query(
        "CREATE (:Probe)-[:ROLE_IN {id: 'twice'}]->(:Probe)-[:ROLE_IN {id: 'twice'}]->(:Probe)"
    )
    try:
        store = Neo4jStore(neo4j_empty)
        people = [Node(id="PERSON:a", kind="Person", name="A"), Node(id="ORG:b", kind="Company", name="B")]
        edge = Edge(
            id="ROLE_IN|a|b",
            kind="ROLE_IN",
            source="PERSON:a",
            target="ORG:b",
            confidence="likely",
            sources=SRC,
        )
        with pytest.raises(SchemaRefused, match=f"^cannot create constraint {name}: ") as refused:
            store.write(people, [edge])
        assert isinstance(refused.value, OrdergraphError) and "twice" in str(refused.value)
        assert store.get_node("PERSON:a") is None
    finally:
        neo4j_empty.execute_query("MATCH (p:Probe) DETACH DELETE p")
        neo4j_empty.execute_query(*cypher.create_edge_id_constraint("ROLE_IN"))


def _keys_version(driver: Driver) -> str | None:
    records, _, _ = driver.execute_query(
        f"OPTIONAL MATCH (k:{cypher.KEYS_LABEL}) RETURN collect(k.version) AS versions"
    )
    versions = records[0]["versions"]
    assert len(versions) <= 1, versions
    return versions[0] if versions else None


def test_a_graph_keyed_under_other_rules_says_so_until_a_sync_rekeys_every_node(
    neo4j_empty: Driver, store: MemoryStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The sync records the version of the lookup keys it wrote; a graph recording another (name
    rules changed since: here set by hand, with one node's keys as the other rules left them) makes
    every read through those keys say what to run — a name search always, a ticker or identifier
    lookup when it finds nothing — until a sync writes every node's keys again. Reads not through
    the keys answer meanwhile; after that sync a second one writes nothing."""
    from graph import query
    from graph.errors import GraphOutdated
    from graph.store.neo4j import Neo4jStore

    nodes, edges = _parts(store)
    first = sync(neo4j_empty, nodes, edges)
    assert _keys_version(neo4j_empty) == cypher.keys_version()
    neo = Neo4jStore(neo4j_empty)
    assert query.resolve(neo, "Xiaomi Corp") == "ORG:xiaomi"
    neo4j_empty.execute_query(f"MATCH (k:{cypher.KEYS_LABEL}) SET k.version = 'earlier-rules'")
    # What the earlier rules left on one node (same digest: the sync would not see it by the digest).
    neo4j_empty.execute_query("MATCH (n:Entity {id: 'ORG:xiaomi'}) SET n.name_keys = [], n.name_words = ''")
    said = "Neo4j's graph was synced under other name rules (keys earlier-rules, this ordergraph's "
    for read in (
        lambda: neo.name_candidates("Xiaomi Corp"),
        lambda: query.search(neo, "Xiaomi"),
        lambda: query.resolve(neo, "Xiaomi Corp"),
        lambda: neo.securities("HKEX", "9999"),
        lambda: neo.nodes_by_identifier("isin", "XX0000000000"),
    ):
        with pytest.raises(GraphOutdated, match=r"run `ordergraph neo4j sync`$") as raised:
            read()
        assert str(raised.value).startswith(said), raised.value
    assert [n.id for n in neo.securities("HKEX", "1810")] == ["SEC:HKEX:1810"]  # found: no check
    assert neo.get_node("ORG:xiaomi") == store.get_node("ORG:xiaomi")
    # No version at all: a graph an ordergraph synced before versions were recorded.
    neo4j_empty.execute_query(f"MATCH (k:{cypher.KEYS_LABEL}) DELETE k")
    with pytest.raises(GraphOutdated, match=r"records no version for its name keys.*neo4j sync`$"):
        neo.name_candidates("Xiaomi Corp")

    keys_records = _keys_records(monkeypatch)
    again = sync(neo4j_empty, nodes, edges)
    assert again.complete and again.rewrote_all is not None
    assert keys_records == [2]  # once, at the end (the node was deleted above: name and version)
    assert (again.nodes_written, again.edges_written) == (first.nodes_written, first.edges_written)
    assert _keys_version(neo4j_empty) == cypher.keys_version()
    assert query.resolve(neo, "Xiaomi Corp") == "ORG:xiaomi"
    assert [h.id for h in query.search(neo, "Xiaomi")] == [h.id for h in query.search(store, "Xiaomi")]
    assert neo.securities("HKEX", "9999") == []
    third = sync(neo4j_empty, nodes, edges)
    assert (third.nodes_written, third.edges_written, third.rewrote_all) == (0, 0, None)
    assert keys_records == [2, 0]


def test_a_store_writing_into_an_empty_graph_records_its_keys(neo4j_empty: Driver) -> None:
    """A graph only a store wrote (no sync) is keyed by this version from its first write; one
    that held entities keyed otherwise stays outdated whatever the store adds."""
    from graph.errors import GraphOutdated
    from graph.store.neo4j import Neo4jStore

    neo = Neo4jStore(neo4j_empty)
    assert _keys_version(neo4j_empty) is None
    neo.write(NODES[:1])
    assert _keys_version(neo4j_empty) == cypher.keys_version()
    assert [n.id for n in neo.name_candidates(NODES[0].name)] == [NODES[0].id]
    neo4j_empty.execute_query(f"MATCH (k:{cypher.KEYS_LABEL}) SET k.version = 'earlier-rules'")
    neo.write(NODES[1:2])
    assert _keys_version(neo4j_empty) == "earlier-rules"
    with pytest.raises(GraphOutdated):
        neo.name_candidates(NODES[1].name)
