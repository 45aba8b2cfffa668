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
import re
from collections import Counter
from collections.abc import Callable, Collection, Iterator, Mapping
from datetime import date
from itertools import islice, pairwise, product

from graph import pinyin
from graph.affects import affects
from graph.errors import AmbiguousEntity, MissingNode, UnknownEntity
from graph.labels import identifier_label, identifiers_in_schema_order
from graph.model import (
    Edge,
    Node,
    Period,
    edge_kinds,
    first_day,
    identifier_keys,
    vocabulary,
)
from graph.names import (
    NAME_RULES,
    PARTIAL_CAP,
    adds_holding,
    all_chinese,
    fold,
    name_keys,
    named_apart,
    normalise_name,
    parse_ticker,
    script_parts,
    similarity,
    similarity_bounds,
)
from graph.store.base import HUB, GraphStore, GraphView, Hops, other_end
from graph.summary import summary
from graph.timeline import suspended_on, timeline_of
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
)

__all__ = ["affects", "membership", "neighbours", "paths", "resolve", "search", "show", "stats", "timeline"]

EXACT = 100.0
MIN_SCORE = 70.0
# A name found by the pinyin of its characters ("haikang": 海康威视) scores this much less than by
# the characters themselves: the syllables stand for other characters too (海康, 海抗), and the
# name is never the text exactly.
PINYIN_LESS = 10.0
# What a hit matched on when it names the query exactly: its id, a ticker, an identifier (an ISIN…);
# or its name or an alias, when that is the query (normalised).
_EXACT_REASONS = ("id", "ticker", "identifier")


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
    full name's characters in order (中国联通 for 中国联合网络通信集团, 中海油 for
    中国海洋石油集团: 中 for 中国; below names carrying it as typed) or one of them off; when no
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

    def offer(node: Node, score: float, matched: str, why: MatchReason, exact: bool | None = None) -> None:
        if kinds is not None and node.kind not in kinds:
            return
        best = hits.get(node.id)
        exact = (why in _EXACT_REASONS and score >= EXACT - 1) if exact is None else exact
        if best is not None and exact and not best.exact and score <= best.score:
            hits[node.id] = best.model_copy(update={"exact": True})  # a name a near one outscored
        elif best is None or score > best.score:
            hits[node.id] = SearchHit(
                id=node.id,
                kind=node.kind,
                name=node.name,
                score=round(score, 1),
                matched=matched,
                why=why,
                summary=summary(node),
                exact=exact or (best is not None and best.exact),
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
        scored = _scores(wanted, keys, found, limit, typed=query)
        if not scored and all_chinese(wanted):
            # No name carries it as typed: a short Chinese name with a character off (中国移栋).
            scored = _scores(wanted, keys, found, limit, short_typos=True, typed=query)
        for i, score in _pinyin_scores(wanted, keys).items():
            scored[i] = max(score, scored.get(i, 0.0))
    for i, score in scored.items():
        node, key, _ = keys[i]
        why: MatchReason = "name" if key == node.name else "alias" if key in node.aliases else "number"
        # A holding's name typed (中芯国际控股有限公司) is not a name without its holding word (SMIC's
        # 中芯国际) exactly: that one is a close match, listed, never the entity the text names.
        exact = why != "number" and keys[i][2] == wanted and not adds_holding(query, key)
        offer(node, score, key, why, exact=exact)
    # At equal scores, a hit whose name or alias is the text as typed (case and punctuation aside)
    # first: "TikTok" the app before "TikTok Inc.", "SMIC" (SMIC's alias) before "SMIC Holdings";
    # then one without a holding word the text lacks: 华为 (as "Huawei" would without its alias) is
    # 华为技术 (Huawei Technologies) before 华为投资控股 (its holding company), each as much in them.
    literal = fold(query)
    ranked = sorted(
        hits.values(),
        key=lambda h: (
            -h.score,
            fold(h.matched) != literal,
            named_apart(h.matched, query),
            h.kind != "Company",
            h.name,
        ),
    )
    return ranked[:limit]


def is_exact(hit: SearchHit) -> bool:
    """Whether a search hit names the query exactly: by id, ticker or identifier, or by a name or
    alias that is the query, normalised (:func:`graph.names.normalise_name`: "xiaomi" is Xiaomi
    Corporation's name; "中国移动" China Mobile Limited's alias). A hit built by hand says so in
    ``exact``, or by its reason (id, ticker, identifier) and score.

    >>> from graph.views import SearchHit
    >>> is_exact(SearchHit(id="SEC:HKEX:1810", kind="Security", name="X", score=100, matched="1810.HK",
    ...     why="ticker"))
    True
    >>> is_exact(SearchHit(id="ORG:x", kind="Company", name="Xiaomi Corporation", score=100,
    ...     matched="Xiaomi Corporation", exact=True))
    True
    """
    return hit.exact or (hit.why in _EXACT_REASONS and hit.score >= EXACT - 1)


def exact_and_looser(hits: list[SearchHit]) -> tuple[list[SearchHit], list[SearchHit]]:
    """``search``'s hits split in two when some name the query exactly (:func:`is_exact`: ``1810.HK``
    Xiaomi's security, ``Xiaomi`` Xiaomi Corporation), so the looser rest (``1800 HK``, ``981 HK``;
    Xiaomi's security and court case) is set apart, not read as its equal; when none does, every
    hit is in the first list. The order is ``search``'s.

    >>> from graph.views import SearchHit
    >>> hits = [SearchHit(id="SEC:HKEX:1810", kind="Security", name="X", score=100, matched="1810.HK",
    ...     why="ticker"), SearchHit(id="SEC:HKEX:1800", kind="Security", name="Y", score=71.2,
    ...     matched="1800 HK", why="alias")]
    >>> [[h.id for h in part] for part in exact_and_looser(hits)]
    [['SEC:HKEX:1810'], ['SEC:HKEX:1800']]
    >>> [[h.id for h in part] for part in exact_and_looser(hits[1:])]
    [['SEC:HKEX:1800'], []]
    """
    exact = [h for h in hits if is_exact(h)]
    if not exact:
        return hits, []
    return exact, [h for h in hits if h not in exact]


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
    typed: str | None = None,
) -> dict[int, float]:
    """The scores (at least MIN_SCORE) of the name keys that can make the top ``limit``, by position.

    A name that is the query (normalised) scores 100, an alias 99; one less when it is the query
    only once a holding word is set aside (:func:`named_apart` of the text as ``typed``).

    Keys are scored in the order of an upper bound of their score
    (:func:`~graph.names.similarity_bounds`); once ``limit`` entities score more
    than every remaining bound, the rest cannot change the answer and are not
    scored. ``best`` holds the entities already found (by id or ticker).
    """
    exact = {
        i: (EXACT if key == node.name else EXACT - 1) - (1.0 if named_apart(key, typed) else 0.0)
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


def _pinyin_scores(wanted: str, keys: list[tuple[Node, str, str]]) -> dict[int, float]:
    """The scores (at least MIN_SCORE) of the Chinese name keys that a Latin query read as pinyin
    spells (:func:`graph.pinyin.spells`: "haikang" 海康 in 海康威视), by position: as the characters
    it spells would score (:func:`graph.names.similarity`), ``PINYIN_LESS`` less.

    A name is read only when it has a character the query's first syllable may be: most have none.
    """
    ways = pinyin.spellings(wanted)
    if not ways:
        return {}
    known = pinyin.characters()
    firsts = re.compile("[" + "".join(known.get(way[0], "") for way in ways) + "]")
    scores: dict[int, float] = {}
    for i, (_, _, norm) in enumerate(keys):
        if norm.isascii() or not firsts.search(norm):
            continue
        spelt = pinyin.spells(ways, norm)
        if spelt is not None and (score := similarity(spelt, norm) - PINYIN_LESS) >= MIN_SCORE:
            scores[i] = score
    return scores


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
            # Clearly a ticker, and no listing has it: name matches would only mislead. One slip
            # away: a digit wrong, missing or extra, or two next to each other swapped (1801 for 1810).
            from rapidfuzz.distance import OSA

            listed = store.securities(exchange)
            near = [n for n in listed if OSA.distance(str(n.properties.get("code", "")).upper(), code) <= 1]
            if near:
                raise UnknownEntity(text, [f"{n.id} ({n.name})" for n in near[:5]])
            raise _no_such_code(store, text, exchange, code, listed)
    hits = search(store, text, limit=10, kinds=kinds)
    # An identifier typed exactly names the one entity of the kind it identifies (an ISIN: the
    # security, though OFAC gives it on the issuer too).
    identified = [h for h in hits if h.why == "identifier" and h.score >= EXACT]
    if len(identified) == 1:
        return identified[0].id
    # "SMIC" names SMIC, not "SMIC Holdings Limited", though legal words aside they read alike; nor
    # does "SMIC Holdings" (中芯国际控股) name SMIC: a hit whose name lacks a holding word the text
    # carries is at most suggested, never the answer ("Tencent" still names Tencent Holdings).
    apart = {h.id for h in hits if adds_holding(text, h.matched)}
    exact = [h for h in hits if h.score >= EXACT - 1 and h.id not in apart]
    literal = [h for h in exact if fold(h.matched) == fold(text)]
    if len(exact) == 1 or len(literal) == 1:
        return (literal or exact)[0].id
    if len(exact) > 1:
        raise AmbiguousEntity(text, [h.id for h in exact])
    if (
        hits
        and hits[0].score >= 80
        and hits[0].id not in apart
        and (len(hits) == 1 or hits[1].score <= hits[0].score - 5)
    ):
        return hits[0].id
    if _only_legal_form(text):
        raise UnknownEntity(
            text,
            [],
            f"{text.strip()!r} is a legal form, which many names share; search for the company's name",
        )
    raise UnknownEntity(text, [f"{h.id} ({h.name})" for h in hits[:5]])


def _only_legal_form(text: str) -> bool:
    """Whether the text is nothing but legal-form words (:data:`graph.names.NAME_RULES`), which
    name no one company.

    >>> [_only_legal_form(t) for t in ("Limited", "Co., Ltd.", "有限公司", "股份有限公司", "Xiaomi Ltd", "")]
    [True, True, True, True, False, False]
    """
    words, cjk_forms, _ = NAME_RULES
    cjk = re.compile("(?:" + "|".join(cjk_forms) + ")+")
    folded = fold(text).split()
    return bool(folded) and all(w in words or cjk.fullmatch(w) for w in folded)


def _no_such_code(
    store: GraphStore, text: str, exchange: str, code: str, listed: list[Node]
) -> UnknownEntity:
    """The error for a ticker no listing on its exchange has, nor one a slip away: it suggests the
    codes the graph holds there nearest to it, and names the exchange's node and how many listings
    it holds there (each face says how to see them all).

    >>> from graph.store.memory import MemoryStore
    >>> hk = Node(id="EXCH:HKEX", kind="Exchange", name="HKEX")
    >>> xiaomi = Node(id="SEC:HKEX:1810", kind="Security", name="Xiaomi", properties={"code": "1810"})
    >>> exc = _no_such_code(MemoryStore.from_parts([hk, xiaomi], []), "HKEX:9999", "HKEX", "9999", [xiaomi])
    >>> exc.hint
    'no listing on HKEX has code 9999 in this graph; the one code it holds there: SEC:HKEX:1810 (Xiaomi)'
    >>> exc.suggestions, exc.ids, exc.exchange, exc.listed
    (['SEC:HKEX:1810 (Xiaomi)'], ['SEC:HKEX:1810'], 'EXCH:HKEX', 1)
    """
    if not listed:
        return UnknownEntity(text, [], f"no listing on {exchange} is in this graph")

    def distance(node: Node) -> tuple[int, str]:
        theirs = str(node.properties.get("code", "")).upper()
        if theirs.isdigit() and code.isdigit():
            return abs(int(theirs) - int(code)), theirs
        return 0 if theirs[:1] == code[:1] else 1, theirs

    nearest = sorted(listed, key=distance)[:5]
    if len(listed) == 1:
        which = "the one code it holds there"
    elif len(nearest) == len(listed):
        which = f"the {len(listed)} codes it holds there"
    elif code.isdigit():
        which = f"the nearest of the {len(listed)} codes it holds there"
    else:
        which = f"some of the {len(listed)} codes it holds there"
    suggestions = [f"{n.id} ({n.name})" for n in nearest]
    hint = f"no listing on {exchange} has code {code} in this graph; {which}: " + ", ".join(suggestions)
    node = store.get_node(f"EXCH:{exchange}")
    return UnknownEntity(
        text,
        suggestions,
        hint,
        ids=[n.id for n in nearest],
        exchange=node.id if node is not None else None,
        listed=len(listed),
    )


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
        edges=[
            EdgeView.seen_from(e, node_id, _node(around, other_end(e, node_id)), _suspended_at_end(edges, e))
            for e in edges
        ],
        membership=_membership(node, _listings(around, node_id)) if node.kind == "SanctionsList" else [],
        datasets=node.datasets,
        identifiers=identifiers_in_schema_order(node.identifiers),
        provenance=list(node.provenance),
        disputed=disputed_properties(node),
    )


def _suspended_at_end(edges: list[Edge], edge: Edge) -> str | None:
    """For a security's trading on an exchange that ended under the exchange's suspension (NYSE
    delisted China Mobile's ADSs on 2021-05-18, trading there suspended since 2021-01-11), the day
    the suspension began; else None. ``edges``: the entity's (the security's or the exchange's),
    which hold the exchange's actions on the security."""
    if edge.kind != "TRADES_ON" or edge.end is None:
        return None
    return suspended_on(edges, edge.target, edge.source, edge.end)


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


def membership(
    store: GraphStore, list_id: str, drawn: Subgraph | None = None, as_of: date | None = None
) -> list[EditionCount]:
    """How many members of each published edition of a list the graph holds.

    A list node may carry ``editions`` (the days it was published) and ``edition_sizes``
    (how many entries each edition named). An edition's entries shown are the listings
    that hold at the end of that day (a company the list names twice, under an old and a
    new name, counts twice, as on the list). The last row counts every company ever
    listed, so a face never shows a partial list as the whole.

    With ``drawn`` (what :func:`neighbours` drew around the list, ``as_of`` a day or not), the
    counts are of the listings drawn, not of the graph; as of a day, of the edition in force that
    day only (the last published by then), and the last row counts the members drawn, those
    listed on ``as_of`` (``listed_on``); ``partial`` when the list is a hub not drawn whole.

    >>> from graph.store.memory import MemoryStore
    >>> from graph.model import Node
    >>> store = MemoryStore.from_parts([Node(id="LIST:x", kind="SanctionsList", name="x",
    ...     properties={"editions": ["2021-06-03"], "edition_sizes": [47]})], [])
    >>> [(c.edition, c.shown, c.published) for c in membership(store, "LIST:x")]
    [('2021-06-03', 0, 47), (None, 0, None)]
    >>> sub = neighbours(store, "LIST:x", as_of=date(2021, 1, 1))
    >>> [(c.edition, c.shown, c.listed_on) for c in membership(store, "LIST:x", sub, date(2021, 1, 1))]
    [(None, 0, '2021-01-01')]
    """
    node = _require(store, list_id)
    if drawn is None:
        return _membership(node, _listings(store, list_id))
    listings = [
        (e.source, Period(start=e.start, end=e.end))
        for e in drawn.edges
        if e.kind == "LISTED_ON" and e.target == list_id
    ]
    return _membership(node, listings, as_of, partial=bool(drawn.more.get(list_id)))


def _listings(store: GraphView, list_id: str) -> list[tuple[str, Period]]:
    """Every listing on the list in the graph: each member's id and the listing's period."""
    return [(e.source, e.period) for e in store.edges_of(list_id, direction="in", kinds=["LISTED_ON"])]


def _membership(
    node: Node, listings: list[tuple[str, Period]], as_of: date | None = None, partial: bool = False
) -> list[EditionCount]:
    """:func:`membership` of ``node`` from its listings (each member's id and period)."""
    listed = node.properties.get("editions") or []
    editions = listed if isinstance(listed, list) else [listed]
    sizes = _nth_of(node, "edition_sizes")
    statuses = _nth_of(node, "edition_size_status")
    alternatives = _nth_of(node, "edition_size_alternatives")
    shown = list(enumerate(editions))
    if as_of is not None:
        # The edition in force that day, the last published by then: the members drawn are those
        # listed that day, so an earlier edition's count would read as members the graph lacks.
        published = [(i, e) for i, e in shown if first_day(str(e)) <= as_of]
        shown = [max(published, key=lambda p: first_day(str(p[1])))] if published else []
    counts = []
    for i, edition in shown:
        day = first_day(str(edition))
        size, status, alternative = sizes(i), statuses(i), alternatives(i)
        counts.append(
            EditionCount(
                edition=str(edition),
                published=size if isinstance(size, int) else None,
                shown=sum(1 for _, period in listings if period.contains(day)),
                size_status=status if isinstance(status, str) else None,
                size_alternative=alternative if isinstance(alternative, int) else None,
            )
        )
    # No published size recorded for any edition: the faces say the members shown may not be all.
    recorded = any(isinstance(sizes(i), int) for i in range(len(editions)))
    counts.append(
        EditionCount(
            edition=None,
            published=None,
            shown=len({member for member, _ in listings}),
            size_recorded=recorded,
            listed_on=as_of.isoformat() if as_of is not None else None,
            partial=partial,
        )
    )
    return counts


def _nth_of(node: Node, key: str) -> Callable[[int], object]:
    """The i-th item of a list property of ``node`` (None when absent or short)."""
    values = node.properties.get(key)
    items = values if isinstance(values, list) else []
    return lambda i: items[i] if i < len(items) else None


def timeline(store: GraphStore, node_id: str) -> Timeline:
    """Every dated edge and event touching an entity, sorted by date (:mod:`graph.timeline`).

    Besides each edge's start and end (an end citing what states it, the action
    that made it included): the entity's own dated properties (an order's signing
    and publication); for each listing on a list an order governs, and each
    targeting, when prohibitions were due and whether they applied or a court had
    blocked them ("prohibitions due, but enjoined since … by …", with the court's
    source), when the divest-only window ends — with what cut it short, or that it
    never applied — and when the order stopped applying; every injunction that
    protected the entity (an app: also those protecting its developer); and every
    date other sources give instead (``disputed``), with those sources. A
    security's timeline adds these rows for its issuers, as ``affects`` reads them.
    Each row about an order names it first (``EO 13959 — …``) and in ``order``.

    Examples
    --------
    >>> from graph.store.memory import MemoryStore
    >>> store = MemoryStore.from_parts([Node(id="ORG:x", kind="Company", name="X")], [])
    >>> timeline(store, "ORG:x").events
    []
    """
    return timeline_of(store, _require(store, node_id))


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


# The most shortest paths one question gives.
PATHS_LIMIT = 20


def paths(
    store: GraphStore,
    a: str,
    b: str,
    max_len: int = 4,
    as_of: date | None = None,
    limit: int = PATHS_LIMIT,
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
        for (node_id, next_id), edge in zip(pairwise(ids), choice, strict=True):
            here, there = _picked(nodes, node_id), _picked(nodes, next_id)
            path += [NodeRef.of(here), EdgeRef.step(edge, (here, there))]
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
