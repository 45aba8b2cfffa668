"""Which of a listing's sources speak of the listed company: read once, when the data is loaded.

A write-up of a whole list edition (a law firm's alert on the day DoD updated its §1260H list) is a
source of the edition; it says nothing of one member it does not name. On a listing such a
secondary source follows those whose own words name the company (its name or an alias) or give
the listing's Federal Register document (:func:`graph.model.ranked_sources`). Every store ranks on
every read, so the judgement is not made there: the curated loader makes it once and records the
sources that do not name the company, by address, in the edge's ``not_named_by``
(:data:`graph.model.NOT_NAMED_BY`), which every store keeps as it keeps any property.

Loaded data needs no judgement: an FtM Sanction is the list's entry for its one ``entity`` (its
source, the list's page or OpenSanctions' record, is cited for that entry) and an OFAC row the entry
of its UID (an official source, never moved down), so their loaders record none: their sources speak
of the company by construction. Where a loaded listing merges into a curated one, the merged edge
keeps one judgement of all their sources (:func:`merged_not_named_by`, in ``loaders.resolve``).

>>> from graph.model import Edge, Node, Source
>>> alert = Source(url="https://example.org/alert", title="DoD updates its list", publisher="Firm",
...     kind="law_firm", quote="DoD added 13 companies on October 5")
>>> report = Source(url="https://example.org/report", title="Pentagon adds firms", publisher="News",
...     kind="press", quote="including Xiaomi")
>>> listing = Edge(id="l", kind="LISTED_ON", source="ORG:x", target="LIST:y", start="2022-10-05",
...     confidence="likely", sources=[alert, report])
>>> marked = with_not_named_by(listing, Node(id="ORG:x", kind="Company", name="Xiaomi"))
>>> marked.properties["not_named_by"], [s.url for s in marked.sources]
(['https://example.org/alert'], ['https://example.org/report', 'https://example.org/alert'])
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from graph.evidence import names_in_words
from graph.model import (
    NOT_NAMED_BY,
    PRIMARY_SOURCE_KINDS,
    Edge,
    Node,
    Source,
    named_urls,
    ranked_readings,
    ranked_sources,
)
from graph.names import fold, normalise_name, without_legal_form

# The kinds of edge whose secondary sources are read for the company's name.
READ_FOR_NAMES = frozenset({"LISTED_ON"})
# The number of the rules by which a listing's sources are judged, raised whenever what a judgement
# records changes (2: a disputed reading's sources are judged too): a workspace built under other
# rules merges its datasets again on its next open (loaders.workspace.folders.curated_digest).
JUDGING_RULES = 2


# Words that close a company's name as a report shortens it ("SenseTime" for SenseTime Group Limited).
_SHORTENED = frozenset({"group", "holding", "holdings"})
# A short name must be longer than this (folded), and not a word every name has, to count.
_SHORTEST = 4
_TOO_COMMON = frozenset({"china", "chinese", "zhongguo"})
# A Chinese short name must keep this many characters: 小米 alone is also millet.
_SHORTEST_CHINESE = 3


def spoken_names(node: Node) -> frozenset[str]:
    """The names a source may call ``node`` by: its name and aliases, and each as a report shortens
    it: without the legal form and then a closing "Group" or "Holdings" ("SenseTime" for SenseTime
    Group Limited, "Xiaomi" for Xiaomi Corporation); a Chinese name without its legal form, the place
    in brackets after it and a closing 集团 (中微半导体设备 for 中微半导体设备（上海）股份有限公司), kept
    when three characters or more are left.

    >>> sorted(spoken_names(Node(id="ORG:s", kind="Company", name="SenseTime Group Limited")))
    ['SenseTime Group Limited', 'sensetime', 'sensetime group']
    >>> sorted(spoken_names(Node(id="ORG:c", kind="Company", name="China Group Co., Ltd.")))
    ['China Group Co., Ltd.', 'china group']
    >>> sorted(spoken_names(Node(id="ORG:a", kind="Company", name="中微半导体设备（上海）股份有限公司")))
    ['中微半导体设备', '中微半导体设备 上海', '中微半导体设备（上海）股份有限公司']
    >>> sorted(spoken_names(Node(id="ORG:x", kind="Company", name="小米集团")))
    ['小米集团']
    """
    found = {node.name, *node.aliases}
    for name in tuple(found):
        found.update(_latin_short_names(name) if name.isascii() else _chinese_short_names(name))
    return frozenset(found)


def _latin_short_names(name: str) -> Iterator[str]:
    short = without_legal_form(fold(name))
    while short:
        if len(short) > _SHORTEST and short not in _TOO_COMMON:
            yield short
        words = short.split()
        if len(words) < 2 or words[-1] not in _SHORTENED:
            return
        short = " ".join(words[:-1])


def _chinese_short_names(name: str) -> Iterator[str]:
    core = normalise_name(name)  # folded, its legal forms dropped; a bracketed place is a word of it
    first = core.split()[0] if core.split() else ""
    for short in dict.fromkeys((core, first, first.removesuffix("集团"))):
        if len(short.replace(" ", "")) >= _SHORTEST_CHINESE:
            yield short


def listed_short_name(listing: Edge, node: Node) -> str | None:
    """The short name the list itself gives the member: the bracket closing the listing's
    ``listed_name`` after the legal form (DoD's "Beijing Megvii Technology Co., Ltd. (Megvii)"), where it
    is a run of whole words of the member's name or an alias and longer than a bare acronym; not a
    former name, a code or a legal form. "Megvii" is no name of Beijing Megvii elsewhere (its Cayman
    parent is another company), but on this listing it is the list's own.

    >>> megvii = Node(id="ORG:m", kind="Company", name="Beijing Megvii Technology Co., Ltd.")
    >>> def listing(name):
    ...     return Edge(id="l", kind="LISTED_ON", source="ORG:m", target="LIST:x", confidence="likely",
    ...         sources=[Source(url="https://example.org/l", title="t", publisher="p", kind="other")],
    ...         properties={"listed_name": name})
    >>> listed_short_name(listing("Beijing Megvii Technology Co., Ltd. (Megvii)"), megvii)
    'megvii'
    >>> listed_short_name(listing("Beijing Megvii Technology Co., Ltd. (formerly Megvii)"), megvii)
    """
    listed = listing.properties.get("listed_name")
    found = _CLOSING_BRACKET.search(listed) if isinstance(listed, str) else None
    if found is None:
        return None
    before, short = fold(found.group(1)), fold(found.group(2))
    if before == without_legal_form(before) or len(short) <= _SHORTEST or short in _TOO_COMMON:
        return None  # no legal form before the bracket (a place, a group), or too short to tell apart
    names = (f" {fold(name)} " for name in (node.name, *node.aliases) if name.isascii())
    return short if any(f" {short} " in name for name in names) else None


# A listed name closed by a bracket: what comes before it, and the bracket's words.
_CLOSING_BRACKET = re.compile(r"^(.*\S)\s*\(([^()]+)\)\s*$")


def speaks_of(source: Source, node: Node, listing: Edge | None = None) -> bool:
    """Whether the source's own words name ``node`` (:func:`spoken_names`; on ``listing``, also the short
    name the list gives it, :func:`listed_short_name`) or give the listing's Federal Register document
    (``fr_doc``) or its entry in OFAC's file ("UID 30902" for its ``ofac_uid``: the row that names it)."""
    words = [field for field in (source.quote, source.locator, source.title) if field]
    names = spoken_names(node)
    if listing is not None:
        fr_doc, uid = (_plain(listing.properties.get(key)) for key in ("fr_doc", "ofac_uid"))
        if fr_doc and any(fr_doc in field for field in words):
            return True
        if uid and any(re.search(rf"\bUID {re.escape(uid)}(?!\d)", field) for field in words):
            return True
        short = listed_short_name(listing, node)
        names = names | {short} if short else names
    return names_in_words(source, names)


def _plain(value: object) -> str | None:
    """A document number or UID as the sources write it; None when the property is not one."""
    return str(value) if isinstance(value, str | int) and not isinstance(value, bool) else None


def cited(edge: Edge) -> list[Source]:
    """Every citation on ``edge``: its own sources, then those of each other reading it keeps
    (``disputed``: where sources disagree, both claims stand with their sources)."""
    return [*edge.sources, *(s for reading in edge.disputed for s in reading.sources)]


def not_named_by(edge: Edge, node: Node) -> list[str]:
    """The addresses of the edge's secondary sources, and its disputed readings', that do not speak of
    ``node`` (:func:`speaks_of`): an address cited twice (two rows of one file, or the edge and a
    reading) speaks of it when either citation does."""
    citations = cited(edge)
    speaking = {s.url for s in citations if speaks_of(s, node, edge)}
    secondary = (s.url for s in citations if s.kind not in PRIMARY_SOURCE_KINDS)
    return [url for url in dict.fromkeys(secondary) if url not in speaking]


def merged_not_named_by(statements: Iterable[Edge]) -> list[str]:
    """The ``not_named_by`` of one edge merged from several statements of the same listing: the
    addresses some statement judges silent and none cites as speaking of the company (an address
    speaks when any citation of it does, its own sources' or a disputed reading's (:func:`cited`), as
    on one edge). A statement recording none speaks through
    every source: a loaded FtM Sanction is the list's entry for its one entity, and an OFAC row the
    entry of its UID (official), so they name the company by construction and their loaders record
    no judgement.

    >>> from graph.model import Source
    >>> alert = Source(url="https://example.org/alert", title="a", publisher="p", kind="law_firm")
    >>> entry = Source(url="https://example.org/entry", title="e", publisher="p", kind="other")
    >>> def listing(sources, silent):
    ...     return Edge(id="l", kind="LISTED_ON", source="ORG:x", target="LIST:y", confidence="likely",
    ...         sources=sources, properties={NOT_NAMED_BY: silent} if silent else {})
    >>> merged_not_named_by([listing([alert, entry], [alert.url, entry.url]), listing([entry], [])])
    ['https://example.org/alert']
    """
    judged = [(cited(edge), named_urls(edge.properties, NOT_NAMED_BY)) for edge in statements]
    speaking = {s.url for citations, silent in judged for s in citations if s.url not in silent}
    ordered = (url for citations, silent in judged for s in citations if (url := s.url) in silent)
    return [url for url in dict.fromkeys(ordered) if url not in speaking]


def with_not_named_by(edge: Edge, node: Node) -> Edge:
    """``edge`` with its ``not_named_by`` recorded (when any source, its own or a disputed reading's, is
    silent on ``node``) and its sources and its readings' ranked by it; an edge of another kind as it is."""
    if edge.kind not in READ_FOR_NAMES:
        return edge
    silent = not_named_by(edge, node)
    if not silent:
        return edge
    properties = {**edge.properties, NOT_NAMED_BY: silent}
    ranked = ranked_sources(edge.sources, edge.kind, properties)
    readings = ranked_readings(edge.disputed, edge.kind, properties)
    return edge.model_copy(update={"properties": properties, "sources": ranked, "disputed": readings})


def judged_again(edge: Edge, node: Node) -> Edge:
    """``edge`` judged again against ``node``, the node it lists as it now stands: the addresses of its
    ``not_named_by`` (the judgement its statements give, :func:`merged_not_named_by`, each made against
    the names its own dataset gave the company) that a citation speaks of ``node`` in (a name another
    dataset merged into it gives) leave it, and the sources and readings are ranked again; an edge
    with no judgement, or none of whose silent sources speaks, as it is.

    A workspace merges datasets into one node after the curated loader judged the listing, so the
    judgement is made again whenever the node's names change (``loaders.workspace.naming``): a name
    only a loaded dataset gives makes a report using it speak, and it is silent again once that
    dataset is taken out (the judgement is then made from the statements again).

    >>> report = Source(url="https://example.org/r", title="r", publisher="p", kind="press",
    ...     quote="Zorbex Industrial was listed")
    >>> listing = Edge(id="l", kind="LISTED_ON", source="ORG:x", target="LIST:y", confidence="likely",
    ...     sources=[report], properties={NOT_NAMED_BY: [report.url]})
    >>> merged = Node(id="ORG:x", kind="Company", name="Acme Holdings Limited", aliases=["Zorbex Industrial"])
    >>> NOT_NAMED_BY in judged_again(listing, merged).properties
    False
    """
    silent = named_urls(edge.properties, NOT_NAMED_BY)
    if not silent:
        return edge
    speaking = {s.url for s in cited(edge) if s.url in silent and speaks_of(s, node, edge)}
    if not speaking:
        return edge
    properties = {key: value for key, value in edge.properties.items() if key != NOT_NAMED_BY}
    named = edge.properties[NOT_NAMED_BY]
    kept = [url for url in named if url not in speaking] if isinstance(named, list) else []
    if kept:
        properties[NOT_NAMED_BY] = kept
    update = {
        "properties": properties,
        "sources": ranked_sources(edge.sources, edge.kind, properties),
        "disputed": ranked_readings(edge.disputed, edge.kind, properties),
    }
    return edge.model_copy(update=update)
