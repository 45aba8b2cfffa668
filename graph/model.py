"""The data model: nodes, edges, sources and dates, as pydantic v2 models.

Every model forbids unknown fields, so a misspelt key in a data file is an
error rather than a silently dropped value.

Dates are ISO prefixes whose length is their precision (``"2021"``,
``"2021-01"``, ``"2021-01-14"``), as in followthemoney. Periods are half-open
``[start, end)``; an imprecise date compares by its first day.

>>> e = Edge(id="e1", kind="LISTED_ON", source="ORG:x", target="LIST:y",
...          start="2021-01-14", end="2021-05-25", confidence="verified",
...          sources=[Source(url="https://example.org", title="t", publisher="p", kind="other")])
>>> e.valid_on(parse_day("2021-05-24")), e.valid_on(parse_day("2021-05-25"))
(True, False)
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cache, lru_cache
from pathlib import Path
from typing import Annotated, Any, Literal, TypeVar, get_args, get_origin
from urllib.parse import urlparse

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    ValidationInfo,
    field_validator,
    model_validator,
)

from graph.errors import LoadError

Confidence = Literal["verified", "likely", "unverified"]
CONFIDENCES: tuple[Confidence, ...] = get_args(Confidence)  # surest first
# What kind of document a source is, most authoritative first: the order of this
# vocabulary is the order in which every answer lists its sources.
SourceKind = Literal["official", "court", "filing", "exchange", "law_firm", "press", "other"]
Precision = Literal["year", "month", "day"]

SOURCE_KINDS: tuple[str, ...] = get_args(SourceKind)
# Kinds whose documents are the primary record of a legal fact.
PRIMARY_SOURCE_KINDS = frozenset({"official", "court", "filing", "exchange"})

SCHEMA_FILE = Path(__file__).with_name("schema.yaml")


@dataclass(frozen=True)
class Vocabulary:
    """The kinds, edge endpoints, typed properties and identifier schemes of ``schema.yaml``."""

    id_prefix: dict[str, str]  # id prefix → node kind
    edge_endpoints: dict[str, tuple[frozenset[str], frozenset[str]]]
    edge_properties: dict[str, str | tuple[str, ...]]
    node_properties: dict[str, str]  # node property → its type (``ids``: what a face shows by name)
    date_fields: frozenset[str]
    identifier_patterns: dict[str, re.Pattern[str]]
    property_labels: dict[str, str]
    edge_labels: dict[str, str]  # edge kind → what every face calls it ("enjoins")
    identifier_labels: dict[str, str]  # identifier scheme → what every face calls it ("ISIN")
    # identifier scheme → the node kinds it names in its own right (an ISIN: a Security); absent: any
    identifier_kinds: dict[str, frozenset[str]]
    # node property → the identifier scheme it states (``number`` → ``eo_number``: one fact, shown once)
    identifier_properties: dict[str, str]
    # edge kinds that are acts done on one day, their start (``act: true``): "on D", not "from D"
    acts: frozenset[str] = frozenset()
    # edge kind → how its timeline rows read it, from its source and from its target (``edge_wording``):
    # its start (``reads``) and what ended when it ends (``ends``)
    edge_reads: dict[str, tuple[str, str]] = field(default_factory=dict)
    edge_ends: dict[str, tuple[str, str]] = field(default_factory=dict)
    # exchange action code → its ``words``, ``noun`` and ``ends`` (``exchange_actions``)
    exchange_actions: dict[str, dict[str, str]] = field(default_factory=dict)

    @property
    def node_kinds(self) -> tuple[str, ...]:
        return tuple(self.id_prefix.values())

    @property
    def edge_kinds(self) -> tuple[str, ...]:
        return tuple(self.edge_endpoints)


def _kinds(value: object, every: frozenset[str]) -> frozenset[str]:
    return every if value == "*" else frozenset(value) if isinstance(value, list) else frozenset()


@lru_cache(maxsize=1)
def vocabulary() -> Vocabulary:
    """The vocabulary, read from ``graph/schema.yaml`` the first time it is needed.

    >>> vocabulary().edge_endpoints["ISSUES"]
    (frozenset({'Company'}), frozenset({'Security'}))
    """
    import yaml  # here, not at import: a command answering from the dataset cache never reads the schema

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when PyYAML was built with it
    raw = yaml.load(SCHEMA_FILE.read_text(encoding="utf-8"), Loader=loader)  # noqa: S506 - a safe loader
    id_prefix = {spec["prefix"]: kind for kind, spec in raw["node_kinds"].items()}
    every = frozenset(id_prefix.values())
    endpoints = {
        kind: (_kinds(spec["source"], every), _kinds(spec["target"], every))
        for kind, spec in raw["edge_kinds"].items()
    }
    properties = {
        name: tuple(spec) if isinstance(spec, list) else str(spec)
        for name, spec in raw["edge_properties"].items()
    }
    node_properties = {str(name): str(spec) for name, spec in (raw.get("node_properties") or {}).items()}
    patterns = {name: re.compile(spec["pattern"]) for name, spec in raw["identifier_schemes"].items()}
    labels = {str(name): str(label) for name, label in raw["property_labels"].items()}
    unlabelled = [kind for kind, spec in raw["edge_kinds"].items() if not spec.get("label")]
    if unlabelled:
        # Both faces print the label, never the kind: a kind without one is an error in the schema.
        text = SCHEMA_FILE.read_text(encoding="utf-8").splitlines()
        line = next((n for n, t in enumerate(text, 1) if t.strip().startswith(f"{unlabelled[0]}:")), None)
        raise LoadError(
            str(SCHEMA_FILE), line, "edge_kinds", f"{', '.join(unlabelled)}: no label (what a face calls it)"
        )
    edge_labels = {kind: str(spec["label"]) for kind, spec in raw["edge_kinds"].items()}
    schemes = raw["identifier_schemes"]
    identifier_labels = {name: str(spec["label"]) for name, spec in schemes.items()}
    identifier_kinds = {
        name: frozenset(spec["identifies"]) for name, spec in schemes.items() if "identifies" in spec
    }
    stated_as = {str(prop): name for name, spec in schemes.items() for prop in spec.get("stated_as") or ()}
    wording = raw.get("edge_wording") or {}
    unknown = [kind for kind in wording if kind not in endpoints]
    if unknown:
        text = SCHEMA_FILE.read_text(encoding="utf-8").splitlines()
        line = next((n for n, t in enumerate(text, 1) if t.strip().startswith(f"{unknown[0]}:")), None)
        raise LoadError(str(SCHEMA_FILE), line, "edge_wording", f"{', '.join(unknown)}: no such edge kind")

    def pairs(key: str) -> dict[str, tuple[str, str]]:
        return {kind: (str(spec[key][0]), str(spec[key][1])) for kind, spec in wording.items() if key in spec}

    actions = {
        str(code): {str(k): str(v) for k, v in spec.items()}
        for code, spec in (raw.get("exchange_actions") or {}).items()
    }
    return Vocabulary(
        id_prefix,
        endpoints,
        properties,
        node_properties,
        frozenset(raw["date_fields"]),
        patterns,
        labels,
        edge_labels,
        identifier_labels,
        identifier_kinds,
        stated_as,
        frozenset(kind for kind, spec in raw["edge_kinds"].items() if spec.get("act") is True),
        pairs("reads"),
        pairs("ends"),
        actions,
    )


def node_kinds() -> tuple[str, ...]:
    """Every node kind, in schema order."""
    return vocabulary().node_kinds


def edge_kinds() -> tuple[str, ...]:
    """Every edge kind, in schema order."""
    return vocabulary().edge_kinds


def edge_endpoints(kind: str) -> tuple[frozenset[str], frozenset[str]]:
    """The node kinds an edge kind may join: (source kinds, target kinds)."""
    return vocabulary().edge_endpoints[kind]


def is_act(kind: str | None) -> bool:
    """Whether an edge kind is an act done on one day, its start (``act: true`` in ``schema.yaml``):
    an order amended, revoked or superseded is so on a day, not from it.

    >>> is_act("AMENDS"), is_act("LISTED_ON"), is_act(None)
    (True, False, False)
    """
    return kind is not None and kind in vocabulary().acts


def identifier_schemes() -> tuple[str, ...]:
    """The closed vocabulary of identifier schemes (``isin``, ``ticker``, ``ofac_uid``…)."""
    return tuple(vocabulary().identifier_patterns)


def stated_identifier(prop: str) -> str | None:
    """The identifier scheme a node property states (``stated_as`` in ``graph/schema.yaml``; a
    property named as a scheme states that scheme), else None.

    >>> stated_identifier("number"), stated_identifier("isin"), stated_identifier("title")
    ('eo_number', 'isin', None)
    """
    words = vocabulary()
    found = words.identifier_properties.get(prop)
    return found if found is not None else prop if prop in words.identifier_patterns else None


def identifier_keys(text: str) -> list[tuple[str, str]]:
    """The ``(scheme, value)`` pairs a typed text may be, exactly or upper-cased (an ISIN typed in
    lower case): what search and the resolver look up in the stores' identifier index.

    >>> identifier_keys("kyg8020e1199")[:1]
    [('isin', 'KYG8020E1199')]
    >>> [scheme for scheme, _ in identifier_keys("30951")]
    ['ofac_uid', 'ftm_id', 'eo_number', 'docket', 'program']
    >>> identifier_keys("EO 13959")
    []
    """
    text = text.strip()
    values = list(dict.fromkeys((text, text.upper()))) if text else []
    return [
        (scheme, value)
        for scheme, pattern in vocabulary().identifier_patterns.items()
        for value in values
        if pattern.match(value)
    ]


def check_node_kind(value: str) -> str:
    if value not in vocabulary().node_kinds:
        known = ", ".join(vocabulary().node_kinds)
        raise ValueError(f"node kind {value!r} is not allowed: use one of {known}")
    return value


def check_edge_kind(value: str) -> str:
    if value not in vocabulary().edge_endpoints:
        known = ", ".join(vocabulary().edge_kinds)
        raise ValueError(f"edge kind {value!r} is not allowed: use one of {known}")
    return value


NodeKind = Annotated[str, AfterValidator(check_node_kind)]
EdgeKind = Annotated[str, AfterValidator(check_edge_kind)]

_DATE_RE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?\Z")
_DAY_RE = re.compile(r"\d{4}-\d{2}-\d{2}", re.ASCII)
_ID_RE = re.compile(r"^([A-Z]+):(\S+)\Z")


def check_date(value: str) -> str:
    """Accept ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD`` naming a real day/month.

    >>> check_date("2021-02")
    '2021-02'
    """
    m = _DATE_RE.match(value)
    if not m:
        raise ValueError(f"bad date {value!r}: use YYYY, YYYY-MM or YYYY-MM-DD")
    year, month, day = (int(g) if g else None for g in m.groups())
    try:
        date(year or 1, month or 1, day or 1)
    except ValueError as exc:
        raise ValueError(f"bad date {value!r}: {exc}") from None
    return value


DateStr = Annotated[str, AfterValidator(check_date)]

BAD_DATE = "use YYYY, YYYY-MM or YYYY-MM-DD"


def is_date(value: object) -> bool:
    """Whether ``value`` is a date string in the one form this project accepts.

    >>> is_date("2021-02"), is_date("2021-02-30"), is_date(2021)
    (True, False, False)
    """
    if not isinstance(value, str):
        return False
    try:
        check_date(value)
    except ValueError:
        return False
    return True


_TIME_BOUND = re.compile(r"(through|before) ([01]\d|2[0-3]):([0-5]\d) ([A-Z]{2,5})")
BAD_TIME_BOUND = 'use "through HH:MM ZONE" (on or before that minute) or "before HH:MM ZONE" (prior to it)'


@dataclass(frozen=True)
class TimeBound:
    """An hour that ends a day's window: ``inclusive`` when the order says "on or before" it.

    >>> time_bound("before 00:01 EDT")
    TimeBound(inclusive=False, hour=0, minute=1, zone='EDT')
    """

    inclusive: bool
    hour: int
    minute: int
    zone: str


def time_bound(value: object) -> TimeBound | None:
    """The time bound a ``time_bound`` value states, or None when it is not one (see BAD_TIME_BOUND)."""
    match = _TIME_BOUND.fullmatch(value) if isinstance(value, str) else None
    if match is None:
        return None
    word, hour, minute, zone = match.groups()
    return TimeBound(word == "through", int(hour), int(minute), zone)


def precision(value: str) -> Precision:
    """The precision of a date string, from its length."""
    return {4: "year", 7: "month", 10: "day"}[len(check_date(value))]  # type: ignore[return-value]


def first_day(value: str) -> date:
    """The first day a date string can mean: ``"2021-05"`` → 2021-05-01."""
    parts = [int(p) for p in check_date(value).split("-")]
    return date(parts[0], parts[1] if len(parts) > 1 else 1, parts[2] if len(parts) > 2 else 1)


def last_day(value: str) -> date:
    """The last day a date string can mean: ``"2021-02"`` → 2021-02-28."""
    parts = [int(p) for p in check_date(value).split("-")]
    if len(parts) == 3:
        return date(parts[0], parts[1], parts[2])
    if len(parts) == 2:
        return date(parts[0], parts[1], calendar.monthrange(parts[0], parts[1])[1])
    return date(parts[0], 12, 31)


def parse_day(value: str) -> date:
    """Parse a full ``YYYY-MM-DD`` day (for ``as_of``); anything else is an error saying so.

    >>> parse_day("2021-02-01")
    datetime.date(2021, 2, 1)
    >>> parse_day("2021-02")
    Traceback (most recent call last):
    ValueError: bad day '2021-02': use YYYY-MM-DD
    >>> parse_day("2021-02-30")
    Traceback (most recent call last):
    ValueError: bad day '2021-02-30': day is out of range for month; use YYYY-MM-DD
    """
    if not _DAY_RE.fullmatch(value):
        raise ValueError(f"bad day {value!r}: use YYYY-MM-DD")
    try:
        return date.fromisoformat(value)
    except ValueError as exc:
        raise ValueError(f"bad day {value!r}: {exc}; use YYYY-MM-DD") from None


def add_days(value: str, days: int) -> str:
    """A day string moved by ``days``: ``add_days("2021-01-14", 60)`` → ``"2021-03-15"``."""
    return (parse_day(value) + timedelta(days=days)).isoformat()


_URL_RE = re.compile(r"^https?://[^\s/]+\.[^\s]+\Z")


def check_url(value: str) -> str:
    if not _URL_RE.match(value):
        raise ValueError(f"bad url {value!r}: an absolute http(s) URL is required")
    return value


Url = Annotated[str, AfterValidator(check_url)]


def check_node_id(value: str) -> str:
    m = _ID_RE.match(value)
    prefixes = vocabulary().id_prefix
    if not m or m.group(1) not in prefixes:
        raise ValueError(f"bad id {value!r}: use PREFIX:rest with PREFIX one of {', '.join(prefixes)}")
    return value


NodeId = Annotated[str, AfterValidator(check_node_id)]

Scalar = str | int | float | bool | None
PropertyValue = Scalar | list[Scalar]


def date_fields() -> frozenset[str]:
    """Fields whose disputed values are dates."""
    return vocabulary().date_fields


def property_problem(name: str, value: PropertyValue, node: bool = False) -> str | None:
    """What is wrong with a known edge property's value (``node``: a node property's), or None.

    >>> property_problem("later_delay_days", "60")
    "later_delay_days: '60' is not a whole number of days"
    >>> property_problem("reported_in", 498)
    'reported_in: 498 is not a text'
    >>> property_problem("prohibitions_after_days", "45", node=True)
    "prohibitions_after_days: '45' is not a whole number of days"
    """
    kind: str | tuple[str, ...] | None
    if node:
        # A node's ids may be one id or a list (Node._ids_are_node_ids); a country is a code.
        kind = vocabulary().node_properties.get(name)
        if kind in ("ids", "country"):
            return None
    else:
        kind = vocabulary().edge_properties.get(name)
    if isinstance(kind, tuple):
        if value not in kind:
            return f"{name}: {value!r} is not one of {', '.join(kind)}"
    elif kind == "date" and not is_date(value):
        return f"{name}: bad date {value!r}: {BAD_DATE}"
    elif kind == "days" and (isinstance(value, bool) or not isinstance(value, int) or value < 0):
        return f"{name}: {value!r} is not a whole number of days"
    elif kind == "time_bound" and time_bound(value) is None:
        return f"{name}: bad time {value!r}: {BAD_TIME_BOUND}"
    elif kind == "text" and not (isinstance(value, str) and value.strip()):
        return f"{name}: {value!r} is not a text"
    elif kind == "bool" and not isinstance(value, bool):
        return f"{name}: {value!r} is not true or false"
    elif kind == "ids" and not (isinstance(value, list) and all(isinstance(v, str) for v in value)):
        return f"{name}: {value!r} is not a list of ids"
    elif kind == "days_list":
        if not isinstance(value, list) or not value:
            return f"{name}: {value!r} is not a list of days (YYYY-MM-DD)"
        bad = next((v for v in value if not (is_date(v) and len(str(v)) == len("YYYY-MM-DD"))), None)
        if bad is not None:
            return f"{name}: bad day {bad!r}: use YYYY-MM-DD"
    return None


class _Model(BaseModel):
    # Empty lists and dicts are plain defaults, which pydantic copies for each instance: a
    # `default_factory` makes every `model_construct` inspect the factory's signature (about
    # 90 µs a model for the builtins, measured with pydantic 2.14), the cost of bulk loads.
    # defer_build: a model's validator is built the first time it validates, not at import; a command
    # answering from the dataset cache (which rebuilds models with model_construct) never builds one.
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)


def source_site(url: str) -> str:
    """The site a source's address is on, as a reader names it: its host without ``www.``.

    >>> source_site("https://www.yicaiglobal.com/news/1"), source_site("not a url")
    ('yicaiglobal.com', 'not a url')
    """
    return (urlparse(url).hostname or url).removeprefix("www.")


class Source(_Model):
    """Where a claim comes from: a document someone can open and check."""

    url: Url
    title: str = Field(min_length=1)
    publisher: str = Field(min_length=1)
    kind: SourceKind
    date: DateStr | None = None
    locator: str | None = None  # page, section, FAQ number, ECF entry…
    quote: str | None = None
    # A copy of a government's file on a third-party host (OFAC's cons_prim.csv on GitHub, the
    # Register's document on Justia): the original's address. It never ranks before the original
    # (:func:`ranked_sources`); left out of the JSON where unset.
    copy_of: Url | None = Field(default=None, exclude_if=lambda value: value is None)


# Facts a court makes (edge or node kinds): for them the court's own docket entry or
# opinion outranks an agency's or the White House's page about the ruling.
COURT_FACTS = frozenset({"ENJOINS", "PARTY_TO", "DECIDED_BY", "CourtCase"})
_COURT_FIRST: tuple[str, ...] = ("court", *(kind for kind in SOURCE_KINDS if kind != "court"))
# An exchange's own act (suspend, delist, reverse): its notice is the act; a filing only reports it.
EXCHANGE_FACTS = frozenset({"EXCHANGE_ACTION"})
_EXCHANGE_FIRST: tuple[str, ...] = ("exchange", *(kind for kind in SOURCE_KINDS if kind != "exchange"))
# A security's listing (ISSUES: who issues it, from when; TRADES_ON: where it trades, from when): the
# exchange's notice and the issuer's listing announcement make and date it; an agency's list (OFAC's
# equity ticker) only records that the security exists, and gives no day.
LISTING_FACTS = frozenset({"ISSUES", "TRADES_ON"})
_LISTING_FIRST: tuple[str, ...] = (
    "exchange",
    "filing",
    *(kind for kind in SOURCE_KINDS if kind not in ("exchange", "filing")),
)


def authority_order(fact: str | None = None) -> tuple[str, ...]:
    """The source kinds most authoritative first for a fact of kind ``fact`` (an edge or node kind).

    >>> authority_order("ENJOINS")[:2], authority_order("LISTED_ON")[:2]
    (('court', 'official'), ('official', 'court'))
    >>> authority_order("EXCHANGE_ACTION")[:2]
    ('exchange', 'official')
    >>> authority_order("ISSUES")[:3]
    ('exchange', 'filing', 'official')
    """
    if fact in COURT_FACTS:
        return _COURT_FIRST
    if fact in LISTING_FACTS:
        return _LISTING_FIRST
    return _EXCHANGE_FIRST if fact in EXCHANGE_FACTS else SOURCE_KINDS


def by_authority(sources: list[Source], fact: str | None = None) -> list[Source]:
    """Sources most authoritative first for a fact of kind ``fact``, stable within a kind
    (:func:`ranked_sources` for a fact that has no properties).

    The order is that of ``SourceKind``, except that for a court's own facts
    (``COURT_FACTS``) the court's text comes first, for an exchange's own acts
    (``EXCHANGE_FACTS``) the exchange's notice, and for a security's listing
    (``LISTING_FACTS``) the exchange's notice and the issuer's filing.

    >>> press = Source(url="https://example.org/a", title="a", publisher="p", kind="press")
    >>> law = Source(url="https://example.org/b", title="b", publisher="p", kind="official")
    >>> docket = Source(url="https://example.org/c", title="c", publisher="p", kind="court")
    >>> [s.kind for s in by_authority([press, docket, law])]
    ['official', 'court', 'press']
    >>> [s.kind for s in by_authority([press, docket, law], fact="ENJOINS")]
    ['court', 'official', 'press']
    """
    return ranked_sources(sources, fact)


def stated_first(
    sources: list[Source], stated: list[Source], fact: str | None = None, not_named: Collection[str] = ()
) -> list[Source]:
    """Sources most authoritative first for ``fact`` (:func:`by_authority`; on a listing, the secondary
    sources ``not_named`` lists after the others, :func:`ranked_sources`), and within a kind those
    that state a row's date (``stated``, :mod:`graph.evidence`) first: a row keeps the rule that its
    most authoritative source leads; where that one does not give the date, the face names the
    source that does (:attr:`graph.views.TimelineEvent.dated_by`).

    >>> press = Source(url="https://example.org/a", title="a", publisher="p", kind="press")
    >>> law = Source(url="https://example.org/b", title="b", publisher="p", kind="official")
    >>> dated = Source(url="https://example.org/c", title="c", publisher="p", kind="press")
    >>> [s.url[-1] for s in stated_first([press, law, dated], [dated])]
    ['b', 'c', 'a']
    """
    order, silent = authority_order(fact), frozenset(not_named)
    return after_originals(
        sorted(sources, key=lambda source: (*_secondary_rank(source, silent, order), source not in stated))
    )


# The property naming, by address, the sources that show an undated relation holding (data/README.md).
KNOWN_FROM_STATED_BY = "known_from_stated_by"
# The property naming, by address, a listing's secondary sources whose own words neither name the
# listed company nor give the listing's Federal Register document (a write-up of a whole list
# edition): the loader reads them once (graph.naming), every store keeps the list, and they follow
# the listing's other sources.
NOT_NAMED_BY = "not_named_by"


def named_urls(properties: Mapping[str, object] | None, name: str) -> frozenset[str]:
    """The addresses a property lists (``known_from_stated_by``, ``not_named_by``); none when absent.

    >>> sorted(named_urls({"not_named_by": ["https://example.org/a"]}, "not_named_by"))
    ['https://example.org/a']
    """
    named = (properties or {}).get(name)
    return frozenset(u for u in named if isinstance(u, str)) if isinstance(named, list) else frozenset()


def not_named_by_any(*edges: Edge) -> list[str]:
    """The addresses, sorted, of the sources that do not name the company on any of ``edges`` (each
    listing's ``not_named_by``, recorded at load by graph.naming): a row or reading resting on them
    ranks those sources last, as the listing does.

    >>> def listing(url):
    ...     source = Source(url=url, title="t", publisher="p", kind="press")
    ...     return Edge(id="l", kind="LISTED_ON", source="ORG:x", target="LIST:y", confidence="likely",
    ...         sources=[source], properties={NOT_NAMED_BY: [url]})
    >>> not_named_by_any(listing("https://example.org/b"), listing("https://example.org/a"))
    ['https://example.org/a', 'https://example.org/b']
    """
    return sorted({url for edge in edges for url in named_urls(edge.properties, NOT_NAMED_BY)})


def _secondary_rank(source: Source, silent: frozenset[str], order: tuple[str, ...]) -> tuple[bool, int]:
    """A source's rank: a secondary source whose words do not name the listed company (``silent``)
    after the others, then by kind. A primary source is never moved down."""
    return source.url in silent and source.kind not in PRIMARY_SOURCE_KINDS, order.index(source.kind)


def after_originals(ranked: list[Source]) -> list[Source]:
    """``ranked`` with each copy (``copy_of``) whose original it also lists moved to just after it.

    >>> original = Source(url="https://example.gov/f", title="f", publisher="p", kind="other")
    >>> copy = Source(url="https://example.org/f", title="f", publisher="p", kind="other",
    ...     copy_of=original.url)
    >>> [s.url for s in after_originals([copy, original])]
    ['https://example.gov/f', 'https://example.org/f']
    """
    if not any(s.copy_of for s in ranked):
        return ranked  # the rule on every read: no set built where no source is a copy
    urls = {s.url for s in ranked}
    if not any(s.copy_of in urls for s in ranked):
        return ranked
    out: list[Source] = []
    waiting: dict[str, list[Source]] = {}
    for source in ranked:
        if source.copy_of in urls and not any(o.url == source.copy_of for o in out):
            waiting.setdefault(source.copy_of, []).append(source)
            continue
        out.append(source)
        out += waiting.pop(source.url, [])
    return out + [s for left in waiting.values() for s in left]


def ranked_sources(
    sources: list[Source], fact: str | None = None, properties: Mapping[str, object] | None = None
) -> list[Source]:
    """The order every face lists a fact's sources in: the sources that show it holding first,
    where the data names them (``known_from_stated_by`` in ``properties``: an undated relation whose
    other sources do not show it, as a bond report naming the parent as guarantor only does not
    show ownership), then the rest; within each group most authoritative first for a fact of kind
    ``fact`` (:func:`authority_order`), stable within a kind. A source that does not state the fact
    never leads. Each model that holds an edge's sources applies it once (``Edge``,
    :class:`graph.views.EdgeRef`), as ``cite`` does.

    >>> press = Source(url="https://example.org/a", title="a", publisher="p", kind="press")
    >>> report = Source(url="https://example.org/b", title="b", publisher="p", kind="other")
    >>> law = Source(url="https://example.org/c", title="c", publisher="p", kind="official")
    >>> [s.url[-1] for s in ranked_sources([press, report, law])]
    ['c', 'a', 'b']
    >>> shows = {"known_from_stated_by": [report.url]}
    >>> [s.url[-1] for s in ranked_sources([press, report, law], None, shows)]
    ['b', 'c', 'a']

    On a listing, the secondary sources whose words do not name the company (``not_named_by``: a
    law firm's alert on a whole list edition) follow the secondary sources that do; a copy never
    ranks before the original it copies (``copy_of``, :func:`after_originals`).

    >>> silent = {"not_named_by": [press.url]}
    >>> [s.url[-1] for s in ranked_sources([press, report, law], "LISTED_ON", silent)]
    ['c', 'b', 'a']
    """
    order = authority_order(fact)
    showing = named_urls(properties, KNOWN_FROM_STATED_BY)
    silent = named_urls(properties, NOT_NAMED_BY)
    return after_originals(
        sorted(
            sources, key=lambda source: (source.url not in showing, *_secondary_rank(source, silent, order))
        )
    )


def ranked_for_kind(cls: type, value: list[Source], info: ValidationInfo) -> list[Source]:
    """A ``sources`` validator: rank by the kind of fact the model states — its ``fact`` field when it
    has one and it is set, else its ``kind`` — and, on a listing's row, after its secondary sources
    that name the company those that do not (its ``not_named_by``; all declared before ``sources``)."""
    fact = info.data.get("fact") or info.data.get("kind")
    silent = info.data.get(NOT_NAMED_BY)
    return ranked_sources(
        value, fact if isinstance(fact, str) else None, {NOT_NAMED_BY: silent} if silent else None
    )


def dated_by(sources: list[Source], stated: list[Source]) -> Source | None:
    """The most authoritative of ``stated`` (the sources that state a row's date), when the row's
    first source is not one of them: the face credits the date to it and keeps the first source
    first (:attr:`graph.views.TimelineEvent.dated_by`, :attr:`graph.views.Change.dated_by`)."""
    if not sources or not stated or sources[0] in stated:
        return None
    return stated[0]


def ranked_for_row(cls: type, value: list[Source], info: ValidationInfo) -> list[Source]:
    """A dated row's ``sources`` validator: :func:`stated_first`, ranked for its ``fact`` or ``kind``,
    its ``stated_by`` (the sources that state its date) first within a kind (all declared before)."""
    fact = info.data.get("fact") or info.data.get("kind")
    stated = info.data.get("stated_by") or []
    return stated_first(
        value, stated, fact if isinstance(fact, str) else None, info.data.get(NOT_NAMED_BY) or ()
    )


# Every list of sources, in the model and in the answers, is kept in this order; a model
# that knows the kind of fact it states re-ranks with ``ranked_for_kind``.
Sources = Annotated[list[Source], AfterValidator(by_authority)]


class Period(_Model):
    """A half-open period ``[start, end)``; either end may be open (None)."""

    start: DateStr | None = None
    end: DateStr | None = None

    @model_validator(mode="after")
    def _ordered(self) -> Period:
        if self.start and self.end and first_day(self.end) < first_day(self.start):
            raise ValueError(f"end {self.end} is before start {self.start}")
        return self

    def contains(self, day: date) -> bool:
        """True when ``day`` (read as the end of that day) falls in the period."""
        if self.start is not None and first_day(self.start) > day:
            return False
        return self.end is None or first_day(self.end) > day


class Disputed(_Model):
    """Another value for one field of an edge, claimed by other sources.

    ``about``: the entities the other sources speak of, where narrower than the edge: NYSE's notice
    gives another start of prohibitions for a listed company's NYSE ADSs, not for its Hong Kong
    shares. Empty: the whole fact.
    ``condition``: where the sources give this value only in a case they name and the edge's own value
    otherwise (Luokung's 6-K: 2021-05-27 "if OFAC's General License 1A applies to the company", else
    2021-03-15), that case, worded to follow the value: the faces give both, against no one.
    ``until``: the day the body that set this value moved it itself to the edge's own value (Commerce
    set TikTok's app-store prohibition for 2020-09-20 and on 2020-09-19 delayed it to 2020-09-27): a
    former value, not another reading; before that day it is the value.
    """

    field: str = Field(min_length=1)
    value: PropertyValue
    sources: Sources = Field(min_length=1)
    note: str | None = None
    about: list[NodeId] = []
    condition: str | None = Field(default=None, min_length=1)
    until: DateStr | None = None

    def concerns(self, ids: Collection[str]) -> bool:
        """Whether this reading bears on an answer about ``ids`` (the nodes on its route).

        >>> src = Source(url="https://example.org/n", title="n", publisher="p", kind="exchange")
        >>> ads = Disputed(field="applies_from", value="2021-01-11", sources=[src], about=["SEC:NYSE:CHA"])
        >>> ads.concerns({"SEC:NYSE:CHA", "ORG:ct"}), ads.concerns({"SEC:HKEX:0728", "ORG:ct"})
        (True, False)
        >>> ads.model_copy(update={"about": []}).concerns({"SEC:HKEX:0728"})
        True
        """
        return not self.about or any(node_id in ids for node_id in self.about)


def ranked_readings(
    disputed: list[Disputed], fact: str | None, properties: Mapping[str, object] | None
) -> list[Disputed]:
    """Each other reading of an edge's fact (``disputed``) with its sources in the order the edge's own
    take (:func:`ranked_sources`): by kind for a fact of kind ``fact``, and on a listing the secondary
    sources that do not name the company (``not_named_by`` in ``properties``) after those that do.

    >>> alert = Source(url="https://example.org/a", title="a", publisher="p", kind="law_firm")
    >>> report = Source(url="https://example.org/r", title="r", publisher="p", kind="press")
    >>> other = Disputed(field="start", value="2020-06-02", sources=[alert, report])
    >>> silent = {NOT_NAMED_BY: [alert.url]}
    >>> [s.kind for s in ranked_readings([other], "LISTED_ON", silent)[0].sources]
    ['press', 'law_firm']
    """
    # Only the naming: a disputed reading's sources show another value, not the undated relation holding
    # (``known_from_stated_by`` speaks of the edge's own sources).
    silent = (properties or {}).get(NOT_NAMED_BY)
    naming = {NOT_NAMED_BY: silent} if silent else None
    out = []
    for reading in disputed:
        ranked = ranked_sources(reading.sources, fact, naming)
        out.append(reading if ranked == reading.sources else reading.model_copy(update={"sources": ranked}))
    return out


class NodeClaim(_Model):
    """A value of a node's property, with the datasets that give it and their sources (an FtM statement).

    >>> NodeClaim(field="website", value="https://a.example", datasets=["curated"]).datasets
    ['curated']
    """

    field: str = Field(min_length=1)
    value: PropertyValue
    datasets: list[str] = Field(min_length=1)
    sources: Sources = []


class NodeDisputed(NodeClaim):
    """Another value a dataset gives for a node's property: the node keeps the value given first.

    >>> NodeDisputed(field="website", value="https://b.example", datasets=["os"]).datasets
    ['os']
    """


CURATED = "curated"


class Provenance(_Model):
    """A dataset that gave a node or edge, and when it first and last saw it (as FtM statements).

    >>> Provenance(dataset="us_ofac_cons", first_seen="2021-01-14").last_seen is None
    True
    """

    dataset: str = Field(pattern=r"^[a-z0-9][a-z0-9_.-]*$")
    first_seen: DateStr | None = None
    last_seen: DateStr | None = None


# What a node or edge without its own provenance came from (not validated: a constant).
_CURATED_PROVENANCE = [Provenance.model_construct(dataset=CURATED, first_seen=None, last_seen=None)]


def check_identifiers(value: dict[str, list[str]]) -> dict[str, list[str]]:
    """Identifiers by scheme: every scheme known, every value in its scheme's form."""
    patterns = vocabulary().identifier_patterns
    for scheme, values in value.items():
        pattern = patterns.get(scheme)
        if pattern is None:
            raise ValueError(f"unknown identifier scheme {scheme!r}: use one of {', '.join(patterns)}")
        for item in values:
            if not pattern.match(item):
                raise ValueError(f"{scheme}: {item!r} is not a valid {scheme}")
    return value


Identifiers = Annotated[dict[str, list[str]], AfterValidator(check_identifiers)]


class Node(_Model):
    """An entity: company, body, order, list, app, exchange, security, case, person, document."""

    id: NodeId
    kind: NodeKind
    name: str = Field(min_length=1)
    aliases: list[str] = []
    properties: dict[str, PropertyValue] = {}
    sources: Sources = []
    identifiers: Identifiers = {}
    provenance: list[Provenance] = Field(default=_CURATED_PROVENANCE, min_length=1)
    # Other values other datasets give for a property (two incorporation dates): all kept.
    disputed: list[NodeDisputed] = []
    # On a node merged from several datasets, who gives each property value it keeps (the
    # datasets and their sources), so a disputed value can be shown beside the kept one's
    # givers; empty on a node one record gave (its datasets and sources give every value).
    claims: list[NodeClaim] = []

    _ranked = field_validator("sources")(ranked_for_kind)

    @field_validator("properties")
    @classmethod
    def _typed_properties(cls, value: dict[str, PropertyValue]) -> dict[str, PropertyValue]:
        for name, item in value.items():
            problem = property_problem(name, item, node=True)
            if problem:
                raise ValueError(problem)
        return value

    @model_validator(mode="after")
    def _prefix_matches_kind(self) -> Node:
        prefix = self.id.split(":", 1)[0]
        expected = vocabulary().id_prefix[prefix]
        if expected != self.kind:
            raise ValueError(f"id {self.id!r} has prefix {prefix}: kind must be {expected}")
        return self

    @model_validator(mode="after")
    def _ids_are_node_ids(self) -> Node:
        """A property the schema types ``ids`` (``keeper``) holds a node id or a list of them: the
        faces show each by its node's name."""
        for name, kind in vocabulary().node_properties.items():
            value = self.properties.get(name)
            if kind != "ids" or value is None:
                continue
            values = value if isinstance(value, list) else [value]
            if not all(isinstance(v, str) for v in values):
                raise ValueError(f"properties.{name}: {value!r} is not a node id or a list of them")
            for v in values:
                try:
                    check_node_id(str(v))
                except ValueError as exc:
                    raise ValueError(f"properties.{name}: {exc}") from None
        return self

    @property
    def datasets(self) -> list[str]:
        """The datasets that gave this node."""
        return [p.dataset for p in self.provenance]

    def claim(self, field: str) -> NodeClaim | None:
        """Who gives the value this node keeps for a property: its claim, else the whole node's.

        >>> node = Node(id="ORG:x", kind="Company", name="X", properties={"website": "https://x.example"})
        >>> node.claim("website").datasets, node.claim("country")
        (['curated'], None)
        """
        if field not in self.properties:
            return None
        found = next((c for c in self.claims if c.field == field), None)
        if found is None:
            # A node written before claims were kept: its datasets, less those giving another value.
            others = {d for disputed in self.disputed if disputed.field == field for d in disputed.datasets}
            givers = [d for d in self.datasets if d not in others] or self.datasets
            found = NodeClaim.model_construct(
                field=field, value=self.properties[field], datasets=givers, sources=list(self.sources)
            )
        return found


class Edge(_Model):
    """A dated, sourced relation between two nodes."""

    id: str = Field(min_length=1)
    kind: EdgeKind
    source: NodeId
    target: NodeId
    start: DateStr | None = None
    end: DateStr | None = None
    confidence: Confidence
    sources: Sources = Field(min_length=1)
    note: str | None = None
    properties: dict[str, PropertyValue] = {}
    disputed: list[Disputed] = []
    identifiers: Identifiers = {}
    provenance: list[Provenance] = Field(default=_CURATED_PROVENANCE, min_length=1)

    @model_validator(mode="after")
    def _ordered(self) -> Edge:
        Period(start=self.start, end=self.end)
        # Ranked here, not in a ``sources`` validator: the order reads ``properties``, declared after.
        ranked = ranked_sources(self.sources, self.kind, self.properties)
        if ranked != self.sources:
            self.__dict__["sources"] = ranked  # frozen: set once, while validating
        return self

    @field_validator("properties")
    @classmethod
    def _typed_properties(cls, value: dict[str, PropertyValue]) -> dict[str, PropertyValue]:
        for name, item in value.items():
            problem = property_problem(name, item)
            if problem:
                raise ValueError(problem)
        return value

    @field_validator("disputed")
    @classmethod
    def _dated_disputes(cls, value: list[Disputed], info: ValidationInfo) -> list[Disputed]:
        properties = info.data.get("properties") or {}
        for i, disputed in enumerate(value):
            known = disputed.field in ("start", "end") or disputed.field in vocabulary().edge_properties
            if not known and disputed.field not in properties:
                raise ValueError(
                    f"[{i}] field {disputed.field!r} is neither start, end nor a property of this edge"
                )
            if disputed.field in date_fields() and not is_date(disputed.value):
                raise ValueError(f"[{i}] {disputed.field}: bad date {disputed.value!r}: {BAD_DATE}")
            problem = property_problem(disputed.field, disputed.value)
            if problem:
                raise ValueError(f"[{i}] {disputed.field}: {problem.split(': ', 1)[1]}")
        # Other readings of this fact rank their sources as the fact itself does: by kind, and on a
        # listing its secondary sources that do not name the company (``not_named_by``) after the rest.
        fact = info.data.get("kind")
        return ranked_readings(value, fact if isinstance(fact, str) else None, properties)

    @property
    def datasets(self) -> list[str]:
        """The datasets that gave this edge."""
        return [p.dataset for p in self.provenance]

    @property
    def period(self) -> Period:
        # Not validated again: this edge's own validator checked that start ≤ end.
        return Period.model_construct(start=self.start, end=self.end)

    def valid_on(self, day: date) -> bool:
        """True when the edge holds at the end of ``day``."""
        return self.period.contains(day)


def weakest(edges: Iterable[Edge]) -> Confidence | None:
    """The least sure confidence of ``edges`` (what a row resting on all of them can claim), or
    None for none: a row resting on a verified listing and a likely one is likely.

    >>> src = [Source(url="https://example.org/a", title="a", publisher="p", kind="official")]
    >>> def edge(confidence):
    ...     return Edge(id=confidence, kind="GOVERNS", source="EO:1", target="LIST:l",
    ...         confidence=confidence, sources=src)
    >>> weakest([edge("verified"), edge("likely")]), weakest([edge("verified")]), weakest([])
    ('likely', 'verified', None)
    """
    held = [e.confidence for e in edges]
    return max(held, key=CONFIDENCES.index) if held else None


def protected_by(injunction: Edge) -> frozenset[str] | None:
    """Whom an ENJOINS edge protects: the ids it names in ``applies_to``, or None for everyone.

    Everyone only when it says ``nationwide: true``. One that names nobody and is not
    nationwide protects no one (an empty set): the curated loader refuses such an edge, but
    another loader or store may hold one, and it must not read as blocking the order for all.

    >>> src = [Source(url="https://court.example/1", title="PI", publisher="Court", kind="court")]
    >>> pi = Edge(id="e", kind="ENJOINS", source="CASE:x", target="EO:1", confidence="verified",
    ...           sources=src, properties={"applies_to": ["ORG:a"]})
    >>> protected_by(pi)
    frozenset({'ORG:a'})
    >>> protected_by(pi.model_copy(update={"properties": {"nationwide": True}})) is None
    True
    >>> protected_by(pi.model_copy(update={"properties": {"nationwide": False}}))
    frozenset()
    """
    if injunction.properties.get("nationwide") is True:
        return None
    applies_to = injunction.properties.get("applies_to") or []
    ids = applies_to if isinstance(applies_to, list) else [applies_to]
    return frozenset(str(i) for i in ids)


def blocks_due(injunction: Edge, day: date) -> bool:
    """Whether an injunction blocks the prohibitions due on ``day``: those of the days it names in
    ``enjoins_prohibitions_due`` (TikTok Inc. v. Trump's first PI: the app-store prohibition of
    2020-09-27 only), or, naming none, all.

    >>> src = [Source(url="https://court.example/1", title="PI", publisher="Court", kind="court")]
    >>> pi = Edge(id="e", kind="ENJOINS", source="CASE:x", target="EO:1", confidence="verified",
    ...           sources=src, properties={"enjoins_prohibitions_due": ["2020-09-27"]})
    >>> blocks_due(pi, date(2020, 9, 27)), blocks_due(pi, date(2020, 11, 12))
    (True, False)
    >>> blocks_due(pi.model_copy(update={"properties": {}}), date(2020, 11, 12))
    True
    """
    days = injunction.properties.get("enjoins_prohibitions_due")
    if not isinstance(days, list):
        return True
    return any(isinstance(d, str) and is_date(d) and first_day(d) == day for d in days)


def edge_id(kind: str, source: str, target: str, start: str | None) -> str:
    """The default stable id of an edge: kind, endpoints and start date.

    >>> edge_id("LISTED_ON", "ORG:xiaomi", "LIST:DOD-1237", "2021-01-14")
    'LISTED_ON|ORG:xiaomi|LIST:DOD-1237|2021-01-14'
    """
    return f"{kind}|{source}|{target}|{start or '-'}"


@cache
def nested_models(cls: type[BaseModel]) -> dict[str, type[BaseModel]]:
    """The fields of ``cls`` that hold a list of models (sources, provenance…), with that model.

    Read from the annotations; what a reader rebuilding a model without validation
    (the dataset cache, the workspace's rows) must rebuild field by field.
    """
    found = {}
    for name, info in cls.model_fields.items():
        args = get_args(info.annotation) if get_origin(info.annotation) is list else ()
        if len(args) == 1 and isinstance(args[0], type) and issubclass(args[0], BaseModel):
            found[name] = args[0]
    return found


ModelT = TypeVar("ModelT", bound=BaseModel)


@cache
def _plain_fields(cls: type[BaseModel]) -> tuple[tuple[str, ...], frozenset[str]] | None:
    """The fields of ``cls`` (in order, and as a set) when :func:`constructed` may set them
    directly: no alias, no post-init, no extra fields kept. None: only ``model_construct`` may."""
    fields = cls.model_fields
    if cls.__pydantic_post_init__ or cls.model_config.get("extra") == "allow":
        return None
    if any(f.alias is not None or f.validation_alias is not None for f in fields.values()):
        return None
    return tuple(fields), frozenset(fields)


@cache
def _left_out(cls: type[BaseModel]) -> dict[str, object]:
    """The fields of ``cls`` whose JSON leaves them out when unset (``exclude_if``), with their default:
    a complete document may lack them (a source's ``copy_of``)."""
    return {
        name: info.default
        for name, info in cls.model_fields.items()
        if info.exclude_if is not None and info.default_factory is None
    }


def constructed(cls: type[ModelT], data: dict[str, Any]) -> ModelT:
    """``cls.model_construct(**data)`` for a complete document (every field, as ``model_dump``
    gives it), without its per-field alias and default checks: ~2 µs a model instead of ~8.

    A document lacking a field or carrying another goes through ``model_construct``.
    """
    plain = _plain_fields(cls)
    given = plain[1] if plain is not None else frozenset()
    if plain is not None and data.keys() != plain[1]:
        # A field the JSON leaves out when unset (a source's ``copy_of``) takes its default, unset.
        left_out = _left_out(cls)
        if left_out and data.keys() <= plain[1] and plain[1] - data.keys() <= left_out.keys():
            given = frozenset(data)
            data = {**left_out, **data}
    if plain is None or data.keys() != plain[1]:
        return cls.model_construct(**data)
    model = cls.__new__(cls)
    object.__setattr__(model, "__dict__", {name: data[name] for name in plain[0]})
    object.__setattr__(model, "__pydantic_fields_set__", set(given))
    object.__setattr__(model, "__pydantic_extra__", None)
    object.__setattr__(model, "__pydantic_private__", None)
    return model
