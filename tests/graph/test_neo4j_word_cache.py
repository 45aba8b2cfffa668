"""The Neo4j store keeps the name vocabulary between queries: a write by another process (another
store, a sync) must make it read the vocabulary again, or renamed entities go unfound."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from neo4j import Driver

from graph.model import Node
from graph.store.neo4j import Neo4jStore

pytestmark = pytest.mark.neo4j

ROOT = Path(__file__).resolve().parents[2]


def _company(node_id: str, name: str) -> Node:
    return Node(id=node_id, kind="Company", name=name, properties={"country": "CN"})


def _elsewhere(neo4j_uri: str, statement: str) -> None:
    """Run ``statement`` with a Neo4jStore of its own, in another Python process."""
    script = (
        "import os, sys\n"
        "from neo4j import GraphDatabase\n"
        "from graph.model import Node\n"
        "from graph.store.neo4j import Neo4jStore\n"
        "def company(i, name): return Node(id=i, kind='Company', name=name, properties={'country': 'CN'})\n"
        "user, password = os.environ.get('NEO4J_USER'), os.environ.get('NEO4J_PASSWORD')\n"
        "external = os.environ.get('ORDERGRAPH_TEST_NEO4J_URI')\n"
        "auth = (user, password) if user and password and external else None\n"
        "with GraphDatabase.driver(sys.argv[1], auth=auth) as driver:\n"
        "    store = Neo4jStore(driver)\n"
        f"    {statement}\n"
    )
    subprocess.run([sys.executable, "-c", script, neo4j_uri], check=True, cwd=ROOT, timeout=120)


def _found(store: Neo4jStore, text: str) -> list[str]:
    return [n.id for n in store.name_candidates(text, kinds=["Company"])]


def test_a_rename_by_another_process_is_found_at_once(neo4j_empty: Driver, neo4j_uri: str) -> None:
    store = Neo4jStore(neo4j_empty)
    store.write([_company("ORG:a", "Qzvx Alpha Widgets"), _company("ORG:b", "Plonk Harbour Holdings")])
    assert _found(store, "Qzvx Alpha") == ["ORG:a"]  # the vocabulary is read and kept
    # Another process renames ORG:a: as many entities as before, and no sync ran.
    _elsewhere(neo4j_uri, "store.write([company('ORG:a', 'Wyxz Bravo Gadgets')])")
    assert _found(store, "Wyxz Bravo") == ["ORG:a"]
    assert _found(store, "Qzvx Alpha") == []
    # Another process deletes one entity and writes another: the count is the same again.
    _elsewhere(neo4j_uri, "store.delete(['ORG:b']); store.write([company('ORG:c', 'Trevq Marine Lines')])")
    assert _found(store, "Trevq Marine") == ["ORG:c"]
    assert _found(store, "Plonk Harbour") == []


def test_the_vocabulary_is_kept_while_nothing_is_written(neo4j_empty: Driver) -> None:
    store = Neo4jStore(neo4j_empty)
    store.write([_company("ORG:a", "Qzvx Alpha Widgets")])
    assert _found(store, "Qzvx") == ["ORG:a"]
    kept = store._vocab
    assert kept is not None
    assert _found(store, "Alpha Widgets") == ["ORG:a"]
    assert store._vocab is kept  # read once, not again for every query
