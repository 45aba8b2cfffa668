"""Name candidates, defined once for every store: which indexed words a text may mean, and how
the nodes carrying them are ordered.

Every store indexes each node by its name words (:func:`graph.names.name_tokens` of its
name, aliases and an order's numbers) and keeps a vocabulary: each word and how many
nodes carry it. For a text, :func:`word_query` decides, from the vocabulary alone, the
words each query word may mean (``groups``: itself, up to ``VARIANTS`` longer words it
begins and, when the index does not know it and it has no digits, up to ``VARIANTS``
near spellings, one edit away when it has any) and the telling words worth ranking by
(``weights``: the rarest, within ``POSTINGS`` postings, each weighing more the rarer it
is, in integers so that every engine sums them exactly). A store then offers, in order:

1. the node whose id is the text, then the nodes carrying it as an identifier of any scheme
   (:func:`graph.model.identifier_keys`: as typed or upper-cased), in write order;
2. nodes carrying, for every group, one of its words, in write order (a group more than
   ``COMMON_GROUP`` nodes carry is left out when a rarer one is there);
3. nodes carrying telling words, the heaviest sum of weights first, ties in write order;

of the kinds asked, at most ``limit``; of those, after 1., the nodes whose name is the text
(:func:`graph.names.normalise_name` of both: "wechat" is the app named WeChat, not the WeChat
Users Alliance that also says WeChat in its aliases), then those with an alias that is
(:func:`exact_names_first`). Those come from an index of their own (every store keeps one:
each node under :func:`exact_keys`, its name's and aliases' normalised forms), looked up
before 2., so an exact name is a candidate however many nodes carry its words; the ranker
(:func:`graph.query.search`) scores the rest. So memory, workspace and Neo4j hand the ranker
(:func:`graph.query.search`) the same candidates in the same order, whatever the size
of the graph; ``tests/graph/test_store_contract.py`` proves it on a graph where
thousands of names share their words.

>>> vocabulary = Vocabulary.of({"luokung": 2, "technology": 5, "tech": 1})
>>> query = word_query("Luokong Tech", vocabulary, total=6)
>>> query.groups
[['luokung'], ['tech', 'technology']]
>>> sorted(query.weights, key=query.weights.get, reverse=True)
['tech', 'luokung', 'technology']
"""

from __future__ import annotations

import math
import re
import threading
from bisect import bisect_left
from collections import defaultdict
from collections.abc import Collection, Hashable, Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, TypeVar

from graph import pinyin
from graph.model import Node
from graph.names import WORD_FOUND, name_tokens, norm_tokens, normalise_name, order_keys
from graph.store import base

# At most this many indexed words a query word may mean: words it begins ("tech" →
# "technology"), and as many near spellings, the nearest first.
VARIANTS = 16
# Guards every vocabulary's _lookups (the scan count, the one-time build of the deletion index):
# a store's vocabulary is shared by the app's sessions, each on its own thread. One lock for all
# (a vocabulary holding a lock would no longer pickle); it is held only while counting or building.
_LOOKUPS = threading.Lock()

# A vocabulary scanned this many times for near spellings builds its deletion index (Vocabulary.one_edit).
SCANS_BEFORE_INDEX = 8
# A group whose words more nodes than this carry is left out of "carrying every group" when a
# rarer group is there: it tells no name apart (公司, 有限, group, jsc: 47k–378k names at 1M) and
# reading its postings costs more than the rarer groups' (a Chinese name's AND 6 ms → 0.3 ms).
COMMON_GROUP = 40_000
# The telling words are read (their postings summed) from the rarest until this many postings.
POSTINGS = 10_000
# Weights are log(1 + nodes / nodes carrying the word), times this, rounded: integers sum exactly.
SCALE = 1000
_RUNS = re.compile(r"[^\W\d]+|\d+")
K = TypeVar("K", bound=Hashable)


def node_words(node: Node) -> list[str]:
    """A node's indexed name words: those of its name, aliases and (an order's) numbers, each once.

    >>> node_words(Node(id="ORG:x", kind="Company", name="小米集团", aliases=["Xiaomi Corp"]))
    ['小米', '米集', '集团', 'xiaomi']
    """
    return node_index(node)[0]


def doc_words(doc: Mapping[str, Any]) -> list[str]:
    """:func:`node_words` of a node's document (its ``model_dump``), without building the model."""
    return doc_index(doc)[0]


def exact_keys(node: Node) -> list[str]:
    """The keys a node is found under by its exact name: its name and aliases as
    :func:`graph.names.normalise_name` reads them, each once (what a text is looked up as).

    >>> exact_keys(Node(id="ORG:x", kind="Company", name="Xiaomi Corp.", aliases=["XIAOMI", "小米集团"]))
    ['xiaomi', '小米集团']
    """
    return node_index(node)[1]


def names_keys(names: Iterable[str]) -> list[str]:
    """Names' exact keys (:func:`exact_keys`), each once, in order, none empty."""
    return [k for k in dict.fromkeys(_exact_key(name) for name in names) if k]


def node_index(node: Node) -> tuple[list[str], list[str]]:
    """A node's name-index words and exact keys (:func:`node_words`, :func:`exact_keys`), each name
    normalised once for both: the words are those of its normalised names (and of an order's numbers).

    >>> node_index(Node(id="ORG:x", kind="Company", name="Xiaomi Corp.", aliases=["小米集团"]))
    (['xiaomi', '小米', '米集', '集团'], ['xiaomi', '小米集团'])
    """
    return _index(node.kind, node.name, node.aliases, node.properties)


def doc_index(doc: Mapping[str, Any]) -> tuple[list[str], list[str]]:
    """:func:`node_index` of a node's document (its ``model_dump``), without building the model."""
    return _index(doc["kind"], doc["name"], doc["aliases"], doc["properties"])


def _index(
    kind: str, name: str, aliases: Iterable[str], properties: Mapping[str, Any]
) -> tuple[list[str], list[str]]:
    words: dict[str, None] = {}
    exact: dict[str, None] = {}
    for text in (name, *aliases):
        norm = _exact_key(text)
        if norm:
            exact[norm] = None
            # An ASCII name's words are its words (graph.names.norm_tokens), without the cache's call.
            words.update(dict.fromkeys(norm.split() if norm.isascii() else norm_words(norm)))
    for key in order_keys(kind, properties):
        words.update(dict.fromkeys(norm_words(_exact_key(key))))
    return list(words), list(exact)


@lru_cache(maxsize=65536)
def _exact_key(name: str) -> str:
    return normalise_name(name)


@lru_cache(maxsize=65536)
def norm_words(norm: str) -> tuple[str, ...]:
    """:func:`graph.names.norm_tokens` of a normalised name, as a tuple (kept for the names met again)."""
    return tuple(norm_tokens(norm))


@dataclass(frozen=True)
class Vocabulary:
    """Every indexed word carried by at least one node, sorted (code point order, which is
    SQLite's and Neo4j's), with how many nodes carry it."""

    terms: list[str]
    counts: dict[str, int]

    @classmethod
    def of(cls, counts: Mapping[str, int]) -> Vocabulary:
        kept = {t: int(n) for t, n in counts.items() if n > 0}
        return cls(sorted(kept), kept)

    def beginning(self, word: str) -> list[str]:
        """The first ``VARIANTS`` words (in order) that begin with ``word`` and are longer."""
        found: list[str] = []
        at = bisect_left(self.terms, word)
        while at < len(self.terms) and len(found) < VARIANTS and self.terms[at].startswith(word):
            if self.terms[at] != word:
                found.append(self.terms[at])
            at += 1
        return found

    # How this vocabulary has been looked up in this process: {"scans": n} until its deletion
    # index is built, then {"index": deletion → positions in terms} (see one_edit).
    _lookups: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)

    def alike(self, word: str) -> list[str]:
        """The ``VARIANTS`` words nearest ``word`` (rapidfuzz ratio at least WORD_FOUND; by ratio,
        ties by word): those one edit from it (:meth:`one_edit`) when there are any, else any."""
        from rapidfuzz import fuzz, process

        hits = [
            (term, score) for term in self.one_edit(word) if (score := fuzz.ratio(word, term)) >= WORD_FOUND
        ]
        if not hits:
            found = process.extract(word, self.terms, scorer=fuzz.ratio, score_cutoff=WORD_FOUND, limit=None)
            hits = [(term, score) for term, score, _ in found]
        hits.sort(key=lambda hit: (-hit[1], hit[0]))
        return [term for term, _ in hits[:VARIANTS]]

    def one_edit(self, word: str) -> set[str]:
        """The words one edit from ``word``: a character added, dropped or replaced, or two swapped
        — each is at most one character longer than what the two have in common (Indel
        distance at most 2, lengths at most 1 apart).

        A scan of the vocabulary in rapidfuzz's C loop (~40 ns a word) until this vocabulary
        has been scanned ``SCANS_BEFORE_INDEX`` times in this process (a command answering one
        question pays no index); then a deletion index (symmetric delete, as SymSpell): every
        word under itself and each string one character shorter it contains, looked up by the
        same strings of ``word``. Both give the same words (tests/graph/test_words.py).
        """
        index: dict[str, tuple[int, ...]] | None = self._lookups.get("index")
        if index is None:
            with _LOOKUPS:
                self._lookups["scans"] = scans = self._lookups.get("scans", 0) + 1
            if scans > SCANS_BEFORE_INDEX:
                index = self.build_deletion_index()
        if index is None:
            from rapidfuzz import process
            from rapidfuzz.distance import Indel

            hits = process.extract(word, self.terms, scorer=Indel.distance, score_cutoff=2, limit=None)
            return {term for term, _, _ in hits if abs(len(term) - len(word)) <= 1}
        terms = self.terms
        return {terms[at] for key in _deletions(word) for at in index.get(key, ())}

    def build_deletion_index(self) -> dict[str, tuple[int, ...]]:
        """The deletion index of :meth:`one_edit`, built now unless it was (at 1M, 114k words:
        ~0.5 s, ~30 MiB). Built once: the app's sessions share one vocabulary across threads.

        Each string's positions are a tuple of ints, not a list: the cyclic garbage collector
        stops tracking such a tuple at the first collection it survives, then the dict once all
        its values are untracked, so the index it keeps for the process's life is not walked
        again by every full collection (as its lists were: ~200k objects at 1M).
        """
        built: dict[str, tuple[int, ...]] | None = self._lookups.get("index")
        if built is not None:
            return built
        with _LOOKUPS:
            built = self._lookups.get("index")
            if built is None:
                index: defaultdict[str, list[int]] = defaultdict(list)
                for at, term in enumerate(self.terms):
                    for key in _deletions(term):
                        index[key].append(at)
                built = self._lookups["index"] = {key: tuple(at) for key, at in index.items()}
        return built

    @property
    def indexed(self) -> bool:
        """Whether :meth:`one_edit` looks words up in the deletion index (no longer scans)."""
        return "index" in self._lookups


def _deletions(word: str) -> set[str]:
    """``word`` and every string one character shorter that it contains, in order."""
    return {word, *(word[:at] + word[at + 1 :] for at in range(len(word)))}


@dataclass(frozen=True)
class WordQuery:
    """What a store looks up for a text: see the module's docstring."""

    groups: list[list[str]]
    weights: dict[str, int]

    def __bool__(self) -> bool:
        return bool(self.weights)


def word_query(text: str, vocabulary: Vocabulary, total: int) -> WordQuery:
    """The words each query word may mean, and the telling words with their weights.

    ``total`` is how many nodes the store holds. A word in a script written without
    spaces gives a group for each of its character pairs, as it is indexed.
    """
    asked: dict[str, set[str]] = {}
    words = list(dict.fromkeys(normalise_name(text).split()))
    for word in words:
        tokens = name_tokens(word)
        if tokens != [word]:  # Chinese: the pairs are the words
            for token in tokens:
                asked.setdefault(token, set()).add(token)
            if word[0] == "中" and word[1] not in "国华":
                # 中 may stand for the 中国 a state company's name begins with (中海油: 中国海洋石油,
                # graph.names._abbreviated_in): the name carries 国海 where the short name has 中海.
                asked[tokens[0]].add("国" + word[1])
            continue
        variants = asked.setdefault(word, {word})
        for part in {word, *_RUNS.findall(word)}:
            # "SSE688012": its letters and its digits are words of their own in "SSE:688012".
            variants.add(part)
            # A word the index knows is taken as typed; numbers are never typos (as the ranker
            # reads them: graph.names.coverage). Only the rest are looked up among near spellings.
            if part not in vocabulary.counts and not any(c.isdigit() for c in part):
                variants.update(vocabulary.alike(part))
        if len(word) >= 3:
            variants.update(vocabulary.beginning(word))
        if word not in vocabulary.counts:
            # A word no name has may be a Chinese name in pinyin ("haikang"): the pairs it may spell.
            variants.update(pinyin_pairs(word, vocabulary))
    if len(words) > 1 and set(words) <= asked.keys() and any(w not in vocabulary.counts for w in words):
        # Latin words no name has may be a Chinese name in pinyin one syllable a word ("hai kang"):
        # the pairs they spell read together stand for each of them (none unless all are pinyin).
        together = pinyin_pairs(" ".join(words), vocabulary)
        for word in words:
            asked[word].update(together)
    counts = vocabulary.counts
    groups = [sorted(t for t in terms if t in counts) for terms in asked.values()]
    groups = [g for g in groups if g]
    frequency = {t: counts[t] for group in groups for t in group}
    weights: dict[str, int] = {}
    posted = 0
    for term in base.telling_grams(frequency) if frequency else []:
        posted += frequency[term]
        if weights and posted > POSTINGS:
            break
        weights[term] = round(SCALE * math.log(1 + max(total, 1) / frequency[term]))
    carried = [sum(counts[t] for t in group) for group in groups]
    if any(n <= COMMON_GROUP for n in carried):
        groups = [group for group, n in zip(groups, carried, strict=True) if n <= COMMON_GROUP]
    return WordQuery(groups, weights)


def pinyin_pairs(word: str, vocabulary: Vocabulary) -> set[str]:
    """The indexed character pairs that a Latin word (or words: "hai kang") read as pinyin may be,
    each two syllables following each other (:func:`graph.pinyin.spellings`): 海康 for "haikang",
    海康 康威 威视 for "haikangweishi"; none for a word that is no pinyin.

    >>> sorted(pinyin_pairs("haikang", Vocabulary.of({"海康": 1, "海尔": 1, "康佳": 1})))
    ['海康']
    """
    counts = vocabulary.counts
    found: set[str] = set()
    for way in pinyin.spellings(word):
        spelt = pinyin.pairs(way)
        if way[0] == "zhong" and len(way) >= 3:  # 中 for 中国, as a word in characters (word_query)
            spelt.append(("国", spelt[0][1]))
        for firsts, seconds in spelt:
            found.update(pair for a in firsts for b in seconds if (pair := a + b) in counts)
    return found


def ranked(every: Iterable[K], weighed: Iterable[K]) -> list[K]:
    """Nodes (ids or write positions) in candidate order: carrying every group, then the weighed rest."""
    order = list(dict.fromkeys(every))
    seen = set(order)
    order += [p for p in weighed if p not in seen]
    return order


def pick(
    nodes: Iterable[Node],
    exact: Node | None,
    kinds: Collection[str] | None,
    limit: int,
    identified: Iterable[Node] = (),
    *,
    text: str,
    named: Iterable[Node] = (),
) -> list[Node]:
    """The exact node (by id) first, then the nodes carrying the text as an identifier
    (``identified``, in write order), then those named it (``named``: by name or alias, from the
    exact-name index, in write order), then ``nodes`` in order; of ``kinds``, each once, at most
    ``limit``; of the nodes after the id and identifiers, those named ``text`` first, then those
    with an alias that is (:func:`exact_names_first`)."""
    found: list[Node] = []
    seen: set[str] = set()
    head = 0  # how many of found are the exact node and the identified ones
    for at, part in enumerate(([exact] if exact is not None else [], identified, named, nodes)):
        for node in part:
            if len(found) >= limit:
                break
            if node.id not in seen and (kinds is None or node.kind in kinds):
                seen.add(node.id)
                found.append(node)
        if at == 1:  # the id's node and the identified ones
            head = len(found)
    return found[:head] + exact_names_first(found[head:], text)


def exact_names_first(nodes: list[Node], text: str) -> list[Node]:
    """``nodes`` with those whose name is ``text`` first, then those with an alias that is, the rest
    after; each part in its order. Names compare by :func:`graph.names.normalise_name` (case,
    accents, punctuation and legal-form words aside: "xiaomi" names Xiaomi Corporation).

    >>> app = Node(id="APP:wechat", kind="App", name="WeChat", aliases=["Weixin"])
    >>> club = Node(id="ORG:club", kind="Company", name="U.S. WeChat Users Alliance", aliases=["WeChat"])
    >>> [n.id for n in exact_names_first([club, app], "wechat")]
    ['APP:wechat', 'ORG:club']
    >>> [n.id for n in exact_names_first([club, app], "weixin")]
    ['APP:wechat', 'ORG:club']
    """
    key = normalise_name(text)
    if not key:
        return nodes
    named: list[Node] = []
    aliased: list[Node] = []
    rest: list[Node] = []
    for node in nodes:
        if normalise_name(node.name) == key:
            named.append(node)
        elif any(normalise_name(alias) == key for alias in node.aliases):
            aliased.append(node)
        else:
            rest.append(node)
    return named + aliased + rest
