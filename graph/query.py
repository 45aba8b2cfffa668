"""Queries over a GraphStore: plain functions returning plain models.

>>> from graph.store.memory import MemoryStore
>>> from graph.model import Node
>>> store = MemoryStore.from_parts([Node(id="ORG:luokung", kind="Company",
...     name="Luokung Technology Corp.")], [])
>>> search(store, "Luokong")[0].id
'ORG:luokung'
"""

from __future__ import annotations

import heapq
from collections import Counter
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping
from datetime import date
from itertools import islice, pairwise, product

from graph.affects import affects, order_inactive, rule_dates
from graph.cite import injunction_words
from graph.errors import AmbiguousEntity, MissingNode, OrdergraphError, UnknownEntity
from graph.evidence import NO_END_SOURCE, end_sources, start_sources
from graph.labels import edge_label, identifier_label, identifiers_in_schema_order
from graph.model import (
    Edge,
    Node,
    Source,
    by_authority,
    edge_kinds,
    first_day,
    identifier_keys,
    is_date,
    protected_by,
    vocabulary,
)
from graph.names import (
    PARTIAL_CAP,
    all_chinese,
    fold,
    name_keys,
    normalise_name,
    parse_ticker,
    script_parts,
    similarity,
    similarity_bounds,
)
from graph.store.base import HUB, Direction, GraphStore, GraphView, Hops, other_end
from graph.summary import summary
from graph.views import (
    ClaimedValue,
    DisputedProperty,
    EdgeRef,
    EdgeView,
    EditionCount,
    EntityView,
    MatchReason,
    NodeRef,
    Path,
    SearchHit,
    Stats,
    Subgraph,
    Timeline,
    TimelineEvent,
)

__all__ = ["affects", "membership", "neighbours", "paths", "resolve", "search", "show", "stats", "timeline"]

EXACT = 100.0
MIN_SCORE = 70.0


def _any_edge() -> Hops:
    """Every edge kind, walked either way: what show and neighbours follow."""
    return dict.fromkeys(edge_kinds(), "both")


def search(
    store: GraphStore, text: str, limit: int = 10, kinds: Collection[str] | None = None
) -> list[SearchHit]:
    """Entities matching ``text`` by id, ticker (any common spelling), name or alias.

    Exact matches score 100; misspellings score by similarity; a name that
    lacks some query word scores at most 75, less the more (and the more
    distinctive: numbers) words it lacks. Chinese names match in part, on their
    own characters (中国, 集团, 有限公司 are no evidence), as a short name made of a
    full name's characters in order (中国联通 for 中国联合网络通信集团, below names
    carrying it as typed) or one of them off; when no
    name carries a short Chinese query as typed, one character replaced (中国移栋 finds
    中国移动). A query in Chinese and Latin scores each part its own way ("小米 Xiaomi":
    an entity carrying both ranks above those carrying one). Each hit
    says what matched (``matched``, ``why``) and what the entity is (``summary``).
    Best first.

    Candidates come from the store's indexes (a security by exchange and code,
    names by shared grams) in at most two calls; they are ranked here.

    Parameters
    ----------
    store : GraphStore
    text : str
        An id, a ticker (``1810.HK``, ``HKEX:1810``, ``01810``), a name or alias, misspelt or not.
    limit : int
        At most this many hits.
    kinds : collection of str, optional
        Only nodes of these kinds.

    Returns
    -------
    list of SearchHit
        Best first: exact matches score 100 (99 for an alias), misspellings by
        similarity (at least 70); ties put companies first, then by name.

    Examples
    --------
    >>> from graph.store.memory import MemoryStore
    >>> from graph.model import Node
    >>> store = MemoryStore.from_parts([Node(id="ORG:hik", kind="Company",
    ...     name="Hangzhou Hikvision Digital Technology Co., Ltd.", aliases=["Hikvision"])], [])
    >>> [(h.id, h.score, h.matched) for h in search(store, "Hikvison")]
    [('ORG:hik', 94.1, 'Hikvision')]
    """
    hits: dict[str, SearchHit] = {}

    def offer(node: Node, score: float, matched: str, why: MatchReason) -> None:
        if kinds is not None and node.kind not in kinds:
            return
        best = hits.get(node.id)
        if best is None or score > best.score:
            hits[node.id] = SearchHit(
                id=node.id,
                kind=node.kind,
                name=node.name,
                score=round(score, 1),
                matched=matched,
                why=why,
                summary=summary(node),
            )

    query = text.strip()
    if not query:
        return []
    candidates = store.name_candidates(query, kinds)
    if candidates and candidates[0].id == query:
        offer(candidates[0], EXACT, query, "id")
    ticker = parse_ticker(query)
    if ticker is not None:
        for node in store.securities(*ticker):
            offer(node, EXACT, query, "ticker")
    _offer_identified(query, candidates, offer)
    wanted = normalise_name(query)
    keys = [
        (node, key, normalise_name(key))
        for node in candidates
        if kinds is None or node.kind in kinds
        for key in name_keys(node)
    ]
    found = {h.id: h.score for h in hits.values()}
    parts = script_parts(wanted)
    if len(parts) > 1:
        scored = _mixed_scores(parts, keys)
    else:
        scored = _scores(wanted, keys, found, limit)
        if not scored and all_chinese(wanted):
            # No name carries it as typed: a short Chinese name with a character off (中国移栋).
            scored = _scores(wanted, keys, found, limit, short_typos=True)
    for i, score in scored.items():
        node, key, _ = keys[i]
        why: MatchReason = "name" if key == node.name else "alias" if key in node.aliases else "number"
        offer(node, score, key, why)
    ranked = sorted(hits.values(), key=lambda h: (-h.score, h.kind != "Company", h.name))
    return ranked[:limit]


def _offer_identified(
    text: str, candidates: list[Node], offer: Callable[[Node, float, str, MatchReason], None]
) -> None:
    """Offer the candidates carrying ``text`` as an identifier (the stores give them first): 100 for
    the kind a scheme names in its own right (an ISIN: the security), 99 for another kind carrying
    it (the issuer OFAC gives the ISIN on), matched as ``ISIN KYG8020E1199``."""
    keys = set(identifier_keys(text))
    if not keys:
        return
    own_kinds = vocabulary().identifier_kinds
    for node in candidates:
        for scheme, values in node.identifiers.items():
            for value in values:
                if (scheme, value) in keys:
                    own = own_kinds.get(scheme)
                    score = EXACT if own is None or node.kind in own else EXACT - 1
                    offer(node, score, f"{identifier_label(scheme)} {value}", "identifier")


def _scores(
    wanted: str,
    keys: list[tuple[Node, str, str]],
    best: dict[str, float],
    limit: int,
    short_typos: bool = False,
) -> dict[int, float]:
    """The scores (at least MIN_SCORE) of the name keys that can make the top ``limit``, by position.

    Keys are scored in the order of an upper bound of their score
    (:func:`~graph.names.similarity_bounds`); once ``limit`` entities score more
    than every remaining bound, the rest cannot change the answer and are not
    scored. ``best`` holds the entities already found (by id or ticker).
    """
    exact = {
        i: EXACT if key == node.name else EXACT - 1
        for i, (node, key, norm) in enumerate(keys)
        if norm == wanted
    }
    rest = [i for i in range(len(keys)) if i not in exact]
    bounds = dict(exact)
    norms = [keys[i][2] for i in rest]
    bounds.update(zip(rest, similarity_bounds(wanted, norms, short_typos), strict=True))
    best = dict(best)
    floor = -1.0  # the limit-th best score so far, once there are limit entities
    scores: dict[int, float] = {}
    for i in sorted(bounds, key=lambda i: -bounds[i]):
        if bounds[i] < MIN_SCORE or bounds[i] < floor - 0.1:
            break
        score = exact[i] if i in exact else similarity(wanted, keys[i][2], short_typos)
        if score < MIN_SCORE:
            continue
        scores[i] = score
        node_id = keys[i][0].id
        if score > best.get(node_id, -1.0):
            best[node_id] = score
            if len(best) >= limit:
                floor = heapq.nlargest(limit, best.values())[-1]
    return dict(sorted(scores.items()))


def _mixed_scores(parts: list[str], keys: list[tuple[Node, str, str]]) -> dict[int, float]:
    """The scores of a query written in two scripts ("小米 xiaomi"), by name key position.

    Each part is scored on its own, the way its script is read, against every name key; an
    entity takes its best key for each part (小米 in its Chinese alias, xiaomi in its name).
    Carrying every part, it scores their mean; else, like a name lacking a query word, at most
    ``PARTIAL_CAP`` less 5 for the share of parts it lacks. The score goes to the key that
    scored its best part.
    """
    per_node: dict[str, list[tuple[float, int]]] = {}
    for at, part in enumerate(parts):
        for i, score in _scores(part, keys, {}, len(keys)).items():
            best = per_node.setdefault(keys[i][0].id, [(0.0, -1)] * len(parts))
            if score > best[at][0]:
                best[at] = (score, i)
    scores: dict[int, float] = {}
    for best in per_node.values():
        carried = [score for score, i in best if i >= 0]
        top, i = max(best)
        if len(carried) == len(parts):
            scores[i] = sum(carried) / len(carried)
        else:
            scores[i] = min(top, PARTIAL_CAP - 5.0 * (1.0 - len(carried) / len(parts)))
    return dict(sorted(scores.items()))


def resolve(store: GraphStore, text: str, kinds: Collection[str] | None = None) -> str:
    """The one entity id that ``text`` names, or an error that says what to try.

    Raises UnknownEntity (with close suggestions) or AmbiguousEntity (listing
    every candidate) instead of guessing.
    """
    node = store.get_node(text.strip())
    if node is not None and (kinds is None or node.kind in kinds):
        return node.id
    ticker = parse_ticker(text)
    if ticker is not None:
        found = [n for n in store.securities(*ticker) if kinds is None or n.kind in kinds]
        if len(found) == 1:
            return found[0].id
        if len(found) > 1:
            raise AmbiguousEntity(text, sorted(n.id for n in found))
        exchange, code = ticker
        if exchange is not None:
            # Clearly a ticker, and no listing has it: name matches would only mislead.
            from rapidfuzz.distance import Levenshtein

            near = [
                n
                for n in store.securities(exchange)
                if Levenshtein.distance(str(n.properties.get("code", "")).upper(), code) <= 1
            ]
            raise UnknownEntity(text, [f"{n.id} ({n.name})" for n in near[:5]])
    hits = search(store, text, limit=10, kinds=kinds)
    # An identifier typed exactly names the one entity of the kind it identifies (an ISIN: the
    # security, though OFAC gives it on the issuer too).
    identified = [h for h in hits if h.why == "identifier" and h.score >= EXACT]
    if len(identified) == 1:
        return identified[0].id
    exact = [h for h in hits if h.score >= EXACT - 1]
    # "SMIC" names SMIC, not "SMIC Holdings Limited", though legal words aside they read alike.
    literal = [h for h in exact if fold(h.matched) == fold(text)]
    if len(exact) == 1 or len(literal) == 1:
        return (literal or exact)[0].id
    if len(exact) > 1:
        raise AmbiguousEntity(text, [h.id for h in exact])
    if hits and hits[0].score >= 80 and (len(hits) == 1 or hits[1].score <= hits[0].score - 5):
        return hits[0].id
    raise UnknownEntity(text, [f"{h.id} ({h.name})" for h in hits[:5]])


def _node(store: GraphView, node_id: str) -> Node:
    """A node an edge names (MissingNode if the store lost it)."""
    node = store.get_node(node_id)
    if node is None:
        raise MissingNode(node_id)
    return node


def _picked(nodes: Mapping[str, Node], node_id: str) -> Node:
    """A node from a batch read (MissingNode if the store did not have it)."""
    node = nodes.get(node_id)
    if node is None:
        raise MissingNode(node_id)
    return node


def _unknown(store: GraphStore, node_id: str) -> UnknownEntity:
    return UnknownEntity(node_id, [f"{h.id} ({h.name})" for h in search(store, node_id, limit=5)])


def _require(store: GraphStore, node_id: str) -> Node:
    node = store.get_node(node_id)
    if node is None:
        raise _unknown(store, node_id)
    return node


def show(store: GraphStore, node_id: str) -> EntityView:
    """The entity, its identifiers and every edge touching it, with dates and sources.

    One store call: the node with its edges and the nodes at their other ends.

    Parameters
    ----------
    store : GraphStore
    node_id : str
        The entity's id (resolve a name or ticker first with :func:`resolve`).

    Returns
    -------
    EntityView
        Edges sorted by kind, start date and id, each seen from this entity.

    Raises
    ------
    UnknownEntity
        If there is no such node, with close suggestions.

    Examples
    --------
    >>> from graph.store.memory import MemoryStore
    >>> from graph.model import Node
    >>> store = MemoryStore.from_parts([Node(id="ORG:x", kind="Company", name="X")], [])
    >>> view = show(store, "ORG:x")
    >>> view.name, view.edges
    ('X', [])
    """
    around = store.reach([node_id], _any_edge(), 1)
    node = around.get_node(node_id)
    if node is None:
        raise _unknown(store, node_id)
    edges = sorted(
        around.edges_of(node_id),
        key=lambda e: (e.kind, e.start or "", e.id),
    )
    return EntityView(
        id=node.id,
        kind=node.kind,
        name=node.name,
        aliases=list(node.aliases),
        properties=dict(node.properties),
        sources=list(node.sources),
        edges=[EdgeView.seen_from(e, node_id, _node(around, other_end(e, node_id))) for e in edges],
        membership=_membership(node, around) if node.kind == "SanctionsList" else [],
        datasets=node.datasets,
        identifiers=identifiers_in_schema_order(node.identifiers),
        provenance=list(node.provenance),
        disputed=disputed_properties(node),
    )


def disputed_properties(node: Node) -> list[DisputedProperty]:
    """The properties datasets disagree on, each value with its datasets and sources, the kept one first.

    Examples
    --------
    >>> from graph.model import NodeDisputed, Provenance
    >>> node = Node(id="ORG:x", kind="Company", name="X", properties={"website": "https://a.example"},
    ...             provenance=[Provenance(dataset="first"), Provenance(dataset="second")],
    ...             disputed=[NodeDisputed(field="website", value="https://b.example", datasets=["second"])])
    >>> [(v.value, v.kept, v.datasets) for p in disputed_properties(node) for v in p.values]
    [('https://a.example', True, ['first']), ('https://b.example', False, ['second'])]
    """
    fields = list(dict.fromkeys(d.field for d in node.disputed))
    out: list[DisputedProperty] = []
    for name in fields:
        values: list[ClaimedValue] = []
        kept = node.claim(name)
        if kept is not None:
            values.append(
                ClaimedValue(value=kept.value, kept=True, datasets=kept.datasets, sources=kept.sources)
            )
        values += [
            ClaimedValue(value=d.value, kept=False, datasets=d.datasets, sources=d.sources)
            for d in node.disputed
            if d.field == name
        ]
        out.append(DisputedProperty(field=name, values=values))
    return out


def membership(store: GraphStore, list_id: str) -> list[EditionCount]:
    """How many members of each published edition of a list the graph holds.

    A list node may carry ``editions`` (the days it was published) and ``edition_sizes``
    (how many entries each edition named). An edition's entries shown are the listings
    that hold at the end of that day (a company the list names twice, under an old and a
    new name, counts twice, as on the list). The last row counts every company ever
    listed, so a face never shows a partial list as the whole.

    >>> from graph.store.memory import MemoryStore
    >>> from graph.model import Node
    >>> store = MemoryStore.from_parts([Node(id="LIST:x", kind="SanctionsList", name="x",
    ...     properties={"editions": ["2021-06-03"], "edition_sizes": [47]})], [])
    >>> [(c.edition, c.shown, c.published) for c in membership(store, "LIST:x")]
    [('2021-06-03', 0, 47), (None, 0, None)]
    """
    return _membership(_require(store, list_id), store)


def _membership(node: Node, store: GraphView) -> list[EditionCount]:
    listings = list(store.edges_of(node.id, direction="in", kinds=["LISTED_ON"]))
    editions = node.properties.get("editions") or []
    sizes = _nth_of(node, "edition_sizes")
    statuses = _nth_of(node, "edition_size_status")
    alternatives = _nth_of(node, "edition_size_alternatives")
    counts = []
    for i, edition in enumerate(editions if isinstance(editions, list) else [editions]):
        day = first_day(str(edition))
        size, status, alternative = sizes(i), statuses(i), alternatives(i)
        counts.append(
            EditionCount(
                edition=str(edition),
                published=size if isinstance(size, int) else None,
                shown=sum(1 for e in listings if e.valid_on(day)),
                size_status=status if isinstance(status, str) else None,
                size_alternative=alternative if isinstance(alternative, int) else None,
            )
        )
    counts.append(EditionCount(edition=None, published=None, shown=len({e.source for e in listings})))
    return counts


def _nth_of(node: Node, key: str) -> Callable[[int], object]:
    """The i-th item of a list property of ``node`` (None when absent or short)."""
    values = node.properties.get(key)
    items = values if isinstance(values, list) else []
    return lambda i: items[i] if i < len(items) else None


# How an edge reads from its source ("out") and from its target ("in").
_PHRASES: dict[str, tuple[str, str]] = {
    "ISSUED_BY": ("issued by {o}", "issues {o}"),
    "AMENDS": ("amends {o}", "amended by {o}"),
    "REVOKES": ("revokes {o}", "revoked by {o}"),
    "SUPERSEDES": ("supersedes {o}", "superseded by {o}"),
    "GOVERNS": ("governs {o}", "governed by {o}"),
    "DESIGNATES": ("designates {o}", "designated by {o}"),
    "LISTED_ON": ("listed on {o}", "lists {o}"),
    "TARGETS": ("targets {o}", "targeted by {o}"),
    "DEVELOPS": ("develops {o}", "developed by {o}"),
    "SUBSIDIARY_OF": ("subsidiary of {o}", "parent of {o}"),
    "ISSUES": ("issues {o}", "issued by {o}"),
    "TRADES_ON": ("trades on {o}", "lists {o}"),
    "EXCHANGE_ACTION": ("{action}: {o}", "{action} by {o}"),
    "PARTY_TO": ("{role} in {o}", "{o} is {role}"),
    "ENJOINS": ("enjoins {o}", "enjoined by {o}"),
    "DECIDED_BY": ("decided by {o}", "decides {o}"),
    "MENTIONS": ("mentions {o}", "mentioned in {o}"),
}
# A role (FtM Directorship…) reads by its name where the data gives one ("Chairman of SMIC").
_ROLE_PHRASES = ("{role} of {o}", "{o}, {role}")
# Dated properties of nodes that are events in their own right.
# A node's dated properties that are events of their own, and how each reads on a timeline.
_NODE_EVENTS = {
    "signed": "signed",
    "published": "published",
    "effective": "takes effect",
    "prohibitions_from": "prohibitions start",
    "filed": "filed",
    "date": "dated",
}
# An exchange's action as a reader says it (the data's codes, ``reverse``, are no words), as
# ``affects`` names the security's exchange state.
_ACTION_WORDS = {
    "announce_delisting": "delisting announced",
    "reverse": "delisting withdrawn",
    "suspend": "trading suspended",
    "delist": "delisted",
}
# Dated properties of edges that mark a moment of their own.
_EDGE_DATE_PROPERTIES = {"applies_from": "prohibitions apply", "divest_until": "divest-only window ends"}


def _action_words(code: object) -> str:
    return _ACTION_WORDS.get(str(code), str(code or "action").replace("_", " "))


def _describe(edge: Edge, node_id: str, other: Node) -> str:
    phrases = _PHRASES.get(edge.kind)
    if edge.kind == "ROLE_IN" and edge.properties.get("role"):
        phrases = _ROLE_PHRASES
    if phrases is None:
        # A kind with no phrase of its own (ROLE_IN without a role; a kind added to the schema):
        # its label, read along the arrow.
        label = edge_label(edge.kind)
        phrases = (f"{label} {{o}}", f"{{o}} {label} it")
    out, inn = phrases
    template = out if edge.source == node_id else inn
    return template.format(
        o=other.name,
        action=_action_words(edge.properties.get("action")),
        role=str(edge.properties.get("role", "party")),
    )


def _short(order: Node) -> str:
    number = order.properties.get("number")
    return f"EO {number}" if number else order.name


def _governing_order(store: GraphView, listing: Edge, when: str) -> Node | None:
    """The first order whose rule governs the list of ``listing`` and is in effect on ``when``."""
    day = first_day(when)
    for governs in store.edges_of(listing.target, "in", ["GOVERNS"]):
        order = store.get_node(governs.source)
        if order is not None and governs.valid_on(day) and order_inactive(store, order, day) is None:
            return order
    return None


def _order_of(store: GraphView, edge: Edge, node: Node, when: str) -> Node | None:
    """The executive order a row about ``edge`` on ``when`` is about, seen from ``node``."""
    if node.kind == "ExecutiveOrder":
        return node
    if edge.kind in ("TARGETS", "GOVERNS"):
        return store.get_node(edge.source)
    if edge.kind == "ENJOINS":
        return store.get_node(edge.target)
    if edge.kind == "LISTED_ON":
        return _governing_order(store, edge, when)
    return None


def _shields(store: GraphView, injunction: Edge, protected: set[str]) -> bool:
    """Whether an ENJOINS edge protects one of ``protected``: named in ``applies_to``, or,
    when nationwide, targeted by the enjoined order."""
    named = protected_by(injunction)
    if named is not None:
        return bool(protected & named)
    return any(t.target in protected for t in store.edges_of(injunction.target, "out", ["TARGETS"]))


def _blocking(
    store: GraphView, injunctions: list[Edge], order: Node, when: str, protected: set[str]
) -> Edge | None:
    """The injunction that held ``order`` off the protected on ``when``, the earliest first."""
    day = first_day(when)
    holding = [
        e
        for e in injunctions
        if e.target == order.id and e.start is not None and e.valid_on(day) and _shields(store, e, protected)
    ]
    return min(holding, key=lambda e: first_day(e.start or when), default=None)


def _touches(edge: Edge, node_id: str, direction: Direction) -> bool:
    if direction == "out":
        return edge.source == node_id
    if direction == "in":
        return edge.target == node_id
    return node_id in (edge.source, edge.target)


class _Fetched:
    """What a query read from the store in a few batch calls, read back like a store.

    ``edges_of`` answers only for a node whose edges were fetched in a direction and
    kinds that cover the question, and ``get_node`` only for ids fetched; anything
    else raises, so a rule can never silently miss what was not fetched.
    """

    def __init__(self, store: GraphStore) -> None:
        self.store = store
        self.nodes: dict[str, Node] = {}
        self._asked: set[str] = set()
        self._edges: dict[str, list[tuple[Direction, frozenset[str] | None, list[Edge]]]] = {}

    def know(self, node: Node) -> None:
        """A node already read."""
        self.nodes[node.id] = node
        self._asked.add(node.id)

    def fetch_nodes(self, node_ids: Iterable[str]) -> None:
        """Read the nodes not read yet, in one call (none when there are none)."""
        wanted = [i for i in dict.fromkeys(node_ids) if i not in self._asked]
        if wanted:
            self.nodes.update(self.store.get_nodes(wanted))
            self._asked.update(wanted)

    def fetch_edges(
        self, node_ids: Iterable[str], direction: Direction, kinds: Collection[str] | None = None
    ) -> list[Edge]:
        """Read the edges of these nodes in one call (none when there are no nodes); return them."""
        ids = list(dict.fromkeys(node_ids))
        if not ids:
            return []
        edges = self.store.edges_of_many(ids, direction, kinds)
        covered = None if kinds is None else frozenset(kinds)
        for node_id in ids:
            mine = [e for e in edges if _touches(e, node_id, direction)]
            self._edges.setdefault(node_id, []).append((direction, covered, mine))
        return edges

    def get_node(self, node_id: str) -> Node | None:
        if node_id not in self._asked:
            raise OrdergraphError(f"query: node {node_id!r} was not fetched")
        return self.nodes.get(node_id)

    def edges_of(
        self,
        node_id: str,
        direction: Direction = "both",
        kinds: Collection[str] | None = None,
        as_of: date | None = None,
    ) -> Iterator[Edge]:
        for fetched, covered, edges in self._edges.get(node_id, ()):
            kinds_covered = covered is None or (kinds is not None and covered >= set(kinds))
            if fetched in (direction, "both") and kinds_covered:
                return iter(
                    [
                        e
                        for e in edges
                        if _touches(e, node_id, direction)
                        and (kinds is None or e.kind in kinds)
                        and (as_of is None or e.valid_on(as_of))
                    ]
                )
        asked = ", ".join(kinds) if kinds else "any"
        raise OrdergraphError(f"query: the {direction} {asked} edges of {node_id!r} were not fetched")


def _timeline_view(store: GraphStore, node: Node) -> tuple[_Fetched, list[Edge]]:
    """Everything :func:`timeline` reads about ``node``, in at most eight store calls, whatever its degree.

    Its edges; the orders governing the lists it is on, and what revoked or
    superseded them; every injunction, whom it names and what its order targets.
    """
    view = _Fetched(store)
    view.know(node)
    own = view.fetch_edges([node.id], "both")
    injunctions = list(store.edges("ENJOINS"))
    governs = view.fetch_edges([e.target for e in own if e.kind == "LISTED_ON"], "in", ["GOVERNS"])
    view.fetch_edges([e.target for e in injunctions if protected_by(e) is None], "out", ["TARGETS"])
    named = [i for e in injunctions for i in sorted(protected_by(e) or ())]
    view.fetch_nodes(
        [other_end(e, node.id) for e in own]
        + [g.source for g in governs]
        + [end for e in injunctions for end in (e.source, e.target)]
        + named
    )
    ending = view.fetch_edges([g.source for g in governs], "in", ["REVOKES", "SUPERSEDES"])
    view.fetch_nodes(e.source for e in ending)
    return view, injunctions


def timeline(store: GraphStore, node_id: str) -> Timeline:
    """Every dated edge and event touching an entity, sorted by date.

    Besides each edge's start and end: the entity's own dated properties (an
    order's signing and publication), when an edge's prohibitions apply from
    and when its divest-only window ends (by the governing order's rule when the
    listing has no date of its own, with what cut it short), every injunction
    that protected the entity (an app: also those protecting its developer) —
    prohibitions due while one held read "prohibitions due, but enjoined since
    … by …", with the court's source — and every date other sources give instead (``disputed``), with those
    sources. Each row names the order it is about (``order``), if any.

    Examples
    --------
    >>> from graph.store.memory import MemoryStore
    >>> store = MemoryStore.from_parts([Node(id="ORG:x", kind="Company", name="X")], [])
    >>> timeline(store, "ORG:x").events
    []
    """
    node = _require(store, node_id)
    view, injunctions = _timeline_view(store, node)
    events: list[TimelineEvent] = []

    def add(
        when: str,
        kind: str,
        text: str,
        other: Node | None,
        edge: Edge | None,
        sources: list[Source],
        order: Node | None = None,
        note: str | None = None,
    ) -> None:
        if order is not None and order.id != node_id and _short(order) not in text and order.name not in text:
            text = f"{text} (under {_short(order)})"
        events.append(
            TimelineEvent(
                date=when,
                kind=kind,
                description=text,
                other=NodeRef.of(other) if other else None,
                edge_id=edge.id if edge else None,
                sources=sources,
                order=NodeRef.of(order) if order else None,
                sources_note=note,
            )
        )

    # Injunctions name whom they protect in `applies_to` (an app through its developer);
    # one that names nobody protects everyone the enjoined order targets.
    protected = {node_id}
    if node.kind == "App":
        protected |= {e.source for e in view.edges_of(node_id, "in", ["DEVELOPS"])}

    def due(when: str, order: Node | None, sources: list[Source]) -> tuple[str, list[Source]]:
        """The words for prohibitions due on ``when``: they apply, or a court had blocked them."""
        blocked = _blocking(view, injunctions, order, when, protected) if order else None
        if blocked is None or blocked.start is None:
            return "prohibitions apply", sources
        case = _node(view, blocked.source)
        where = " nationwide" if protected_by(blocked) is None else ""
        words = f"prohibitions due, but enjoined{where} since {blocked.start} by {case.name}"
        # The court's own text backs "enjoined since"; the rest of the injunction's trail is on its row.
        return words, [*sources, *by_authority(list(blocked.sources), "ENJOINS")[:1]]

    def add_ends(edge: Edge, text: str, other: Node | None, order: Node | None) -> None:
        """The edge's start and end rows, each citing the sources that state it."""
        if edge.start is not None:
            add(edge.start, edge.kind, text, other, edge, start_sources(edge), order)
        if edge.end is not None:
            stated = end_sources(edge)
            note = None if stated else NO_END_SOURCE
            add(edge.end, edge.kind, f"ends: {text}", other, edge, stated, order, note)

    for prop, label in _NODE_EVENTS.items():
        value = node.properties.get(prop)
        if isinstance(value, str) and is_date(value):
            own = node if node.kind == "ExecutiveOrder" else None
            add(value, prop, f"{label} ({node.name})", None, None, list(node.sources), own)
    for edge in view.edges_of(node_id):
        other = _node(view, other_end(edge, node_id))
        phrase = _describe(edge, node_id, other)
        if edge.start is not None or edge.end is not None:
            add_ends(edge, phrase, other, _order_of(view, edge, node, edge.start or edge.end or ""))
        for prop, label in _EDGE_DATE_PROPERTIES.items():
            value = edge.properties.get(prop)
            if isinstance(value, str) and is_date(value):
                # The order whose rule set the date is the one in effect when prohibitions began.
                basis = edge.properties.get("applies_from")
                order = _order_of(
                    view, edge, node, basis if isinstance(basis, str) and is_date(basis) else value
                )
                words, sources = label, list(edge.sources)
                if prop == "applies_from":
                    words, sources = due(value, order, sources)
                add(value, edge.kind, f"{words}: {phrase}", other, edge, sources, order)
        stated = edge.properties.get("applies_from")
        own_start = stated if isinstance(stated, str) and is_date(stated) else None
        if edge.kind == "LISTED_ON" and not (own_start and "divest_until" in edge.properties):
            # A date the listing lacks, each order governing the list gives by its rule: when
            # prohibitions apply and when the divest-only window ends (as affects() reads them).
            for governs in view.edges_of(edge.target, "in", ["GOVERNS"]):
                when, divest, _ = rule_dates(edge.start, governs.properties)
                when = own_start or when
                order = view.get_node(governs.source)
                if when is None or order is None:
                    continue
                day = first_day(when)
                if governs.valid_on(day) and edge.valid_on(day) and order_inactive(view, order, day) is None:
                    sources = [*edge.sources, *governs.sources]
                    if own_start is None:
                        words, with_court = due(when, order, sources)
                        text = f"{order.name} {words}: {phrase}"
                        add(when, "GOVERNS", text, order, governs, with_court, order)
                    if divest is not None and "divest_until" not in edge.properties:
                        # Shown even when cut short, with what cut it short: the listing's end or the order's.
                        end_day = first_day(divest)
                        cut = order_inactive(view, order, end_day)
                        lapsed = cut[0] if cut else None
                        if not edge.valid_on(end_day):
                            lapsed = f"the listing ended on {edge.end}"
                        text = f"{order.name} divest-only window ends: {phrase}"
                        add(
                            divest,
                            "GOVERNS",
                            f"{text} ({lapsed})" if lapsed else text,
                            order,
                            governs,
                            sources,
                            order,
                        )
        for disputed in edge.disputed:
            if is_date(disputed.value):
                add(
                    str(disputed.value),
                    "DISPUTED",
                    f"other sources give {disputed.field} {disputed.value}: {phrase}",
                    other,
                    edge,
                    list(disputed.sources),
                    _order_of(view, edge, node, str(disputed.value)),
                )
    for edge in injunctions:
        if edge.start is None or node_id in (edge.source, edge.target) or not _shields(view, edge, protected):
            continue
        case, order = _node(view, edge.source), _node(view, edge.target)
        ids = protected_by(edge)
        text = injunction_words(case, order, edge)
        if ids is not None:
            named = [view.get_node(i) for i in sorted(ids)]
            via = [n.name for n in named if n is not None and n.id in protected and n.id != node_id]
            whom = f"{node.name} (through its developer {', '.join(via)})" if via else node.name
            text = f"{text}, as applied to {whom}"
        add_ends(edge, text, case, order)
    events.sort(key=lambda e: (e.date, e.kind, e.description))
    return Timeline(id=node.id, events=events)


def neighbours(
    store: GraphStore,
    node_id: str,
    depth: int = 1,
    kinds: Collection[str] | None = None,
    as_of: date | None = None,
    hub: int | None = HUB,
) -> Subgraph:
    """The subgraph within ``depth`` edges of a node (edge kinds and ``as_of`` filter edges).

    One store call (:meth:`~graph.store.base.GraphStore.reach`), whatever the depth.
    A hub (a node with more than ``hub`` edges: a sanctions list, an exchange) is
    shown but not walked through, and the centre, if a hub, shows its first
    ``hub`` edges; ``more`` says how many edges of each hub are not shown.

    Parameters
    ----------
    store : GraphStore
    node_id : str
        Where to start.
    depth : int
        How many edges away to go (0: the node alone).
    kinds : collection of str, optional
        Walk only edges of these kinds.
    as_of : date, optional
        Walk only edges that hold at the end of that day.
    hub : int, optional
        Nodes with more edges than this are not walked through (None: walk everything).

    Returns
    -------
    Subgraph
        Nodes in breadth-first order (the start first), every edge walked, and the
        hubs not walked through with how many of their edges are not shown.

    Raises
    ------
    UnknownEntity
        If there is no such node, with close suggestions.

    Examples
    --------
    >>> from graph.store.memory import MemoryStore
    >>> from graph.model import Edge, Node, Source
    >>> src = [Source(url="https://example.org", title="t", publisher="p", kind="other")]
    >>> store = MemoryStore.from_parts(
    ...     [Node(id="ORG:a", kind="Company", name="A"), Node(id="ORG:b", kind="Company", name="B")],
    ...     [Edge(id="e", kind="SUBSIDIARY_OF", source="ORG:a", target="ORG:b",
    ...           confidence="verified", sources=src)])
    >>> [n.id for n in neighbours(store, "ORG:a").nodes]
    ['ORG:a', 'ORG:b']
    """
    hops: Hops = _any_edge() if kinds is None else dict.fromkeys(kinds, "both")
    around = store.reach([node_id], hops, max(depth, 0), as_of, hub=hub)
    if node_id not in around.nodes:
        raise _unknown(store, node_id)
    shown = Counter(end for e in around.edges.values() for end in (e.source, e.target) if end in around.hubs)
    return Subgraph(
        nodes=[NodeRef.of(n) for n in around.nodes.values()],
        edges=[EdgeRef.of(e) for e in around.edges.values()],
        more={h: degree - shown[h] for h, degree in around.hubs.items()},
    )


def paths(
    store: GraphStore,
    a: str,
    b: str,
    max_len: int = 4,
    as_of: date | None = None,
    limit: int = 20,
    exclude: Collection[str] = (),
    hub: int | None = HUB,
) -> list[Path]:
    """Shortest paths between two entities (edges walked either way), at most ``max_len`` edges.

    Breadth-first from ``a``, one store call per level (and one for the degrees
    of its nodes), stopping at the level that reaches ``b``; then one call for
    the nodes on the paths. A hub (more than ``hub`` edges: a sanctions list
    with thousands of members) is never a step in the middle of a path: that
    two companies share a list says nothing about either.

    Parameters
    ----------
    store : GraphStore
    a, b : str
        The two entities' ids.
    max_len : int
        The longest path, in edges.
    as_of : date, optional
        Walk only edges that hold at the end of that day.
    limit : int
        At most this many paths.
    exclude : collection of str
        Edge kinds not walked (e.g. ``MENTIONS``, whose documents link everything they name).
    hub : int, optional
        Nodes with more edges than this are not walked through (None: any node is).

    Returns
    -------
    list of Path
        Each path alternates NodeRef and EdgeRef from ``a`` to ``b``; parallel
        edges give separate paths. Empty when no path is short enough.

    Raises
    ------
    UnknownEntity
        If either id names no node.

    Examples
    --------
    >>> from graph.store.memory import MemoryStore
    >>> from graph.model import Edge, Node, Source
    >>> src = [Source(url="https://example.org", title="t", publisher="p", kind="other")]
    >>> store = MemoryStore.from_parts(
    ...     [Node(id="ORG:a", kind="Company", name="A"), Node(id="ORG:b", kind="Company", name="B")],
    ...     [Edge(id="e", kind="SUBSIDIARY_OF", source="ORG:a", target="ORG:b",
    ...           confidence="verified", sources=src)])
    >>> [step.id for step in paths(store, "ORG:b", "ORG:a")[0]]
    ['ORG:b', 'e', 'ORG:a']
    """
    kinds = [k for k in edge_kinds() if k not in exclude] if exclude else None
    ends = store.get_nodes([a, b])
    for end in (a, b):
        if end not in ends:
            raise _unknown(store, end)
    if a == b:
        return [[NodeRef.of(ends[a])]]
    # Breadth-first from a, level by level, remembering every parent on a shortest route.
    dist = {a: 0}
    parents: dict[str, list[str]] = {a: []}
    edges_at: dict[str, list[Edge]] = {}
    frontier = [a]
    while frontier and b not in dist and dist[frontier[0]] < max_len:
        if hub is not None and dist[frontier[0]] > 0:
            hubs = {n for n, degree in store.degrees(frontier).items() if degree > hub}
            frontier = [n for n in frontier if n not in hubs]
            if not frontier:
                break
        expanding = set(frontier)
        for edge in store.edges_of_many(frontier, "both", kinds, as_of):
            for end in {edge.source, edge.target} & expanding:
                edges_at.setdefault(end, []).append(edge)
        nxt: list[str] = []
        for current in frontier:
            for other in sorted({other_end(e, current) for e in edges_at.get(current, ())}):
                if other not in dist:
                    dist[other] = dist[current] + 1
                    parents[other] = [current]
                    nxt.append(other)
                elif dist[other] == dist[current] + 1:
                    parents[other].append(current)
        frontier = nxt
    if b not in dist:
        return []

    def node_paths(end: str) -> Iterator[list[str]]:
        if end == a:
            yield [a]
            return
        for parent in parents[end]:
            for prefix in node_paths(parent):
                yield [*prefix, end]

    found: list[tuple[list[str], tuple[Edge, ...]]] = []
    for ids in node_paths(b):
        hops = [
            sorted(
                (e for e in edges_at[x] if other_end(e, x) == y),
                key=lambda e: (e.kind, e.start or "", e.id),
            )
            for x, y in pairwise(ids)
        ]
        found += [(ids, choice) for choice in islice(product(*hops), limit - len(found))]
        if len(found) >= limit:
            break
    nodes = store.get_nodes(dict.fromkeys(i for ids, _ in found for i in ids))
    result: list[Path] = []
    for ids, choice in found:
        path: Path = []
        for node_id, edge in zip(ids, choice, strict=False):
            path += [NodeRef.of(_picked(nodes, node_id)), EdgeRef.of(edge)]
        path.append(NodeRef.of(_picked(nodes, ids[-1])))
        result.append(path)
    return result


def stats(store: GraphStore) -> Stats:
    """Counts of nodes and edges by kind, and how many edges lack a source."""
    by_kind, by_edge_kind = store.counts()
    unsourced = sum(1 for e in store.edges() if not any(s.url for s in e.sources))
    return Stats(
        nodes=store.node_count(),
        edges=store.edge_count(),
        by_kind=by_kind,
        by_edge_kind=by_edge_kind,
        unsourced_edges=unsourced,
    )
