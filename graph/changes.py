"""``changes``: what began or ended between two days — listings, orders, exchange actions, rulings.

A reporter back from leave asks "what happened while I was away?": every
dated event in the window, grouped by day, each naming the entities to open.
"""

from __future__ import annotations

from datetime import date

from graph.document_days import ACT_DAYS, DOCUMENT_DAYS, document_day, document_day_words, names_act
from graph.errors import OrdergraphError
from graph.evidence import (
    NO_END_SOURCE,
    announced_by,
    day_stated_by,
    edge_names,
    end_sources,
    ending_actions,
    start_row_sources,
)
from graph.model import (
    Edge,
    Node,
    first_day,
    is_date,
    last_day,
    not_named_by_any,
)
from graph.plain import unsure
from graph.prohibitions_day import ProhibitionsDay, prohibitions_day
from graph.store.base import GraphStore
from graph.timeline import (
    act_cites,
    act_row,
    action_of,
    end_row,
    listed_as,
    listing_order,
    node_event_label,
    order_event,
    other_entry,
    replaced,
    replaced_by_next,
    replaced_end_sources,
    rule_rows,
    short,
    start_row,
)
from graph.views import Change, ChangeDay, Changes, NodeRef

# The edge kinds that are news when they begin or end, and how each reads.
_BEGAN = {
    "LISTED_ON": "{s} listed on {t}",
    "TARGETS": "{s} targets {t}",
    "GOVERNS": "{s} governs {t}",
    "AMENDS": "{s} amends {t}",
    "REVOKES": "{s} revokes {t}",
    "SUPERSEDES": "{s} supersedes {t}",
    "EXCHANGE_ACTION": "",  # its words: graph.labels.exchange_act (act_row)
    "ENJOINS": "{s} enjoins {t}",
    "TRADES_ON": "{s} starts trading on {t}",
    "DESIGNATES": "{s} designates {t}",
}
# The kinds whose end is news too; an end row reads as the timeline's (graph.timeline.end_row).
_ENDS = {"LISTED_ON", "TARGETS", "GOVERNS", "EXCHANGE_ACTION", "ENJOINS", "TRADES_ON", "DESIGNATES"}
# Kinds whose start is an event on a day (an order amends, an exchange suspends), not a period
# beginning: their rows read as the event, with no "began".
_EVENTS = {"AMENDS", "REVOKES", "SUPERSEDES", "EXCHANGE_ACTION"}


# A document's dated properties that are events of their own, each row in a reporter's words: the days
# it was out (graph.document_days.DOCUMENT_DAYS, worded by document_day_words as its own timeline words them:
# the day an act bears is the day it was issued, by the court for a court's order; a bare "<name>
# dated" read clumsily, issue 7), then the day it takes effect.
_DOCUMENT_DATES = (*DOCUMENT_DAYS, "effective")


def _node_event(node: Node, prop: str, label: str) -> str:
    """An order's or a case's own dated event: an order under its number as every row names it, its
    title once, on the day it was signed (``EO 13971 — signed: Addressing the Threat Posed by …``);
    a case by its name (``Xiaomi Corporation v. U.S. Department of Defense filed``); taking effect,
    with the wait its text sets before its prohibitions start (:func:`node_event_label`)."""
    label = node_event_label(node, prop, label)
    if node.kind != "ExecutiveOrder":
        return f"{node.name} {label}"
    title = node.name.partition(": ")[2] if prop == "signed" else ""
    return order_event(node, f"{label}: {title}" if title else label)


# Within a day: the orders' and cases' own events, then the acts of the day (an order revokes
# another, an exchange acts), then what began, then what ended — a cause before its effects.
_WITHIN_DAY = ("node", "event", "began", "ended")


def _change_order(change: Change) -> tuple[str, int, str, str]:
    """Changes by day, a day's as it unfolds (``_WITHIN_DAY``: "EO 14034 — signed", "— takes
    effect", "— revokes EO 13942", then "EO 13942 — targeting of TikTok ends: …"), then by kind."""
    what = "node" if change.edge_id is None else change.what
    return (change.date, _WITHIN_DAY.index(what), change.kind, change.description)


def _document_acts(store: GraphStore, start: date, end: date) -> list[Change]:
    """The days of documents that are acts (a rescission, a court's order, a regulation: what they
    mention they name, as the timelines say "named in"): issued, published, taking effect, each a row
    naming what the document names (``Commerce: rescission of … published (names TikTok, WeChat)``);
    a court's order is issued by the court."""
    found: list[Change] = []
    for document in store.nodes("Document"):
        if not names_act(document):
            continue
        named = [
            node
            for e in store.edges_of(document.id, "out", ["MENTIONS"])
            if (node := store.get_node(e.target)) is not None
        ]
        names = ", ".join(short(n) if n.kind == "ExecutiveOrder" else n.name for n in named)
        out = document_day(document)
        for prop in _DOCUMENT_DATES:
            value = document.properties.get(prop)
            if _within(value, start, end):
                notes = [f"names {names}"] if names else []
                # "Marland v. Trump (3d Cir.): dismissal of the government's appeal issued by the
                # court", as the document's own timeline words it
                label = document_day_words(document, prop) if prop in DOCUMENT_DAYS else ACT_DAYS[prop]
                if prop == "effective" and out and last_day(str(value)) < first_day(out.day):
                    # Commerce's rescission: effective 2021-06-16, put on public inspection 2021-06-21.
                    # Not from its publication alone: it may have been out before (a Federal Register
                    # document can take effect on its public inspection, days before it is published).
                    if out.given_by != "published":
                        label = f"{label} retroactively"
                    notes.insert(0, f"it was {out.words} later, on {out.day}")
                found.append(
                    Change(
                        date=str(value),
                        what="event",
                        kind=document.kind,
                        description=f"{document.name} {label}" + (f" ({'; '.join(notes)})" if notes else ""),
                        edge_id=None,
                        entities=[NodeRef.of(document), *(NodeRef.of(n) for n in named)],
                        # Its sources that give this day, as its own timeline credits them: where the
                        # most authoritative does not (Reuters, on the rescission's retroactive
                        # effect), the face names the one that does.
                        stated_by=(stated := day_stated_by(document.sources, str(value))),
                        sources=document.sources,
                        # None gives it, but one announced it ahead (the rescission's publication).
                        announced_by=announced_by(document.sources, stated, str(value)),
                    )
                )
    return found


def _within(value: object, start: date, end: date) -> bool:
    return isinstance(value, str) and is_date(value) and start <= first_day(value) <= end


def _edge_change(store: GraphStore, edge: Edge, when: str, what: str, source: Node, target: Node) -> Change:
    # What ended the edge (an order's revocation, an exchange's next action) states its end.
    actions, names = ending_actions(store, edge), edge_names(store, edge)
    if what == "began":
        sources, stated = start_row_sources(edge, actions, names)
        ahead = announced_by(sources, stated, when)
        # Under the order it is about, as its end row and the order's timeline say it ("EO 13971 —
        # targets Alipay"); an exchange's action as the exchange's timeline says it, with what it
        # ended (act_row); else the change's own words.
        if edge.kind == "EXCHANGE_ACTION":
            description = act_row(store, edge, source, target)
        else:
            description = start_row(edge, source, target) or _BEGAN[edge.kind].format(
                s=source.name, t=target.name
            ) + listed_as(edge, source.name) + other_entry(store, edge, "start")
        # An exchange's action that ended its previous one cites too what states that end.
        ends = replaced_end_sources(store, replaced(store, edge))
        sources, stated = act_cites(edge, sources, stated, ends)
    else:
        sources = stated = end_sources(edge, actions, names)  # each states the end
        ahead = []
        # What ended and the act that ended it, as the entity's timeline says it.
        description = end_row(store, edge, source, target)
    # A listing under the order governing its list that day, as the company's timeline names it
    # ("EO 13959 — CNOOC Limited listed on …").
    order = listing_order(store, edge) if edge.kind == "LISTED_ON" else None
    if order is not None:
        description = order_event(order, description)
    return Change(
        date=when,
        what=("event" if edge.kind in _EVENTS else "began") if what == "began" else "ended",
        kind=edge.kind,
        # An edge not verified says so, as its timeline row does ("… ends (likely)").
        description=description + unsure(edge.confidence),
        confidence=edge.confidence,
        edge_id=edge.id,
        entities=[NodeRef.of(source), NodeRef.of(target)],
        not_named_by=not_named_by_any(edge),
        stated_by=stated,
        sources=sources,
        sources_note=NO_END_SOURCE if what == "ended" and not sources else None,
        announced_by=ahead,
        action=action_of(edge),
    )


def changes(store: GraphStore, start: date, end: date) -> Changes:
    """Every listing, order, exchange action or ruling that began or ended in ``[start, end]``.

    Parameters
    ----------
    store : GraphStore
    start, end : date
        The first and last day of the window, both included.

    Returns
    -------
    Changes
        Days in order, each with its changes; a date of month or year precision
        counts on its first day.

    Examples
    --------
    >>> from graph.store.memory import MemoryStore
    >>> from graph.model import Node
    >>> store = MemoryStore.from_parts([Node(id="EO:1", kind="ExecutiveOrder", name="EO 1",
    ...     properties={"signed": "2021-06-03"})], [])
    >>> [(d.date, c.description) for d in changes(store, date(2021, 6, 1), date(2021, 6, 30)).days
    ...  for c in d.changes]
    [('2021-06-03', 'EO 1 — signed')]
    """
    if end < start:
        raise OrdergraphError(f"the window ends ({end}) before it starts ({start})")
    found: list[Change] = []
    for kind in _BEGAN:
        for edge in store.edges(kind):
            ends = [(edge.start, "began"), (edge.end, "ended")]
            for when, what in ends:
                if when is None or not _within(when, start, end) or (what == "ended" and kind not in _ENDS):
                    continue
                if what == "ended" and replaced_by_next(store, edge):
                    continue  # the exchange's next action, that day, says it on its row
                source, target = store.get_node(edge.source), store.get_node(edge.target)
                if source is None or target is None:
                    raise OrdergraphError(f"edge {edge.id}: dangling end")
                found.append(_edge_change(store, edge, when, what, source, target))
    for node_kind in ("ExecutiveOrder", "CourtCase"):
        for node in store.nodes(node_kind):
            for prop, label in ACT_DAYS.items():
                value = node.properties.get(prop)
                if _within(value, start, end):
                    # The day an order set for its prohibitions says what overtook it before it came.
                    overtaken = (
                        prohibitions_day(store, node, store.edges_of(node.id, "in", ["ENJOINS"]))
                        if prop == "prohibitions_from"
                        else ProhibitionsDay()
                    )
                    found.append(
                        Change(
                            date=str(value),
                            what="event",
                            kind=node.kind,
                            description=_node_event(node, prop, label) + overtaken.words,
                            edge_id=None,
                            entities=[NodeRef.of(n) for n in (node, *overtaken.named)],
                            sources=[*node.sources, *overtaken.sources],
                        )
                    )
    found += _document_acts(store, start, end)
    # The days an order's rule gave a listing: prohibitions due, a divest-only window's last day.
    for company, row in rule_rows(store, start, end):
        found.append(
            Change(
                date=row.date,
                what="event",
                kind=row.kind,
                fact=row.fact,
                description=row.description,
                edge_id=row.edge_id,
                entities=[NodeRef.of(company), *([row.order] if row.order else [])],
                not_named_by=row.not_named_by,
                stated_by=row.stated_by,
                sources=row.sources,
                sources_note=row.sources_note,
                announced_by=row.announced_by,
                confidence=row.confidence,
            )
        )
    by_day: dict[str, list[Change]] = {}
    for change in sorted(found, key=_change_order):
        by_day.setdefault(change.date, []).append(change)
    return Changes(
        start=start.isoformat(),
        end=end.isoformat(),
        days=[ChangeDay(date=day, changes=items) for day, items in by_day.items()],
    )
