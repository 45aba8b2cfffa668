"""The workspace store's exact-name index (``name_keys``) when a node is written again: only the keys
it lost are taken out and only those it gained put in (a delta's changed entity mostly keeps its
names), and the index ends as a fresh write of the node would leave it."""

from __future__ import annotations

from graph.model import Node
from graph.store.words import names_keys
from graph.store.workspace import WorkspaceStore

KEYS = "SELECT k.key, n.id FROM name_keys k JOIN nodes n ON n.seq = k.node_seq ORDER BY 1, 2"
ROWS = "SELECT k.key, n.id, k.rowid FROM name_keys k JOIN nodes n ON n.seq = k.node_seq"


def _node(aliases: list[str]) -> Node:
    return Node(id="ORG:x", kind="Company", name="Xiaomi Corp.", aliases=aliases)


def _key(name: str) -> str:
    return names_keys([name])[0]


def _rows(store: WorkspaceStore) -> dict[tuple[str, str], int]:
    return {(key, node): rowid for key, node, rowid in store.conn.execute(ROWS)}


def test_a_node_written_again_keeps_the_rows_of_the_names_it_keeps() -> None:
    other = Node(id="ORG:y", kind="Company", name="Xiaomi Technology")
    store = WorkspaceStore.open(":memory:")
    store.write([_node(["Mi Home", "Xiaomi Technology"]), other])
    before = _rows(store)
    store.write([_node(["Xiaomi Technology", "Redmi"])])  # Mi Home gone, Redmi new
    after = _rows(store)
    fresh = WorkspaceStore.open(":memory:")
    fresh.write([_node(["Xiaomi Technology", "Redmi"]), other])
    assert store.conn.execute(KEYS).fetchall() == fresh.conn.execute(KEYS).fetchall()
    assert (_key("Mi Home"), "ORG:x") in before
    assert (_key("Mi Home"), "ORG:x") not in after
    # The names kept keep their rows: not deleted and inserted again.
    for kept in [
        (_key("Xiaomi Corp."), "ORG:x"),
        (_key("Xiaomi Technology"), "ORG:x"),
        (_key("Xiaomi Technology"), "ORG:y"),
    ]:
        assert after[kept] == before[kept]
    assert [n.id for n in store.name_candidates("Redmi")] == ["ORG:x"]
    assert [n.id for n in store.name_candidates("Mi Home")] == []
    store.close()
    fresh.close()


def test_a_key_stored_twice_for_a_node_is_left_once_when_the_node_is_written_again() -> None:
    store = WorkspaceStore.open(":memory:")
    store.write([_node(["Xiaomi Technology"])])
    seq = store.conn.execute("SELECT seq FROM nodes WHERE id = 'ORG:x'").fetchone()[0]
    store.conn.execute("INSERT INTO name_keys (key, node_seq) VALUES (?, ?)", (_key("Xiaomi Corp."), seq))
    store.write([_node(["Redmi"])])
    expected = sorted([(_key("Redmi"), "ORG:x"), (_key("Xiaomi Corp."), "ORG:x")])
    assert store.conn.execute(KEYS).fetchall() == expected
    store.close()
