"""The workspace store's vocabulary (``terms``: each index word and how many nodes carry it) when
a bulk load's new rows count their words at the end of the transaction rather than batch by batch:
the same counts as writing the nodes one by one, seen by a search inside the transaction, and
nothing of them after a rollback."""

from __future__ import annotations

import pytest

from graph.model import Node
from graph.store.words import node_index
from graph.store.workspace import WorkspaceStore
from graph.store.workspace.rows import NewNode


def _new(node_id: str, name: str) -> NewNode:
    """What a bulk load passes ``insert_new`` for a company of this name."""
    node = Node(id=node_id, kind="Company", name=name)
    words, exact = node_index(node)
    return (node_id, "Company", None, None, node.model_dump_json(), words, [], [], exact)


def _terms(store: WorkspaceStore) -> dict[str, int]:
    return dict(store.conn.execute("SELECT term, n FROM terms ORDER BY term").fetchall())


def _written_one_by_one(names: dict[str, str]) -> dict[str, int]:
    store = WorkspaceStore.open(":memory:")
    for node_id, name in names.items():
        store.write([Node(id=node_id, kind="Company", name=name)])
    return _terms(store)


NAMES = {"ORG:a": "Acme Quarries", "ORG:b": "Acme Mining", "ORG:c": "Zenith Mining"}


@pytest.mark.parametrize("held", [200_000, 1])
def test_new_rows_count_their_words_as_writing_them_one_by_one_would(
    held: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    # held: how many distinct words the store counts in memory before writing them (1: every batch)
    monkeypatch.setattr("graph.store.workspace.writing.PENDING_TERMS", held)
    store = WorkspaceStore.open(":memory:")
    with store.transaction():
        store.insert_new([_new(i, n) for i, n in list(NAMES.items())[:2]])
        store.insert_new([_new("ORG:c", NAMES["ORG:c"])])
    assert _terms(store) == _written_one_by_one(NAMES)
    assert _terms(store)["acme"] == _terms(store)["mining"] == 2


def test_a_node_rewritten_after_its_bulk_insert_in_the_same_transaction_counts_its_words_once() -> None:
    store = WorkspaceStore.open(":memory:")
    with store.transaction():
        store.insert_new([_new(i, n) for i, n in NAMES.items()])
        # A merge in the same load rewrites a node just inserted: its old words are taken out.
        store.write([Node(id="ORG:c", kind="Company", name="Zenith Quarries")])
        store.delete(["ORG:a"])
    assert _terms(store) == _written_one_by_one({"ORG:b": "Acme Mining", "ORG:c": "Zenith Quarries"})
    assert _terms(store)["quarries"] == 1


def test_a_search_inside_the_transaction_sees_the_new_rows_words() -> None:
    store = WorkspaceStore.open(":memory:")
    with store.transaction():
        store.insert_new([_new(i, n) for i, n in NAMES.items()])
        found = {node.id for node in store.name_candidates("mining")}
    assert found == {"ORG:b", "ORG:c"}


def test_a_rolled_back_bulk_insert_leaves_no_words_behind() -> None:
    store = WorkspaceStore.open(":memory:")
    store.write([Node(id="ORG:x", kind="Company", name="Acme")])
    before = _terms(store)
    with pytest.raises(RuntimeError), store.transaction():
        store.insert_new([_new(i, n) for i, n in NAMES.items()])
        raise RuntimeError("a bad line")
    store.write([Node(id="ORG:y", kind="Company", name="Other")])
    assert _terms(store) == {**before, "other": 1}
