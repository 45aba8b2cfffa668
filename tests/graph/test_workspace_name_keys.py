"""The workspace store's exact names (terms of their own in its word index, schema 6) when a node is
written again: the index ends as a fresh write of the node would leave it, the names it lost no longer
find it and those it gained do, and a word index without exact names never finds one by its words."""

from __future__ import annotations

from graph.model import Node
from graph.store.words import names_keys
from graph.store.workspace import WorkspaceStore
from graph.store.workspace.schema import KEY_MARK, index_text, key_term
from tests.graph.name_terms import indexed_keys


def _node(aliases: list[str]) -> Node:
    return Node(id="ORG:x", kind="Company", name="Xiaomi Corp.", aliases=aliases)


def _key(name: str) -> str:
    return names_keys([name])[0]


def _keys(store: WorkspaceStore) -> list[tuple[str, str]]:
    ids = dict(store.conn.execute("SELECT seq, id FROM nodes"))
    return sorted((key, ids[seq]) for key, seq in indexed_keys(store.conn))


def test_a_node_written_again_is_found_by_the_names_it_has_now() -> None:
    other = Node(id="ORG:y", kind="Company", name="Xiaomi Technology")
    store = WorkspaceStore.open(":memory:")
    store.write([_node(["Mi Home", "Xiaomi Technology"]), other])
    assert (_key("Mi Home"), "ORG:x") in _keys(store)
    store.write([_node(["Xiaomi Technology", "Redmi"])])  # Mi Home gone, Redmi new
    fresh = WorkspaceStore.open(":memory:")
    fresh.write([_node(["Xiaomi Technology", "Redmi"]), other])
    assert _keys(store) == _keys(fresh)
    assert (_key("Mi Home"), "ORG:x") not in _keys(store)
    assert [n.id for n in store.name_candidates("Redmi")] == ["ORG:x"]
    assert [n.id for n in store.name_candidates("Mi Home")] == []
    # The words counted once each, whatever the exact names did.
    terms = "SELECT term, n FROM terms WHERE n > 0 ORDER BY term"
    assert store.conn.execute(terms).fetchall() == fresh.conn.execute(terms).fetchall()
    store.close()
    fresh.close()


def test_a_node_gaining_a_name_of_the_same_words_is_found_by_it() -> None:
    """Wei Wang and Wang Wei are one set of words and two exact names: the row's words stay, its
    exact names change, and the index takes the new one (the vocabulary stays as it was)."""
    person = Node(id="PERSON:w", kind="Person", name="Wang Wei")
    store = WorkspaceStore.open(":memory:")
    store.write([person])
    terms = store.conn.execute("SELECT term, n FROM terms ORDER BY term").fetchall()
    store.write([person.model_copy(update={"aliases": ["Wei Wang"]})])
    assert _keys(store) == [("wang wei", "PERSON:w"), ("wei wang", "PERSON:w")]
    assert store.conn.execute("SELECT term, n FROM terms ORDER BY term").fetchall() == terms
    store.write([person])
    assert _keys(store) == [("wang wei", "PERSON:w")]
    store.close()


def test_an_exact_name_is_one_term_no_word_and_no_other_name() -> None:
    """A name of one word, and names alike but for their spaces or underscores, are each their own
    term: never a word a search matches, never each other."""
    store = WorkspaceStore.open(":memory:")
    store.write(
        [
            Node(id="ORG:a", kind="Company", name="a_b"),
            Node(id="ORG:b", kind="Company", name="A B"),
            Node(id="ORG:c", kind="Company", name="AB"),
        ]
    )
    assert _keys(store) == [("a b", "ORG:b"), ("a_b", "ORG:a"), ("ab", "ORG:c")]
    assert all(not term.startswith(KEY_MARK) for (term,) in store.conn.execute("SELECT term FROM terms"))
    assert index_text(["a", "b"], ["a b"]) == "a b " + key_term("a b")
    for text, found in [("a b", ["ORG:b"]), ("a_b", ["ORG:a"]), ("ab", ["ORG:c"])]:
        assert [n.id for n in store.name_candidates(text)][:1] == found
    store.close()
