"""The bulk first sync (tools.neo4j.bulk: CSV, server stopped, neo4j-admin's importer, server started,
schema and the rest through Bolt) writes the very graph the Bolt sync writes, on a real server: every
label, relationship type, property value and property type, index and constraint, the keys node and the
sync record. A Bolt sync over it then writes nothing. A failed or killed import leaves a clear error and
the server running again on its previous, empty database."""

from __future__ import annotations

import multiprocessing
import os
import signal
from pathlib import Path
from typing import Any

import pytest
from neo4j import Driver, GraphDatabase

from bench.bench_neo4j import read_corpus
from bench.gen_corpus import write_corpus
from graph.model import Edge, Node, Source
from graph.neo4j_csv import ARRAY_DELIMITER, CsvWriter, Written
from graph.neo4j_sync import SyncReport, sync
from graph.store.memory import MemoryStore
from tests.conftest import CliResult
from tests.graph.neo4j_dump import dump
from tools.neo4j import bulk, server

pytestmark = pytest.mark.neo4j


@pytest.fixture
def bulk_home(neo4j_bulk_home: Path) -> Path:
    """A local server of its own (bulk syncs stop and start it)."""
    return neo4j_bulk_home


def _driver(home: Path) -> Driver:
    running = server.read_state(home)
    assert running is not None and running.running()
    return GraphDatabase.driver(running.bolt_uri, auth=None)


def _bare(driver: Driver) -> None:
    """No node, no index, no constraint: what a fresh server holds."""
    driver.execute_query("MATCH (n) DETACH DELETE n")
    for record in driver.execute_query("SHOW CONSTRAINTS YIELD name").records:
        driver.execute_query(f"DROP CONSTRAINT `{record['name']}`")
    for record in driver.execute_query("SHOW INDEXES YIELD name, type WHERE type <> 'LOOKUP'").records:
        driver.execute_query(f"DROP INDEX `{record['name']}`")


def _bulk(home: Path, nodes: list[Node], edges: list[Edge], **options: Any) -> bulk.BulkReport:
    with _driver(home) as driver:
        driver.execute_query("MATCH (n) DETACH DELETE n")
    return bulk.bulk_sync(home, nodes, edges, stop_with=os.getpid(), **options)


SOURCE = Source(
    url="https://www.federalregister.gov/d/2020-25459",
    title="EO 13959",
    publisher="Federal Register",
    kind="official",
)


def awkward() -> tuple[list[Node], list[Edge]]:
    """Names and values the CSV must quote or cannot spell at all."""
    nodes = [
        Node(
            id="ORG:quoted",
            kind="Company",
            name='The "Quoted", Company\nLimited, 中兴通讯股份有限公司',
            aliases=["", "a,b", 'say "x"', "中興通訊"],
            properties={
                "filed": "2021-05",
                "employees": 12,
                "listed": True,
                "ratio": 0.25,
                "codes": [1, 2],
            },
            sources=[SOURCE],
        ),
        Node(id="ORG:one-empty-alias", kind="Company", name=" ", aliases=[""]),
        Node(id="ORG:delimiter", kind="Company", name="A\x1fB", aliases=[f"x{ARRAY_DELIMITER}y", "z"]),
        Node(
            id="ORG:nothing",
            kind="Company",
            name="Nothing Ltd",
            properties={"tags": [], "flags": [True, False]},
        ),
    ]
    edges = [
        Edge(
            id="e:own",
            kind="SUBSIDIARY_OF",
            source="ORG:quoted",
            target="ORG:nothing",
            start="2021-03",
            confidence="verified",
            note='a "note",\nwith a line',
            sources=[SOURCE],
        ),
        Edge(
            id="e:own2",
            kind="SUBSIDIARY_OF",
            source="ORG:quoted",
            target="ORG:nothing",
            confidence="likely",
            sources=[SOURCE],
        ),
        Edge(
            id="e:gone",
            kind="SUBSIDIARY_OF",
            source="ORG:quoted",
            target="ORG:absent",
            confidence="likely",
            sources=[SOURCE],
        ),
    ]
    return nodes, edges


def _same_as_bolt(home: Path, neo4j_driver: Driver, nodes: list[Node], edges: list[Edge]) -> bulk.BulkReport:
    _bare(neo4j_driver)
    bolt = sync(neo4j_driver, nodes, edges)
    expected = dump(neo4j_driver)
    done = _bulk(home, nodes, edges)
    assert done.report.counts() == bolt.counts() and done.report.complete
    with _driver(home) as driver:
        got = dump(driver)
        for part in ("constraints", "indexes", "relationships", "nodes"):
            assert got[part] == expected[part], part
        again = sync(driver, nodes, edges)
        assert again.nodes_written == again.edges_written == again.nodes_deleted == again.edges_deleted == 0
        assert again.rewrote_all is None
    return done


def test_bulk_writes_the_curated_graph_as_the_bolt_sync_does(
    bulk_home: Path, neo4j_driver: Driver, store: MemoryStore
) -> None:
    nodes, edges = awkward()
    done = _same_as_bolt(bulk_home, neo4j_driver, [*store.nodes(), *nodes], [*store.edges(), *edges])
    assert [m.edge_id for m in done.report.missing_endpoints] == ["e:gone"]
    with _driver(bulk_home) as driver:
        quoted = driver.execute_query("MATCH (n:Company {id: 'ORG:quoted'}) RETURN n").records[0]["n"]
        assert quoted["name"] == nodes[0].name and quoted["aliases"] == nodes[0].aliases
        assert quoted["filed_from"].iso_format() == "2021-05-01" and quoted["codes"] == [1, 2]
        odd = driver.execute_query(
            "MATCH (n:Company) WHERE n.id IN $ids RETURN n.id AS id, n.aliases AS aliases ORDER BY id",
            ids=["ORG:one-empty-alias", "ORG:delimiter"],
        ).records
        assert [r["aliases"] for r in odd] == [[f"x{ARRAY_DELIMITER}y", "z"], [""]]


def test_bulk_writes_a_bench_corpus_as_the_bolt_sync_does(
    bulk_home: Path, neo4j_driver: Driver, tmp_path: Path
) -> None:
    full, _ = write_corpus(10_000, tmp_path)
    nodes, edges = read_corpus(full)
    done = _same_as_bolt(bulk_home, neo4j_driver, nodes, edges)
    assert done.report.nodes_written == len(nodes) > 5_000 and done.files < 60


def test_rows_stream_into_files_whose_columns_grow(tmp_path: Path) -> None:
    writer = CsvWriter(tmp_path)
    writer.node("Company", {"id": "ORG:a", "name": "A"})
    writer.node("Company", {"id": "ORG:b", "name": "B", "employees": 3})
    writer.node("Company", {"id": "ORG:c", "name": "C", "employees": "three"})  # another type: another lane
    writer.node("Company", {"id": "ORG:d", "employees": 4})
    written = writer.close()
    texts = [f.path.read_text("utf-8").splitlines() for f in written.nodes]
    assert texts == [
        ["id:ID,name:string", '"ORG:a","A"'],
        ["id:ID,name:string,employees:long", '"ORG:b","B",3', '"ORG:d",,4'],
        ["id:ID,name:string,employees:string", '"ORG:c","C","three"'],
    ]


def _rows(written: Written) -> dict[str, set[tuple[tuple[str, str], ...]]]:
    """Every row of every file, as (header field, value) pairs, by group: what the importer reads."""
    import csv

    rows: dict[str, set[tuple[tuple[str, str], ...]]] = {}
    for f in (*written.nodes, *written.relationships):
        with f.path.open(encoding="utf-8", newline="") as handle:
            header, *lines = list(csv.reader(handle))
        for line in lines:
            rows.setdefault(f.group, set()).add(
                tuple(sorted((h, v) for h, v in zip(header, line, strict=True) if v))
            )
    return rows


def test_csv_written_by_two_processes_holds_the_rows_of_one(tmp_path: Path, store: MemoryStore) -> None:
    nodes, edges = awkward()
    nodes, edges = [*store.nodes(), *nodes], [*store.edges(), *edges]
    one, two = SyncReport(), SyncReport()
    alone = bulk.write_csv(tmp_path / "one", nodes, edges, one, workers=1)
    split = bulk.write_csv(tmp_path / "two", nodes, edges, two, workers=2)
    assert {f.path.parent.name for f in split.nodes} == {"part0", "part1"}
    assert _rows(split) == _rows(alone) and len(_rows(alone)["Entity:Company"]) > 100
    assert (split.node_rows, split.relationship_rows) == (alone.node_rows, alone.relationship_rows)
    assert (
        split.empty_node_lists
        == alone.empty_node_lists
        == {"aliases", "source_urls", "source_kinds", "name_keys"}
    )
    aside = [sorted((a.id, str(a.props)) for a in w.aside) for w in (split, alone)]
    assert aside[0] == aside[1] and aside[0]
    missing = [[m.edge_id for m in r.missing_endpoints] for r in (two, one)]
    assert missing == [["e:gone"], ["e:gone"]]


def test_a_failed_csv_leaves_the_server_running_on_its_empty_database(
    bulk_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def full_disk(*args: Any) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(bulk, "edge_props", full_disk)  # the forked writers inherit it
    before = server.read_state(bulk_home)
    with pytest.raises(OSError, match="No space left"):
        _bulk(bulk_home, *awkward())  # the server was asked to stop before the CSV was written
    _empty_and_running(bulk_home)
    after = server.read_state(bulk_home)
    assert before and after and after.pid != before.pid  # stopped and started again
    assert after.bolt_port == before.bolt_port and not list(bulk_home.glob("import-*"))


def test_a_csv_writer_that_dies_fails_the_sync_clearly_not_forever(
    tmp_path: Path, store: MemoryStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    def killed(*args: Any) -> None:
        os.kill(os.getpid(), signal.SIGKILL)  # as the kernel's out-of-memory killer would

    monkeypatch.setattr(bulk, "edge_props", killed)
    with pytest.raises(bulk.BulkSyncError, match=r"part 0 of the import CSV died .*exit code -9"):
        bulk.write_csv(tmp_path, [*store.nodes()], [*store.edges()], SyncReport(), workers=2)
    assert not [child for child in multiprocessing.active_children()]


def test_a_server_that_does_not_start_again_says_what_failed_and_what_to_run(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def port_taken(*args: Any, **options: Any) -> server.Server:
        raise server.ServerError("port 7687 is in use")

    monkeypatch.setattr(server, "stop_locked", lambda home: None)
    monkeypatch.setattr(server, "start_locked", port_taken)
    was = server.Server(str(tmp_path), 1, 7687, 7474, "5.26")
    with pytest.raises(bulk.BulkSyncError) as raised:
        bulk._start_again(tmp_path, was, None, OSError(28, "No space left on device"))
    said = str(raised.value)
    assert "did not start again after the bulk sync failed" in said and "No space left" in said
    assert "port 7687 is in use" in said and "`ordergraph neo4j start`" in said


def test_bulk_refuses_a_graph_that_is_not_empty(bulk_home: Path) -> None:
    with _driver(bulk_home) as driver:
        driver.execute_query("MATCH (n) DETACH DELETE n")
        driver.execute_query("CREATE (:Entity:Company {id: $id})", id="ORG:held")
    with pytest.raises(bulk.BulkSyncError, match="not empty"):
        bulk.bulk_sync(bulk_home, *awkward())
    with _driver(bulk_home) as driver:
        assert driver.execute_query("MATCH (n) RETURN n.id AS id").records[0]["id"] == "ORG:held"


def _empty_and_running(home: Path) -> None:
    with _driver(home) as driver:
        assert driver.execute_query("MATCH (n) RETURN count(n) AS n").records[0]["n"] == 0


def test_a_bad_row_fails_the_import_clearly_and_the_empty_database_is_back(bulk_home: Path) -> None:
    nodes, edges = awkward()
    twice = Node(id="ORG:quoted", kind="Company", name="Twice")  # a duplicate id the importer refuses
    with pytest.raises(bulk.BulkSyncError, match=r"(?s)the importer failed.*ORG:quoted.*previous database"):
        _bulk(bulk_home, [*nodes, twice], edges)
    _empty_and_running(bulk_home)


def test_a_killed_import_leaves_the_empty_database(bulk_home: Path) -> None:
    with pytest.raises(bulk.BulkSyncError, match="killed"):
        _bulk(bulk_home, *awkward(), importer_timeout=0.5)
    _empty_and_running(bulk_home)
    # and the next one goes through
    assert _bulk(bulk_home, *awkward()).report.complete


def test_cli_refuses_bulk_for_an_external_server(
    cli: Any, neo4j_uri: str, neo4j_empty: Driver, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NEO4J_URI", neo4j_uri)
    monkeypatch.delenv("NEO4J_PASSWORD", raising=False)
    result: CliResult = cli("neo4j", "sync", "--bulk")
    assert result.code != 0 and "only the local server" in result.err and "NEO4J_URI" in result.err
    assert neo4j_empty.execute_query("MATCH (n) RETURN count(n) AS n").records[0]["n"] == 0


def test_cli_bulk_syncs_into_the_local_server_then_syncs_through_bolt(
    cli: Any, bulk_home: Path, store: MemoryStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("NEO4J_URI", raising=False)
    monkeypatch.setenv("ORDERGRAPH_HOME", str(bulk_home.parent))
    with _driver(bulk_home) as driver:
        driver.execute_query("MATCH (n) DETACH DELETE n")
    first: CliResult = cli("neo4j", "sync", "--bulk", "--json")
    assert first.code == 0, first.err
    report = first.json()
    said = first.err.index("bulk first sync: the local Neo4j server (bolt://127.0.0.1:")
    assert "stops for the import and starts again on the same ports" in first.err[said:]
    assert report["bulk"] and report["complete"] and report["nodes_written"] == len(list(store.nodes()))
    restarted = server.read_state(bulk_home)  # restarted by the CLI, still this test run's to stop
    assert restarted is not None and restarted.owner == os.getpid()
    again: CliResult = cli("neo4j", "sync", "--json")  # not empty now: through Bolt, nothing to write
    assert again.code == 0, again.err
    assert not again.json()["bulk"] and again.json()["nodes_written"] == again.json()["edges_written"] == 0
    refused: CliResult = cli("neo4j", "sync", "--bulk")
    assert refused.code != 0 and "not empty" in refused.err
    assert "stops for the import" not in refused.err  # refused before anything stopped: nothing announced
