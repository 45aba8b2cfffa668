"""Near spellings of a query word (graph.store.words.Vocabulary.alike): the same words whether
the vocabulary is scanned or looked up in its deletion index."""

from __future__ import annotations

import gc
import random
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import orjson
from hypothesis import given, settings
from hypothesis import strategies as st

from graph.names import doc_name_keys, name_keys
from graph.store import words
from graph.store.memory import MemoryStore
from graph.store.words import Vocabulary

_LETTERS = "abcdeno"


def _scanned_and_indexed(vocabulary: Vocabulary, word: str) -> tuple[list[str], list[str]]:
    fresh = Vocabulary.of(vocabulary.counts)  # no lookups yet: scans
    scanned = fresh.alike(word)
    indexed = Vocabulary.of(vocabulary.counts)
    indexed.build_deletion_index()
    return scanned, indexed.alike(word)


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.text(_LETTERS, min_size=1, max_size=7), min_size=1, max_size=60),
    st.text(_LETTERS, min_size=1, max_size=8),
)
def test_the_deletion_index_finds_what_a_scan_finds(terms: list[str], word: str) -> None:
    scanned, indexed = _scanned_and_indexed(Vocabulary.of(dict.fromkeys(terms, 1)), word)
    assert indexed == scanned


def test_near_spellings_are_the_words_one_edit_away_nearest_first() -> None:
    vocabulary = Vocabulary.of(dict.fromkeys(["petroleum", "people", "petrov", "petrol", "petrolea"], 1))
    # Two letters swapped, one dropped, one replaced or added: one edit. "people" is not near.
    assert vocabulary.alike("petroluem") == ["petroleum"]
    assert vocabulary.alike("petrolem") == ["petroleum", "petrolea"]
    # Nothing one edit away: the nearest by ratio (at least WORD_FOUND), as far as they go.
    assert vocabulary.alike("petrolxxm") == ["petrol", "petroleum", "petrolea", "petrov"]


def test_a_process_builds_the_index_after_a_few_scans_and_answers_the_same(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    rng = random.Random(3)  # noqa: S311 - a reproducible vocabulary
    terms = {"".join(rng.choice(_LETTERS) for _ in range(rng.randint(3, 9))): 1 for _ in range(3000)}
    vocabulary = Vocabulary.of(terms)
    queries = [w[:2] + w[3:] + "a" for w in list(terms)[:40]]
    before = [Vocabulary.of(terms).alike(q) for q in queries]  # each a fresh vocabulary: scans
    monkeypatch.setattr(words, "SCANS_BEFORE_INDEX", 3)
    after = [vocabulary.alike(q) for q in queries]
    assert vocabulary.indexed  # built after the third scan
    assert after == before


def test_two_threads_get_one_deletion_index_built_once(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """The app's sessions share a store's vocabulary, each on its own thread."""
    vocabulary = Vocabulary.of({"xiaomi": 1, "xiaoma": 1, "luokung": 1})
    seen: list[str] = []
    deletions = words._deletions

    def slow_deletions(word: str) -> set[str]:
        seen.append(word)
        time.sleep(0.05)  # widens the window in which a second build would start
        return deletions(word)

    monkeypatch.setattr(words, "_deletions", slow_deletions)
    monkeypatch.setattr(words, "SCANS_BEFORE_INDEX", 0)
    start = threading.Barrier(2)

    def build(_: int) -> dict[str, tuple[int, ...]]:
        start.wait()
        vocabulary.one_edit("xiaomo")  # the first look-up builds the index
        return vocabulary.build_deletion_index()

    with ThreadPoolExecutor(2) as pool:
        first, second = pool.map(build, range(2))
    assert first is second
    assert seen[:3] == vocabulary.terms and len(seen) == 3 + 2  # built once; each look-up: one word


def test_the_deletion_index_is_left_to_itself_by_the_garbage_collector() -> None:
    """The index lives as long as the process: once a collection has seen it, later full
    collections do not walk it (its positions are tuples of ints, which the collector
    untracks, and then the dict holding only those and strings)."""
    vocabulary = Vocabulary.of(dict.fromkeys(["xiaomi", "xiaoma", "luokung", "小米", "米集"], 1))
    index = vocabulary.build_deletion_index()
    assert {vocabulary.terms[at] for at in index["xiaom"]} == {"xiaoma", "xiaomi"}
    gc.collect()
    assert not gc.is_tracked(index)
    assert not any(gc.is_tracked(at) for at in index.values())


def test_a_group_too_common_to_tell_names_apart_is_left_out_of_the_and(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    vocabulary = Vocabulary.of({"集团": 50, "小米": 2, "米集": 1, "group": 40})
    monkeypatch.setattr(words, "COMMON_GROUP", 10)
    query = words.word_query("小米集团", vocabulary, total=60)
    assert query.groups == [["小米"], ["米集"]]  # 集团 is in most names
    assert words.word_query("集团 group", vocabulary, total=60).groups == [["集团"], ["group"]]  # none rarer


def test_a_nodes_document_has_the_nodes_words(store: MemoryStore) -> None:
    """The delta and the bulk load read words from documents, the stores from models: one rule."""
    nodes = list(store.nodes())
    assert any(n.kind == "ExecutiveOrder" for n in nodes)  # numbers and FR ids are name keys too
    for node in nodes:
        doc = orjson.loads(node.model_dump_json())
        assert list(doc_name_keys(doc)) == list(name_keys(node))
        assert words.doc_words(doc) == words.node_words(node)
