"""The workspace store's degrees: kept apart from the node rows (schema 3), right after deletes,
and moved out of the rows of a file written at schema 2 when it is opened."""

from __future__ import annotations

import re
import sqlite3
from pathlib import Path

import pytest

from graph.errors import StoreUnavailable
from graph.model import Edge, Node, Source
from graph.store.workspace import SCHEMA_VERSION, WorkspaceStore
from tests.graph.name_terms import indexed_keys
from tests.graph.old_layout import as_schema

SRC = [Source(url="https://example.org/s", title="t", publisher="p", kind="other")]


def _edge(source: str, target: str) -> Edge:
    return Edge(id=f"SUBSIDIARY_OF:{source}>{target}", kind="SUBSIDIARY_OF", source=source, target=target,
                confidence="verified", sources=SRC)  # fmt: skip


def _keys(store: WorkspaceStore) -> list[tuple[str, str]]:
    """Each exact name the store's word index holds, with the id of each node it finds."""
    ids = dict(store.conn.execute("SELECT seq, id FROM nodes"))
    return sorted((key, ids[seq]) for key, seq in indexed_keys(store.conn))


def _graph(path: str | Path) -> WorkspaceStore:
    """A owns B and C; C owns D."""
    store = WorkspaceStore.open(path)
    nodes = [Node(id=f"ORG:{x}", kind="Company", name=x.upper()) for x in "abcd"]
    store.write(nodes, [_edge("ORG:b", "ORG:a"), _edge("ORG:c", "ORG:a"), _edge("ORG:d", "ORG:c")])
    return store


IDS = [f"ORG:{x}" for x in "abcde"]


def test_a_node_taking_a_deleted_nodes_row_number_starts_with_no_edges() -> None:
    store = _graph(":memory:")
    assert store.degrees(IDS) == {"ORG:a": 2, "ORG:b": 1, "ORG:c": 2, "ORG:d": 1}
    last = store.conn.execute("SELECT seq FROM nodes WHERE id = 'ORG:d'").fetchone()[0]
    store.delete(["ORG:d"])  # the last row: the next node takes its number
    store.write([Node(id="ORG:e", kind="Company", name="E")])
    assert store.conn.execute("SELECT seq FROM nodes WHERE id = 'ORG:e'").fetchone()[0] == last
    assert store.degrees(IDS) == {"ORG:a": 2, "ORG:b": 1, "ORG:c": 1, "ORG:e": 0}
    store.write(edges=[_edge("ORG:e", "ORG:c")])
    store.delete(edge_ids=["SUBSIDIARY_OF:ORG:b>ORG:a"])
    assert store.degrees(IDS) == {"ORG:a": 1, "ORG:b": 0, "ORG:c": 2, "ORG:e": 1}


def _as_schema_2(path: Path) -> None:
    """The file put back as schema 2 wrote it: each node's degree in its row, no ``degrees`` table."""
    db = sqlite3.connect(path, isolation_level=None)
    try:
        db.executescript(
            """
            BEGIN;
            ALTER TABLE nodes ADD COLUMN degree INTEGER NOT NULL DEFAULT 0;
            UPDATE nodes SET degree = COALESCE((SELECT n FROM degrees WHERE degrees.seq = nodes.seq), 0);
            DROP TABLE degrees;
            UPDATE meta SET value = '2' WHERE key = 'schema';
            COMMIT;
            """
        )
    finally:
        db.close()


def test_a_file_of_schema_2_keeps_its_degrees_when_opened(tmp_path: Path) -> None:
    path = tmp_path / "graph.sqlite"
    _graph(path).close()
    _as_schema_2(path)
    store = WorkspaceStore.open(path)
    assert store.degrees(IDS) == {"ORG:a": 2, "ORG:b": 1, "ORG:c": 2, "ORG:d": 1}
    columns = [c[1] for c in store.conn.execute("PRAGMA table_info(nodes)")]
    assert "degree" not in columns
    assert store.conn.execute("SELECT value FROM meta WHERE key = 'schema'").fetchone() == (SCHEMA_VERSION,)
    store.write(edges=[_edge("ORG:d", "ORG:b")])  # written as a file of this schema
    assert store.degrees(["ORG:b", "ORG:d"]) == {"ORG:b": 2, "ORG:d": 2}


def test_a_file_of_an_unknown_schema_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "graph.sqlite"
    _graph(path).close()
    db = sqlite3.connect(path)
    db.execute("UPDATE meta SET value = '9' WHERE key = 'schema'")
    db.commit()
    db.close()
    with pytest.raises(
        StoreUnavailable, match=f"workspace schema 9, this ordergraph reads {SCHEMA_VERSION}: upgrade"
    ):
        WorkspaceStore.open(path)


def test_a_file_of_schema_3_has_its_names_indexed_again_in_simplified_characters(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Schema 3 indexed a name's words as written (小米集團's 集團); schema 4 folds traditional
    characters to simplified (graph/hanzi.py), in the index and in the query: opened, such a file
    has its name index written again, and answers as a file written by this version does."""
    from graph import query
    from tests.graph.unfolded import unfolded

    nodes = [
        Node(id="ORG:xiaomi", kind="Company", name="Xiaomi Corporation", aliases=["小米集團"]),
        Node(id="ORG:mobile", kind="Company", name="中國移動有限公司"),
        Node(id="ORG:huawei", kind="Company", name="华为技术有限公司"),
        Node(id="ORG:zte", kind="Company", name="ZTE Corporation"),
    ]
    old = tmp_path / "old.sqlite"
    with unfolded(monkeypatch):
        store = WorkspaceStore.open(old)
        store.write(nodes, [_edge("ORG:zte", "ORG:huawei")])
        store.close()
    db = sqlite3.connect(old, isolation_level=None)
    db.execute("UPDATE meta SET value = '3' WHERE key = 'schema'")
    assert ("集團",) in db.execute("SELECT term FROM terms").fetchall()  # as schema 3 indexed it
    db.close()
    current = WorkspaceStore.open(tmp_path / "current.sqlite")
    current.write(nodes, [_edge("ORG:zte", "ORG:huawei")])
    store = WorkspaceStore.open(old)
    assert store.conn.execute("SELECT value FROM meta WHERE key = 'schema'").fetchone() == (SCHEMA_VERSION,)
    terms = "SELECT term, n FROM terms WHERE n > 0 ORDER BY term"
    assert store.conn.execute(terms).fetchall() == current.conn.execute(terms).fetchall()
    for text, expected in [("小米集团", "ORG:xiaomi"), ("中国移动", "ORG:mobile"), ("華為", "ORG:huawei")]:
        assert [h.id for h in query.search(store, text)][:1] == [expected]
        assert [n.id for n in store.name_candidates(text)] == [n.id for n in current.name_candidates(text)]
    assert store.get_node("ORG:xiaomi") == nodes[0]  # the name as given
    assert store.degrees(["ORG:huawei"]) == {"ORG:huawei": 1}
    assert _keys(store) == _keys(current)
    # Written again as a file of this schema: a renamed node's old words leave the index.
    store.write([Node(id="ORG:xiaomi", kind="Company", name="Xiaomi Corporation")])
    assert query.search(store, "小米集團") == []
    store.close()
    current.close()


@pytest.mark.parametrize("version", ["4", "5"])
def test_a_file_of_schema_4_or_5_gets_its_exact_names_in_its_word_index(tmp_path: Path, version: str) -> None:
    """Schema 4 had no exact-name index, schema 5 a table of its own (``name_keys``, two indexes):
    opened, such a file has the names written into its word index from every node's names (5's table
    goes), the index is the one a file of this schema written anew has, and an exact name among more
    nodes than a search's candidates carrying its words is found."""
    from graph import query
    from graph.store import base

    crowd = [
        Node(id=f"ORG:{i}", kind="Company", name=f"Delta Works {i:04x}") for i in range(base.CANDIDATES + 5)
    ]
    named = Node(id="ORG:named", kind="Company", name="Delta Works Ltd", aliases=["三角洲"])
    path = tmp_path / "old.sqlite"
    store = WorkspaceStore.open(path)
    store.write([*crowd, named])
    current = _keys(store)
    terms = store.conn.execute("SELECT term, n FROM terms ORDER BY term").fetchall()
    store.close()
    as_schema(path, version)
    if version == "5":
        db = sqlite3.connect(path)
        assert ("delta works", "ORG:named") in db.execute(
            "SELECT k.key, n.id FROM name_keys k JOIN nodes n ON n.seq = k.node_seq"
        ).fetchall()
        db.close()
    told: list[str] = []
    store = WorkspaceStore.open(path, tell=told.append)
    assert store.conn.execute("SELECT value FROM meta WHERE key = 'schema'").fetchone() == (SCHEMA_VERSION,)
    # The upgrade says what it does before (it takes a minute at a million nodes), and how long it took.
    assert len(told) == 2
    assert told[0].startswith(
        f"{path}: bringing workspace schema {version} to {SCHEMA_VERSION}, once: indexing"
    )
    assert re.fullmatch(
        rf"{re.escape(str(path))}: workspace schema {SCHEMA_VERSION}, names indexed in \d+\.\d s", told[1]
    )
    assert _keys(store) == current
    assert ("delta works", "ORG:named") in current
    assert store.conn.execute("SELECT term, n FROM terms ORDER BY term").fetchall() == terms
    tables = {name for (name,) in store.conn.execute("SELECT name FROM sqlite_master")}
    assert not {"name_keys", "name_keys_key", "name_keys_node"} & tables
    assert [h.id for h in query.search(store, "delta works")][:1] == ["ORG:named"]
    assert [n.id for n in store.name_candidates("三角洲")] == ["ORG:named"]
    # Renamed, the node's old exact names leave the index.
    store.write([Node(id="ORG:named", kind="Company", name="Omega Sails")])
    assert [key for key, node in _keys(store) if node == "ORG:named"] == ["omega sails"]
    assert [h.id for h in query.search(store, "delta works")][:1] != ["ORG:named"]
    store.close()
    # A file of this schema, opened again, is not upgraded: nothing is told.
    WorkspaceStore.open(path, tell=told.append).close()
    assert len(told) == 2


def test_added_degrees_go_onto_the_rows_of_their_ids() -> None:
    """``add_degrees`` (the bulk path's count, written once): onto rows with and without degrees yet,
    negative too; an id given twice counts twice; an id no node has is passed over."""
    store = _graph(":memory:")
    store.write([Node(id="ORG:e", kind="Company", name="E")])
    with store.transaction():
        store.add_degrees([("ORG:e", 3), ("ORG:a", -1), ("ORG:zz", 5), ("ORG:d", 1), ("ORG:e", 1)])
    assert store.degrees([*IDS, "ORG:zz"]) == {"ORG:a": 1, "ORG:b": 1, "ORG:c": 2, "ORG:d": 2, "ORG:e": 4}
    rows = store.conn.execute("SELECT seq FROM degrees ORDER BY seq").fetchall()
    assert len(rows) == 5  # one row a node


def test_degrees_added_by_row_number_are_those_added_by_id() -> None:
    """``add_row_degrees`` (a bulk load's new nodes, counted by the row numbers it gave them) adds as
    ``add_degrees`` does by id."""
    by_id, by_row = _graph(":memory:"), _graph(":memory:")
    added = [("ORG:a", 2), ("ORG:d", 1), ("ORG:b", -1)]
    seqs = dict(by_row.conn.execute("SELECT id, seq FROM nodes"))
    with by_id.transaction():
        by_id.add_degrees(added)
    with by_row.transaction():
        by_row.add_row_degrees(sorted((seqs[node_id], n) for node_id, n in added))
    assert by_row.degrees(IDS) == by_id.degrees(IDS) == {"ORG:a": 4, "ORG:b": 0, "ORG:c": 2, "ORG:d": 2}
