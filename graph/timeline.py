"""``timeline``: every dated edge and event touching an entity, and what the orders' rules made of them.

Each row names the order it is about first (``EO 13959 — …``) when there is one. Besides
each edge's start and end: the entity's own dated properties, and for each route an order
has to it (a listing on a list the order governs, a targeting) the dates the rule gives —
when prohibitions were due and whether they applied or a court had blocked them, when the
divest-only window ends (or was cut short, or never applied), and when the order stopped
applying. A security's timeline tells the same story for its issuers, read over the
neighbourhood :func:`graph.affects.affects` reads, so it agrees with ``affects`` on every day.

Each row cites the sources that state it, most authoritative first for the fact it states: its
edge's kind, except where its words turn on an injunction (prohibitions due but enjoined; a
deadline that never applied because a court blocked the order) — there the court's order, which
states that claim, comes first (the row's ``fact`` is ``ENJOINS``).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cache
from typing import Literal

from graph.affects import (
    AFFECTS_DEPTH,
    AFFECTS_HOPS,
    answer_over,
    listing_rule,
    order_inactive,
    protected_on_route,
    protects,
    reaches,
)
from graph.cite import court_abbreviation
from graph.document_days import ACT_DAYS, DOCUMENT_DAYS, document_day_words, names_act
from graph.errors import MissingNode, OrdergraphError
from graph.evidence import (
    NO_END_SOURCE,
    announced_by,
    day_stated_by,
    edge_names,
    end_sources,
    ending_actions,
    ending_lookup,
    quotes_its_dates,
    start_row_sources,
    start_stated_by,
    stated_end,
    stated_start,
)
from graph.labels import (
    about_names,
    action_ends,
    action_noun,
    action_words,
    clipped,
    disputed_field,
    edge_label,
    exchange_act,
    source_names,
)
from graph.model import (
    Disputed,
    Edge,
    Node,
    Source,
    add_days,
    blocks_due,
    by_authority,
    first_day,
    is_act,
    is_date,
    not_named_by_any,
    protected_by,
    vocabulary,
    weakest,
)
from graph.names import same_company_name
from graph.plain import divest_hour, divest_window, restriction_label, unsure
from graph.prohibitions_day import movers, prohibitions_day
from graph.store.base import Direction, GraphStore, GraphView, other_end
from graph.views import AffectsAnswer, NodeRef, OrderEffect, Timeline, TimelineEvent

# How an edge reads from its source ("out") and from its target ("in"), and what ended when it
# ends (the row then says, after ":", the act in the graph that ended it, if any): data, each edge
# kind's ``edge_wording`` in graph/schema.yaml (graph.model.vocabulary). A role (FtM Directorship…)
# reads by its name where the data gives one ("Chairman of SMIC"); without one, by the kind's label.
# A node's dated properties that are events of their own, and how each reads on a timeline.
_NODE_EVENTS = {
    "signed": ACT_DAYS["signed"],
    "published": DOCUMENT_DAYS["published"],
    "effective": ACT_DAYS["effective"],
    "prohibitions_from": ACT_DAYS["prohibitions_from"],
    "filed": ACT_DAYS["filed"],
    # A document's own days, as graph.document_days.DOCUMENT_DAYS words them: the day it bears (an act's
    # reads "issued": document_day_words), put on public inspection, issued.
    "date": DOCUMENT_DAYS["date"],
    "public_inspection": DOCUMENT_DAYS["public_inspection"],
    "issued": DOCUMENT_DAYS["issued"],
}
# The fact a row's sources rank for when its words turn on an injunction ("prohibitions due,
# but enjoined since …", "never applied (enjoined on …)"): the court's order states that claim,
# so it is cited first, then the rest most authoritative first (graph.model.by_authority).
_ENJOINED = "ENJOINS"
# The kinds of the rows an order's rule makes of an edge (not the edge's own start or end): when
# its prohibitions were due, when the divest-only window ends, when the rule began and stopped
# applying to a listing. Their ``fact`` is the edge's kind, whose sources state them.
PROHIBITIONS = "PROHIBITIONS"
DIVEST_WINDOW = "DIVEST_WINDOW"
RULE_BEGINS = "RULE_BEGINS"
RULE_ENDS = "RULE_ENDS"
# Between the order a row is about and what the row says.
_DASH = " — "


def _action_words(code: object) -> str:
    return action_words(code) if code else "action"


def action_of(edge: Edge) -> str | None:
    """An exchange's action's code (``suspend``), which names its rows' kind; None for another edge."""
    action = edge.properties.get("action") if edge.kind == "EXCHANGE_ACTION" else None
    return str(action) if action else None


def _describe(edge: Edge, reader: Node, other: Node) -> str:
    """``edge`` in words as ``reader``'s row reads it, ``other`` named (``targeted by EO 13942``)."""
    phrases = vocabulary().edge_reads.get(edge.kind)
    if edge.kind == "ROLE_IN" and not edge.properties.get("role"):
        phrases = None
    if edge.kind == "MENTIONS" and names_act(reader if edge.source == reader.id else other):
        phrases = ("names {o}", "named in {o}")
    if phrases is None:
        # A kind with no phrase of its own (ROLE_IN without a role; a kind added to the schema):
        # its label, read along the arrow.
        label = edge_label(edge.kind)
        phrases = (f"{label} {{o}}", f"{{o}} {label} it")
    out, inn = phrases
    template = out if edge.source == reader.id else inn
    return template.format(
        # An order by its number, as a row names the order it is about ("revoked by EO 14034"): its
        # full name has a colon of its own and a title a row has no room for.
        o=short(other) if other.kind == "ExecutiveOrder" else other.name,
        action=_action_words(edge.properties.get("action")),
        role=str(edge.properties.get("role", "party")),
        ruling=f": {ruling}" if (ruling := edge.properties.get("ruling")) else "",
    )


def _ended_templates(edge: Edge) -> tuple[str, str] | None:
    """What ended when ``edge`` ends, read from its source and from its target (``edge_wording``'s
    ``ends``), or None."""
    if edge.kind == "ROLE_IN" and not edge.properties.get("role"):
        return None
    return vocabulary().edge_ends.get(edge.kind)


def _ended(
    edge: Edge, node_id: str, other: Node, speaker: str | None = None, as_listed: str = ""
) -> str | None:
    """What ended when ``edge`` ends, read from ``node_id`` (``targeting of TikTok ends``), or None
    for a kind with no words of its own (its end row then reads "ends: <its start row>");
    ``as_listed`` follows the other end's name (:func:`_as_listed`: ``listing on DoD list … as
    “Luokong Technology Corporation (LKCO)” ends``)."""
    templates = _ended_templates(edge)
    if templates is None:
        return None
    out, inn = templates
    scope = edge.properties.get("scope")
    return (out if edge.source == node_id else inn).format(
        # An order by its number: its full name has a colon of its own ("…: Amending EO 13959").
        o=(short(other) if other.kind == "ExecutiveOrder" else other.name) + as_listed,
        s=f" of {speaker}" if speaker else "",
        S=f"{speaker} " if speaker else "",
        noun=action_noun(edge.properties.get("action")) if edge.properties.get("action") else "action",
        ends=action_ends(edge.properties.get("action")),
        role=str(edge.properties.get("role", "party")),
        scope=f" ({scope})" if scope else "",
    )


def _end_text(
    view: GraphView, edge: Edge, actions: list[Edge], text: str, ended: str | None, tail: str = ""
) -> str:
    """An end row's words: what ended (``ended``; else "ends: <the start's words>"), then (":") the
    acts in the graph that ended it (:func:`_why_ended`), then ``tail``."""
    if ended is None:
        return f"ends: {text}"
    why = _why_ended(view, edge, actions)
    return f"{ended}: {why}{tail}" if why else f"{ended}{tail}"


def end_row(view: GraphView, edge: Edge, source: Node, target: Node) -> str:
    """An edge's end as a row standing alone says it (``changes``), in the timeline's words: under
    the order it is about (``EO 13942 — targeting of TikTok ends: EO 13942 revoked by EO 14034``),
    else read from the end whose words name the other (``listing of Xiaomi Corporation on … ends``).

    >>> from graph.store.memory import MemoryStore
    >>> src = [Source(url="https://example.org/a", title="a", publisher="p", kind="official")]
    >>> eo = [Node(id=f"EO:{n}", kind="ExecutiveOrder", name=f"Executive Order {n}: X",
    ...     properties={"number": n}) for n in (1, 2)]
    >>> app = Node(id="APP:x", kind="App", name="X")
    >>> targets = Edge(id="t", kind="TARGETS", source="EO:1", target="APP:x", start="2020-08-06",
    ...     end="2021-06-09", confidence="verified", sources=src)
    >>> revokes = Edge(id="r", kind="REVOKES", source="EO:2", target="EO:1", start="2021-06-09",
    ...     confidence="verified", sources=src)
    >>> end_row(MemoryStore.from_parts([*eo, app], [targets, revokes]), targets, eo[0], app)
    'EO 1 — targeting of X ends: EO 1 revoked by EO 2'
    """
    actions = ending_actions(view, edge)
    if edge.kind == "ENJOINS":
        ended, tail = _injunction_end(view, source, edge)
        return f"{short(target)}{_DASH}{_end_text(view, edge, actions, '', ended, tail)}"
    if source.kind == "ExecutiveOrder":
        text = _end_text(
            view, edge, actions, _describe(edge, source, target), _ended(edge, source.id, target)
        )
        return f"{short(source)}{_DASH}{text}"
    # Else read from the end whose words name it (a listing from its member, an exchange's action
    # from the security it acted on), that end named.
    templates = _ended_templates(edge)
    out, inn = templates or ("", "")
    from_target = not _names_speaker(out) and _names_speaker(inn)
    reader, other = (target, source) if from_target else (source, target)
    text = f"{reader.name} {_describe(edge, reader, other)}"
    # A listing's row gives the name the list used, and the company's other entry on the list that
    # still holds (:func:`other_entry`), so one entry's removal is not read as the company's.
    as_listed = _as_listed(edge, reader, other)
    what_ended = _ended(edge, reader.id, other, reader.name, as_listed)
    still = other_entry(view, edge, "end")
    return _end_text(view, edge, actions, text + as_listed, what_ended, still)


def replaced_by_next(view: GraphView, edge: Edge) -> bool:
    """Whether an exchange's action ended with the same exchange's next action on the security (NYSE's
    delisting notice, withdrawn three days later), or a security's trading on an exchange with that
    exchange's action (its delisting): the end is that action's effect, said on the action's own row
    (:func:`replaced`), not on a row of its own that reads as a repeat."""
    exchange = {"EXCHANGE_ACTION": edge.source, "TRADES_ON": edge.target}.get(edge.kind)
    actions = ending_actions(view, edge) if exchange is not None else []
    return bool(actions) and all(a.kind == "EXCHANGE_ACTION" and a.source == exchange for a in actions)


def replaced(view: GraphView, action: Edge) -> list[Edge]:
    """The same exchange's earlier actions on the security that ``action`` ended, and the security's
    trading there if it ended that (each :func:`replaced_by_next`), whose ends its row says."""
    if action.kind != "EXCHANGE_ACTION" or action.start is None:
        return []
    earlier = view.edges_of(action.target, "in", ["EXCHANGE_ACTION"])
    trading = [e for e in view.edges_of(action.target, "out", ["TRADES_ON"]) if e.target == action.source]
    return [
        e
        for e in [*(e for e in earlier if e.source == action.source), *trading]
        if e.id != action.id and e.end == action.start and replaced_by_next(view, e)
    ]


def replaced_end_sources(view: GraphView, earlier: list[Edge]) -> list[Source]:
    """The sources stating the ends of ``earlier`` (:func:`replaced`), which the row that ended them
    cites beside its own."""
    return [s for e in earlier for s in end_sources(e, ending_actions(view, e), edge_names(view, e))]


def cited_also(sources: list[Source], more: list[Source]) -> list[Source]:
    """``sources`` and then each of ``more`` at an address not cited yet (once each)."""
    known = {s.url for s in sources}
    return [*sources, *(s for s in _unique(more) if s.url not in known)]


def act_cites(
    edge: Edge, sources: list[Source], stated: list[Source], ends: list[Source]
) -> tuple[list[Source], list[Source]]:
    """What an exchange's act's start row cites and which of those state its day, with ``ends``
    (:func:`replaced_end_sources`: what states the ends of the acts it replaced) cited too. Among
    those ends are the act's own sources (the act ended them), which state its day only where their
    words give it (``stated``: :func:`graph.evidence.start_stated_by`): China Mobile's 6-K of
    2021-05-10, cited for NYSE's delisting of 2021-05-18, gives no day, so the row credits the
    company's overview, which does, as ``affects`` does."""
    return cited_also(sources, ends), cited_also(stated, [s for s in ends if s not in edge.sources])


def act_row(view: GraphView, edge: Edge, reader: Node, other: Node) -> str:
    """An exchange's action as ``reader``'s row says it, and ``changes`` (read from the exchange): its
    words and what it ended of the exchange's previous actions on the security (:func:`replaced`), one
    sentence (:func:`graph.labels.exchange_act`).

    >>> from graph.store.memory import MemoryStore
    >>> src = [Source(url="https://example.org/a", title="a", publisher="p", kind="exchange")]
    >>> x, y = Node(id="EXCH:x", kind="Exchange", name="X"), Node(id="SEC:y", kind="Security", name="Y")
    >>> def act(start, end, code):
    ...     return Edge(id=start, kind="EXCHANGE_ACTION", source="EXCH:x", target="SEC:y", start=start,
    ...         end=end, confidence="verified", sources=src, properties={"action": code})
    >>> notice = act("2020-12-31", "2021-01-04", "announce_delisting")
    >>> withdrawal = act("2021-01-04", None, "reverse")
    >>> store = MemoryStore.from_parts([x, y], [notice, withdrawal])
    >>> act_row(store, withdrawal, y, x)
    'delisting announcement of 2020-12-31 withdrawn by X'
    >>> act_row(store, withdrawal, x, y)
    'X withdraws its delisting announcement of 2020-12-31 for Y'
    """
    exchange, security = (reader, other) if edge.source == reader.id else (other, reader)
    ended = replaced(view, edge)
    earlier = [(e.properties.get("action"), e.start) for e in ended if e.kind == "EXCHANGE_ACTION"]
    named = security.name if reader.id == exchange.id else None
    trading_ends = any(e.kind == "TRADES_ON" for e in ended)
    since = suspended_before(view, edge) if trading_ends else None
    return exchange_act(edge.properties.get("action"), exchange.name, named, earlier, trading_ends, since)


def suspended_before(view: GraphView, action: Edge) -> str | None:
    """The day the same exchange suspended trading in the security, where that suspension still held
    when ``action`` came (NYSE's of 2021-01-11 when it delisted China Mobile's ADSs on 2021-05-18):
    then ``action`` ended the listing, not the trading. None where no suspension held.

    >>> from graph.store.memory import MemoryStore
    >>> src = [Source(url="https://example.org/a", title="a", publisher="p", kind="exchange")]
    >>> x, y = Node(id="EXCH:x", kind="Exchange", name="X"), Node(id="SEC:y", kind="Security", name="Y")
    >>> def act(start, end, code):
    ...     return Edge(id=start, kind="EXCHANGE_ACTION", source="EXCH:x", target="SEC:y", start=start,
    ...         end=end, confidence="verified", sources=src, properties={"action": code})
    >>> delisting = act("2021-05-18", None, "delist")
    >>> suspended = [act("2021-01-11", None, "suspend"), delisting]
    >>> suspended_before(MemoryStore.from_parts([x, y], suspended), delisting)
    '2021-01-11'
    >>> lifted = [act("2021-01-11", "2021-02-01", "suspend"), act("2021-02-01", None, "reinstate")]
    >>> lifted.append(delisting)
    >>> suspended_before(MemoryStore.from_parts([x, y], lifted), delisting) is None
    True
    """
    if action.start is None:
        return None
    actions = view.edges_of(action.target, "in", ["EXCHANGE_ACTION"])
    return suspended_on(actions, action.source, action.target, action.start)


def suspended_on(edges: Iterable[Edge], exchange: str, security: str, when: str) -> str | None:
    """The day ``exchange`` suspended trading in ``security``, where that suspension still held on
    ``when`` (it began before): the day trading there stopped, before whatever came on ``when``
    (NYSE's delisting of China Mobile's ADSs on 2021-05-18, the end of their ``TRADES_ON``). Read
    from ``edges`` (the edges of either; others are passed over); None where no suspension held
    (:func:`suspended_before` gives an example)."""
    day = first_day(when)
    held = [
        e.start
        for e in edges
        if e.kind == "EXCHANGE_ACTION"
        and e.source == exchange
        and e.target == security
        and e.properties.get("action") == "suspend"
        and e.start is not None
        and first_day(e.start) < day
        and (e.end is None or first_day(e.end) >= day)
    ]
    return max(held, key=first_day) if held else None


def start_row(edge: Edge, source: Node, target: Node) -> str | None:
    """An edge's start as a row standing alone says it (``changes``), in the timeline's words, when
    it is about an order: under the order (``EO 13971 — targets Alipay``, ``EO 14034 — revokes EO
    13942``, ``EO 13942 — enjoined nationwide by Marland v. Trump (E.D. Pa.) (as to: …)``), as
    :func:`end_row` says its end; None for an edge about no order (a listing, an exchange's action).

    >>> src = [Source(url="https://example.org/a", title="a", publisher="p", kind="official")]
    >>> eo = [Node(id=f"EO:{n}", kind="ExecutiveOrder", name=f"Executive Order {n}: X",
    ...     properties={"number": n}) for n in (1, 2)]
    >>> revokes = Edge(id="r", kind="REVOKES", source="EO:2", target="EO:1", start="2021-06-09",
    ...     confidence="verified", sources=src)
    >>> start_row(revokes, eo[1], eo[0])
    'EO 2 — revokes EO 1'
    """
    if edge.kind == "ENJOINS":
        return f"{short(target)}{_DASH}{_injunction_text(source, edge)}"
    if source.kind == "ExecutiveOrder":
        return f"{short(source)}{_DASH}{_describe(edge, source, target)}{unapplied(edge)}"
    return None


def unapplied(edge: Edge) -> str:
    """What a targeting's start row adds when it gives no day its prohibitions apply from
    (:func:`_due_days`): the order never put them into effect (EO 13971's apps: Commerce never
    identified the transactions before EO 14034 revoked it), as ``affects`` says; or, for one
    still open, that no such day is recorded. Empty for any other edge.

    >>> src = [Source(url="https://example.org/a", title="a", publisher="p", kind="official")]
    >>> def targets(end, **props):
    ...     return Edge(id="t", kind="TARGETS", source="EO:1", target="APP:x", start="2021-01-05",
    ...         end=end, confidence="verified", sources=src, properties=props)
    >>> unapplied(targets("2021-06-09")), unapplied(targets(None))
    ('; its prohibitions were never put into effect', '; no day its prohibitions apply from is recorded')
    >>> unapplied(targets("2021-06-09", applies_from="2020-09-20"))
    ''
    """
    if edge.kind != "TARGETS" or _due_days(edge):
        return ""
    if edge.end is None:
        return "; no day its prohibitions apply from is recorded"
    return "; its prohibitions were never put into effect"


def listed_as(edge: Edge, name: str) -> str:
    """What a listing's start row adds when the list named the company otherwise than the graph does
    (``listed_name``): `` as “Luokong Technology Corporation (LKCO)”`` (DoD's misspelling of
    Luokung), so a reporter quoting the row quotes what the list said. Empty for any other edge,
    or a name that is the graph's but for what :func:`same_listed_name` sets aside.

    >>> src = [Source(url="https://example.org/a", title="a", publisher="p", kind="official")]
    >>> def listed(name):
    ...     return Edge(id="l", kind="LISTED_ON", source="ORG:l", target="LIST:l", start="2021-01-14",
    ...         confidence="verified", sources=src, properties={"listed_name": name})
    >>> listed_as(listed("Luokong Technology Corporation (LKCO)"), "Luokung Technology Corp.")
    ' as “Luokong Technology Corporation (LKCO)”'
    >>> listed_as(listed("GOWIN SEMICONDUCTOR CORPORATION"), "GOWIN Semiconductor Corporation")
    ''
    """
    listed = edge.properties.get("listed_name") if edge.kind == "LISTED_ON" else None
    if not isinstance(listed, str) or same_listed_name(listed, name):
        return ""
    return f" as “{listed}”"


# A short name a list adds in brackets after a company's name: "… Co., Ltd. (Hikvision)", "(SMIC)";
# not one that says what the company was or is also called ("(formerly China Avionics …)").
_SHORT_NAME = re.compile(r"\s*\((?!(?:formerly|also|aka|fka|now|previously|known)\b)[^()]*\)\s*$", re.I)


def same_listed_name(listed: str, name: str) -> bool:
    """Whether a list's name for a company is the graph's but for the short name it adds in brackets,
    abbreviated words, punctuation and the legal forms it leaves out (:func:`graph.names.same_company_name`):
    a row repeats only a name that really differs (DoD's “Luokong Technology Corporation (LKCO)”).

    >>> same_listed_name("Hangzhou Hikvision Digital Technology Co., Ltd. (Hikvision)",
    ...     "Hangzhou Hikvision Digital Technology Co., Ltd.")
    True
    >>> same_listed_name("Luokong Technology Corporation (LKCO)", "Luokung Technology Corp.")
    False
    """
    return same_company_name(listed, name) or same_company_name(_SHORT_NAME.sub("", listed), name)


def other_entry(view: GraphView, edge: Edge, at: Literal["start", "end"]) -> str:
    """What a listing's start or end row adds when the company has another entry on the same list
    that holds across that day (DoD's §1260H list named China Telecommunications Corporation from
    2021-06-03 and again, under its current name, from 2024-01-31): at the start, `` (already listed
    since 2021-06-03 as “China Telecommunications Corporation”)``, so the row is not read as a new
    listing; at the end, `` (still listed as “China Telecom Group Co., Ltd. (China Telecom)” since
    2024-01-31)``, so the removal of one entry is not read as the company's. Empty for any other
    edge, or where the company's other listings were not read with the row.

    >>> from graph.store.memory import MemoryStore
    >>> src = [Source(url="https://example.org/a", title="a", publisher="p", kind="official")]
    >>> def listed(start, end, name):
    ...     return Edge(id=start, kind="LISTED_ON", source="ORG:a", target="LIST:l", start=start, end=end,
    ...         confidence="verified", sources=src, properties={"listed_name": name})
    >>> old, new = listed("2021-06-03", "2025-01-06", "A Corp"), listed("2024-01-31", None, "A Group")
    >>> ends = [Node(id="ORG:a", kind="Company", name="A"), Node(id="LIST:l", kind="SanctionsList", name="L")]
    >>> store = MemoryStore.from_parts(ends, [old, new])
    >>> other_entry(store, new, "start"), other_entry(store, old, "end")
    (' (already listed since 2021-06-03 as “A Corp”)', ' (still listed as “A Group” since 2024-01-31)')
    """
    day = edge.start if at == "start" else edge.end
    if edge.kind != "LISTED_ON" or day is None:
        return ""
    try:
        entries = list(view.edges_of(edge.source, "out", ["LISTED_ON"]))
    except OrdergraphError:  # a face that did not read the company's listings says nothing more
        return ""
    holding = [
        e
        for e in entries
        if e.id != edge.id
        and e.target == edge.target
        and e.start is not None
        and e.start < day
        and (e.end is None or e.end > day)
    ]
    if not holding:
        return ""
    other = min(holding, key=lambda e: e.start or "")
    name = other.properties.get("listed_name")
    named = f" as “{name}”" if isinstance(name, str) else ""
    if at == "start":
        return f" (already listed since {other.start}{named})"
    return f" (still listed{named} since {other.start})"


def _as_listed(edge: Edge, reader: Node, other: Node) -> str:
    """:func:`listed_as` for an edge read from ``reader`` with ``other`` at its far end: every row of
    a listing (its start and end, the rule's rows, another source's date) gives the name the list
    used where it is not the graph's, so a reporter quoting any of them quotes what the list said."""
    if edge.kind != "LISTED_ON":
        return ""
    return listed_as(edge, (reader if edge.source == reader.id else other).name)


def node_event_label(node: Node, prop: str, label: str) -> str:
    """The words of a node's own dated event (``label``, from its property ``prop``): an order's
    taking effect says the wait its text sets before its prohibitions start
    (``prohibitions_after_days``, counted from the order's date, its signing), with the day it
    counts to: ``takes effect; prohibitions set to start 45 days after the order (2021-02-19)``.

    >>> eo = Node(id="EO:1", kind="ExecutiveOrder", name="Executive Order 1: X",
    ...     properties={"signed": "2021-01-05", "prohibitions_after_days": 45})
    >>> node_event_label(eo, "effective", "takes effect"), node_event_label(eo, "signed", "signed")
    ('takes effect; prohibitions set to start 45 days after the order (2021-02-19)', 'signed')
    """
    wait = node.properties.get("prohibitions_after_days")
    if prop != "effective" or isinstance(wait, bool) or not isinstance(wait, int):
        return label
    signed = node.properties.get("signed")
    day = f" ({add_days(signed, wait)})" if isinstance(signed, str) and len(signed) == 10 else ""
    return f"{label}; prohibitions set to start {wait} days after the order{day}"


def order_event(order: Node, label: str) -> str:
    """An order's own dated event as a row names it: ``EO 13959 — signed``."""
    return f"{short(order)}{_DASH}{label}"


def _stated_by_urls(edge: Edge, field: str) -> set[str]:
    """The URLs of the sources the data says state ``edge``'s value of ``field`` (``<field>_stated_by``)."""
    stated = edge.properties.get(f"{field}_stated_by")
    return {str(url) for url in stated} if isinstance(stated, list) else set()


def _names_speaker(template: str) -> bool:
    return "{s}" in template or "{S}" in template


def _why_ended(view: GraphView, edge: Edge, actions: list[Edge]) -> str | None:
    """The acts in the graph that ended ``edge``, in words: ``EO 13942 revoked by EO 14034``,
    ``EO 13959 (§§1–5 and the Annex) superseded by EO 14032``, ``delisted by New York Stock
    Exchange``, a re-listing on the same list, a court's final order vacating a listing (the
    listing's ``vacated_by``, and the injunction of that case it superseded); None when the graph
    holds none."""
    words: list[str] = []
    if edge.kind == "LISTED_ON":
        words += [
            f"designation vacated by the final order in {_case_name(c)}" for c in _vacated_by(view, edge)
        ]
    elif edge.kind == "ENJOINS" and _vacated_listings(view, edge):
        words.append("superseded by the court's final order vacating the designation")
    for action in actions:
        if action.kind in ("REVOKES", "SUPERSEDES"):
            ended, by = _node(view, action.target), _node(view, action.source)
            scope = action.properties.get("scope") if action.kind == "SUPERSEDES" else None
            what = f"{short(ended)} ({scope})" if scope else short(ended)
            verb = "revoked" if action.kind == "REVOKES" else "superseded"
            words.append(f"{what} {verb} by {short(by)}")
        elif action.kind == "EXCHANGE_ACTION":
            exchange = _node(view, action.source).name
            words.append(f"{_action_words(action.properties.get('action'))} by {exchange}")
        elif action.kind == "LISTED_ON":
            # Quoted only where the list named the company otherwise than the graph does (listed_as):
            # Luokung was listed again "using the correct spelling", its own name.
            named = listed_as(action, _node(view, action.source).name)
            own = " under its own name" if action.properties.get("listed_name") else ""
            words.append(f"listed again the same day{named or own}")
    return "; ".join(dict.fromkeys(words)) or None


def _vacated_by(view: GraphView, listing: Edge) -> list[Node]:
    """The court cases whose final order vacated ``listing`` on its end day (``vacated_by``)."""
    return [_node(view, i) for i in _vacated_ids(listing)]


def _vacated_ids(listing: Edge) -> list[str]:
    """The ids of the cases in ``listing``'s ``vacated_by``: comparing ids needs no node read."""
    ids = listing.properties.get("vacated_by")
    return [i for i in ids if isinstance(i, str)] if isinstance(ids, list) else []


def _vacated_listings(view: GraphView, injunction: Edge) -> list[Edge]:
    """The listings of the companies an injunction protects that its case's final order vacated on
    the day the injunction ended: the final order took the injunction's place."""
    whom = injunction.properties.get("applies_to")
    return [
        listing
        for company in (whom if isinstance(whom, list) else [])
        for listing in view.edges_of(str(company), "out", ["LISTED_ON"])
        if listing.end is not None
        and listing.end == injunction.end
        and injunction.source in _vacated_ids(listing)
    ]


def short(order: Node) -> str:
    """An order as rows name it first: ``EO 13959`` (its name when it has no number)."""
    number = order.properties.get("number")
    return f"EO {number}" if number else order.name


def _node(view: GraphView, node_id: str) -> Node:
    node = view.get_node(node_id)
    if node is None:
        raise MissingNode(node_id)
    return node


def _day(value: str | None) -> date | None:
    return first_day(value) if value is not None else None


def _injunction_text(case: Node, edge: Edge, whom: str | None = None) -> str:
    """An injunction as its row says it, after the order: ``enjoined by <case> (<court>) (as to: …)``."""
    where = " nationwide" if edge.properties.get("nationwide") is True else ""
    return f"enjoined{where} by {_case_words(case, edge, whom)}"


def _injunction_end(view: GraphView, case: Node, edge: Edge, whom: str | None = None) -> tuple[str, str]:
    """What ended when an injunction ends, and what it had covered, said after why it ended:
    (``injunction in <case> (<court>) ends``, `` (as to: …, as applied to …)``). Where the graph's
    act that day revoked the order it barred, no court acted: the injunction was "left with nothing
    to bar" (EO 14034's revocation of EO 13942 on 2021-06-09; the cases were dismissed weeks later);
    where it superseded part of the order, the injunction was "overtaken" (Luokung's, by EO 14032 on
    2021-06-03: its scope named DoD's designation too, which EO 14032 did not undo)."""
    where = "nationwide " if edge.properties.get("nationwide") is True else ""
    scope = edge.properties.get("scope")
    covered = [f"as to: {scope}"] if scope else []
    covered += [f"as applied to {whom}"] if whom else []
    acts = ending_actions(view, edge)
    kinds = {a.kind for a in acts if a.target == edge.target}
    ends = "ends"
    if acts and len(kinds) == 1 and all(a.target == edge.target for a in acts):
        ends = {"REVOKES": "left with nothing to bar", "SUPERSEDES": "overtaken"}.get(kinds.pop(), "ends")
    return f"{where}injunction in {_case_name(case)} {ends}", f" ({', '.join(covered)})" if covered else ""


def _case_name(case: Node) -> str:
    court = case.properties.get("court")
    return f"{case.name} ({court_abbreviation(court)})" if isinstance(court, str) else case.name


def _case_words(case: Node, edge: Edge, whom: str | None) -> str:
    text = _case_name(case)
    scope = edge.properties.get("scope")
    if scope:
        text = f"{text} (as to: {scope})"
    return f"{text}, as applied to {whom}" if whom else text


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


def _fetch_view(store: GraphStore, node: Node) -> tuple[_Fetched, list[Edge]]:
    """Everything the rows of ``node``'s own edges read, in at most nine store calls, whatever its degree.

    Its edges; the orders governing the lists it is on; every injunction, whom it names and what
    its order targets; what revoked or superseded each order it meets; what ended each of its
    edges that has an end (an exchange's next action, a re-listing); and who issues each security
    at the far end of such an edge or of one a source's quote dates (its names state the date).
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
        # Whom a disputed reading of its edges speaks of (NYSE's notice: the ADSs), named on its row.
        + [i for e in own for d in e.disputed for i in d.about]
        # The acts that moved an order's prohibitions off its day, named on that day's row.
        + movers(node)
    )
    orders = [g.source for g in governs] + [e.target for e in injunctions]
    orders += [other_end(e, node.id) for e in own if e.kind in ("TARGETS", "GOVERNS", "AMENDS")]
    if node.kind == "ExecutiveOrder":
        orders = [o for o in orders if o != node.id]
    ending = view.fetch_edges(orders, "in", ["REVOKES", "SUPERSEDES"])
    if node.kind == "ExecutiveOrder":
        # Who develops each app it targets: an injunction naming the developer protects the app.
        apps = [e.target for e in own if e.kind == "TARGETS" and e.source == node.id]
        view.fetch_edges([a for a in apps if _is_app(view.get_node(a))], "in", ["DEVELOPS"])
    # The other listings of the companies on its own listings: a second entry of one company on
    # the same list is said on both rows (:func:`other_entry`).
    listings_of = [e.source for e in own if e.kind == "LISTED_ON" and e.source != node.id]
    # What ended the node's own edges, where that lives on another node (its own edges are fetched).
    lookups = [ending_lookup(e) for e in own]
    others = {(i, d, k) for i, d, k in filter(None, lookups) if i != node.id and "REVOKES" not in k}
    listed = [i for i, d, _ in others if d == "out"]
    acted_on = [i for i, d, _ in others if d == "in"]
    # Its subsidiaries' securities: what exchanges did to them is part of a group's story too (the
    # securities they issue, read with its listings' lists; the exchanges' actions in the next call).
    subsidiaries = [e.source for e in own if e.kind == "SUBSIDIARY_OF" and e.target == node.id]
    kinds = ["LISTED_ON", "ISSUES"] if subsidiaries else ["LISTED_ON"]
    # The listings of whom an ended injunction protected: a final order vacating one superseded it.
    protected = [i for e in injunctions if e.end is not None for i in sorted(protected_by(e) or ())]
    listed += [i for i in protected if i != node.id] + listings_of
    held = [e for e in view.fetch_edges([*listed, *subsidiaries], "out", kinds) if e.kind == "ISSUES"]
    held = [e for e in held if e.source in subsidiaries]
    # The issuers of the securities at the far end of its ended edges name those edges too
    # (:func:`edge_names`): read with the exchanges' actions on them, the issuers with the orders.
    securities = [
        i
        for e in own
        if (e.end is not None or quotes_its_dates(e))
        and _kind(view, i := other_end(e, node.id)) == "Security"
    ]
    # The securities it issues: what exchanges did to them is part of its story (read in the same call).
    securities += [e.target for e in own if e.kind == "ISSUES" and e.source == node.id]
    # The securities its own exchange actions act on: what an action ended is said on its row.
    securities += [e.target for e in own if e.kind == "EXCHANGE_ACTION" and e.source == node.id]
    securities += [e.target for e in held]
    # Read with them, their trading: where an action ended a security's trading on the exchange (a
    # delisting), its row says so (:func:`replaced`).
    wanted = [*acted_on, *securities]
    read = view.fetch_edges(wanted, "both", ["EXCHANGE_ACTION", "ISSUES", "TRADES_ON"])
    issued = [e for e in read if e.kind != "TRADES_ON" and e.target in wanted]
    view.fetch_nodes(
        [e.source for e in ending]
        + [e.target for e in held]
        + [e.source for e in issued if e.kind == "ISSUES"]
        + [e.source for e in issued if e.kind == "EXCHANGE_ACTION"]
    )
    return view, injunctions


def _is_app(node: Node | None) -> bool:
    return node is not None and node.kind == "App"


def _kind(view: _Fetched, node_id: str) -> str | None:
    node = view.nodes.get(node_id)
    return None if node is None else node.kind


@dataclass
class _Subject:
    """Whose rows these are: the entity itself, or (on a security's timeline) one of its issuers.

    ``speaker`` opens each of its phrases on a security's timeline (``Xiaomi Corporation``);
    ``protected``: whom an injunction must name to protect it (an app: also its developers; on a
    security's timeline, :func:`graph.affects.protected_on_route` of the route);
    ``reached_by``: whether an order reaches it, for an injunction that names nobody;
    ``reach``: how an order targeting it reaches the security's issuer, when through a parent;
    ``rests_on``: the edges its rows rest on besides their own (an app on its developer's security's
    timeline: the ``DEVELOPS`` edge), whose confidence the rows say.
    """

    node: Node
    protected: Collection[str]
    reached_by: Callable[[str], bool]
    speaker: str | None = None
    reach: str | None = None
    rests_on: tuple[Edge, ...] = ()

    def phrase(self, edge: Edge, other: Node) -> str:
        text = _describe(edge, self.node, other) + _as_listed(edge, self.node, other)
        return f"{self.speaker} {text}" if self.speaker else text


@dataclass
class _Rows:
    """The rows of one timeline, as they are added; ``rests_on``: edges every row added rests on
    besides its own (a parent's rows on its subsidiary's security: the ``SUBSIDIARY_OF`` edge)."""

    timeline_of: Node
    events: list[TimelineEvent] = field(default_factory=list)
    rests_on: tuple[Edge, ...] = ()

    def add(
        self,
        when: str,
        kind: str,
        text: str,
        other: Node | None,
        edge: Edge | None,
        sources: list[Source],
        order: Node | None = None,
        note: str | None = None,
        fact: str | None = None,
        stated_by: list[Source] | None = None,
        announced: list[Source] | None = None,
        rests_on: Iterable[Edge] = (),
    ) -> None:
        """One row; ``fact``: the kind of fact its sources rank for when not ``kind``'s own
        (``ENJOINS`` when its words turn on an injunction: see :class:`graph.views.TimelineEvent`);
        ``stated_by``: which of ``sources`` state its date, cited first; ``announced``: when none
        does, those that only announced it ahead (:func:`graph.evidence.announced_by`);
        ``rests_on``: the edges its words rest on besides ``edge`` (a rule's row: the listing and
        the rule), whose least sure confidence its words say when not verified ("(likely)")."""
        resting = [edge, *self.rests_on, *rests_on] if edge is not None else []
        confidence = weakest(resting) if resting else None
        text += unsure(confidence)
        self.events.append(
            TimelineEvent(
                date=when,
                kind=kind,
                fact=fact,
                confidence=confidence,
                description=f"{short(order)}{_DASH}{text}" if order is not None else text,
                other=NodeRef.of(other) if other else None,
                edge_id=edge.id if edge else None,
                # A row resting on a listing (its own, or a rule's row on the listing and the rule)
                # ranks the listing's sources that do not name the company last, as the listing does.
                not_named_by=not_named_by_any(*resting),
                stated_by=stated_by or [],
                sources=sources,
                order=NodeRef.of(order) if order else None,
                sources_note=note,
                announced_by=announced or [],
                action=action_of(edge) if edge is not None and kind == "EXCHANGE_ACTION" else None,
            )
        )

    def add_ends(
        self,
        view: GraphView,
        edge: Edge,
        text: str,
        other: Node | None,
        order: Node | None,
        *,
        start: bool = True,
        end: bool = True,
        ended: str | None = None,
        tail: str = "",
        rests_on: Iterable[Edge] = (),
    ) -> None:
        """The edge's start and end rows (or one of them), resting on ``rests_on`` too. The start
        cites first the sources that state its date, then the rest of what the edge rests on; the end
        only the sources that state it, with those of the action that made it (an order's
        revocation, an exchange's next action).
        The end row says what ended (``ended``: :func:`_ended`; else "ends: <the start's words>") and
        the act that ended it where the graph holds one (:func:`_why_ended`), then ``tail`` (on a
        parent's timeline, ``(via <subsidiary>)``) and, for a listing, the company's other entry on
        the list that still holds (:func:`other_entry`)."""
        rests_on = tuple(rests_on)
        actions = ending_actions(view, edge)
        names = edge_names(view, edge)
        if start and edge.start is not None:
            sources, dated = start_row_sources(edge, actions, names)
            # A targeting whose prohibitions never came says so on the day it began (EO 13971's); a
            # listing's text gives the name the list gave the company (:func:`_as_listed`), and its
            # other entry on the list where one holds.
            begun = text + unapplied(edge) + other_entry(view, edge, "start")
            ahead = announced_by(sources, dated, edge.start)
            # An exchange's action that ended its previous one says so on its row (:func:`act_row`),
            # citing too what states that end (its own end row would read as a repeat of this one).
            ends = replaced_end_sources(view, replaced(view, edge))
            sources, dated = act_cites(edge, sources, dated, ends)
            self.add(
                edge.start,
                edge.kind,
                begun,
                other,
                edge,
                sources,
                order,
                stated_by=dated,
                announced=ahead,
                rests_on=rests_on,
            )
        if end and edge.end is not None and not replaced_by_next(view, edge):
            stated = end_sources(edge, actions, names)
            note = None if stated else NO_END_SOURCE
            words = _end_text(view, edge, actions, text, ended, tail + other_entry(view, edge, "end"))
            self.add(
                edge.end,
                edge.kind,
                words,
                other,
                edge,
                stated,
                order,
                note,
                stated_by=stated,
                rests_on=rests_on,
            )


def _shields(injunction: Edge, subject: _Subject) -> bool:
    """Whether an ENJOINS edge protects the subject, by the rule ``affects`` applies
    (:func:`graph.affects.protects`): it names one of ``protected``, or it is nationwide and
    its order reaches the subject."""
    if protected_by(injunction) is None:
        return subject.reached_by(injunction.target)
    return protects(injunction, subject.protected)


def _holding(injunctions: Iterable[Edge], order: Node, day: date, subject: _Subject) -> list[Edge]:
    """The dated injunctions protecting the subject from ``order`` that hold on ``day``, earliest
    first; one that blocks only the prohibitions due on other days (``enjoins_prohibitions_due``:
    TikTok Inc. v. Trump's first PI, the app-store prohibition of 2020-09-27) is not among them."""
    return sorted(
        (
            e
            for e in injunctions
            if e.target == order.id
            and e.start is not None
            and e.valid_on(day)
            and _shields(e, subject)
            and blocks_due(e, day)
        ),
        key=lambda e: first_day(e.start or ""),
    )


def _due_days(edge: Edge) -> list[str]:
    """The days a targeting's prohibitions were due: its ``applies_from`` and, where they came in
    phases, each later phase's (``later_prohibitions_from``: TikTok's items 2–5 of 2020-11-12)."""
    first = edge.properties.get("applies_from")
    later = edge.properties.get("later_prohibitions_from")
    days: list[object] = [first, *(later if isinstance(later, list) else [])]
    return [d for d in days if isinstance(d, str) and is_date(d)]


def _free_day(injunctions: list[Edge], start: date, end: date | None) -> date | None:
    """The first day in ``[start, end)`` no injunction of ``injunctions`` holds, or None."""
    day = start
    moved = True
    while moved and (end is None or day < end):
        moved = False
        for e in injunctions:
            if e.valid_on(day):
                if e.end is None:
                    return None
                day, moved = first_day(e.end), True
    return day if end is None or day < end else None


@dataclass
class _Route:
    """An order's rule over one listing: the dates it gives and how the route ended."""

    listing: Edge
    governs: Edge
    order: Node
    applies_from: str | None
    divest_until: str | None
    divest_time: str | None
    explicit: bool
    sources: list[Source]
    begins: date | None
    ends: date | None
    why_ended: str | None
    ended_by: list[Edge]


def _ending(view: GraphView, order_id: str) -> list[tuple[Edge, Node]]:
    """The dated acts that revoked or superseded an order, each with the order that did it."""
    acts = [e for e in view.edges_of(order_id, "in", ["REVOKES", "SUPERSEDES"]) if e.start is not None]
    return [(e, _node(view, e.source)) for e in acts]


def _route(
    view: GraphView,
    listing: Edge,
    governs: Edge,
    order: Node,
    ending: list[tuple[Edge, Node]] | None = None,
) -> _Route | None:
    """The rule ``governs`` gives ``listing`` (read by :func:`graph.affects.listing_rule`, as
    ``affects`` reads it: the listing's own dates first, else the rule's), or None when the order
    never governed the list while the company was on it. ``ending``: what revoked or superseded the
    order (:func:`_ending`), when the caller has read it already."""
    rule = listing_rule(listing, governs)
    starts = [d for d in (_day(listing.start), _day(governs.start), _day(_signed(order))) if d is not None]
    begins = max(starts) if starts else None
    # The route ends with the listing, the rule, or the order (revoked or superseded), the first.
    ends: list[tuple[date, str, list[Edge]]] = []
    if listing.end is not None:
        ends.append((first_day(listing.end), f"the listing ended on {listing.end}", []))
    for edge, by in _ending(view, order.id) if ending is None else ending:
        if edge.start is not None:
            scope = edge.properties.get("scope")
            what = f"{short(order)} ({scope})" if scope else short(order)
            verb = "revoked" if edge.kind == "REVOKES" else "superseded"
            ends.append((first_day(edge.start), f"{what} {verb} by {short(by)} on {edge.start}", [edge]))
    if governs.end is not None:
        ends.append((first_day(governs.end), f"{short(order)} governs the list only until {governs.end}", []))
    first_end = min(ends, key=lambda e: e[0]) if ends else None
    if begins is not None and first_end is not None and first_end[0] <= begins:
        return None
    return _Route(
        listing=listing,
        governs=governs,
        order=order,
        applies_from=rule.applies_from,
        divest_until=rule.divest_until,
        divest_time=rule.divest_time,
        explicit=rule.explicit,
        sources=rule.sources,
        begins=begins,
        ends=first_end[0] if first_end else None,
        why_ended=first_end[1] if first_end else None,
        ended_by=first_end[2] if first_end else [],
    )


def _superseding_window(view: GraphView, route: _Route) -> str:
    """``"; under EO 14032 divest-only sales are allowed before 12:01 a.m. EDT on 2022-06-03 (…)"``:
    the window an order superseding ``route``'s gave the same company, on a listing it had by the old
    deadline, read by the rule as ``affects`` reads it; ``""`` where it had none by then (Dawning, off
    EO 14032's Annex, listed again only on 2021-12-16)."""
    if route.divest_until is None:
        return ""
    deadline = first_day(route.divest_until)
    for supersedes in view.edges_of(route.order.id, "in", ["SUPERSEDES"]):
        if supersedes.start is None or first_day(supersedes.start) > deadline:
            continue
        for listing in view.edges_of(route.listing.source, "out", ["LISTED_ON"]):
            if listing.start is None or first_day(listing.start) > deadline:
                continue
            if listing.end is not None and first_day(listing.end) <= first_day(supersedes.start):
                continue
            for governs in view.edges_of(listing.target, "in", ["GOVERNS"]):
                rule = listing_rule(listing, governs) if governs.source == supersedes.source else None
                if rule is not None and rule.divest_until is not None:
                    successor = short(_node(view, supersedes.source))
                    window = divest_window(rule.divest_until, rule.divest_time)
                    return f"; under {successor} divest-only sales are allowed {window}"
    return ""


def _signed(order: Node) -> str | None:
    signed = order.properties.get("signed")
    return signed if isinstance(signed, str) and is_date(signed) else None


class _Builder:
    """Adds the rows of one subject's edges and routes to a timeline."""

    def __init__(self, view: GraphView, injunctions: list[Edge], rows: _Rows) -> None:
        self.view = view
        self.injunctions = injunctions
        self.rows = rows

    def due(
        self, when: str, order: Node, subject: _Subject, sources: list[Source]
    ) -> tuple[str, list[Source], str | None, list[Edge]]:
        """The words for prohibitions due on ``when``: they apply, or a court had blocked them; with
        the row's sources, the fact they rank for (``ENJOINS`` when blocked: the court's first) and
        the injunction the words rest on (none when they apply)."""
        holding = _holding(self.injunctions, order, first_day(when), subject)
        if not holding or holding[0].start is None:
            return "prohibitions apply", sources, None, []
        blocked = holding[0]
        case = _node(self.view, blocked.source)
        where = " nationwide" if protected_by(blocked) is None else ""
        words = f"prohibitions due, but enjoined{where} since {blocked.start} by {case.name}"
        # The court's own text backs "enjoined since"; the rest of the injunction's trail is on its row.
        court = stated_start(self.view, blocked)[:1]
        return words, [*sources, *court], _ENJOINED if court else None, [blocked]

    def listing(
        self, subject: _Subject, listing: Edge, *, only_orders: bool = False, reaching: bool = False
    ) -> None:
        """A listing's own rows (under the order governing the list that day) and its routes' rows;
        ``reaching``: only the rules that reach subsidiaries (a parent's listing), none if none does."""
        view = self.view
        lst = _node(view, listing.target)
        phrase = subject.phrase(listing, lst)
        governing = [
            (g, _node(view, g.source))
            for g in view.edges_of(listing.target, "in", ["GOVERNS"])
            if not reaching or reaches(g)
        ]
        if reaching and not governing:
            return
        routes = [r for g, order in governing if (r := _route(view, listing, g, order)) is not None]
        when = listing.start or listing.end
        order = _governing(view, governing, when) if when else None
        if (listing.start or listing.end) and (order is not None or not only_orders):
            as_listed = _as_listed(listing, subject.node, lst)
            ended = _ended(listing, subject.node.id, lst, subject.speaker, as_listed)
            self.rows.add_ends(view, listing, phrase, lst, order, ended=ended, rests_on=subject.rests_on)
        for route in routes:
            self.route(subject, route, phrase)
        self.disputed(listing, phrase, lst, order, only_orders)

    def route(self, subject: _Subject, route: _Route, phrase: str) -> None:
        """When prohibitions were due and whether they applied, when the divest-only window ends
        (cut short, or never applied), and when the order stopped applying."""
        order, rows = route.order, self.rows
        listed = _day(route.listing.start)
        # Every row of the route rests on the listing and the rule; one saying why the rule stopped
        # or a court blocked it, on that act too.
        base = (route.listing, route.governs, *subject.rests_on)
        if route.begins is not None and (listed is None or route.begins > listed):
            # The company was on the list before the order governed it: the day the order reached it.
            rows.add(
                route.begins.isoformat(),
                RULE_BEGINS,
                f"governs the list from {route.begins.isoformat()}: {phrase}",
                order,
                route.governs,
                list(route.governs.sources),
                order,
                fact="GOVERNS",
                rests_on=base,
            )
        due_edge = route.listing if route.explicit else route.governs
        due_kind = "LISTED_ON" if route.explicit else "GOVERNS"
        guarded = [e for e in self.injunctions if e.target == order.id and e.start and _shields(e, subject)]
        applied: date | None = None
        never = ""
        never_sources: list[Source] = []
        never_fact: str | None = None  # ENJOINS when a court is why the window never applied
        never_rests: list[Edge] = []  # the acts why it never applied: a court's order, a revocation
        if route.applies_from is not None:
            due_day = first_day(route.applies_from)
            if route.ends is not None and route.ends <= due_day:
                never = f"due {route.applies_from}; {route.why_ended}"
                never_sources = self._end_sources(route)
                rows.add(
                    route.applies_from,
                    PROHIBITIONS,
                    f"prohibitions never applied ({never}): {phrase}",
                    order,
                    due_edge,
                    by_authority([*route.sources, *never_sources], due_kind),
                    order,
                    fact=due_kind,
                    rests_on=[*base, *route.ended_by],
                )
            else:
                words, sources, fact, blocking = self.due(route.applies_from, order, subject, route.sources)
                text = f"{words}: {phrase}"
                rows.add(
                    route.applies_from,
                    PROHIBITIONS,
                    text,
                    order,
                    due_edge,
                    sources,
                    order,
                    fact=fact or due_kind,
                    rests_on=[*base, *blocking],
                )
                applied = _free_day(guarded, due_day, route.ends)
                if applied is None:
                    blocked = [e for e in guarded if e.valid_on(due_day) or _after(e, due_day, route.ends)]
                    courts = [f"enjoined on {e.start} by {_node(self.view, e.source).name}" for e in blocked]
                    never = "; ".join([*courts, route.why_ended or "the court order still holds"])
                    courts_cited = [stated_start(self.view, e)[0] for e in blocked if e.sources]
                    never_sources = [*courts_cited, *self._end_sources(route)]
                    never_fact = _ENJOINED if courts_cited else None
                    never_rests = [*blocked, *route.ended_by]
        if route.divest_until is not None:
            rests = list(base)
            if route.applies_from is not None and applied is None:
                text = f"divest-only window would have ended, but never applied ({never}): {phrase}"
                sources = [*never_sources, *route.sources]
                fact = never_fact
                rests += never_rests or route.ended_by
            else:
                hour = divest_hour(route.divest_until, route.divest_time)
                text = f"divest-only window ends{hour}: {phrase}"
                if route.ends is not None and route.ends <= first_day(route.divest_until):
                    # The rule stopped first (EO 14032 lifted EO 13959's restrictions on 2021-06-03):
                    # the day is the one the rule gave, not a deadline anyone met. Holders lost no time
                    # to sell: where the superseding order gave the company a window, the row says it.
                    first = f"but the rule stopped applying first ({route.why_ended})"
                    later = _superseding_window(self.view, route)
                    text = f"divest-only window was to end{hour}, {first}{later}: {phrase}"
                    rests += route.ended_by
                sources = route.sources
                fact = None
            # Its own date (on the listing) or the rule's (on the order's GOVERNS edge), as for the start.
            own = route.listing.properties.get("divest_until") == route.divest_until
            kind, edge = ("LISTED_ON", route.listing) if own else ("GOVERNS", route.governs)
            # Where other sources dispute the listing's own day, the data names those that state it
            # (divest_until_stated_by): they are credited, and one giving another day (its row is the
            # disagreement's) is not cited for this one.
            urls = _stated_by_urls(route.listing, "divest_until") if own else set()
            disputing = {
                s.url for d in route.listing.disputed if d.field == "divest_until" and own for s in d.sources
            }
            cited = [s for s in _unique(sources) if s.url not in disputing - urls]
            stating = [s for s in cited if s.url in urls]
            rows.add(
                route.divest_until,
                DIVEST_WINDOW,
                text,
                order,
                edge,
                cited,
                order,
                fact=fact or kind,
                stated_by=stating,
                rests_on=rests,
            )
        if route.ends is not None and route.ended_by and route.listing.end != route.ended_by[0].start:
            # The order stopped applying while the company was still listed: its own row.
            ended = route.ended_by[0]
            rows.add(
                ended.start or "",
                RULE_ENDS,
                f"no longer applies ({route.why_ended}): {phrase}",
                _node(self.view, ended.source),
                ended,
                stated_start(self.view, ended),
                order,
                fact="GOVERNS",
                rests_on=base,
            )

    def _end_sources(self, route: _Route) -> list[Source]:
        if route.ended_by:
            return stated_start(self.view, route.ended_by[0])
        if route.listing.end is not None and route.ends == first_day(route.listing.end):
            return stated_end(self.view, route.listing)
        return list(route.governs.sources)

    def targeting(self, subject: _Subject, edge: Edge, other: Node, order: Node) -> None:
        """A targeting's own rows, and when its prohibitions were due (and whether a court blocked them)."""
        # Read from the order, which the row names first: "EO 13943 — targets WeChat".
        phrase = _describe(edge, order, subject.node)
        ended = _ended(edge, order.id, subject.node)
        if subject.reach:
            phrase = f"{phrase} ({subject.reach})"
            ended = f"{ended} ({subject.reach})"
        if edge.start is not None or edge.end is not None:
            self.rows.add_ends(self.view, edge, phrase, other, order, ended=ended, rests_on=subject.rests_on)
        self.due_rows(edge, order, subject, phrase, other)
        self.disputed(edge, phrase, other, order, False, rests_on=subject.rests_on)

    def due_rows(self, edge: Edge, order: Node, subject: _Subject, phrase: str, other: Node | None) -> None:
        """A row for each day a targeting's prohibitions were due (:func:`_due_days`): they applied,
        or a court protecting ``subject`` had blocked them."""
        for value in _due_days(edge):
            words, sources, fact, blocking = self.due(value, order, subject, list(edge.sources))
            text = f"{words}: {phrase}"
            rests = [*subject.rests_on, *blocking]
            self.rows.add(
                value, PROHIBITIONS, text, other, edge, sources, order, fact=fact or edge.kind, rests_on=rests
            )

    def disputed(
        self,
        edge: Edge,
        phrase: str,
        other: Node | None,
        order: Node | None,
        only_orders: bool,
        rule_rows: bool = True,
        rests_on: Collection[Edge] = (),
    ) -> None:
        """A row for each date other sources give, saying both dates and whose each is; ``rule_rows``:
        the timeline has the rows of the edge's rule dates (prohibitions due, the divest-only
        window), else only its start and end are disputed here (a list's timeline: the rule's rows
        are its members'), for a disagreement reads only beside the row it disagrees with."""
        if only_orders and order is None:
            return
        here = self.rows.timeline_of
        for disputed in edge.disputed:
            if not rule_rows and disputed.field not in ("start", "end"):
                continue
            # A reading of some of a company's securities only (NYSE's notice on its ADSs): on another
            # security's timeline it says nothing; elsewhere the row says which it speaks of.
            if here.kind == "Security" and not disputed.concerns({here.id}):
                continue
            if is_date(disputed.value):
                self.rows.add(
                    str(disputed.value),
                    "DISPUTED",
                    f"{self.disagreement(edge, disputed, order)}: {phrase}",
                    other,
                    edge,
                    list(disputed.sources),
                    order,
                    rests_on=rests_on,
                )

    def disagreement(self, edge: Edge, disputed: Disputed, order: Node | None = None) -> str:
        """Both sides of a disagreement, each with whose it is: ``other sources give 2020-09-20 as the
        start of prohibitions (Orrick …), against 2020-09-27 (Federal Register …)`` — the other
        date's own row is on the same timeline — or, on a listing giving no start of prohibitions of
        its own, ``against 2021-03-15 (the rule of EO 13959)``, the day ``order``'s rule gives it (its
        row is on the timeline too), or ``against no end recorded`` where nothing gives one."""
        what = disputed_field(disputed.field, is_act(edge.kind))
        main = _main_value(edge, disputed.field)
        if disputed.until and main is not None:
            # A value its own body moved (Commerce's delay of TikTok's app-store ban): no one disagrees.
            stated = self._stating(edge, disputed.field)
            ours = _names(stated, list(disputed.sources)) if stated else "the sources on that day’s row"
            theirs = _names(list(disputed.sources))
            moved = f"was moved on {disputed.until} to {main} ({ours})"
            return f"{what} set for {disputed.value} ({theirs}) {moved}"
        ruled = self._ruled(edge, order) if main is None and disputed.field == "applies_from" else None
        if ruled is not None:
            theirs = _names(list(disputed.sources))
            if disputed.condition and order:
                # They give the rule's day too, and this one only in the case they name: no one disagrees.
                reading = f"{disputed.value} as {what}{self.about(disputed)} {disputed.condition}"
                rule = f"as the rule of {short(order)} gives"
                return f"other sources give {reading} ({theirs}), else {ruled}, {rule}"
            given = f"other sources give {disputed.value} as {what}{self.about(disputed)} ({theirs})"
            return f"{given}, against {ruled} (the rule of {short(order)})" if order else given
        stating = self._stating(edge, disputed.field) if main is not None else []
        backing = [s for s in stating if s.url not in {s.url for s in disputed.sources}]
        theirs = _names(list(disputed.sources), backing)
        given = f"other sources give {disputed.value} as {what}{self.about(disputed)} ({theirs})"
        if main is None:
            return f"{given}, against no {what.removeprefix('the ')} recorded"
        # No source's own words give it (the rule's notice and the delay rest on the whole edge):
        # the day's row cites what the edge rests on, and no one is credited here with words not theirs.
        ours = _names(backing, list(disputed.sources)) if backing else "the sources on that day’s row"
        if disputed.condition:
            reading = f"{disputed.value} as {what}{self.about(disputed)} {disputed.condition}"
            return f"other sources give {reading} ({theirs}), else {main} ({ours})"
        return f"{given}, against {main} ({ours})"

    def _ruled(self, edge: Edge, order: Node | None) -> str | None:
        """The start of prohibitions ``order``'s rule gives a listing that gives none of its own."""
        if order is None or edge.kind != "LISTED_ON":
            return None
        for governs in self.view.edges_of(edge.target, "in", ["GOVERNS"]):
            if governs.source == order.id:
                return listing_rule(edge, governs).applies_from
        return None

    def _stating(self, edge: Edge, field: str) -> list[Source]:
        """The sources of ``edge`` whose words state its value of ``field``."""
        if field == "start":
            return start_stated_by(edge, edge_names(self.view, edge))
        if field == "end":
            return end_sources(edge, names=edge_names(self.view, edge))
        # A rule date (applies_from, divest_until…) is credited only to the sources the data
        # says state it (``<field>_stated_by``): a source writing the same day for another event
        # (NYSE's suspension of CNOOC on 2021-03-09, the day its prohibitions began) is not.
        urls = _stated_by_urls(edge, field)
        return [s for s in edge.sources if s.url in urls]

    def about(self, disputed: Disputed) -> str:
        """`` for China Telecom Corporation Limited (NYSE CHA ADS)``: whom a reading narrower than its
        edge speaks of, unless it is the timeline's own entity (empty for a reading of the whole fact)."""
        if self.rows.timeline_of.id in disputed.about:
            return ""
        nodes = {node_id: self.view.get_node(node_id) for node_id in disputed.about}
        return about_names(disputed.about, {i: node.name for i, node in nodes.items() if node is not None})

    def injunctions_for(
        self, subject: _Subject, applied_to: Callable[[list[str]], str], skip: Collection[str] = ()
    ) -> None:
        """Every dated injunction that protected the subject, under the order it enjoined;
        ``applied_to`` words whom of the subject's ``protected`` one names (sorted ids)."""
        for edge in self.injunctions:
            if edge.start is None or edge.source in skip or edge.target in skip:
                continue
            if not _shields(edge, subject):
                continue
            case, order = _node(self.view, edge.source), _node(self.view, edge.target)
            ids = protected_by(edge)
            whom = None if ids is None else applied_to(sorted(ids.intersection(subject.protected)))
            ended, covered = _injunction_end(self.view, case, edge, whom)
            text = _injunction_text(case, edge, whom)
            self.rows.add_ends(
                self.view, edge, text, case, order, ended=ended, tail=covered, rests_on=subject.rests_on
            )


def _main_value(edge: Edge, field: str) -> str | None:
    """The value the edge itself gives the field a disputed reading differs on (its start, its end,
    a property), when a date."""
    value = edge.start if field == "start" else edge.end if field == "end" else edge.properties.get(field)
    return value if isinstance(value, str) and is_date(value) else None


# A disagreement row names at most this many sources a side, each cut to about this many characters
# (a publisher can be as long as "li-xiaohui/grab-companies (GitHub, commit …), a copy of …"): the
# row's links and the other date's row cite them all.
_SIDE_NAMED = 2
_SIDE_NAME_CHARS = 60


def _names(sources: list[Source], beside: list[Source] | None = None) -> str:
    """Whose a claim is, most authoritative first: ``Federal Register, 2020-09-24; Orrick …`` (at
    most ``_SIDE_NAMED`` named, then how many more); ``beside``: the other side's sources, told
    apart from these where a publisher is on both (Luokung's two filings, by their dates)."""
    every = source_names([*sources, *(beside or [])])[: len(sources)]
    named = [clipped(name, _SIDE_NAME_CHARS) for name in every]
    more = f" and {len(named) - _SIDE_NAMED} more" if len(named) > _SIDE_NAMED else ""
    return "; ".join(named[:_SIDE_NAMED]) + more


def _after(edge: Edge, day: date, until: date | None) -> bool:
    """Whether an injunction starts after ``day`` and before ``until``."""
    start = _day(edge.start)
    return start is not None and start > day and (until is None or start < until)


def _unique(sources: list[Source]) -> list[Source]:
    seen: set[str] = set()
    out = []
    for source in sources:
        if source.url not in seen:
            seen.add(source.url)
            out.append(source)
    return out


def _governing(view: GraphView, governing: list[tuple[Edge, Node]], when: str) -> Node | None:
    """The first order whose rule governs the list and is in effect on ``when``."""
    day = first_day(when)
    for governs, order in governing:
        if governs.valid_on(day) and order_inactive(view, order, day) is None:
            return order
    return None


def listing_order(view: GraphView, listing: Edge) -> Node | None:
    """The order a listing's rows stand under where they stand alone (``changes``): the one whose rule
    governs the list on the day the listing began (else ended), as the listed company's timeline
    names it (:func:`_governing`); None when no order does, or more than one.

    >>> from graph.store.memory import MemoryStore
    >>> src = [Source(url="https://example.org/a", title="a", publisher="p", kind="official")]
    >>> eo = Node(id="EO:1", kind="ExecutiveOrder", name="EO 1", properties={"number": "1"})
    >>> lst = Node(id="LIST:l", kind="SanctionsList", name="L")
    >>> co = Node(id="ORG:c", kind="Company", name="C")
    >>> governs = Edge(id="g", kind="GOVERNS", source="EO:1", target="LIST:l", start="2020-11-12",
    ...     confidence="verified", sources=src)
    >>> def listed(start):
    ...     return Edge(id=start, kind="LISTED_ON", source="ORG:c", target="LIST:l", start=start,
    ...         confidence="verified", sources=src)
    >>> store = MemoryStore.from_parts([eo, lst, co], [governs, listed("2021-01-08"), listed("2020-06-24")])
    >>> [getattr(listing_order(store, listed(day)), "id", None) for day in ("2021-01-08", "2020-06-24")]
    ['EO:1', None]
    """
    when = listing.start or listing.end
    if when is None:
        return None
    governing = [(g, _node(view, g.source)) for g in view.edges_of(listing.target, "in", ["GOVERNS"])]
    order = _governing(view, governing, when)
    if order is None or _governing(view, [(g, o) for g, o in governing if o.id != order.id], when):
        return None
    return order


def _order_of(view: GraphView, edge: Edge, node: Node) -> Node | None:
    """The executive order a row about ``edge`` is about, seen from ``node``."""
    if node.kind == "ExecutiveOrder":
        return node
    if edge.kind in ("TARGETS", "GOVERNS", "AMENDS", "REVOKES", "SUPERSEDES"):
        other = _node(view, edge.source)
        return other if other.kind == "ExecutiveOrder" else None
    if edge.kind == "ENJOINS":
        return _node(view, edge.target)
    return None


def timeline_of(store: GraphStore, node: Node) -> Timeline:
    """The timeline of ``node`` (see :func:`graph.query.timeline`)."""
    view, injunctions = _fetch_view(store, node)
    rows = _Rows(node)
    builder = _Builder(view, injunctions, rows)
    for prop, event in _NODE_EVENTS.items():
        value = node.properties.get(prop)
        label = node_event_label(node, prop, event)
        if isinstance(value, str) and is_date(value):
            # The node's own sources that give this day: a day the Register's text does not give
            # (31 CFR part 586 put on public inspection the day before it was published) is credited.
            stated = day_stated_by(node.sources, value)
            # None states it, but one announced it ahead (the rescission's publication).
            ahead = announced_by(node.sources, stated, value)
            if node.kind == "ExecutiveOrder":
                # The day it set for its prohibitions says what overtook it before it came.
                overtaken = prohibitions_day(view, node, injunctions) if prop == "prohibitions_from" else None
                label += overtaken.words if overtaken else ""
                sources = [*node.sources, *(overtaken.sources if overtaken else [])]
                rows.add(value, prop, label, None, None, sources, node, stated_by=stated, announced=ahead)
            else:
                # A document's own day reads as in ``changes`` (graph.changes): "issued (…)".
                if node.kind == "Document" and prop == "date":
                    label = document_day_words(node, prop)
                text = f"{label} ({node.name})"
                rows.add(value, prop, text, None, None, list(node.sources), stated_by=stated, announced=ahead)
    protected = {node.id}
    if node.kind == "App":
        protected |= {e.source for e in view.edges_of(node.id, "in", ["DEVELOPS"])}

    def targets_of(order_id: str) -> set[str]:
        return {t.target for t in view.edges_of(order_id, "out", ["TARGETS"])}

    def applied_to(named: list[str]) -> str:
        # An app's developer named: the injunction protects the app through it.
        via = [_node(view, i).name for i in named if i != node.id]
        return f"{node.name} (through its developer {', '.join(via)})" if via else node.name

    subject = _Subject(node, protected, _targeting(targets_of, protected))
    for edge in view.edges_of(node.id):
        other = _node(view, other_end(edge, node.id))
        if edge.kind == "LISTED_ON" and edge.source == node.id:
            builder.listing(subject, edge)
            continue
        if edge.kind == "TARGETS" and edge.target == node.id:
            builder.targeting(subject, edge, other, other)
            continue
        order = _order_of(view, edge, node)
        if edge.kind == "LISTED_ON":
            when = edge.start or edge.end
            governing = [(g, _node(view, g.source)) for g in view.edges_of(node.id, "in", ["GOVERNS"])]
            order = _governing(view, governing, when) if when else None
        ended: str | None
        if edge.kind == "ENJOINS":
            phrase = _injunction_text(_node(view, edge.source), edge)
            ended, tail = _injunction_end(view, _node(view, edge.source), edge)
            other = _node(view, edge.source) if node.kind == "ExecutiveOrder" else other
        elif order is not None and other.id == order.id and node.kind != "ExecutiveOrder":
            # Read from the order, which the row names first: "EO 13959 — governs …".
            phrase = _describe(edge, order, node)
            ended, tail = _ended(edge, order.id, node), ""
        else:
            phrase = (
                act_row(view, edge, node, other)
                if edge.kind == "EXCHANGE_ACTION"
                else _describe(edge, node, other) + _as_listed(edge, node, other)
            )
            ended, tail = _ended(edge, node.id, other, as_listed=_as_listed(edge, node, other)), ""
        if edge.start is not None or edge.end is not None:
            rows.add_ends(view, edge, phrase, other, order, ended=ended, tail=tail)
        if edge.kind == "TARGETS" and order is not None:
            # Whether a court had blocked them for the company or app targeted (an app: also
            # through its developers, as on the app's own timeline).
            shielded = {other.id}
            if other.kind == "App" and node.kind == "ExecutiveOrder":
                shielded |= {e.source for e in view.edges_of(other.id, "in", ["DEVELOPS"])}
            target = _Subject(other, shielded, _targeting(targets_of, shielded))
            builder.due_rows(edge, order, target, phrase, other)
        # The rule's dates of a listing are on the member's timeline, not the list's.
        builder.disputed(edge, phrase, other, order, False, rule_rows=edge.kind != "LISTED_ON")
    builder.injunctions_for(subject, applied_to, skip={node.id})
    for issues in view.edges_of(node.id, "out", ["ISSUES"]):
        _exchange_actions(view, builder, _node(view, issues.target))
    # Each subsidiary once, however many spans its SUBSIDIARY_OF edges have.
    for subsidiary_id in dict.fromkeys(e.source for e in view.edges_of(node.id, "in", ["SUBSIDIARY_OF"])):
        subsidiary = _node(view, subsidiary_id)
        for issues in view.edges_of(subsidiary_id, "out", ["ISSUES"]):
            _exchange_actions(view, builder, _node(view, issues.target), via=subsidiary)
    if node.kind == "Security":
        _security_rows(store, node, rows)
    rows.events.sort(key=_row_order)
    return Timeline(id=node.id, events=rows.events)


def _row_order(row: TimelineEvent) -> tuple[str, int, str, str]:
    """Rows by day; within a day the entity's own events first, as they happen (signed, published,
    takes effect), then the rest by kind: "EO 13959 — signed" before "EO 13959 — governs …"."""
    own = (
        list(_NODE_EVENTS).index(row.kind)
        if row.edge_id is None and row.kind in _NODE_EVENTS
        else len(_NODE_EVENTS)
    )
    return (row.date, own, row.kind, row.description)


def _exchange_actions(view: GraphView, builder: _Builder, security: Node, via: Node | None = None) -> None:
    """What exchanges did to a security its issuer issues, on the issuer's timeline: each action's
    rows as the security's own timeline gives them (its start, its end, a disputed date; dated and
    sourced alike), the security named first (``China Mobile Limited (NYSE CHL ADS) delisted by …``);
    on a parent's timeline, the subsidiary that issues it named last (``… (via China Mobile Limited)``)."""
    for edge in view.edges_of(security.id, "in", ["EXCHANGE_ACTION"]):
        exchange = _node(view, edge.source)
        through = f" (via {via.name})" if via is not None else ""
        phrase = f"{security.name} {act_row(view, edge, security, exchange)}{through}"
        ended = _ended(edge, security.id, exchange, security.name)
        builder.rows.add_ends(view, edge, phrase, exchange, None, ended=ended, tail=through)
        builder.disputed(edge, phrase, exchange, None, False)


def _targeting(targets_of: Callable[[str], set[str]], ids: Collection[str]) -> Callable[[str], bool]:
    """Whether an order targets one of ``ids``, read from ``targets_of``."""
    return lambda order_id: bool(targets_of(order_id).intersection(ids))


def _security_rows(store: GraphStore, security: Node, rows: _Rows) -> None:
    """The rule rows ``affects`` reads for a security, from its issuers: each listing on a list an
    order governs, each targeting of the issuer or an app it develops, and the injunctions that
    protected them — and the same for each parent of an issuer where the rule or the targeting
    reaches subsidiaries, while the issuer is its subsidiary — over the one neighbourhood
    :func:`graph.affects.affects` fetches; each kept to the days the issuer issued the security
    (:func:`_while_issued`)."""
    around = store.reach([security.id], AFFECTS_HOPS, AFFECTS_DEPTH)
    answer = _answers(around, security)
    for issues in around.edges_of(security.id, "in", ["ISSUES"]):
        issuer = _node(around, issues.source)
        history = _Rows(rows.timeline_of)
        _company_rows(around, issuer, history)
        for sub in around.edges_of(issuer.id, "out", ["SUBSIDIARY_OF"]):
            parent = _node(around, sub.target)
            # A parent's rows reach the security only through the subsidiary: they rest on that edge too.
            through = _Rows(rows.timeline_of, rests_on=(sub,))
            orders = _company_rows(around, parent, through, child=issuer)
            _while_subsidiary(around, security, sub, issuer, parent, orders, through.events, history)
        rows.events += _while_issued(issues, history.events, answer)
        _issued_under(around, security, issues, issuer, rows, answer)


def _answers(around: GraphView, security: Node) -> Callable[[date], AffectsAnswer]:
    """:func:`graph.affects.answer_over` for ``security`` on a day, each day's answer computed once."""

    @cache
    def answer(day: date) -> AffectsAnswer:
        return answer_over(around, security, day)

    return answer


def _while_issued(
    issues: Edge, events: list[TimelineEvent], answer: Callable[[date], AffectsAnswer]
) -> list[TimelineEvent]:
    """An issuer's rows (and its parents') as its security reads them: only those of days ``issues``
    holds, for ``affects`` reads no listing of the issuer before the security existed (China
    Telecom's Shanghai A-share, issued 2021-08-20, had no 2021-03-09 when EO 13959's prohibitions
    came for the company); and a row under an order only once ``affects`` has given that order for
    the security, on its first day or on a row's day or the day before (EO 13959's divest-only
    deadline of 2022-01-08, its rule stopped for the company on 2021-06-03, is not the A-share's).
    The issuer's own timeline keeps its whole history."""
    start = first_day(issues.start) if issues.start else None
    end = first_day(issues.end) if issues.end else None

    def given(day: date) -> set[str]:
        return {effect.id for effect in answer(day).orders}

    reached = given(start) if start else set()
    kept = []
    for event in sorted(events, key=_row_order):
        day = first_day(event.date)
        if (start is not None and day < start) or (end is not None and day > end):
            continue
        if event.order is not None and event.order.id not in reached:
            reached |= given(day) | given(day - timedelta(days=1))
            if event.order.id not in reached:
                continue
        kept.append(event)
    return kept


def _issued_under(
    around: GraphView,
    security: Node,
    issues: Edge,
    issuer: Node,
    rows: _Rows,
    answer: Callable[[date], AffectsAnswer],
) -> None:
    """A security issued after its issuer's rule applied: ``affects`` reaches it from the day it was
    issued, so that day has a row under each order it then gives, saying what the order does to it
    from then (China Telecom's Shanghai A-share, listed 2021-08-20, under EO 14032 in force for the
    company since 2021-08-02: "EO 14032 — issued by China Telecom Corporation Limited: the order's
    prohibitions apply to it from this day"); the edge's plain "issued by" row would repeat it."""
    if issues.start is None:
        return
    day = first_day(issues.start)
    before = {o.id for o in answer(day - timedelta(days=1)).orders}
    under = []
    for effect in answer(day).orders:
        through = any(step.id == issues.id for path in effect.paths for step in path)
        if through and effect.id not in before:
            order = _node(around, effect.id)
            text = f"issued by {issuer.name}: {_reaching(effect)}"
            rows.add_ends(around, issues, text, issuer, order, end=False)
            under.append(order)
    if under:
        rows.events = [
            e
            for e in rows.events
            if not (e.edge_id == issues.id and e.order is None and e.date == issues.start)
        ]


def _reaching(effect: OrderEffect) -> str:
    """What an order does to a security from the day it was issued, as ``affects`` answers that day.

    >>> effect = OrderEffect(id="EO:1", number="1", title="t", restriction="securities",
    ...     status="pending", applies_from="2022-02-08", basis="b", paths=[], sources=[])
    >>> _reaching(effect)
    'the order reaches it from this day, its prohibitions due 2022-02-08'
    >>> _reaching(effect.model_copy(update={"status": "in_force"}))
    "the order's prohibitions apply to it from this day"
    """
    if effect.status == "in_force" and effect.restriction == "securities":
        return "the order's prohibitions apply to it from this day"
    reach = "the order reaches it from this day"
    if effect.status == "enjoined":
        return f"{reach}, but a court has blocked it"
    if effect.status == "pending":
        due = effect.applies_from
        return (
            f"{reach}, its prohibitions due {due}"
            if due
            else f"{reach}, its prohibitions never put into effect"
        )
    return f"{reach}, its prohibitions in force on {restriction_label(effect.restriction)}"


def _while_subsidiary(
    around: GraphView,
    security: Node,
    via: Edge,
    child: Node,
    parent: Node,
    orders: Collection[str],
    events: list[TimelineEvent],
    rows: _Rows,
) -> None:
    """A parent's rows as the child's security reads them: only those of days the child is its
    subsidiary (``via`` holds), for ``affects`` reads a parent's listing or targeting only then; and
    ``via``'s start and end under each order ``affects`` gives the security through it that day
    (the start) or the day before (the end) — never an order not yet signed or already gone."""
    rows.events += [e for e in events if via.valid_on(first_day(e.date))]
    text = f"{child.name} subsidiary of {parent.name}"
    ended = f"{child.name} ceases to be a subsidiary of {parent.name}"
    for when, is_end in ((via.start, False), (via.end, True)):
        if when is None:
            continue
        day = first_day(when) - timedelta(days=1) if is_end else first_day(when)
        for effect in answer_over(around, security, day).orders:
            through = any(step.id == via.id for path in effect.paths for step in path)
            if effect.id in orders and through:
                order = _node(around, effect.id)
                rows.add_ends(around, via, text, parent, order, start=not is_end, end=is_end, ended=ended)


def _company_rows(around: GraphView, company: Node, rows: _Rows, child: Node | None = None) -> set[str]:
    """The rule rows of one issuer, or (``child`` given) of its parent: then only the rules and
    targetings that reach subsidiaries, each saying whom it reaches. Returns the orders they are about.

    Whom an injunction protects on each route is :func:`graph.affects.protected_on_route`'s answer,
    as ``affects`` reads it."""
    issuer = child or company
    develops = list(around.edges_of(company.id, "out", ["DEVELOPS"]))
    apps = [_node(around, d.target) for d in develops]
    # An app's targeting reaches the company only as its developer: its rows rest on that edge too.
    developed = {d.target: d for d in develops}
    targeted = [(company, t) for t in around.edges_of(company.id, "in", ["TARGETS"])]
    targeted += [(app, t) for app in apps for t in around.edges_of(app.id, "in", ["TARGETS"])]
    if child is not None:
        targeted = [(target, edge) for target, edge in targeted if reaches(edge)]
    protected: dict[str, set[str]] = {}
    for target, edge in targeted:
        protected.setdefault(edge.source, set()).update(protected_on_route(issuer.id, company.id, target.id))
    listings = list(around.edges_of(company.id, "out", ["LISTED_ON"]))
    for listing in listings:
        for governs in around.edges_of(listing.target, "in", ["GOVERNS"]):
            if child is None or reaches(governs):
                protected.setdefault(governs.source, set()).update(protected_on_route(issuer.id, company.id))
    orders = set(protected)
    if not orders:
        return orders
    injunctions = [e for o in sorted(orders) for e in around.edges_of(o, "in", ["ENJOINS"])]
    builder = _Builder(around, injunctions, rows)
    speaker = f"{company.name} (parent of {child.name})" if child else company.name
    reach = f"reaches {child.name} through its parent" if child else None

    def reached(order_id: str) -> bool:
        return order_id in orders

    listed = _Subject(company, protected_on_route(issuer.id, company.id), reached, speaker=speaker)
    for listing in listings:
        builder.listing(listed, listing, only_orders=True, reaching=child is not None)
    for target, edge in targeted:
        order = _node(around, edge.source)
        through = protected_on_route(issuer.id, company.id, target.id)
        via = (developed[target.id],) if target.id in developed else ()
        on = _Subject(target, through, reached, speaker=target.name, reach=reach, rests_on=via)
        builder.targeting(on, edge, order, order)
    # Each injunction under the order it enjoined, saying truly whom it named.
    developer = f"{company.name}, parent of {child.name}" if child else company.name
    words = {issuer.id: issuer.name, company.id: speaker}
    words |= {app.id: f"{app.name} (developed by {developer})" for app in apps}

    def applied_to(named: list[str]) -> str:
        return ", ".join(words[i] for i in named if i in words)

    for order_id in sorted(orders):
        enjoining = [e for e in injunctions if e.target == order_id]
        subject = _Subject(company, protected[order_id], reached, speaker=speaker)
        _Builder(around, enjoining, rows).injunctions_for(subject, applied_to)
    return orders


def rule_rows(store: GraphStore, start: date, end: date) -> list[tuple[Node, TimelineEvent]]:
    """The rows orders' rules give on days in ``[start, end]`` — a listing's prohibitions due (and
    whether they applied), its divest-only window's last day, the rule reaching it or no longer
    applying; a targeting's prohibitions due — each as the listed company's (or the targeted
    company's or app's) timeline gives it, the company named first (``EO 13959 — prohibitions apply:
    Semiconductor Manufacturing International Corporation listed on …``): what
    :func:`graph.changes.changes` lists beside the edges that began or ended, so that it never says
    "nothing began or ended" on the day a ban began.

    Only the listings and targetings whose rule gives a day in the window are read through: one
    pass over the ``GOVERNS``, ``TARGETS`` and ``LISTED_ON`` edges, then the routes of those. Each
    row with the company or app it is about."""
    governing: dict[str, list[tuple[Edge, Node]]] = {}
    for governs in store.edges("GOVERNS"):
        governing.setdefault(governs.target, []).append((governs, _node(store, governs.source)))
    orders = {order.id: order for pairs in governing.values() for _, order in pairs}
    # Read once per order, not per listing: what revoked or superseded it (with who did), and the
    # injunctions against it (filled on first use, for the targetings' orders as for the rules').
    ending = {order_id: _ending(store, order_id) for order_id in orders}
    stops = {order_id: [e.start for e, _ in pairs if e.start] for order_id, pairs in ending.items()}
    injunctions: dict[str, list[Edge]] = {}

    def injunctions_of(order_id: str) -> list[Edge]:
        if order_id not in injunctions:
            injunctions[order_id] = list(store.edges_of(order_id, "in", ["ENJOINS"]))
        return injunctions[order_id]

    # Which orders govern each list: whom an injunction naming nobody reaches, once per list.
    governed = {list_id: {o.id for _, o in pairs}.__contains__ for list_id, pairs in governing.items()}

    def in_window(value: object) -> bool:
        return isinstance(value, str) and is_date(value) and start <= first_day(value) <= end

    events: list[tuple[Node, TimelineEvent]] = []

    def targets_of(order_id: str) -> set[str]:
        return {t.target for t in store.edges_of(order_id, "out", ["TARGETS"])}

    # A targeting's days (an app ban's prohibitions due), read from the order as its timeline does.
    for edge in store.edges("TARGETS"):
        if not any(in_window(d) for d in _due_days(edge)):
            continue
        order, target = _node(store, edge.source), _node(store, edge.target)
        shielded = {target.id}
        if target.kind == "App":
            shielded |= {e.source for e in store.edges_of(target.id, "in", ["DEVELOPS"])}
        subject = _Subject(target, shielded, _targeting(targets_of, shielded))
        rows = _Rows(target)
        builder = _Builder(store, injunctions_of(order.id), rows)
        builder.due_rows(edge, order, subject, _describe(edge, order, target), order)
        events += [(target, row) for row in rows.events if in_window(row.date)]
    for listing in store.edges("LISTED_ON"):
        for governs, order in governing.get(listing.target, []):
            rule = listing_rule(listing, governs)
            days = [rule.applies_from, rule.divest_until, listing.start, governs.start, _signed(order)]
            if not any(in_window(d) for d in [*days, *stops[order.id]]):
                continue
            route = _route(store, listing, governs, order, ending[order.id])
            if route is None:
                continue
            company, lst = _node(store, listing.source), _node(store, listing.target)
            subject = _Subject(
                company, protected_on_route(company.id), governed[listing.target], company.name
            )
            rows = _Rows(company)
            _Builder(store, injunctions_of(order.id), rows).route(
                subject, route, subject.phrase(listing, lst)
            )
            events += [(company, row) for row in rows.events if in_window(row.date)]
    return events
