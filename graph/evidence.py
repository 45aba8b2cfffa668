"""Which of an edge's sources state its start, and which its end.

A row saying a listing ended must not cite the release that made it: a reporter
who checks reads the opposite. Nor may it cite a source only because it is dated
on or after the end: a release of that day may be about something else. A source
states the end when it is a source of the action that made the end (an order
revoking or superseding the one the edge is about, an exchange's next action on
the security, a re-listing under another name: :func:`ending_actions`), when the
data says so (the edge's ``end_stated_by`` names its address), or when its quote
or locator gives the end day itself (an exchange's notice, days ahead, of the day
it strikes a listing).
"""

from __future__ import annotations

import calendar
from collections.abc import Collection

from graph.model import Edge, Source, by_authority
from graph.store.base import GraphView

NO_END_SOURCE = "no source cited for the end date"
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


def _written(day: str) -> tuple[str, ...]:
    """A day as sources write it: ``2021-03-18``, ``2021年3月18日``, ``March 18, 2021``."""
    if len(day) != 10:
        return ()
    year, month, dom = (int(p) for p in day.split("-"))
    return (day, f"{year}年{month}月{dom}日", f"{calendar.month_name[month]} {dom}, {year}")


def states_end(source: Source, end: str, ending: Collection[str] = ()) -> bool:
    """Whether ``source`` can tell a reader the edge ended on ``end``: its address is in ``ending``
    (:func:`ending_urls`: the data says it states the end, or it is a source of the action that
    made it), or its quote or locator gives the day. Its date alone does not make it one: a
    release dated on the end day may be about something else.

    >>> from graph.model import Source
    >>> notice = Source(url="https://example.org/n", title="n", publisher="p", kind="other",
    ...     date="2021-03-12", quote="5.摘牌日期:2021年3月18日")
    >>> states_end(notice, "2021-03-18"), states_end(notice, "2021-03-19")
    (True, False)
    >>> same_day = Source(url="https://example.org/r", title="r", publisher="p", kind="official",
    ...     date="2021-03-19")
    >>> states_end(same_day, "2021-03-19"), states_end(same_day, "2021-03-19", {"https://example.org/r"})
    (False, True)
    """
    if source.url in ending:
        return True
    text = " ".join(filter(None, (source.quote, source.locator))).replace(" ", "")
    return any(form.replace(" ", "") in text for form in _written(end))


def end_sources(edge: Edge, actions: Collection[Edge] = ()) -> list[Source]:
    """The sources that state the edge's end, most authoritative first; [] when none does.

    The edge's own sources that state it, then those of the actions that ended it
    (``actions``, from :func:`ending_actions`) that the edge does not already cite.
    """
    end = edge.end
    if end is None:
        return []
    ending = ending_urls(edge, actions)
    stated = [s for s in edge.sources if states_end(s, end, ending)]
    cited = {s.url for s in stated}
    for action in actions:
        for source in start_sources(action):
            if source.url not in cited:
                cited.add(source.url)
                stated.append(source)
    return by_authority(stated, edge.kind)


def start_sources(edge: Edge, actions: Collection[Edge] = ()) -> list[Source]:
    """The edge's sources except those that state its end (``actions``: what ended it).

    All of them when every source states the end: they are what the edge rests on.
    """
    end = edge.end
    ending = ending_urls(edge, actions)
    earlier = [s for s in edge.sources if end is None or not states_end(s, end, ending)]
    return by_authority(earlier or list(edge.sources), edge.kind)
