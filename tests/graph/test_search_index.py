"""The workspace's word index finds what the memory store's gram index finds: search answers on
the curated graph are the same, for every name and alias, misspelt, cut short or in part."""

from __future__ import annotations

import pytest

from graph.names import name_keys
from graph.query import search
from graph.store.memory import MemoryStore
from graph.store.workspace import WorkspaceStore


def _texts(store: MemoryStore) -> list[str]:
    texts = []
    for node in store.nodes():
        for key in name_keys(node):
            texts.append(key)
            if len(key) > 6:  # a letter dropped, two swapped, the first word, the first half
                texts += [key[:3] + key[4:], key[:3] + key[4] + key[3] + key[5:], key.split()[0]]
                texts.append(key[: len(key) // 2])
    texts += ["Luokong", "Grand China Aie", "chinamobile", "小米", "Hikvison", "SSE688012", "zzz"]
    return list(dict.fromkeys(texts))


@pytest.fixture(scope="module")
def stores(store: MemoryStore) -> tuple[MemoryStore, WorkspaceStore]:
    workspace = WorkspaceStore.open(":memory:")
    workspace.write(store.nodes(), store.edges())
    return store, workspace


@pytest.mark.parametrize("part", range(2))
def test_search_answers_agree_with_the_memory_store(
    stores: tuple[MemoryStore, WorkspaceStore], part: int
) -> None:
    memory, workspace = stores
    texts = _texts(memory)[part::8]  # a quarter of them, in two halves
    differ = [t for t in texts if search(memory, t) != search(workspace, t)]
    assert differ == [], differ[:10]


def test_a_searchs_candidates_are_read_without_being_kept(store: MemoryStore) -> None:
    """Up to 201 candidates a search, few read again: kept parsed, they were most of what the
    garbage collector's full passes walked. A node already parsed is handed out as it is."""
    workspace = WorkspaceStore.open(":memory:")
    workspace.write(store.nodes(), store.edges())
    workspace._parsed_nodes.clear()
    kept = workspace.get_node(workspace.name_candidates("China")[1].id)
    candidates = workspace.name_candidates("China")
    assert len(candidates) > 10
    assert candidates[1] is kept
    assert list(workspace._parsed_nodes.values()) == [kept]
    assert search(workspace, "China") == search(store, "China")
