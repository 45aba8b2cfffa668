"""Which of an edge's sources state its start, and which its end.

A row saying a listing ended must not cite the release that made it: a reporter
who checks reads the opposite. Nor may it cite a source only because it is dated
on or after the end: a release of that day may be about something else. A source
states the end when it is a source of the action that made the end (an order
revoking or superseding the one the edge is about, an exchange's next action on
the security, a re-listing under another name: :func:`ending_actions`), when the
data says so (the edge's ``end_stated_by`` names its address: a document only
about that one edge), or when its quote or locator gives the end day itself and it
names the edge's entity (:func:`edge_names`) in its quote, locator or title (an
exchange's notice, days ahead, of the day it strikes a listing). A law firm's alert
quoting the day a list was updated does not state that one member left it unless it
names that member.

A source states the start by the same reading of its text: its quote, locator or title gives
the start, written at the start's own precision (a month as ``May 2010``, not as a day of it),
and names the edge's entity (:func:`states_start`). A quote that only announces the day ahead
("will debut on 9 July 2018", "股票将于 … 上市") states neither, unless an official, court, filing
or exchange source gives it: those set the days they announce (:func:`forecasts`). A row cites
first the sources that state its date, then the rest most authoritative first
(:func:`graph.model.stated_first`); where none states it, authority alone orders them.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Collection, Iterable
from functools import cache, lru_cache

from graph.model import PRIMARY_SOURCE_KINDS, Edge, Node, Source, by_authority
from graph.names import fold
from graph.store.base import GraphView

NO_END_SOURCE = "no source states the end"
# The edge property naming (by address) the edge's own sources that state its end.
END_STATED_BY = "end_stated_by"

# The edges that can end an edge of each kind on the day they start, as (the end of the edge
# whose such edges count, their direction from it, their kinds). An order's rule, targeting or
# amendment ends when the order is revoked or superseded; an injunction when the order it
# enjoins is; an exchange's notice when the exchange acts again on the security, a listing on an
# exchange when the exchange delists it; a listing on a list when the company is re-listed on it.
_ENDED_BY: dict[str, tuple[str, str, tuple[str, ...]]] = {
    "GOVERNS": ("source", "in", ("REVOKES", "SUPERSEDES")),
    "TARGETS": ("source", "in", ("REVOKES", "SUPERSEDES")),
    "AMENDS": ("source", "in", ("REVOKES", "SUPERSEDES")),
    "ENJOINS": ("target", "in", ("REVOKES", "SUPERSEDES")),
    "EXCHANGE_ACTION": ("target", "in", ("EXCHANGE_ACTION",)),
    "TRADES_ON": ("source", "in", ("EXCHANGE_ACTION",)),
    "LISTED_ON": ("source", "out", ("LISTED_ON",)),
}


def ending_lookup(edge: Edge) -> tuple[str, str, tuple[str, ...]] | None:
    """Where :func:`ending_actions` looks for what ended ``edge``: (node id, direction, kinds), or
    None when the edge has no end or its kind is ended by nothing the graph records."""
    if edge.end is None or edge.kind not in _ENDED_BY:
        return None
    end, direction, kinds = _ENDED_BY[edge.kind]
    return (edge.source if end == "source" else edge.target), direction, kinds


def ending_actions(view: GraphView, edge: Edge) -> list[Edge]:
    """The dated actions in the graph that ended ``edge``: edges starting on its end day that revoke
    or supersede its order, act again on its security, or re-list its company on the same list.

    >>> from graph.store.memory import MemoryStore
    >>> from graph.model import Node
    >>> src = [Source(url="https://example.org/a", title="a", publisher="p", kind="official")]
    >>> orders = [Node(id=f"EO:{n}", kind="ExecutiveOrder", name=f"EO {n}") for n in (1, 2)]
    >>> app = Node(id="APP:x", kind="App", name="X")
    >>> targets = Edge(id="t", kind="TARGETS", source="EO:1", target="APP:x", start="2020-08-06",
    ...     end="2021-06-09", confidence="verified", sources=src)
    >>> revokes = Edge(id="r", kind="REVOKES", source="EO:2", target="EO:1", start="2021-06-09",
    ...     confidence="verified", sources=src)
    >>> [e.id for e in ending_actions(MemoryStore.from_parts([*orders, app], [targets, revokes]), targets)]
    ['r']
    """
    lookup = ending_lookup(edge)
    if lookup is None:
        return []
    node_id, direction, kinds = lookup
    return [
        e
        for e in view.edges_of(node_id, "in" if direction == "in" else "out", kinds)
        if e.id != edge.id
        and e.start == edge.end
        and (edge.kind != "LISTED_ON" or e.target == edge.target)
        and (edge.kind not in ("EXCHANGE_ACTION", "TRADES_ON") or _same_security(edge, e))
    ]


def _same_security(edge: Edge, action: Edge) -> bool:
    security = edge.target if edge.kind == "EXCHANGE_ACTION" else edge.source
    return action.target == security


def ending_urls(edge: Edge, actions: Collection[Edge]) -> frozenset[str]:
    """The addresses of the sources that state ``edge``'s end without giving its day: those the
    data names in ``end_stated_by``, and those of the actions that ended it."""
    named = edge.properties.get(END_STATED_BY)
    flagged = {u for u in named if isinstance(u, str)} if isinstance(named, list) else set()
    return frozenset(flagged | {s.url for e in actions for s in e.sources})


# Node kinds that many edges share as their far end (a list, an exchange, a body): a quote naming
# one and giving a day does not say which of its members' edges ended that day.
_SHARED_ENDS = frozenset({"SanctionsList", "Exchange", "GovernmentBody"})


def edge_names(view: GraphView, edge: Edge) -> frozenset[str]:
    """The names a source must use to state ``edge``'s end by its day: the name and aliases of each
    end of the edge that is not a list, exchange or body (every member's far end), of the issuer
    of each end that is a security (the node that ISSUES it), and of the companies an injunction
    protects (``applies_to``); empty when no source gives the start or the end
    (:func:`quotes_its_dates`), so an edge no quote dates reads no node. A document only about
    the edge that names it otherwise (an issuer's notice of its own security's delisting) is
    named in ``end_stated_by``.

    >>> from graph.store.memory import MemoryStore
    >>> from graph.model import Node
    >>> src = [Source(url="https://example.org/a", title="a", publisher="p", kind="official",
    ...     quote="removed on 2024-01-31")]
    >>> nodes = [Node(id="ORG:t", kind="Company", name="Torch", aliases=["火炬电子"]),
    ...     Node(id="LIST:l", kind="SanctionsList", name="L")]
    >>> listing = Edge(id="l", kind="LISTED_ON", source="ORG:t", target="LIST:l", start="2021-06-03",
    ...     end="2024-01-31", confidence="likely", sources=src)
    >>> sorted(edge_names(MemoryStore.from_parts(nodes, [listing]), listing))
    ['Torch', '火炬电子']
    """
    if not quotes_its_dates(edge):
        return frozenset()
    ids = [edge.source, edge.target]
    applies_to = edge.properties.get("applies_to")
    if isinstance(applies_to, list):
        ids += [i for i in applies_to if isinstance(i, str)]
    names: set[str] = set()
    securities: list[str] = []
    for node_id in ids:
        node = view.get_node(node_id)
        if node is None or node.kind in _SHARED_ENDS:
            continue
        names.update([node.name, *node.aliases])
        if node.kind == "Security":
            securities.append(node.id)
    # An issuer's notice names itself, not its shares ("CNOOC Limited … the delisting of the
    # Company's American depository shares became effective … October 22, 2021"): a security's
    # issuers name its edges too. One read of its ISSUES edges, one of each issuer (usually one).
    issuers = {e.source for s in securities for e in view.edges_of(s, "in", ("ISSUES",))}
    for issuer_id in sorted(issuers - set(ids)):
        issuer = view.get_node(issuer_id)
        if issuer is not None:
            names.update([issuer.name, *issuer.aliases])
    return frozenset(names)


def end_names(edge: Edge, ends: Iterable[Node]) -> frozenset[str]:
    """:func:`edge_names` from the edge's end nodes at hand (a path's, which holds both ends of each
    step, and the issuer beside a security): no store read; empty when no quote dates the edge.

    >>> src = [Source(url="https://example.org/a", title="a", publisher="p", kind="press",
    ...     quote="Launched on January 21st, 2011, Weixin")]
    >>> nodes = [Node(id="ORG:t", kind="Company", name="Tencent"),
    ...     Node(id="APP:w", kind="App", name="WeChat", aliases=["Weixin"])]
    >>> develops = Edge(id="d", kind="DEVELOPS", source="ORG:t", target="APP:w", start="2011-01-21",
    ...     confidence="verified", sources=src)
    >>> sorted(end_names(develops, nodes))
    ['Tencent', 'WeChat', 'Weixin']
    """
    if not quotes_its_dates(edge):
        return frozenset()
    named = (node for node in ends if node.kind not in _SHARED_ENDS)
    return frozenset(name for node in named for name in (node.name, *node.aliases))


def names_in_words(source: Source, names: Collection[str]) -> bool:
    """Whether the source's own words (its quote, locator or title) name one of ``names``.

    >>> alert = Source(url="https://example.org/a", title="DoD updates its list", publisher="p",
    ...     kind="law_firm", quote="adding Xiaomi Corp. and eight others")
    >>> names_in_words(alert, {"Xiaomi Corp"}), names_in_words(alert, {"Luokung"})
    (True, False)
    """
    return _names_any(_words(source), names)


def _names_any(text: str, names: Collection[str]) -> bool:
    """Whether ``text`` names one of ``names``: a whole run of words of it, folded as search folds
    names (case, punctuation, traditional characters); a Chinese name anywhere in it."""
    folded, unspaced = _folded_words(text)
    for name in names:
        key = _folded(name)
        if len(key) < 2:
            continue
        if f" {key} " in folded if key.isascii() else key.replace(" ", "") in unspaced:
            return True
    return False


@lru_cache(maxsize=1 << 14)
def _folded(name: str) -> str:
    """A name folded as search folds it (remembered: the same names are read on every answer)."""
    return fold(name)


@lru_cache(maxsize=1 << 14)
def _folded_words(text: str) -> tuple[str, str]:
    """A source's words folded, with a space at each end, and without any spaces."""
    folded = f" {fold(text)} "
    return folded, folded.replace(" ", "")


def quotes_its_dates(edge: Edge) -> bool:
    """Whether a quote or locator of one of the edge's sources gives its start or its end: only
    then can a source state either by its words, and only then are the edge's names read."""
    days = [d for d in (edge.start, edge.end) if d is not None]
    return any(gives_date(s, d) for d in days for s in edge.sources)


def _fields(source: Source) -> tuple[str, ...]:
    """What a source says in its own words, as the data records them: its quote, locator and title."""
    return tuple(f for f in (source.quote, source.locator, source.title) if f)


def _words(source: Source) -> str:
    return " ".join(_fields(source))


def gives_date(source: Source, day: str) -> bool:
    """Whether the source's quote, locator or title writes ``day`` at its own precision: a title gives the
    day of an order (``Order of August 14, 2020, Regarding …``); a node's own dated property (a document's
    public-inspection day) is credited to the sources that give it. Month-first and Chinese dates are read
    with spaces ignored (``2010 年 5月 17 日``); a day-first day is read in its own words, one field at a
    time, so no digit of a time, a rule number or the next field runs into it (``Updated 22 June 2021
    13:34``, ``Rule 2 1 May 2021``). A day written without its year (``on 9 March``) gives it only when
    the source's own date is in that year and not before the day (:func:`_year_known`): a report of March
    2021 that trading stopped "on 9 March".

    >>> from graph.model import Source
    >>> report = Source(url="https://example.org/u", title="u", publisher="p", kind="press",
    ...     date="2021-03", quote="shares were suspended at 4:00am local time on 9 March.")
    >>> gives_date(report, "2021-03-09"), gives_date(report, "2021-03-19")
    (True, False)
    >>> gives_date(report.model_copy(update={"date": "2021-02-27"}), "2021-03-09")
    False
    >>> gives_date(report.model_copy(update={"date": "2022-03"}), "2021-03-09")
    False
    """
    return _writes_date(_fields(source), day, _year_known(source, day))


def _year_known(source: Source, day: str) -> bool:
    """Whether the source's own date gives the year of ``day`` and does not fall before it, so that
    the day written without its year (``9 March``, ``March 9``, ``3月9日``) can only be that day: a
    source dated ahead of the day, or in another year, may mean another 9 March."""
    dated = source.date or ""
    return len(day) == 10 and dated[:4] == day[:4] and dated >= day[: len(dated)]


@lru_cache(maxsize=1 << 16)
def _writes_date(fields: tuple[str, ...], day: str, yearless: bool = False) -> bool:
    """:func:`gives_date` over the given fields of a source's words; ``yearless``: a day written
    without its year counts too (the source's date gives the year, :func:`_year_known`). Remembered:
    ``affects`` asks it of the same few thousand quotes and days on every answer, and the regular
    expressions cost most of an answer's time."""
    text = " ".join(fields).replace(" ", "")
    if len(day) == 10:
        return (
            any(form.replace(" ", "") in text for form in _written(day))
            or any(_day_first(day).search(field) for field in fields)
            or any(_month_first(day).search(field) for field in fields)
            or (yearless and any(_without_year(day).search(field) for field in fields))
        )
    # A month or a year is written where it stands alone, not as part of a finer date: the
    # expected offering day 2010年5月17日 does not say the shares listed in May 2010.
    text = _FINER[len(day)].sub(" ", text)
    return _alone(day).search(text) is not None


@cache
def _written(day: str) -> tuple[str, ...]:
    """A day as sources write it: ``2021-03-18``, ``2021年3月18日``, ``March 18, 2021``, and with an
    ordinal, ``January 21st, 2011`` (TechNode on Weixin's launch).

    >>> _written("2011-01-21")[2:]
    ('January 21, 2011', 'January 21st, 2011')
    """
    if len(day) != 10:
        return ()
    year, month, dom = (int(p) for p in day.split("-"))
    name = calendar.month_name[month]
    return (day, f"{year}年{month}月{dom}日", f"{name} {dom}, {year}", f"{name} {dom}{_ordinal(dom)}, {year}")


def _ordinal(dom: int) -> str:
    """The English ordinal ending of a day of the month: ``st`` for 1, 21, 31, ``th`` for 11-13.

    >>> [_ordinal(d) for d in (1, 2, 3, 4, 11, 12, 13, 21, 22, 23, 31)]
    ['st', 'nd', 'rd', 'th', 'th', 'th', 'th', 'st', 'nd', 'rd', 'st']
    """
    return "th" if 10 <= dom % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(dom % 10, "th")


@cache
def _month_word(month: int) -> str:
    r"""A month's name as sources write it, full or short, the short with or without its full
    stop, as a title or in capitals (``December``, ``Dec.``, ``DEC``; ``Sept``). Not any case:
    the capital is what tells a month from the end of a word once spaces are gone (``Grammar
    2021`` is not March 2021).

    >>> print(_month_word(9))
    (?:September|Sep\.?|Sept\.?|SEPTEMBER|SEP\.?|SEPT\.?)
    """
    words = [
        calendar.month_name[month],
        *(rf"{a}\.?" for a in (calendar.month_abbr[month], "Sept")[: 1 + (month == 9)]),
    ]
    return "(?:" + "|".join(words + [w.upper() for w in words]) + ")"


@cache
def _day_first(day: str) -> re.Pattern[str]:
    """A day as sources write it day first, in Hong Kong filings and OFAC's list data: ``18 March
    2021``, ``18 Mar 2021``, ``08 Feb. 2022``, ``16 DEC 2021``; only where no digit runs into it
    (``1 May`` is not ``11 May``).

    >>> bool(_day_first("2021-12-16").search("Listing Date (CMIC) 16 Dec. 2021."))
    True
    >>> bool(_day_first("2021-05-21").search("under Rule 2 1 May 2021"))
    False
    >>> bool(_day_first("2011-01-21").search("launched on 21st January 2011"))
    True
    """
    year, month, dom = (int(p) for p in day.split("-"))
    return re.compile(rf"(?<!\d)0?{dom}(?:{_ordinal(dom)})?\s+{_month_word(month)}\s+{year}(?!\d)")


@cache
def _month_first(day: str) -> re.Pattern[str]:
    """A day written month first with a short or capitalised month, as a release's dateline gives it
    (``JAN. 14, 2021``, ``Jan. 14, 2021``, ``Sept. 1st, 2020``); only where no digit runs into it.

    >>> [bool(_month_first("2021-01-14").search(t)) for t in ("JAN. 14, 2021", "Jan 14 2021",
    ...     "Jan. 4, 2021", "Jan. 14, 20211")]
    [True, True, False, False]
    """
    year, month, dom = (int(p) for p in day.split("-"))
    return re.compile(rf"(?<![A-Za-z]){_month_word(month)}\s*0?{dom}(?:{_ordinal(dom)})?,?\s+{year}(?!\d)")


@cache
def _without_year(day: str) -> re.Pattern[str]:
    """A day written without its year: ``9 March``, ``March 9``, ``3月9日``; not where a year or
    another digit follows or precedes it (``9 March 2020``, ``March 9, 2020``, ``2021年3月9日`` are
    read with their years).

    >>> [bool(_without_year("2021-03-09").search(t)) for t in ("on 9 March.", "on March 9 at 4am",
    ...     "on 9 March 2020", "March 9, 2020", "19 March", "3月9日", "2020年3月9日", "9 Mar. 2020")]
    [True, True, False, False, False, True, False, False]
    """
    _, month, dom = (int(p) for p in day.split("-"))
    word = _month_word(month)
    return re.compile(
        rf"(?<!\d)0?{dom}\s+{word}(?![A-Za-z])(?!\.?\s*,?\s*\d)|(?<![A-Za-z]){word}\s+0?{dom}(?!\d)(?!\s*,\s*\d)"
        rf"|(?<![\d年]){month}\s*月\s*{dom}\s*日"
    )


_MONTH_WORDS = "|".join(_month_word(m) for m in range(1, 13))
# Dates finer than a month, and than a year, as sources write them (spaces already removed).
_DAYS = (
    rf"\d{{4}}-\d{{1,2}}-\d{{1,2}}|\d{{4}}年\d{{1,2}}月\d{{1,2}}日|(?:{_MONTH_WORDS})\d{{1,2}},\d{{4}}"
    rf"|(?<!\d)\d{{1,2}}(?:{_MONTH_WORDS})\d{{4}}"
)
_MONTHS = rf"\d{{4}}-\d{{1,2}}|\d{{4}}年\d{{1,2}}月|(?:{_MONTH_WORDS}),?\d{{4}}"
_FINER = {7: re.compile(_DAYS), 4: re.compile(f"{_DAYS}|{_MONTHS}")}


@cache
def _alone(day: str) -> re.Pattern[str]:
    """``2010-05`` as sources write a month (``2010-05``, ``2010年5月``, ``May 2010``, ``Dec. 2021``)
    or ``2010`` as they write a year, not run into other digits."""
    if len(day) == 4:
        return re.compile(rf"(?<!\d){day}(?!\d)")
    year, month = (int(p) for p in day.split("-"))
    forms = (rf"{year}-{month:02d}", rf"{year}年0?{month}月", rf"{_month_word(month)},?{year}")
    return re.compile("|".join(rf"(?<!\d){form}(?!\d)" for form in forms))


# Words that put the day after them in the future: a plan, a schedule or an expectation ("will
# debut", "is expected to commence", "is scheduled to be published", "to take effect on"; 将于,
# 拟于, 预计). Not a past form ("was set", "were due to": what was planned, or "because of"), not
# another sense ("is set out in", "is due to the order"), not "would" unless someone said so ("said
# it would list"; a hindsight "which would later win" is no plan), and not "shall": it is how legal
# texts set a rule's day, not how anyone forecasts one. 将 alone is also the object marker
# (美国防部将中芯国际列入 … "DoD put SMIC on"; 将从事军工业务的小米 … 列入), so 将于/将在/将自/将从 count
# only before a time word (将于2019年, 将于今日), and 预期 ("超出预期", beat expectations) not at all.
_FUTURE = re.compile(
    r"""
    \b(?:
        will
      | (?:said|says|stated|announced|told\s+\w+)\s+(?:that\s+)?(?:[\w'’]+\s+){0,3}?would  # reported
      | (?:is|are)\s+(?:expected|scheduled|slated|planned|set\s+(?:to|for)|going\s+to|to
                       |due\s+(?:on|for|to\s+(?!the\b|an?\b|its\b|their\b)))
      | expects?\s+to | scheduled\s+(?:to|for) | plans?\s+to | intends?\s+to
      | to\s+(?:take|come\s+into)\s+effect | to\s+become\s+effective
    )\b
    | 将(?:于|在|自|从)\s*(?:\d|今|明|本|下|[一二三四五六七八九十])  # 将 + a time word
    | 将(?:会|要|被|正式) | 即将 | 拟(?:于|在) | 预计 | 定于 | 计划于
    """,
    re.IGNORECASE | re.VERBOSE,
)
# Where one clause of a quote ends and another begins: a full stop of Chinese, a semicolon, a line,
# the ellipsis that joins two passages, and a relative clause set off by commas (", which will publish
# more names later,": its own clause, the commas of a date inside it kept).
_CLAUSE_BREAK = re.compile(
    r"""
    [。；;!?！？\n] | … | \.\.\.
    | (?P<relative>,\s*(?:which|who)\b(?:[^,]|,\s*\d)*,)
    """,
    re.VERBOSE,
)
# An English sentence ends at a full stop, "!" or "?" before a capital, a quote mark or a digit
# ("… ruling of 2020. The NYSE", "… the NYSE. Trading") unless the stop ends one of these
# abbreviations ("9:30 a.m. Eastern", "Nov. 6", "U.S. Treasury", "Rule No. 802", "Xiaomi Corp. Class
# B"). A company's suffix does end a sentence before a word and a small word ("Luokung Inc. Shares
# resumed": the next sentence's subject and verb).
_SENTENCE_END = re.compile(r"""[.!?]\s+(?=[A-Z"“\d])""")
_ABBREVIATION = re.compile(
    rf"""(?:\b(?:a\.m|p\.m|U\.S|No|{"|".join(calendar.month_abbr[1:])}|Sept)
         | (?P<suffix>\b(?:Inc|Co|Corp|Ltd)))\.$""",
    re.VERBOSE,
)
_SUBJECT_AND_VERB = re.compile(r"[A-Z][a-z]+\s+[a-z]")
# A clause that starts between a future word and the day, and gives the day as past: "is set to join
# the Hang Seng after it debuted on July 9, 2018" (a past verb within a few words of its conjunction).
_PAST_CLAUSE = re.compile(
    r"\b(?:after|since|because|once|when|while|as)\s+(?:\w+\s+){0,3}?(?:\w+ed|was|were|had|did)\b",
    re.IGNORECASE,
)


def _clauses(text: str) -> list[str]:
    """The clauses of a quote (:data:`_CLAUSE_BREAK`, :data:`_SENTENCE_END`).

    >>> _clauses("CNOOC will appeal the ruling of 2020. The NYSE delisted it, which it will appeal, in 2021.")
    ['CNOOC will appeal the ruling of 2020.', 'The NYSE delisted it', ', which it will appeal,', ' in 2021.']
    >>> _clauses("At 9:30 a.m. Eastern on Nov. 6 Luokung Inc. Shares resumed.")
    ['At 9:30 a.m. Eastern on Nov. 6 Luokung Inc.', 'Shares resumed.']
    """
    pieces: list[str] = []
    for part in _CLAUSE_BREAK.split(text):
        if part is None:
            continue
        start = 0
        for end in _SENTENCE_END.finditer(part):
            abbreviation = _ABBREVIATION.search(part, 0, end.start() + 1)
            if abbreviation and not (abbreviation["suffix"] and _SUBJECT_AND_VERB.match(part, end.end())):
                continue
            pieces.append(part[start : end.start() + 1])
            start = end.end()
        pieces.append(part[start:])
    return [p for p in pieces if p.strip()]


def forecasts(source: Source, day: str) -> bool:
    """Whether ``source`` only announces ``day`` ahead: it is not an official, court, filing or
    exchange source, and every clause of its quote, locator or title that gives the day says it
    lies ahead (a plan, a schedule, an expectation: "will debut … on 9 July 2018", "股票将于 2019 年
    11 月 18 日 … 上市") before it gives it. Such a source is one of the edge's sources, not one that
    states the day happened. An official, court, filing or exchange source is the record of the day
    it sets: a rule's effective day ("shall take effect at 12:01 a.m. … on August 2, 2021"), an
    exchange's notice of the day it suspends a security, an issuer's notice of its listing day.

    >>> from graph.model import Source
    >>> press = Source(url="https://example.org/p", title="p", publisher="p", kind="press",
    ...     quote="Xiaomi will debut on the Hong Kong exchange on July 9, 2018.")
    >>> forecasts(press, "2018-07-09")
    True
    >>> forecasts(press.model_copy(update={"kind": "exchange"}), "2018-07-09")
    False
    >>> forecasts(press.model_copy(update={"quote": "Xiaomi debuted on July 9, 2018. It will grow."}),
    ...     "2018-07-09")
    False
    """
    if source.kind in PRIMARY_SOURCE_KINDS:
        return False
    clauses = [c for field in _fields(source) for c in _clauses(field)]
    yearless = _year_known(source, day)
    giving = [c for c in clauses if _writes_date((c,), day, yearless)]
    return bool(giving) and all(_ahead(clause, day, yearless) for clause in giving)


def _ahead(clause: str, day: str, yearless: bool = False) -> bool:
    """Whether the clause says the day lies ahead before it gives it: the last future word before the
    day governs it, no past clause between them ("is set to join … after it debuted on")."""
    before = [m for m in _FUTURE.finditer(clause) if not _writes_date((clause[: m.start()],), day, yearless)]
    if not before:
        return False
    rest = clause[before[-1].end() :]
    return _PAST_CLAUSE.search(rest[: _date_end(rest, day, yearless)]) is None


def _date_end(text: str, day: str, yearless: bool = False) -> int:
    """Where ``text`` has first written ``day``: the shortest prefix that gives it (its length when
    none does)."""
    low, high = 0, len(text)
    while low < high:
        mid = (low + high) // 2
        if _writes_date((text[:mid],), day, yearless):
            high = mid
        else:
            low = mid + 1
    return low


def _states_day(source: Source, day: str) -> bool:
    """Whether the source's words give ``day`` as the day a thing happened or holds: it gives the day
    (:func:`gives_date`) and does not only announce it ahead (:func:`forecasts`)."""
    return gives_date(source, day) and not forecasts(source, day)


def states_end(source: Source, end: str, ending: Collection[str] = (), names: Collection[str] = ()) -> bool:
    """Whether ``source`` can tell a reader the edge ended on ``end``: its address is in ``ending``
    (:func:`ending_urls`: the data says it states the end, or it is a source of the action that
    made it), or its quote or locator gives the day, not only as a day ahead (:func:`forecasts`),
    and its quote, locator or title names the edge's entity (one of ``names``,
    :func:`edge_names`). Its date alone does not make it one: a
    release dated on the end day may be about something else; nor does the day alone: an alert
    on a list's update may not be about this member of it.

    >>> from graph.model import Source
    >>> notice = Source(url="https://example.org/n", title="n", publisher="p", kind="other",
    ...     date="2021-03-12", quote="火炬电子 5.摘牌日期:2021年3月18日")
    >>> torch = {"火炬电子"}
    >>> states_end(notice, "2021-03-18", names=torch), states_end(notice, "2021-03-19", names=torch)
    (True, False)
    >>> states_end(notice, "2021-03-18", names={"中芯国际"})
    False
    >>> same_day = Source(url="https://example.org/r", title="r", publisher="p", kind="official",
    ...     date="2021-03-19")
    >>> states_end(same_day, "2021-03-19"), states_end(same_day, "2021-03-19", {"https://example.org/r"})
    (False, True)
    """
    if source.url in ending:
        return True
    if not _states_day(source, end):
        return False
    return _names_any(_words(source), names)


def states_start(source: Source, start: str, names: Collection[str] = ()) -> bool:
    """Whether ``source`` can tell a reader the edge began on ``start``: its quote, locator or title
    gives the start at the start's own precision, not only as a day ahead (:func:`forecasts`: a
    report that a company "will debut" on the day is a source of the listing, not of its day),
    and names the edge's entity (one of ``names``, :func:`edge_names`) — the reading
    :func:`states_end` gives an end's day. Neither its kind nor
    its date does: OFAC's list file records a ticker and no day, and a text dated that day that
    does not give it (a release "identifying today") is ranked by authority with the rest; a quote
    with the day is what lets a row credit it.

    >>> from graph.model import Source
    >>> yicai = Source(url="https://example.org/y", title="y", publisher="p", kind="press",
    ...     date="2025-02", quote="Hikvision (002415. SZ) ... Since its IPO in May 2010")
    >>> states_start(yicai, "2010-05", {"Hikvision"}), states_start(yicai, "2010-05-17", {"Hikvision"})
    (True, False)
    >>> states_start(yicai, "2010-05", {"Xiaomi"}), states_start(yicai, "2025-02", {"Hikvision"})
    (False, False)
    """
    return _states_day(source, start) and _names_any(_words(source), names)


def announced_by(sources: Collection[Source], stated: Collection[Source], day: str) -> list[Source]:
    """Where a row's day comes from when no source states it (``stated`` is empty): the sources that
    only announced it ahead (:func:`forecasts`), most authoritative first; [] when a source states
    it or none announced it. A face says so beside the day ("day announced ahead by …"): a reader
    sees where the day came from, and that no source cited confirms that day.

    >>> ahead = Source(url="https://example.org/p", title="p", publisher="p", kind="press",
    ...     quote="Trading will be suspended on March 9, 2021.")
    >>> [s.url for s in announced_by([ahead], [], "2021-03-09")], announced_by([ahead], [ahead], "2021-03-09")
    (['https://example.org/p'], [])
    """
    if stated:
        return []
    return by_authority([s for s in sources if forecasts(s, day)])


def day_stated_by(sources: Collection[Source], day: str) -> list[Source]:
    """Those of a node's own ``sources`` that state its dated property's ``day`` (:func:`gives_date`),
    not those that only announced it ahead (:func:`forecasts`, the day's :func:`announced_by`): a
    repost of 2021-06-21 that says the rescission "is scheduled to be published on June 23".

    >>> ahead = Source(url="https://example.org/p", title="p", publisher="p", kind="press",
    ...     date="2021-06-21", quote="It is scheduled to be published on June 23, 2021.")
    >>> day_stated_by([ahead], "2021-06-23"), [s.url for s in announced_by([ahead], [], "2021-06-23")]
    ([], ['https://example.org/p'])
    """
    return [s for s in sources if gives_date(s, day) and not forecasts(s, day)]


def start_announced_by(view: GraphView, edge: Edge) -> list[Source]:
    """:func:`announced_by` for the edge's start: its sources that only announced the start day,
    when none of them states it (:func:`start_stated_by`)."""
    if edge.start is None:
        return []
    return announced_by(edge.sources, start_stated_by(edge, edge_names(view, edge)), edge.start)


def start_row_sources(
    edge: Edge, actions: Collection[Edge] = (), names: Collection[str] = ()
) -> tuple[list[Source], list[Source]]:
    """What an edge's start row cites (:func:`start_sources`) and which of those state the start
    (:func:`start_stated_by`): the timeline's row and ``changes``' "began" row alike."""
    sources = start_sources(edge, actions, names)
    return sources, [s for s in start_stated_by(edge, names) if s in sources]


def start_stated_by(edge: Edge, names: Collection[str] = ()) -> list[Source]:
    """The edge's sources that state its start (:func:`states_start`), most authoritative first;
    [] when none does (or it has no start)."""
    start = edge.start
    if start is None:
        return []
    return by_authority([s for s in edge.sources if states_start(s, start, names)], edge.kind)


def end_sources(edge: Edge, actions: Collection[Edge] = (), names: Collection[str] = ()) -> list[Source]:
    """The sources that state the edge's end, most authoritative first; [] when none does.

    The edge's own sources that state it (``names``: the edge's entity's, :func:`edge_names`),
    then those of the actions that ended it (``actions``, from :func:`ending_actions`) that the
    edge does not already cite.
    """
    end = edge.end
    if end is None:
        return []
    ending = ending_urls(edge, actions)
    stated = [s for s, says in zip(edge.sources, _stating(edge, end, ending, names), strict=True) if says]
    cited = {s.url for s in stated}
    for action in actions:
        for source in start_sources(action):
            if source.url not in cited:
                cited.add(source.url)
                stated.append(source)
    return by_authority(stated, edge.kind)


def start_sources(edge: Edge, actions: Collection[Edge] = (), names: Collection[str] = ()) -> list[Source]:
    """The edge's sources except those that state its end (``actions``: what ended it; ``names``:
    the edge's entity's, :func:`edge_names`).

    All of them when every source states the end: they are what the edge rests on.
    """
    end = edge.end
    if end is None:
        return by_authority(list(edge.sources), edge.kind)
    ending = ending_urls(edge, actions)
    earlier = [
        s for s, says in zip(edge.sources, _stating(edge, end, ending, names), strict=True) if not says
    ]
    return by_authority(earlier or list(edge.sources), edge.kind)


def _stating(edge: Edge, end: str, ending: Collection[str], names: Collection[str]) -> list[bool]:
    """For each of the edge's sources, whether it states the end (:func:`states_end`). A document
    the data names in ``end_stated_by`` and the edge cites at two places (a release quoted once
    for the listing and once for the removal) states the end only at the place giving the day;
    where no place of it gives the day, at every place (it still states the end: the data says so)."""
    urls = [s.url for s in edge.sources]
    dated = {s.url for s in edge.sources if gives_date(s, end)}
    twice = {u for u in ending if urls.count(u) > 1 and u in dated}
    return [gives_date(s, end) if s.url in twice else states_end(s, end, ending, names) for s in edge.sources]


def stated_end(view: GraphView, edge: Edge) -> list[Source]:
    """:func:`end_sources` of ``edge`` in ``view``: with the actions that ended it and its entity's
    names, as every face cites an end."""
    return end_sources(edge, ending_actions(view, edge), edge_names(view, edge))


def stated_start(view: GraphView, edge: Edge) -> list[Source]:
    """:func:`start_sources` of ``edge`` in ``view``: with the actions that ended it and its
    entity's names, as every face cites a start."""
    return start_sources(edge, ending_actions(view, edge), edge_names(view, edge))
