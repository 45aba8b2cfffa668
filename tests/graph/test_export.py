"""Exports round-trip: what networkx reads back is what was written."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import networkx as nx
import pytest

from graph.export import export, from_networkx
from graph.store.memory import MemoryStore


def _models(store: MemoryStore) -> tuple[dict[str, object], dict[str, object]]:
    return (
        {n.id: n.model_dump() for n in store.nodes()},
        {e.id: e.model_dump() for e in store.edges()},
    )


@pytest.mark.parametrize("fmt", ["graphml", "gexf"])
def test_graph_formats_round_trip_through_networkx(store: MemoryStore, tmp_path: Path, fmt: str) -> None:
    out = tmp_path / f"graph.{fmt}"
    export(store, fmt, out)
    graph = nx.read_graphml(out, force_multigraph=True) if fmt == "graphml" else nx.read_gexf(out)
    assert isinstance(graph, nx.MultiDiGraph)
    assert graph.number_of_edges() == store.edge_count()
    kinds = nx.get_node_attributes(graph, "kind")
    assert kinds["EO:13959"] == "ExecutiveOrder"
    nodes, edges = from_networkx(graph)
    assert _models(MemoryStore.from_parts(nodes, edges)) == _models(store)


def test_parallel_edges_survive_graphml(store: MemoryStore, tmp_path: Path) -> None:
    pairs = [(e.source, e.target) for e in store.edges()]
    parallel = {p for p in pairs if pairs.count(p) > 1}
    assert parallel, "the corpus has parallel edges (e.g. two Luokung listings)"
    export(store, "graphml", tmp_path / "g.graphml")
    graph = nx.read_graphml(tmp_path / "g.graphml", force_multigraph=True)
    for source, target in parallel:
        assert graph.number_of_edges(source, target) == pairs.count((source, target))


def test_node_link_json_has_every_model(store: MemoryStore, tmp_path: Path) -> None:
    export(store, "json", tmp_path / "g.json")
    data = json.loads((tmp_path / "g.json").read_text())
    assert (len(data["nodes"]), len(data["edges"])) == (store.node_count(), store.edge_count())
    assert all(e["sources"] and e["sources"][0]["url"] for e in data["edges"])


def test_csv_has_nodes_and_edges(store: MemoryStore, tmp_path: Path) -> None:
    written = export(store, "csv", tmp_path / "csv")
    with written[1].open() as fh:
        rows = list(csv.DictReader(fh))
    assert len(rows) == store.edge_count()
    xiaomi = [r for r in rows if r["source"] == "ORG:xiaomi" and r["kind"] == "LISTED_ON"]
    assert xiaomi and xiaomi[0]["start"] == "2021-01-14" and json.loads(xiaomi[0]["sources"])


def test_cypher_script_passes_values_as_parameters(store: MemoryStore, tmp_path: Path) -> None:
    export(store, "cypher", tmp_path / "g.cypher")
    lines = (tmp_path / "g.cypher").read_text().splitlines()
    statements = [ln for ln in lines if ln.startswith(("UNWIND", "MATCH", "MERGE", "SET"))]
    params = [ln for ln in lines if ln.startswith(":param rows => ")]
    assert params and statements
    # Values live only on :param lines; statements name no entity.
    assert not any("Xiaomi" in ln for ln in statements)
    assert any("Xiaomi Corporation" in ln for ln in params)
