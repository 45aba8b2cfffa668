"""What became of the day an order set for its prohibitions, before that day came.

EO 13942 and EO 13943 set their prohibitions for 45 days after the orders (2020-09-20). Before that
day Commerce moved TikTok's (its identification of 2020-09-18 set most of them for 2020-11-12, its
delay of 2020-09-19 moved the app-store prohibition to 2020-09-27), and a court enjoined WeChat's
nationwide (2020-09-19). The order's own row for the day ("EO 13942 — prohibitions set to start")
says so, naming the acts, or it reads as the day prohibitions started.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from graph.document_days import document_day
from graph.evidence import stated_start
from graph.labels import entity_ids
from graph.model import Edge, Node, Source, blocks_due, first_day, is_date, protected_by
from graph.store.base import GraphView

MOVED_BY = "prohibitions_moved_by"


@dataclass(frozen=True)
class ProhibitionsDay:
    """The words that follow "prohibitions set to start" (empty when nothing overtook the day), the
    acts and cases they name, and the sources that state each (after the order's own)."""

    words: str = ""
    named: list[Node] = field(default_factory=list)
    sources: list[Source] = field(default_factory=list)


def movers(order: Node) -> list[str]:
    """The ids of the acts the data says moved ``order``'s prohibitions off its day."""
    return entity_ids(MOVED_BY, order.properties.get(MOVED_BY)) or []


def prohibitions_day(view: GraphView, order: Node, injunctions: Iterable[Edge]) -> ProhibitionsDay:
    """What overtook the day ``order`` set for its prohibitions (``prohibitions_from``) before it
    came: the acts that moved it (``prohibitions_moved_by``, each with its day), and a nationwide
    injunction against the order in force by then that blocked what was due that day
    (``injunctions``: ENJOINS edges; those of other orders, and those protecting only the parties
    they name, under which the prohibitions applied to everyone else, are passed over).

    >>> from graph.store.memory import MemoryStore
    >>> eo = Node(id="EO:1", kind="ExecutiveOrder", name="Executive Order 1: X",
    ...     properties={"prohibitions_from": "2020-09-20", "prohibitions_moved_by": ["DOC:delay"]})
    >>> delay = Node(id="DOC:delay", kind="Document", name="Commerce: delay",
    ...     properties={"date": "2020-09-19"})
    >>> case = Node(id="CASE:X:1:20-cv-1", kind="CourtCase", name="A")
    >>> court = Source(url="https://court.example/pi", title="PI", publisher="Court", kind="court")
    >>> pi = Edge(id="e", kind="ENJOINS", source=case.id, target=eo.id, start="2020-09-19",
    ...     confidence="verified", sources=[court], properties={"nationwide": True})
    >>> store = MemoryStore.from_parts([eo, delay, case], [pi])
    >>> print(prohibitions_day(store, eo, [pi]).words)
    , but moved before that day (Commerce: delay, 2020-09-19) and enjoined nationwide since 2020-09-19 by A
    >>> prohibitions_day(store, eo.model_copy(update={"properties": {}}), []).words
    ''
    """
    day = order.properties.get("prohibitions_from")
    if not isinstance(day, str) or not is_date(day):
        return ProhibitionsDay()
    parts: list[str] = []
    named: list[Node] = []
    sources: list[Source] = []
    acts = [act for i in movers(order) if (act := view.get_node(i)) is not None]
    if acts:
        parts.append("moved before that day (" + "; ".join(_dated(act) for act in acts) + ")")
        named += acts
        sources += [s for act in acts for s in act.sources]
    blocked = _blocking(order, first_day(day), injunctions)
    if blocked is not None and blocked.start is not None:
        case = view.get_node(blocked.source)
        if case is not None:
            parts.append(f"enjoined nationwide since {blocked.start} by {case.name}")
            named.append(case)
            # The court's own text states "enjoined since" (as the rule rows cite it).
            sources += stated_start(view, blocked)[:1]
    if not parts:
        return ProhibitionsDay()
    return ProhibitionsDay(words=", but " + " and ".join(parts), named=named, sources=sources)


def _dated(act: Node) -> str:
    """An act by its name and its first day out (:func:`graph.document_days.document_day`)."""
    out = document_day(act)
    return f"{act.name}, {out.day}" if out else act.name


def _blocking(order: Node, day: date, injunctions: Iterable[Edge]) -> Edge | None:
    """The first nationwide injunction against ``order`` in force on ``day`` that blocks what fell
    due then: one that names no due days (``enjoins_prohibitions_due``) blocks them all."""
    for edge in sorted(injunctions, key=lambda e: e.start or ""):
        if (
            edge.target == order.id
            and edge.start is not None
            and protected_by(edge) is None
            and edge.valid_on(day)
            and blocks_due(edge, day)
        ):
            return edge
    return None
