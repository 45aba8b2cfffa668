"""What a property or an edge kind is called, where a property stands and how a value reads, on
both faces (the entity page and ``show``).

The labels and the properties' order are data (``property_labels`` and each edge kind's ``label``
in ``graph/schema.yaml``); JSON keeps the keys and the kinds.

>>> property_label("fr_doc")
'Federal Register document number'
>>> property_label("incorporationDate")
'Incorporation date'
>>> property_text(["Main Board", None, "STAR Market"])
'Main Board, —, STAR Market'
>>> property_text(False), property_text("2021-01")
('no', '2021-01')
>>> edge_label("ISSUED_BY")
'issued by'
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from graph.model import (
    Disputed,
    PropertyValue,
    Provenance,
    Source,
    identifier_schemes,
    source_site,
    stated_identifier,
    vocabulary,
)

if TYPE_CHECKING:
    from graph.store.base import GraphStore
    from graph.views import EdgeRef, EditionCount, EntityView

_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")


def property_label(name: str) -> str:
    """The label of a property key; a key the schema does not list reads as words."""
    label = vocabulary().property_labels.get(name)
    if label is not None:
        return label
    words = _CAMEL.sub(" ", name).replace("_", " ").strip().lower()
    return words[:1].upper() + words[1:] if words else name


def source_kind_label(kind: str) -> str:
    """What kind of source it is, in words (``law_firm`` → ``law firm``).

    >>> source_kind_label("law_firm"), source_kind_label("official")
    ('law firm', 'official')
    """
    return kind.replace("_", " ")


# What a disputed date is the date of, as a sentence names it.
_DISPUTED_AS = {
    "start": "the start",
    "end": "the end",
    "applies_from": "the start of prohibitions",
    "divest_until": "the end of the divest-only window",
}


def disputed_field(field: str, act: bool = False) -> str:
    """What a disputed value is the value of, in words; ``act``: of an act done on one day (a
    document, a revocation), whose start is its date.

    >>> disputed_field("applies_from"), disputed_field("start", act=True), disputed_field("listed_name")
    ('the start of prohibitions', 'the date', 'the name as listed')
    """
    if act and field == "start":
        return "the date"
    return _DISPUTED_AS.get(field) or f"the {property_label(field).lower()}"


def disputed_text(field: str, value: object, act: bool = False) -> str:
    """How another source's value of a field reads after "other sources give": not the field's key.
    The one wording of a disputed date: timeline rows (the CLI's and the app's) and affects' claims.

    >>> disputed_text("applies_from", "2020-09-20"), disputed_text("start", "2021-03-10")
    ('2020-09-20 as the start of prohibitions', '2021-03-10 as the start')
    """
    return f"{value} as {disputed_field(field, act)}"


def kind_label(kind: str) -> str:
    """What a node kind is called on a page: its words (``CourtCase`` → ``Court case``).

    >>> kind_label("GovernmentBody"), kind_label("App")
    ('Government body', 'App')
    """
    words = _CAMEL.sub(" ", kind).strip().lower()
    return words[:1].upper() + words[1:] if words else kind


def edge_label(kind: str) -> str:
    """What an edge kind is called, read along its arrow (``ENJOINS`` → ``enjoins``)."""
    label = vocabulary().edge_labels.get(kind)
    return label if label is not None else kind.replace("_", " ").lower()


# The rows an order's rule makes of an edge (graph.timeline), by what each row is.
_ROW_KINDS = {
    "PROHIBITIONS": "prohibitions",
    "DIVEST_WINDOW": "divest-only window",
    "RULE_BEGINS": "order's rule begins",
    "RULE_ENDS": "order's rule ends",
}


def event_kind_label(kind: str, action: str | None = None) -> str:
    """A timeline row's kind as the faces name it: an edge kind by its label (``party to``), an
    exchange's action by what it did (``action``'s noun: ``trading suspension``, not the edge's
    label "acts on"), an entity's own date by its property label (``signed``, ``in effect from``), a
    date sources disagree on as such, a row an order's rule makes by what it is (``prohibitions``).

    >>> event_kind_label("TARGETS"), event_kind_label("PROHIBITIONS"), event_kind_label("DISPUTED")
    ('targets', 'prohibitions', 'sources disagree')
    >>> event_kind_label("EXCHANGE_ACTION", "reverse")
    'withdrawal of the delisting'
    """
    if kind == "EXCHANGE_ACTION" and action:
        return action_noun(action)
    if kind in vocabulary().edge_labels:
        return edge_label(kind)
    if kind == "DISPUTED":
        return "sources disagree"
    if kind in _ROW_KINDS:
        return _ROW_KINDS[kind]
    label = property_label(kind)
    return label[:1].lower() + label[1:]


def edge_step(kind: str, along: bool, detail: str = "") -> str:
    """An edge as a path walks it: its label (and ``detail``, in brackets) with the arrow pointing
    the way the edge reads, so a path from a security to its issuer reads ``←issues—`` (the issuer
    issues the security).

    >>> edge_step("LISTED_ON", along=True), edge_step("ISSUES", along=False, detail="from 1997")
    ('—listed on→', '←issues (from 1997)—')
    """
    text = f"{edge_label(kind)} ({detail})" if detail else edge_label(kind)
    return f"—{text}→" if along else f"←{text}—"


def edge_sentence(kind: str, source: str, target: str) -> str:
    """An edge read along its arrow, its ends by name: ``Xiaomi Corporation listed on …``.

    >>> edge_sentence("ENJOINS", "Xiaomi v. DoD", "Executive Order 13959")
    'Xiaomi v. DoD enjoins Executive Order 13959'
    """
    return f"{source} {edge_label(kind)} {target}"


def entity_ids(key: str, value: PropertyValue) -> list[str] | None:
    """The node ids a property holds when the schema types it ``ids`` — on an edge whom an
    injunction protects (``applies_to``), on a node the body keeping a list (``keeper``, one id
    or a list); else None.

    >>> entity_ids("applies_to", ["ORG:xiaomi"]), entity_ids("keeper", "BODY:dod"), entity_ids("tranche", 4)
    (['ORG:xiaomi'], ['BODY:dod'], None)
    """
    words = vocabulary()
    if words.edge_properties.get(key) != "ids" and words.node_properties.get(key) != "ids":
        return None
    if isinstance(value, list):
        return [str(v) for v in value]
    return [value] if isinstance(value, str) else None


def names_of_ids(
    store: GraphStore, properties: Iterable[Mapping[str, PropertyValue]], ids: Iterable[str] = ()
) -> dict[str, str]:
    """The name of every node id these properties hold (``entity_ids``), and of ``ids`` (whom a
    disputed reading is ``about``), read in one ``get_nodes`` call whatever the number of edges; an
    id the graph lacks is left out (shown bare)."""
    wanted = {i for props in properties for k, v in props.items() for i in entity_ids(k, v) or ()}
    wanted.update(ids)
    if not wanted:
        return {}
    return {node_id: node.name for node_id, node in store.get_nodes(sorted(wanted)).items()}


def view_names(store: GraphStore, view: EntityView) -> dict[str, str]:
    """The name of every node id an entity's own properties (``keeper``), its edges' properties
    (``applies_to``) and their disputed readings (``about``) hold: one ``get_nodes`` call, as
    ``show`` prints them."""
    about = (i for edge in view.edges for d in edge.disputed for i in d.about)
    return names_of_ids(store, [view.properties, *(edge.properties for edge in view.edges)], about)


def about_names(about: Iterable[str], names: Mapping[str, str]) -> str:
    """`` for China Telecom Corporation Limited (NYSE CHA ADS)``: whom a disputed reading narrower
    than its edge speaks of (each by ``names``, else its id); empty for a reading of the whole fact.

    >>> about_names(["SEC:NYSE:CHA"], {"SEC:NYSE:CHA": "China Telecom (NYSE CHA ADS)"}), about_names([], {})
    (' for China Telecom (NYSE CHA ADS)', '')
    """
    named = [names.get(node_id, node_id) for node_id in about]
    return f" for {', '.join(named)}" if named else ""


def reading_tag(disputed: Disputed) -> str:
    """What another value of an edge's field is, in words: ``moved`` (the body that set it moved it
    itself to the edge's value, :attr:`~graph.model.Disputed.until`: a change, not a reading),
    ``in one case`` (the sources give it only in a case they name, and the edge's value otherwise),
    else ``sources disagree``.

    >>> src = Source(url="https://example.org/n", title="n", publisher="p", kind="official")
    >>> moved = Disputed(field="applies_from", value="2020-09-20", sources=[src], until="2020-09-19")
    >>> reading_tag(moved), reading_tag(moved.model_copy(update={"until": None}))
    ('moved', 'sources disagree')
    """
    if disputed.until:
        return "moved"
    return "in one case" if disputed.condition else "sources disagree"


def reading_text(
    disputed: Disputed,
    edge: EdgeRef,
    names: Mapping[str, str],
    value: Callable[[str], str] = str,
    words: Callable[[str], str] = str,
) -> str:
    """Another value of ``edge``'s field as it reads after the field's label: ``set for 2020-09-20,
    moved on 2020-09-19 to 2020-09-27`` (:func:`reading_tag` ``moved``), ``2021-05-27 if … applies,
    else 2021-03-15`` (in one case; a listing giving no start of prohibitions of its own has the day
    its order's rule gives), else the value, and whom it speaks of where narrower than the edge
    (:func:`about_names`). ``value`` formats the dates and values, ``words`` the names and the case
    (the app sets them as code and escaped).

    >>> from graph.views import EdgeRef
    >>> src = Source(url="https://example.org/n", title="n", publisher="p", kind="official")
    >>> edge = EdgeRef(id="e", kind="TARGETS", source="EO:1", target="APP:a", start="2020-08-06", end=None,
    ...                confidence="verified", sources=[src], properties={"applies_from": "2020-09-27"})
    >>> moved = Disputed(field="applies_from", value="2020-09-20", sources=[src], until="2020-09-19")
    >>> reading_text(moved, edge, {})
    'set for 2020-09-20, moved on 2020-09-19 to 2020-09-27'
    >>> reading_text(moved.model_copy(update={"until": None, "condition": "if a licence applies"}), edge, {})
    '2020-09-20 if a licence applies, else 2020-09-27'
    """
    fields: dict[str, PropertyValue] = {"start": edge.start, "end": edge.end}
    own = fields[disputed.field] if disputed.field in fields else edge.properties.get(disputed.field)
    theirs = value(property_text(disputed.value)) + words(about_names(disputed.about, names))
    ours = value(property_text(own)) if own is not None else None
    if disputed.until:
        to = f" to {ours}" if ours is not None else ""
        return f"set for {theirs}, moved on {value(disputed.until)}{to}"
    if disputed.condition:
        rule = "the day the order's rule gives" if disputed.field == "applies_from" else "none recorded"
        return f"{theirs} {words(disputed.condition)}, else {ours if ours is not None else rule}"
    return theirs


# An exchange's action as a reader says it (the data's codes, ``reverse``, are no words), as
# ``affects`` names the security's exchange state: data, ``exchange_actions`` in graph/schema.yaml.


def _action(code: object, key: str, default: str) -> str:
    return vocabulary().exchange_actions.get(str(code), {}).get(key, default)


def action_noun(code: object) -> str:
    """An exchange action's code as the thing that holds until something ends it ("the delisting
    announcement by NYSE no longer stands": a timeline's end row).

    >>> action_noun("announce_delisting"), action_noun("some_new_code")
    ('delisting announcement', 'some new code')
    """
    return _action(code, "noun", str(code).replace("_", " "))


def action_ends(code: object) -> str:
    """How an exchange action stops holding, said after its noun (:func:`action_noun`): an
    announcement, or its withdrawal, "no longer stands" (the exchange's next action replaced it); a
    suspension, a delisting "ends".

    >>> action_ends("reverse"), action_ends("suspend"), action_ends(None)
    ('no longer stands', 'ends', 'ends')
    """
    return _action(code, "ends", "ends")


def exchange_act(
    code: object,
    x: str,
    t: str | None,
    earlier: Sequence[tuple[object, str | None]] = (),
    trading_ends: bool = False,
    suspended_since: str | None = None,
) -> str:
    """An exchange's action as its row says it, one sentence, in ``exchange_actions``' words: read
    from the security when ``t`` is None (``delisting announced by NYSE``; a row may name the
    security before it), else from the exchange ``x`` acting on ``t`` (the exchange's timeline,
    ``changes``); ``earlier``: the exchange's previous actions on the security that this one ended,
    (code, date) each, said in the same sentence; ``trading_ends``: it ended the security's trading
    on the exchange too (a delisting), said after; ``suspended_since``: the day the exchange's
    suspension, still in force, had already stopped that trading, said instead (the delisting only
    ended the listing).

    >>> exchange_act("announce_delisting", "NYSE", None), exchange_act("suspend", "NYSE", "X")
    ('delisting announced by NYSE', 'NYSE suspends trading in X')
    >>> exchange_act("reverse", "NYSE", None, [("announce_delisting", "2020-12-31")])
    'delisting announcement of 2020-12-31 withdrawn by NYSE'
    >>> exchange_act("reverse", "NYSE", "X", [("announce_delisting", "2020-12-31")])
    'NYSE withdraws its delisting announcement of 2020-12-31 for X'
    >>> exchange_act("announce_delisting", "NYSE", "X", [("reverse", "2021-01-04")])
    'NYSE announces again that it will delist X, reversing its withdrawal of 2021-01-04'
    >>> exchange_act("reinstate", "NYSE", None, [("suspend", None)])
    'reinstated by NYSE, ending its trading suspension'
    >>> exchange_act("some_code", "NYSE", "X"), exchange_act("some_code", "NYSE", None)
    ('NYSE: some code X', 'some code by NYSE')
    >>> exchange_act("delist", "NYSE", None, trading_ends=True)
    'delisted by NYSE; trading there ends'
    >>> exchange_act("delist", "NYSE", "X", trading_ends=True)
    'NYSE delists X; its trading there ends'
    >>> exchange_act("delist", "NYSE", None, trading_ends=True, suspended_since="2021-01-11")
    'delisted by NYSE (trading there suspended since 2021-01-11)'
    >>> exchange_act("delist", "NYSE", "X", trading_ends=True, suspended_since="2021-01-11")
    'NYSE delists X, suspended from trading there since 2021-01-11'
    """
    voice = "reads" if t is None else "does"
    words = action_words(code)
    template = _action(code, voice, f"{words} by {{x}}" if t is None else f"{{x}}: {words} {{t}}")
    ended = [(_action(c, "its", action_noun(c)), f" of {day}" if day else "") for c, day in earlier]
    if ended:
        template = _action(code, f"after_{voice}", template + ", ending its {its}{of}")
    text = template.format(x=x, t=t, its=ended[0][0], of=ended[0][1]) if ended else template.format(x=x, t=t)
    text += "".join(f", ending its {its}{of}" for its, of in ended[1:])
    if not trading_ends:
        return text
    if suspended_since is not None:
        if t is None:
            return f"{text} ({trading_suspended(suspended_since)})"
        return f"{text}, suspended from trading there since {suspended_since}"
    return f"{text}; {'' if t is None else 'its '}trading there ends"


def trading_suspended(since: str) -> str:
    """What a delisting or a listing's end under an exchange's suspension in force adds: trading had
    stopped before (``show`` after the span of ``trades on``, the timeline after the delisting).

    >>> trading_suspended("2021-01-11")
    'trading there suspended since 2021-01-11'
    """
    return f"trading there suspended since {since}"


def action_words(code: object) -> str:
    """An exchange action's code in words (the timeline's rows, an edge's "Exchange action").

    >>> action_words("announce_delisting"), action_words("some_new_code")
    ('delisting announced', 'some new code')
    """
    return _action(code, "words", str(code).replace("_", " "))


def property_value_text(
    key: str,
    value: PropertyValue,
    names: Mapping[str, str],
    properties: Mapping[str, PropertyValue] | None = None,
) -> str:
    """A value as plain text, ids by name with the id after (``Xiaomi Corporation [ORG:xiaomi]``),
    as ``show`` prints an edge's other end; the app writes the same with the id as code. A
    mention's character offsets (counted from 0) read as the characters a reader counts (from 1);
    its ``offset`` with the span of its ``text``, another of ``properties`` (:func:`mention_place`).

    >>> property_value_text("applies_to", ["ORG:a", "ORG:b"], {"ORG:a": "A Corp"})
    'A Corp [ORG:a], ORG:b'
    >>> property_value_text("offsets", [1940, 2309], {})
    'twice, at characters 1,941 and 2,310'
    >>> property_value_text("offset", 1203, {}, {"offset": 1203, "text": "Luokung"})
    'characters 1,204–1,210 of the article'
    """
    if key == "offset" and isinstance(value, int) and not isinstance(value, bool):
        return mention_place(value, (properties or {}).get("text"))
    places = offsets_text(key, value)
    if places is not None:
        return places
    countries = country_text(key, value)
    if countries is not None:
        return countries
    ids = entity_ids(key, value)
    if ids is None:
        return property_text(value)
    return ", ".join(f"{names[i]} [{i}]" if i in names else i for i in ids) or "—"


COUNTRIES_FILE = Path(__file__).with_name("countries.yaml")


@lru_cache(maxsize=1)
def _country_names() -> dict[str, str]:
    import yaml  # here, not at import: only a face showing a country reads the table

    raw = yaml.safe_load(COUNTRIES_FILE.read_text(encoding="utf-8"))
    return {str(code).upper(): str(name) for code, name in raw["countries"].items()}


def country_name(code: str) -> str:
    """A country code as a reader reads it, the code kept after the name (``Hong Kong (HK)``); a code
    the table lacks stays as it is.

    >>> country_name("HK"), country_name("cn"), country_name("Atlantis")
    ('Hong Kong (HK)', 'China (CN)', 'Atlantis')
    """
    name = _country_names().get(code.strip().upper())
    return f"{name} ({code.strip().upper()})" if name else code


def country_text(key: str, value: PropertyValue) -> str | None:
    """The countries a property the schema types ``country`` holds (``country``, FtM's ``jurisdiction``),
    by name with the code (:func:`country_name`); None for any other property.

    >>> country_text("country", "HK"), country_text("jurisdiction", ["cn", "us"]), country_text("code", "HK")
    ('Hong Kong (HK)', 'China (CN), United States (US)', None)
    """
    if vocabulary().node_properties.get(key) != "country" or value is None:
        return None
    values = value if isinstance(value, list) else [value]
    return ", ".join(country_name(str(v)) for v in values) or "—"


def characters(offset: int, length: int = 0) -> str:
    """Where a span of text stands, as a reader counts characters (from 1; an ``offset`` counts from
    0, as the article loader writes it), with thousands separated.

    >>> characters(1203, 7), characters(0, 1), characters(12)
    ('characters 1,204–1,210', 'character 1', 'from character 13')
    """
    if length <= 0:
        return f"from character {offset + 1:,}"
    if length == 1:
        return f"character {offset + 1:,}"
    return f"characters {offset + 1:,}–{offset + length:,}"


def mention_place(offset: int, text: PropertyValue) -> str:
    """Where a mention stands in its article, in words: its characters counted from 1 (the data's
    offsets count from 0, as the article loader writes them), the span its ``text`` covers. The
    CLI's ``show`` and the app's entity page both say it so.

    >>> mention_place(0, "Xiaomi")
    'characters 1–6 of the article (its opening words)'
    >>> mention_place(1006, "Advanced Micro-Fabrication Equipment")
    'characters 1,007–1,042 of the article'
    >>> mention_place(12, None)
    'from character 13 of the article'
    """
    opening = " (its opening words)" if offset == 0 else ""
    return f"{characters(offset, len(text) if isinstance(text, str) else 0)} of the article{opening}"


_TIMES = {1: "once", 2: "twice"}


_STATUS_WORDS = {"in_force": "in force", "not_covered": "not covered"}


def status_label(status: str) -> str:
    """An order's status on a day as a reader says it, never its key: the CLI's sentences, the
    app's badges and its tables all print this.

    >>> status_label("in_force"), status_label("pending"), status_label("not_covered")
    ('in force', 'pending', 'not covered')
    """
    return _STATUS_WORDS.get(status, status)


def mention_places(offsets: Iterable[int]) -> str:
    """How often and where an article names an entity, from the offsets (from 0) of every mention;
    the places apart by semicolons, as a thousands comma would read as another place.

    >>> mention_places([1940]), mention_places([3, 1203, 20000])
    ('once, at character 1,941', '3 times, at characters 4; 1,204 and 20,001')
    """
    starts = [f"{o + 1:,}" for o in sorted(offsets)]
    if not starts:
        return "—"
    times = _TIMES.get(len(starts), f"{len(starts):,} times")
    if len(starts) == 1:
        return f"{times}, at character {starts[0]}"
    return f"{times}, at characters {'; '.join(starts[:-1])} and {starts[-1]}"


def offsets_text(key: str, value: PropertyValue) -> str | None:
    """A mention's ``offsets`` (character counts from 0) in words; None for any other property or
    a value that is not a list of counts (``offset``, with the text's length, is
    :func:`mention_place`'s)."""
    if key != "offsets" or not isinstance(value, list) or not value:
        return None
    counts = [v for v in value if isinstance(v, int) and not isinstance(v, bool)]
    return mention_places(counts) if len(counts) == len(value) else None


@lru_cache(maxsize=2)  # the properties' order and the identifier schemes' order
def _schema_rank(names: tuple[str, ...]) -> dict[str, int]:
    return {name: rank for rank, name in enumerate(names)}


def _in_order(keys: Iterable[str], names: tuple[str, ...]) -> list[str]:
    """``keys`` in the order of ``names`` (a list the schema reads in), keys it lacks after, by key."""
    rank = _schema_rank(names)
    last = len(rank)
    return sorted(keys, key=lambda k: (rank.get(k, last), k))


def in_schema_order(properties: Mapping[str, PropertyValue]) -> dict[str, PropertyValue]:
    """The properties in the order the schema lists them, keys it does not list after, by key.

    One order whatever the store: Neo4j, say, gives properties back in an order of its own.

    >>> list(in_schema_order({"president": "x", "website": "y", "number": "1", "alias_note": "z"}))
    ['number', 'president', 'alias_note', 'website']
    """
    order = tuple(vocabulary().property_labels)  # the schema read now, not a cached copy
    return {key: properties[key] for key in _in_order(properties, order)}


def identifiers_in_schema_order(identifiers: Mapping[str, Iterable[str]]) -> dict[str, list[str]]:
    """Identifiers by scheme in the schema's order of schemes (one order whatever the store).

    >>> list(identifiers_in_schema_order({"fr_doc": ["2020-25459"], "eo_number": ["13959"]}))
    ['fr_doc', 'eo_number']
    """
    return {s: list(identifiers[s]) for s in _in_order(identifiers, identifier_schemes())}


def property_text(value: PropertyValue) -> str:
    """A value as text: a date as the sources give it (as the timeline prints it), ``yes``/``no``,
    a list joined, a missing value as a dash (never ``None``)."""
    if value is None:
        return "—"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list):
        return ", ".join(property_text(v) for v in value) or "—"
    return str(value)


# Both matched whole (fullmatch): ``$`` would also accept a value ending in a newline.
_WEB_ADDRESS = re.compile(r"(?i)https?://\S+")


def is_web_address(value: PropertyValue) -> bool:
    """Whether a value is an http(s) address a face may show as a link."""
    return isinstance(value, str) and _WEB_ADDRESS.fullmatch(value) is not None


_FR_DOC = re.compile(r"[0-9]{4}-[0-9]{4,6}")


def property_url(name: str, value: PropertyValue) -> str | None:
    """Where a reader checks a value: a web address itself, a Federal Register document number
    at the Register's own link form; else None.

    >>> property_url("fr_doc", "2020-17700")
    'https://www.federalregister.gov/d/2020-17700'
    >>> property_url("number", "13943") is None
    True
    """
    if is_web_address(value):
        return str(value)
    if name == "fr_doc" and isinstance(value, str) and _FR_DOC.fullmatch(value):
        return f"https://www.federalregister.gov/d/{value}"
    return None


# A list no source here gives a size of (OFAC's NS-CCMC List, never seen whole): the members shown
# are what this graph holds, which need not be all it named.
def paths_found(count: int) -> str:
    """How many paths a search found, as every face says it: the count, or "20 or more" where the
    search stopped (:data:`graph.query.PATHS_LIMIT`).

    >>> paths_found(1), paths_found(20)
    ('1', '20 or more')
    """
    from graph.query import PATHS_LIMIT

    return f"{count}" if count < PATHS_LIMIT else f"{PATHS_LIMIT} or more"


_UNSIZED = "no published size of the list is recorded here, so it may have named more"


def membership_text(count: EditionCount) -> str:
    """How much of a list's edition the graph holds, as both faces say it ("N of M members shown"),
    so nobody reads the members shown as the whole list.

    >>> from graph.views import EditionCount
    >>> membership_text(EditionCount(edition="2021-06-03", published=47, shown=38))
    'edition 2021-06-03: 38 of 47 members shown'
    >>> membership_text(EditionCount(edition="2025-01-06", published=134, shown=120,
    ...                              size_status="disputed", size_alternative=128))
    'edition 2025-01-06: 120 of 134 members shown (size disputed: 128)'
    >>> membership_text(EditionCount(edition=None, published=None, shown=61))
    '61 members shown (every member ever listed that this graph holds)'
    >>> text = membership_text(EditionCount(edition=None, published=None, shown=5, size_recorded=False))
    >>> text.removeprefix("5 members shown (every member ever listed that this graph holds; ")
    'no published size of the list is recorded here, so it may have named more)'

    Counted from what a view drew as of a day (``neighbours --as-of``), or from a list too big to
    draw whole, the row says so:

    >>> membership_text(EditionCount(edition=None, published=None, shown=47, listed_on="2021-07-01"))
    '47 members shown (those listed on 2021-07-01 that this graph holds)'
    >>> membership_text(EditionCount(edition=None, published=None, shown=500, partial=True))
    '500 members shown (not all: the list has more edges than are drawn)'
    """
    if count.edition is None:
        unsized = "" if count.size_recorded else f"; {_UNSIZED}"
        if count.partial:
            return f"{count.shown} members shown (not all: the list has more edges than are drawn{unsized})"
        which = f"those listed on {count.listed_on}" if count.listed_on else "every member ever listed"
        return f"{count.shown} members shown ({which} that this graph holds{unsized})"
    of = f" of {count.published}" if count.published is not None else " (published size not recorded)"
    line = f"edition {count.edition}: {count.shown}{of} members shown"
    if count.size_status == "disputed":
        other = f": {count.size_alternative}" if count.size_alternative is not None else ""
        return f"{line} (size disputed{other})"
    if count.size_status == "unconfirmed":
        return f"{line} (size not confirmed by the list's keeper)"
    return line


def identifier_label(scheme: str) -> str:
    """What an identifier scheme is called (``graph/schema.yaml``: ``ofac_uid`` → ``OFAC entity number``).

    >>> identifier_label("isin"), identifier_label("ofac_uid")
    ('ISIN', 'OFAC entity number')
    """
    return vocabulary().identifier_labels.get(scheme) or property_label(scheme)


def identifier_text(scheme: str, values: list[str]) -> str:
    """An entity's identifiers of one scheme as ``show`` prints them, each with where to check it.

    >>> identifier_text("fr_doc", ["2020-17700"])
    'Federal Register document number: 2020-17700 (https://www.federalregister.gov/d/2020-17700)'
    """
    shown = []
    for value in values:
        url = property_url(scheme, value)
        shown.append(f"{value} ({url})" if url and url != value else value)
    return f"{identifier_label(scheme)}: {', '.join(shown)}"


def repeats_identifier(key: str, value: PropertyValue, identifiers: Mapping[str, list[str]]) -> bool:
    """Whether a property only states identifiers the entity carries (the schema's ``stated_as``: the
    curated data writes an order's number as ``number``, its loader makes it the ``eo_number``
    identifier; ``fr_doc`` and ``isin`` likewise): a face shows the value once, as the identifier.

    >>> repeats_identifier("fr_doc", "2020-25459", {"fr_doc": ["2020-25459"]})
    True
    >>> repeats_identifier("ofac_uid", 30951, {"ofac_uid": ["30951"]})
    True
    >>> repeats_identifier("fr_doc", "2020-25459", {})
    False
    >>> repeats_identifier("number", "13959", {"eo_number": ["13959"]})
    True
    >>> repeats_identifier("number", "13959", {"eo_number": ["14032"]})
    False
    """
    scheme = stated_identifier(key)
    held = identifiers.get(scheme) if scheme is not None else None
    if not held or value is None:
        return False
    values = value if isinstance(value, list) else [value]
    # A number written bare in the YAML (ofac_uid: 30951) is the identifier "30951".
    return bool(values) and all(
        isinstance(v, str | int) and not isinstance(v, bool) and str(v) in held for v in values
    )


def provenance_text(provenance: Provenance) -> str:
    """A dataset that gave a node or an edge, with when it first and last saw it where it says.

    >>> provenance_text(Provenance(dataset="os", first_seen="2021-06-04", last_seen="2021-12-20"))
    'os (first seen 2021-06-04, last seen 2021-12-20)'
    >>> provenance_text(Provenance(dataset="curated"))
    'curated'
    """
    seen = [
        f"{label} {day}"
        for label, day in (("first seen", provenance.first_seen), ("last seen", provenance.last_seen))
        if day is not None
    ]
    return f"{provenance.dataset} ({', '.join(seen)})" if seen else provenance.dataset


def datasets_text(provenance: Iterable[Provenance]) -> str:
    """Every dataset that gave a node or an edge, ``; ``-separated (:func:`provenance_text`)."""
    return "; ".join(provenance_text(p) for p in provenance) or "—"


def edges_share_its_datasets(view: EntityView) -> bool:
    """Whether every edge of an entity came from exactly the datasets (and days) the entity did:
    then the entity's own datasets line says it for all, and ``show`` prints none on each edge
    (the curated graph, where one dataset gave everything)."""
    return all(edge.provenance == view.provenance for edge in view.edges)


def source_names(sources: Sequence[Source], by_title: bool = False) -> list[str]:
    """What each source is called where several are listed together: its publisher (its title
    ``by_title``), and where two share one, what tells them apart — their dates, else their sites,
    else their titles (two links both reading "China Mobile Limited (SEC EDGAR)" left the reader to
    guess which was which).

    >>> from graph.model import Source
    >>> def s(publisher, url, date=None, title="T"):
    ...     return Source(url=url, title=title, publisher=publisher, kind="exchange", date=date)
    >>> source_names([s("NYSE", "https://nyse.com/a", "2021-01-06"),
    ...               s("NYSE", "https://nyse.com/b", "2021-01-11"), s("Reuters", "https://reuters.com/x")])
    ['NYSE, 2021-01-06', 'NYSE, 2021-01-11', 'Reuters']
    >>> source_names([s("NYSE", "https://nyse.com/a"), s("NYSE", "https://ir.theice.com/b")])
    ['NYSE, nyse.com', 'NYSE, ir.theice.com']
    >>> source_names([s("NYSE", "https://nyse.com/a", title="Suspension"), s("NYSE", "https://nyse.com/b")])
    ['NYSE, “Suspension”', 'NYSE, “T”']
    >>> source_names([s("NYSE", "https://nyse.com/a"), s("NYSE", "https://nyse.com/b")])
    ['NYSE (1)', 'NYSE (2)']
    >>> source_names([s("CT", "https://a.com/x", title="Report"), s("CT", "https://b.com/y", title="Report")],
    ...              by_title=True)
    ['Report, a.com', 'Report, b.com']
    """
    names = [s.title if by_title else s.publisher for s in sources]
    for publisher in {n for n in names if names.count(n) > 1}:
        group = [i for i, s in enumerate(sources) if names[i] == publisher]
        for told in (
            lambda s: s.date,
            lambda s: source_site(s.url),
            lambda s: None if by_title else f"“{clipped(s.title, SOURCE_TITLE_CHARS)}”",
        ):
            apart = [told(sources[i]) for i in group]
            if None not in apart and len(set(apart)) == len(apart):
                for i, extra in zip(group, apart, strict=True):
                    names[i] = f"{publisher}, {extra}"
                break
        else:
            for number, i in enumerate(group, 1):
                names[i] = f"{publisher} ({number})"
    return names


# A title that tells two sources of one publisher apart is cut to about this many characters.
SOURCE_TITLE_CHARS = 60


def apart_labels(names: Mapping[str, str], most: int) -> dict[str, str]:
    """Each name (by id) in at most ``most`` characters, told apart from the others: :func:`clipped`
    where that keeps it apart, else its first words, "…", and the last words that no other name
    shares, whole when in brackets. Clipped alike, SMIC, one of its subsidiaries and its listings
    all read "Semiconductor Manufacturing International…"; kept apart, they read as below.

    >>> labels = apart_labels({
    ...     "ORG:smic": "Semiconductor Manufacturing International Corporation",
    ...     "ORG:smic-beijing": "Semiconductor Manufacturing International (Beijing) Corporation",
    ...     "SEC:HKEX:0981": "Semiconductor Manufacturing International Corporation (HKEX 0981)",
    ...     "EO:1": "Executive Order 13959: Addressing the Threat From Securities Investments"}, 48)
    >>> for label in labels.values(): print(label)
    Semiconductor … International Corporation
    Semiconductor … (Beijing) Corporation
    Semiconductor Manufacturing … (HKEX 0981)
    Executive Order 13959: Addressing the Threat…
    """
    labels = {key: clipped(name, most) for key, name in names.items()}
    alike: dict[str, list[str]] = {}
    for key, label in labels.items():
        alike.setdefault(label, []).append(key)
    for keys in alike.values():
        if len({names[k] for k in keys}) > 1:
            for key in keys:
                others = [names[k].split() for k in keys if names[k] != names[key]]
                labels[key] = _kept_apart(names[key], others, most)
    return labels


def _kept_apart(name: str, others: list[list[str]], most: int) -> str:
    """``name`` as its first words, "…" and its shortest run of last words that ends no other name
    (a bracket's opening word with its closing one: "(HKEX 0981)", not "0981)")."""
    words = name.split()
    for count in range(1, len(words) + 1):
        tail = words[-count:]
        if sum(w.count(")") for w in tail) > sum(w.count("(") for w in tail):
            continue  # inside brackets: their opening word too
        if all(other[-count:] != tail for other in others):
            break
    else:
        return clipped(name, most)
    end = " ".join(tail)
    if count == len(words) or len(end) > most - 4:
        return clipped(name, most)
    head: list[str] = []
    for word in words[: len(words) - count]:
        if len(" ".join([*head, word])) + len(end) + 3 > most:
            break
        head.append(word)
    return f"{' '.join(head or [clipped(words[0], most - len(end) - 3)])} … {end}"


def clipped(text: str, most: int) -> str:
    """``text`` when it has at most ``most`` characters, else cut at the last word that fits, with "…",
    and any bracket the cut left open closed after it (still at most ``most`` characters).

    >>> clipped("DoD list of Communist Chinese military companies", 40)
    'DoD list of Communist Chinese military…'
    >>> clipped("中国移动通信集团有限公司", 6)
    '中国移动通…'
    >>> clipped("li-xiaohui/grab-companies (GitHub, commit 4607d35 of cons_prim.csv)", 50)
    'li-xiaohui/grab-companies (GitHub, commit…)'
    """
    if len(text) <= most:
        return text
    room = most
    while True:
        head = text[: room - 1]
        word = head.rsplit(" ", 1)[0] if " " in head and text[room - 1] != " " else head
        word = word.rstrip(" ,;:·—-")
        closing = _closers(word)
        if len(word) + 1 + len(closing) <= most or room <= 2:
            return word + "…" + closing
        room -= len(word) + 1 + len(closing) - most


_PAIRS = {"(": ")", "[": "]", "{": "}", "“": "”"}


def _closers(text: str) -> str:
    """The brackets that close what ``text`` leaves open, innermost first.

    >>> _closers("a (b [c") , _closers("a (b) c")
    ('])', '')
    """
    stack: list[str] = []
    for char in text:
        if char in _PAIRS:
            stack.append(_PAIRS[char])
        elif stack and char == stack[-1]:
            stack.pop()
    return "".join(reversed(stack))
