"""Merging the same entity from several sources into one node.

Records from a source are matched against the graph already there, in this order
(as nomenklatura does):

1. explicit judgements (``data/resolutions.yaml`` and the workspace's own): *same*
   merges, *different* forbids a merge whatever else matches;
2. strong identifiers: ISIN, ticker, LEI, OFAC uid, FtM id and referents, FR document
   number, EO number, program code, carried by two nodes of one kind (a company and the
   security carrying one ISIN are two nodes). What a link says of its ends is not an
   identifier of either (an OFAC listing's uid is its listed entity's, which carries it
   too). An ISIN or ticker names a security, not its issuer: a company carrying one
   (FtM's ``Company.isinCode`` and ``ticker``, OFAC's remarks) merges with another company
   carrying it, never with the company a source names as that security's issuer
   (``ISSUES``), which stays a link. Merging by that link made the graph depend on where
   the security stood in a file (its link is read once its issuer is) and on whether the
   same data came as one file or as a file and a delta (session 39,
   tests/loaders/test_resolve_order.py); a person who knows the two are one records a
   judgement (``resolve A B --same``);
3. the normalised name (``graph.names``) with the same country, scoring at least
   ``NAME_THRESHOLD``, against the graph as it was before this source: a source's own
   entities, which it already tells apart by their ids, never merge by name alone.

Rule 2 reads only the identifiers two nodes carry, never a link a source gives further down, so
two entities sharing an identifier merge in whichever order a file gives them, and a delta gives
the graph of its final file; the first of them in the file names the node. An entity whose
identifiers find two nodes kept apart so far (A with B's FtM id and C's LEI, read after both)
joins the first, and :attr:`Resolver.chains` notes that its identifiers name one entity: the
workspace then merges every dataset again knowing it (``loaders/chains.py``), so ``[b, c, a]``
gives the one node ``[a, b, c]`` gives (session 40, tests/loaders/test_resolve_chain.py). Two
nodes of the curated data, or two a judgement keeps apart, are not joined so.
Merged nodes keep every name (as aliases), identifier, source and dataset. An edge
that states the same fact (same kind, same ends, same start) is merged; one that
gives another start or end for the only such edge from elsewhere is kept on it as a
``disputed`` value with its own sources, never silently dropped.

>>> from graph.model import Node, Provenance
>>> curated = Node(id="ORG:smic", kind="Company", name="SMIC", properties={"country": "CN"})
>>> loaded = Node(id="ORG:NK-1", kind="Company", name="Semiconductor Manufacturing International Corp",
...               properties={"country": "cn"}, provenance=[Provenance(dataset="os")])
>>> merged = merge_nodes(curated, loaded)
>>> merged.id, merged.aliases, merged.datasets
('ORG:smic', ['Semiconductor Manufacturing International Corp'], ['curated', 'os'])
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from itertools import islice
from pathlib import Path
from typing import Any, Literal, Protocol, TypeVar

import yaml
from rapidfuzz import fuzz, process

from graph.errors import LoadError
from graph.model import (
    CURATED,
    NOT_NAMED_BY,
    Disputed,
    Edge,
    Node,
    NodeClaim,
    NodeDisputed,
    PropertyValue,
    Provenance,
    Source,
    edge_id,
)
from graph.names import (
    adds_holding,
    all_chinese,
    fold,
    holding_words,
    named_apart,
    normalise_name,
    similarity,
    similarity_bounds,
)
from graph.naming import merged_not_named_by
from graph.store.base import GraphStore
from loaders.chains import ID, Chains, Key
from loaders.records import Record

NAME_THRESHOLD = 92.0
# Review: pairs whose names score at least this are listed; each subject's first few names are
# looked up, each for its best few candidates in the store's name index.
REVIEW_SCORE = 75.0
REVIEW_NAMES = 2
REVIEW_CANDIDATES = 20
# How many entities one page of a review looks at (the loaded datasets' first, the newest dataset
# first); ``resolve --review --offset N`` pages through the rest.
REVIEW_SUBJECTS = 200
# Kinds matched by name as well as by identifier.
NAME_KINDS = frozenset({"Company", "Person", "GovernmentBody"})
# graph.names.similarity of a name not all in Chinese is at most max(ratio, 0.95 × token-set
# ratio, a one-word score that one-word names only get): below both of these it cannot reach
# NAME_THRESHOLD. A Chinese name is scored its own way (in part, on its own characters), in time
# linear in the name: its bound is its score (graph.names.similarity_bounds).
_SET_FLOOR = NAME_THRESHOLD / 0.95
# Identifier schemes that say which entity something is (a docket does not: one case has several).
STRONG_SCHEMES = ("isin", "ticker", "lei", "ofac_uid", "ftm_id", "fr_doc", "eo_number", "program", "url")

Decision = Literal["same", "different"]


@dataclass(frozen=True)
class Judgement:
    """A person's decision that two nodes are (or are not) the same entity."""

    a: str
    b: str
    decision: Decision
    reason: str
    decided_by: str
    decided_on: str | None = None

    @property
    def pair(self) -> frozenset[str]:
        return frozenset((self.a, self.b))


def parse_judgements(text: str, file: str) -> list[Judgement]:
    """Judgements from a resolutions YAML document (``judgements: [{a, b, decision, reason, by, date}]``)."""
    try:
        doc = yaml.safe_load(text) or {}
    except yaml.YAMLError as exc:
        raise LoadError(file, None, None, f"malformed YAML: {exc}") from None
    items = doc.get("judgements", []) if isinstance(doc, dict) else None
    if not isinstance(items, list):
        raise LoadError(file, None, "judgements", "must be a list")
    out: list[Judgement] = []
    for i, item in enumerate(items):
        where = f"judgements[{i}]"
        if not isinstance(item, dict):
            raise LoadError(file, None, where, "must be a mapping")
        for key in ("a", "b", "decision", "reason", "by"):
            if not isinstance(item.get(key), str) or not item[key].strip():
                raise LoadError(file, None, f"{where}.{key}", "required")
        if item["decision"] not in ("same", "different"):
            raise LoadError(file, None, f"{where}.decision", "must be same or different")
        decided_on = item.get("date")
        out.append(
            Judgement(
                item["a"],
                item["b"],
                item["decision"],
                item["reason"],
                item["by"],
                str(decided_on) if decided_on else None,
            )
        )
    return out


def read_judgements(path: str | Path) -> list[Judgement]:
    """Judgements from a resolutions file; a missing file holds none."""
    p = Path(path)
    if not p.exists():
        return []
    return parse_judgements(p.read_text(encoding="utf-8"), str(p))


def write_judgements(path: Path, judgements: list[Judgement]) -> None:
    """Write a resolutions file holding ``judgements`` whole or not at all (on failure the old one stays)."""
    from loaders.files import write_whole

    doc = {"judgements": [judgement_yaml(j) for j in judgements]}
    write_whole(path, yaml.safe_dump(doc, sort_keys=False, allow_unicode=True))


def judgement_yaml(judgement: Judgement) -> dict[str, Any]:
    """A judgement as the mapping a resolutions file stores."""
    return {
        "a": judgement.a,
        "b": judgement.b,
        "decision": judgement.decision,
        "reason": judgement.reason,
        "by": judgement.decided_by,
        "date": judgement.decided_on or date.today().isoformat(),
    }


def _union(*lists: Iterable[Any]) -> list[Any]:
    return list(dict.fromkeys(x for items in lists for x in items))


def _merge_provenance(a: list[Provenance], b: list[Provenance]) -> list[Provenance]:
    by_dataset: dict[str, Provenance] = {p.dataset: p for p in a}
    for p in b:
        old = by_dataset.get(p.dataset)
        if old is None:
            by_dataset[p.dataset] = p
            continue
        firsts = [d for d in (old.first_seen, p.first_seen) if d]
        lasts = [d for d in (old.last_seen, p.last_seen) if d]
        by_dataset[p.dataset] = Provenance(
            dataset=p.dataset,
            first_seen=min(firsts) if firsts else None,
            last_seen=max(lasts) if lasts else None,
        )
    return list(by_dataset.values())


def _merge_sources(a: list[Source], b: list[Source]) -> list[Source]:
    seen = {(s.url, s.locator) for s in a}
    return [*a, *(s for s in b if (s.url, s.locator) not in seen)]


def _merge_identifiers(a: dict[str, list[str]], b: dict[str, list[str]]) -> dict[str, list[str]]:
    out = {k: list(v) for k, v in a.items()}
    for scheme, values in b.items():
        out[scheme] = _union(out.get(scheme, []), values)
    return out


_M = TypeVar("_M", Node, Edge)


def _revalidated(model: _M, update: dict[str, Any]) -> _M:
    """A copy with ``update`` applied and checked again (model_copy alone would skip the validators)."""
    return type(model).model_validate({**dict(model), **update})


def _same_value(a: PropertyValue, b: PropertyValue) -> bool:
    """Values that say the same thing (``CN`` and ``cn`` are one country)."""
    if isinstance(a, str) and isinstance(b, str):
        return a.strip().casefold() == b.strip().casefold()
    return a == b


def merge_nodes(existing: Node, incoming: Node) -> Node:
    """One node from two descriptions of the same entity; the existing id, kind and name win."""
    known = {existing.name.casefold(), *(a.casefold() for a in existing.aliases)}
    aliases = list(existing.aliases)
    for name in (incoming.name, *incoming.aliases):
        if name.casefold() not in known:
            known.add(name.casefold())
            aliases.append(name)
    properties = dict(existing.properties)
    disputed = list(existing.disputed)
    claims = _claims(existing)
    given = _claims(incoming)
    for key, value in incoming.properties.items():
        if key not in properties:
            properties[key] = value
            if key in given:
                claims[key] = given[key]
        elif _same_value(properties[key], value) and key in claims and key in given:
            kept = claims[key]
            claims[key] = NodeClaim(
                field=key,
                value=kept.value,
                datasets=_union(kept.datasets, given[key].datasets),
                sources=_merge_sources(kept.sources, given[key].sources),
            )
        elif not _same_value(properties[key], value) and not key.startswith("ftm_"):
            # Two sources, two values (an incorporation date, a website): the first stays, the
            # other is kept beside it with the datasets and sources that give it.
            other = next((d for d in disputed if d.field == key and _same_value(d.value, value)), None)
            datasets, sources = given[key].datasets, given[key].sources
            if other is None:
                disputed.append(NodeDisputed(field=key, value=value, datasets=datasets, sources=sources))
            else:
                disputed[disputed.index(other)] = NodeDisputed(
                    field=key,
                    value=other.value,
                    datasets=_union(other.datasets, datasets),
                    sources=_merge_sources(other.sources, sources),
                )
    disputed += [d for d in incoming.disputed if d not in disputed]
    return _revalidated(
        existing,
        {
            "aliases": aliases,
            "properties": properties,
            "disputed": disputed,
            "claims": list(claims.values()),
            "sources": _merge_sources(existing.sources, incoming.sources),
            "identifiers": _merge_identifiers(existing.identifiers, incoming.identifiers),
            "provenance": _merge_provenance(existing.provenance, incoming.provenance),
        },
    )


def _claims(node: Node) -> dict[str, NodeClaim]:
    """Who gives each property value a node keeps (not ``ftm_`` bookkeeping, never disputed), by property.

    A node one record gave has no claims of its own: its datasets and sources give every value.
    """
    if node.claims:
        return {c.field: c for c in node.claims}
    return {
        key: NodeClaim(field=key, value=value, datasets=node.datasets, sources=node.sources)
        for key, value in node.properties.items()
        if not key.startswith("ftm_")
    }


def merge_edges(existing: Edge, incoming: Edge) -> Edge:
    """One edge from two statements of the same fact; another start, end or property value is ``disputed``."""
    disputed = list(existing.disputed)
    for name in ("start", "end"):
        value = getattr(incoming, name)
        if value is not None and value != getattr(existing, name):
            _dispute(disputed, name, value, incoming)
    properties = dict(existing.properties)
    # Which sources name the listed company is a judgement of the sources, not a fact two datasets
    # may disagree on: one judgement of the merged sources (graph.naming).
    silent = merged_not_named_by([existing, incoming])
    properties.pop(NOT_NAMED_BY, None)
    for key, value in incoming.properties.items():
        if key == NOT_NAMED_BY:
            continue
        if key not in properties:
            properties[key] = value
        elif properties[key] != value:
            # Two sources, two values (an OFAC effective date against a curated one): both are kept.
            _dispute(disputed, key, value, incoming)
    if silent:
        properties[NOT_NAMED_BY] = [*silent]
    return _revalidated(
        existing,
        {
            "properties": properties,
            "disputed": disputed,
            "sources": _merge_sources(existing.sources, incoming.sources),
            "identifiers": _merge_identifiers(existing.identifiers, incoming.identifiers),
            "provenance": _merge_provenance(existing.provenance, incoming.provenance),
        },
    )


def _dispute(disputed: list[Disputed], field: str, value: Any, incoming: Edge) -> None:
    """Keep ``incoming``'s other ``value`` of an edge's ``field`` in ``disputed``, with the sources and
    datasets that give it, unless it is there already."""
    if not any(d.field == field and d.value == value for d in disputed):
        note = f"given by {', '.join(incoming.datasets)}"
        disputed.append(Disputed(field=field, value=value, sources=incoming.sources, note=note))


def _keys(node: Node) -> list[Key]:
    """A node's id and strong identifiers, in the order the resolver looks them up."""
    strong = [(scheme, value) for scheme in STRONG_SCHEMES for value in node.identifiers.get(scheme, [])]
    return [(ID, node.id), *strong]


def _country(properties: dict[str, Any]) -> str | None:
    value = properties.get("country")
    return value.upper() if isinstance(value, str) else None


def block_of(name: str) -> str:
    """Names are compared only within a block: the first word and the second word's initial."""
    words = name.split()
    return f"{words[0]} {words[1][:1]}" if len(words) > 1 else (words[0] if words else "")


# A name as the resolver compares it: (normalised name, node id, country, kind).
NameEntry = tuple[str, str, str | None, str]


# Names are normalised once whether the resolver or the name index asks first.
_normalised = lru_cache(maxsize=1 << 17)(normalise_name)


def _has_holding(name: str) -> bool:
    """Whether a name carries a holding word (控股, Holdings): only then can it name another entity
    than a node whose name reads alike (:meth:`Resolver._apart`), and only then is that node read."""
    return bool(holding_words(fold(name)))


def name_entries(node: Node) -> list[tuple[str, NameEntry]]:
    """``(block, entry)`` for each of a node's names, when its kind is matched by name."""
    return _name_entries(node.id, node.kind, (node.name, *node.aliases), node.properties)


def doc_name_entries(doc: dict[str, Any]) -> list[tuple[str, NameEntry]]:
    """:func:`name_entries` of a node's document (its model's dump), without building the model."""
    return _name_entries(doc["id"], doc["kind"], (doc["name"], *doc["aliases"]), doc["properties"])


def _name_entries(
    node_id: str, kind: str, names: Iterable[str], properties: dict[str, Any]
) -> list[tuple[str, NameEntry]]:
    if kind not in NAME_KINDS:
        return []  # securities, orders, lists… are matched by identifiers and ids only
    country = _country(properties)
    found = []
    for name in dict.fromkeys(names):
        norm = _normalised(name)
        if norm:
            found.append((block_of(norm), (norm, node_id, country, kind)))
    return found


def _near(norm: str, names: list[str]) -> set[int]:
    """The positions of the names whose similarity to ``norm`` may reach ``NAME_THRESHOLD``."""
    if all_chinese(norm):
        return {i for i, bound in enumerate(similarity_bounds(norm, names)) if bound >= NAME_THRESHOLD}
    # Two C-speed passes find the few names that can reach the threshold.
    near = {
        i
        for _, _, i in process.extract(
            norm, names, scorer=fuzz.ratio, score_cutoff=NAME_THRESHOLD, limit=None
        )
    }
    return near | {
        i
        for _, _, i in process.extract(
            norm, names, scorer=fuzz.token_set_ratio, score_cutoff=_SET_FLOOR, limit=None
        )
    }


class NameIndex(Protocol):
    """Where the resolver finds the names of one block (an index lookup, never a scan)."""

    def entries(self, block: str) -> list[NameEntry]:
        """The names of the nodes in ``block``."""


@dataclass
class MemoryNames:
    """A name index held in memory (a small graph, review, the names a load adds)."""

    blocks: dict[str, list[NameEntry]] = field(default_factory=dict)
    # What :meth:`add` added, each once: a node merged again and again (a source re-stating an
    # entity on every line) adds no more entries (nor more names to compare with) than once.
    _added: set[tuple[str, NameEntry]] = field(default_factory=set, repr=False)

    @classmethod
    def of(cls, store: GraphStore) -> MemoryNames:
        """Every name of the store's companies, people and bodies (a scan: small graphs and review)."""
        found = cls()
        for kind in sorted(NAME_KINDS):
            for node in store.nodes(kind):
                found.add(node)
        return found

    def add(self, node: Node) -> None:
        for block, entry in name_entries(node):
            if (block, entry) not in self._added:
                self._added.add((block, entry))
                self.blocks.setdefault(block, []).append(entry)

    def entries(self, block: str) -> list[NameEntry]:
        return self.blocks.get(block, [])


@dataclass
class Resolver:
    """Finds, for a node from a source, the node already in the graph that is the same entity.

    Identifiers are looked up in the store's index (``nodes_by_identifier``) and names in
    ``names`` (by default a scan of the store into memory, for small graphs); what the
    current load added is kept beside them in memory, in ``pending`` and its own indexes.
    """

    store: GraphStore
    judgements: list[Judgement] = field(default_factory=list)
    names: NameIndex | None = None
    pending: Mapping[str, Node] = field(default_factory=dict)  # nodes written by this load, by id
    absent: set[str] = field(default_factory=set)  # rows of the store read as gone (a delta replaces them)
    # A delta's dataset: the nodes it brought are not "the graph before this source", so its
    # entities do not merge with them by name (as in a full load of the final file).
    own_dataset: str | None = None
    # Whether ``names`` already leaves out the names of the nodes ``own_dataset`` brought (then
    # only the names this load added are checked for it, a node read each).
    names_exclude_own: bool = False
    # The ids the store's identifier index gives for a load's strong identifiers, read ahead in
    # one statement (a delta's thousands of entities); a key not there is asked of the store.
    identified: dict[tuple[str, str], list[str]] | None = None
    _names: NameIndex = field(init=False)
    # (scheme, value) → kind → the first node of that kind this load gave it: a company carrying a
    # security's ISIN finds the company given it before, whether or not the security came first.
    _ids: dict[tuple[str, str], dict[str, str]] = field(default_factory=dict)
    _added_names: MemoryNames = field(default_factory=MemoryNames)
    # Each id a *same* judgement names → every id of its group (the ids *same* judgements join,
    # directly or through others, as nomenklatura's canonical ids are), in judgement order.
    _same: dict[str, list[str]] = field(default_factory=dict)
    _different: set[frozenset[str]] = field(default_factory=set)
    # Identifiers found to name one entity (loaders/chains.py): given by whoever merges again
    # knowing them, and noted here as a record's identifiers find nodes kept apart.
    chains: Chains = field(default_factory=Chains)

    def __post_init__(self) -> None:
        for judgement in self.judgements:
            if judgement.decision == "same":
                group = self._same.get(judgement.a, [judgement.a])
                other = self._same.get(judgement.b, [judgement.b])
                if other is not group:
                    group += [i for i in other if i not in group]
                for member in group:
                    self._same[member] = group
            else:
                self._different.add(judgement.pair)
        self._names = self.names if self.names is not None else MemoryNames.of(self.store)

    def get_node(self, node_id: str) -> Node | None:
        """A node as this load left it (written by it), else as the store has it."""
        found = self.pending.get(node_id)
        if found is None and node_id not in self.absent:
            found = self.store.get_node(node_id)
        return found

    def index(self, node: Node, names: bool = True) -> None:
        """Make a node this load wrote findable by its identifiers and (unless ``names`` is false) names."""
        for scheme, values in node.identifiers.items():
            if scheme in STRONG_SCHEMES:
                for value in values:
                    self._ids.setdefault((scheme, value), {}).setdefault(node.kind, node.id)
        if names:
            self._added_names.add(node)

    def judged(self, node_id: str) -> bool:
        """Whether a *same* judgement names this node (it merges into another of its group)."""
        return node_id in self._same

    def _allowed(self, a: str, b: str) -> bool:
        return frozenset((a, b)) not in self._different

    def match(self, node: Node) -> tuple[str, str] | None:
        """``(id of the same entity, why)`` or None; never a node of another kind.

        Every node ``node``'s id and strong identifiers find is looked for: when they find two or
        more (kept apart so far), the first is returned and :attr:`chains` notes that its
        identifiers name one entity, for whoever merges to merge again knowing it
        (``loaders/chains.py``).
        """
        # The first node of its *same* group the graph has, whichever of them a source gives first.
        for member in self._same.get(node.id, ()):
            if self._allowed(member, node.id) and self.get_node(member) is not None:
                return member, "id" if member == node.id else "judgement"
        keys = _keys(node)
        found: dict[str, str] = {}  # node id → why, in the order found
        carried: set[Key] = set()  # the keys of the nodes found: they find those nodes again
        datasets: set[str] = set()  # of the nodes found
        for key in keys:
            if key in carried:
                continue
            hit = self._by_key(node, key)
            if hit is None or hit in found:
                continue
            found[hit] = "id" if key[0] == ID else f"{key[0]} {key[1]}"
            other = self.get_node(hit)
            if other is not None:
                carried.update(_keys(other))
                datasets.update(other.datasets)
        if len(found) > 1 and self._joinable(list(found)):
            own = node.datasets[0] if node.datasets else None
            self.chains.join(node.kind, keys, by=own if datasets - {own} else None)
        if found:
            return next(iter(found.items()))
        return self._by_name(node)

    def _fits(self, found: str | None, node: Node) -> bool:
        if not found or found == node.id or not self._allowed(found, node.id):
            return False
        other = self.get_node(found)
        return other is not None and other.kind == node.kind

    def _joinable(self, found: list[str]) -> bool:
        """Whether nodes one record's identifiers find can be merged into one by merging again: not
        when a judgement keeps two of them apart, nor when two are the curated data's own (its
        nodes are written as they are; a person judges: ``resolve A B --same``)."""
        if any(not self._allowed(a, b) for i, a in enumerate(found) for b in found[i + 1 :]):
            return False
        curated = [n for n in found if (node := self.get_node(n)) is not None and CURATED in node.datasets]
        return len(curated) < 2

    def _by_key(self, node: Node, key: Key) -> str | None:
        """The node ``key`` (the node's id, or one of its strong identifiers) finds for ``node``, else
        one another key known to name the same entity finds (:attr:`chains`)."""
        members = self.chains.members(node.kind, key)
        for scheme, value in [key, *(k for k in members if k != key)]:
            if scheme != ID:
                found = self._by_identifier(node, scheme, value)
            elif value == node.id:
                found = value if self.get_node(value) is not None else None
            else:
                found = value if self._fits(value, node) else None
            if found is not None:
                return found
        return None

    def _by_identifier(self, node: Node, scheme: str, value: str) -> str | None:
        found = self._ids.get((scheme, value), {}).get(node.kind)
        if self._fits(found, node):
            return found
        for other in self._in_store(scheme, value):
            if self._fits(other, node):
                return other
        return None

    def _in_store(self, scheme: str, value: str) -> Iterator[str]:
        """Ids the store's identifier index gives for ``(scheme, value)``, in write order."""
        known = self.identified.get((scheme, value)) if self.identified is not None else None
        if known is not None:
            yield from known
        else:
            yield from (n.id for n in self.store.nodes_by_identifier(scheme, value))

    def holds(self, node_id: str, keys: Iterable[tuple[str, str]], blocks: Iterable[str]) -> bool:
        """Whether what this resolver holds beside the store may match a node: a judgement
        naming its id, one of its identifiers given earlier in this load, a name in one of
        its blocks that a merge of this load added, or its id or an identifier known to name one
        entity with others (:attr:`chains`)."""
        return (
            node_id in self._same
            or any(key in self._ids for key in keys)
            or any(self._added_names.entries(block) for block in blocks)
            or (bool(self.chains) and self.chains.holds([(ID, node_id), *keys]))
        )

    def _brought_by(self, node_id: str) -> str | None:
        """The dataset that brought a node into the graph (the first to give it)."""
        node = self.get_node(node_id)
        return node.provenance[0].dataset if node is not None and node.provenance else None

    def match_name(self, node: Node) -> str | None:
        """The node of the graph ``node``'s names match (``match``'s last step alone), or None."""
        found = self._by_name(node)
        return found[0] if found else None

    def _by_name(self, node: Node) -> tuple[str, str] | None:
        if node.kind not in NAME_KINDS:
            return None
        country = _country(node.properties)
        best: float | None = None
        tied: list[str] = []  # the nodes scoring ``best``, in the order found
        for name in (node.name, *node.aliases):
            norm = _normalised(name)
            block = block_of(norm)
            stored = self._names.entries(block)
            entries = [*stored, *self._added_names.entries(block)]
            if not entries:
                continue
            checked = len(stored) if self.names_exclude_own else 0  # entries before it are not its own
            names = [e[0] for e in entries]
            near = _near(norm, names)
            for i in sorted(near):
                other, node_id, other_country, kind = entries[i]
                if kind != node.kind or node_id == node.id or node_id in self.absent:
                    continue
                if (
                    self.own_dataset is not None
                    and i >= checked
                    and self._brought_by(node_id) == self.own_dataset
                ):
                    continue
                if country and other_country and country != other_country:
                    continue
                if not self._allowed(node_id, node.id):
                    continue
                score = 100.0 if other == norm else similarity(norm, other)
                if score < NAME_THRESHOLD or (best is not None and score < best):
                    continue
                if self._apart(node_id, other, name):
                    continue  # SMIC's name is not SMIC Holdings': left to review
                if best is None or score > best:
                    best, tied = score, [node_id]
                elif node_id not in tied:
                    tied.append(node_id)
        if best is None:
            return None
        found = tied[0] if len(tied) == 1 else self._settle_tie(node, tied)
        return (found, f"name {best:.0f}") if found is not None else None

    def _apart(self, node_id: str, other: str, name: str) -> bool:
        """Whether the names of node ``node_id`` that read ``other`` once legal forms are set aside
        all lack a holding word (控股, Holdings) that ``name`` carries (:func:`graph.names.adds_holding`).
        中芯国际控股有限公司 ("SMIC Holdings Limited") reads 中芯国际, SMIC's name, yet names SMIC's
        holding company: where the graph has no node named so, the record stays apart and review
        lists the pair. The other way round a name is merged as before ("Tencent" into Tencent
        Holdings Ltd.), by the tie rule where both are there (:meth:`_settle_tie`)."""
        if not _has_holding(name):
            return False
        found = self.get_node(node_id)
        if found is None:
            return False
        alike = [n for n in (found.name, *found.aliases) if _normalised(n) == other]
        return bool(alike) and all(adds_holding(name, n) for n in alike)

    def _settle_tie(self, node: Node, tied: list[str]) -> str | None:
        """Of nodes ``node``'s names match alike, the one named so before legal forms are set aside
        (中芯国际控股有限公司 is SMIC Holdings' alias, though it reads 中芯国际, SMIC's, once 控股有限公司
        is), else the one no holding word sets apart (:func:`graph.names.named_apart`); None if
        that leaves more than one: the record stays apart and review asks about the pairs."""
        own = (node.name, *node.aliases)
        written = {folded for name in own if (folded := fold(name))}

        def rank(node_id: str) -> tuple[bool, bool]:
            other = self.get_node(node_id)
            names = (other.name, *other.aliases) if other is not None else ()
            exact = any(fold(name) in written for name in names)
            alike = [(n, o) for n in names for o in own if _normalised(n) == _normalised(o)]
            apart = bool(alike) and all(named_apart(n, o) for n, o in alike)
            return exact, not apart

        ranks = {node_id: rank(node_id) for node_id in tied}
        top = max(ranks.values())
        first = [node_id for node_id, r in ranks.items() if r == top]
        return first[0] if len(first) == 1 else None

    def candidates(
        self, subjects: Iterable[Node], limit: int | None = 50
    ) -> Iterator[tuple[float, str, str]]:
        """Pairs of nodes of one kind whose names are alike (``REVIEW_SCORE`` or more), best first
        (at most ``limit``; None: every pair the subjects' lookups find).

        Each subject's names are looked up in the store's name index (``name_candidates``, at most
        ``REVIEW_NAMES`` names a node, ``REVIEW_CANDIDATES`` nodes a name): the store calls grow
        with the subjects, never with the graph. Pairs a judgement settles, and pairs in two
        countries, are left out.
        """
        judged = {j.pair for j in self.judgements}
        pairs: dict[frozenset[str], float] = {}
        for node in subjects:
            if node.kind not in NAME_KINDS:
                continue
            country = _country(node.properties)
            names = [n for n in dict.fromkeys(map(_normalised, (node.name, *node.aliases))) if n]
            for norm in names[:REVIEW_NAMES]:
                for other in self.store.name_candidates(norm, kinds=[node.kind], limit=REVIEW_CANDIDATES):
                    key = frozenset((node.id, other.id))
                    if other.id == node.id or key in judged or not self._allowed(node.id, other.id):
                        continue
                    other_country = _country(other.properties)
                    if country and other_country and country != other_country:
                        continue
                    others = [n for n in map(_normalised, (other.name, *other.aliases)) if n]
                    # A person judges each pair: a short Chinese name one character off is asked too.
                    score = max(similarity(norm, n, short_typos=True) for n in others) if others else 0.0
                    if score >= REVIEW_SCORE:
                        pairs[key] = max(pairs.get(key, 0.0), score)
        ranked = sorted(pairs.items(), key=lambda kv: (-kv[1], sorted(kv[0])))
        for pair, score in ranked[:limit] if limit is not None else ranked:
            a, b = sorted(pair)
            yield score, a, b


@dataclass(frozen=True)
class ReviewPage:
    """One page of a review: the candidate pairs of ``subjects`` entities, from ``offset`` of ``total``.

    A review pages through the entities to compare (``review_page``), not through pairs: a
    page costs the same store calls wherever it starts, and every pair is on the page of the
    entity whose lookup finds it (a pair of two loaded entities may be on both their pages).
    """

    pairs: list[tuple[float, str, str]]
    offset: int
    subjects: int
    total: int

    @property
    def next_offset(self) -> int | None:
        """Where the next page starts; None on the last page."""
        end = self.offset + self.subjects
        return end if end < self.total else None


def review_page(
    store: GraphStore, judgements: list[Judgement], subjects: list[Node], offset: int, total: int
) -> ReviewPage:
    """The candidate pairs of one page of subjects (see :class:`ReviewPage`), best first.

    >>> from graph.store.memory import MemoryStore
    >>> a = Node(id="ORG:a", kind="Company", name="Qvxr Robotics Ltd")
    >>> b = Node(id="ORG:b", kind="Company", name="Qvxr Robotics Limited")
    >>> page = review_page(MemoryStore.from_parts([a, b], []), [], [a], 0, 2)
    >>> [(x, y) for _, x, y in page.pairs], page.next_offset
    ([('ORG:a', 'ORG:b')], 1)
    """
    resolver = Resolver(store, judgements, names=MemoryNames())  # no name blocks: the store's index
    pairs = list(resolver.candidates(subjects, limit=None))
    return ReviewPage(pairs, offset, len(subjects), total)


def graph_review_subjects(store: GraphStore, offset: int, limit: int) -> tuple[list[Node], int]:
    """A page of the graph's own companies, people and bodies (kind by kind, in write order), and
    how many there are: what a review compares when no dataset is loaded (``counts`` and one
    scan a kind)."""
    total_by_kind = store.counts()[0]
    subjects: list[Node] = []
    skip = offset
    for kind in sorted(NAME_KINDS):
        count = total_by_kind.get(kind, 0)
        if skip >= count:
            skip -= count
            continue
        if len(subjects) >= limit:
            break
        subjects += islice(store.nodes(kind), skip, skip + limit - len(subjects))
        skip = 0
    return subjects, sum(total_by_kind.get(kind, 0) for kind in NAME_KINDS)


@dataclass
class Merger:
    """Applies a source's records to a graph: matched nodes merge, edges follow their ends.

    Nothing is written to the store: what the load gives is kept in ``nodes`` and
    ``edges`` (the graph's rows as they will be), for the caller to write in one
    transaction; ``targets`` says which row each record went into.
    """

    store: GraphStore
    resolver: Resolver
    renamed: dict[str, str] = field(default_factory=dict)  # source's node id → node id in the graph
    nodes: dict[str, Node] = field(default_factory=dict)  # written this load
    edges: dict[str, Edge] = field(default_factory=dict)
    created: set[str] = field(default_factory=set)  # nodes this source brought (not merged into)
    joined: set[str] = field(default_factory=set)  # edges of the graph this load's edges merged into
    # Where the dataset's own ids given before this load went (a delta's edges name them).
    earlier: Callable[[str], str] | None = None
    # Nodes this load brought that the bulk path wrote as they came (loaders/bulk.py): new to the
    # graph like ``created``, but in the store, with their edges, rather than in ``nodes``.
    written: Collection[str] = frozenset()
    _out: dict[tuple[str, str], list[str]] = field(default_factory=dict)  # (source, kind) → edge ids

    def __post_init__(self) -> None:
        self.resolver.pending = self.nodes

    def get_node(self, node_id: str) -> Node | None:
        """A node as this load leaves it."""
        return self.resolver.get_node(node_id)

    def node(self, incoming: Node) -> Node:
        found = self.resolver.match(incoming)
        target_id = found[0] if found else incoming.id
        existing = self.get_node(target_id)
        merged = merge_nodes(existing, incoming) if existing is not None else incoming
        if existing is None:
            self.created.add(merged.id)
        self.renamed[incoming.id] = merged.id
        self.nodes[merged.id] = merged
        # A source's own entities are told apart by the source (two "Wang Wei" with two ids are
        # two people): names match only against the graph as it was before this source. This also
        # keeps a load linear — comparing each new name with every earlier one of its block made a
        # 10k-entity file take minutes and a 1M one days.
        self.resolver.index(merged, names=merged.id not in self.created and merged.id not in self.written)
        return merged

    def graph_id(self, own: str) -> str:
        """The node of the graph a source's own node id went into."""
        found = self.renamed.get(own)
        if found is None:
            found = self.earlier(own) if self.earlier is not None else own
        return found

    def moved(self, incoming: Edge) -> Edge:
        """The edge with its ends renamed to the nodes they were merged into (and its id with them)."""
        source, target = self.graph_id(incoming.source), self.graph_id(incoming.target)
        if (source, target) == (incoming.source, incoming.target):
            return incoming
        return moved_edge(incoming, source, target)

    def edge(self, incoming: Edge) -> Edge:
        moved = self.moved(incoming)
        source, target = moved.source, moved.target
        for end in (source, target):
            if self.get_node(end) is None:
                raise LoadError("<merge>", None, f"edge {incoming.id}", f"unknown node {end!r}")
        mine = self.edges_from(source, incoming.kind)
        stored: list[Edge] = []
        absent = self.resolver.absent
        if source not in self.created:  # a node this load brought has no edges in the store yet
            stored = [
                e
                for e in self.store.edges_of(source, "out", [incoming.kind])
                if e.id not in self.edges and e.id not in absent
            ]
        same = [e for e in (*stored, *mine) if e.target == target and e.id != moved.id]
        exact = [e for e in same if e.start == moved.start]
        elsewhere = [e for e in same if not set(e.datasets) & set(moved.datasets)]
        existing = self.edges.get(moved.id)
        if existing is None and source not in self.created and moved.id not in absent:
            existing = self.store.get_edge(moved.id)
        if existing is None and exact:
            existing = exact[0]
        elif existing is None and len(elsewhere) == 1 and len(same) == 1:
            existing = elsewhere[0]
        merged = merge_edges(existing, moved) if existing is not None else moved
        if existing is not None and existing.id not in self.edges:
            self.joined.add(existing.id)
        if merged.id not in self.edges:
            self._out.setdefault((source, merged.kind), []).append(merged.id)
        self.edges[merged.id] = merged
        return merged

    def edges_from(self, source: str, kind: str) -> list[Edge]:
        """The edges of a kind this load gave from a node (as merged so far)."""
        return [self.edges[i] for i in self._out.get((source, kind), [])]

    def adopt(self, edge: Edge) -> None:
        """An edge this load gives that met nothing (a delta's plain edge, ``loaders/delta.py``), taken
        in as :meth:`edge` would have left it: under its own id and ends, found by the edges merged
        after it."""
        self.edges[edge.id] = edge
        self._out.setdefault((edge.source, edge.kind), []).append(edge.id)

    def record(self, record: Record) -> Node | Edge:
        return self.node(record.item) if isinstance(record.item, Node) else self.edge(record.item)


def moved_edge(edge: Edge, source: str, target: str) -> Edge:
    """``edge`` joining other ends; its id, which names the ends, names the new ones."""
    tail = edge.id.split("|")[4:]
    new_id = "|".join([edge_id(edge.kind, source, target, edge.start), *tail])
    moved: Edge = edge.model_copy(update={"source": source, "target": target, "id": new_id})
    return moved
