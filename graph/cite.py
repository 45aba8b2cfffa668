"""Citations in the form reporters and lawyers use.

- an order: ``Exec. Order No. 13959, 85 Fed. Reg. 73185 (Nov. 17, 2020)``;
- a ruling: the case, its docket, the court and the day
  (``Xiaomi Corporation v. U.S. Department of Defense, No. 1:21-cv-00280-RC (D.D.C. Mar. 12, 2021)``);
  a reported one by its reporter, court and year (``Marland v. Trump, 498 F. Supp. 3d 624 (E.D. Pa. 2020)``);
- anything else: the best source — publisher, title, date and URL.

>>> bluebook_date("2020-11-17"), bluebook_date("2021-09"), bluebook_date("2021")
('Nov. 17, 2020', 'Sept. 2021', '2021')
"""

from __future__ import annotations

import re

from graph.errors import OrdergraphError
from graph.evidence import start_announced_by
from graph.labels import characters
from graph.model import Edge, Node, Source, ranked_sources
from graph.plain import announced_ahead
from graph.store.base import GraphStore
from graph.views import Citation

_MONTHS = ("Jan.", "Feb.", "Mar.", "Apr.", "May", "June", "July", "Aug.", "Sept.", "Oct.", "Nov.", "Dec.")
# Bluebook abbreviations of the districts this corpus cites; others keep their words.
_STATES = {"California": "Cal.", "Pennsylvania": "Pa.", "New York": "N.Y.", "Columbia": "D.C."}
_DIRECTIONS = {
    "Northern": "N.",
    "Southern": "S.",
    "Eastern": "E.",
    "Western": "W.",
    "Central": "C.",
    "Middle": "M.",
}
# Edge kinds whose legal instrument is the order at one end.
_ORDER_EDGES = {"ISSUED_BY", "AMENDS", "REVOKES", "SUPERSEDES", "GOVERNS", "TARGETS"}
_CASE_EDGES = {"ENJOINS", "PARTY_TO", "DECIDED_BY"}


def bluebook_date(value: str) -> str:
    """``2020-11-17`` → ``Nov. 17, 2020`` (month and year precision kept)."""
    parts = value.split("-")
    if len(parts) == 1:
        return parts[0]
    month = _MONTHS[int(parts[1]) - 1]
    return f"{month} {parts[0]}" if len(parts) == 2 else f"{month} {int(parts[2])}, {parts[0]}"


def court_abbreviation(court: str) -> str:
    """``U.S. District Court for the District of Columbia`` → ``D.D.C.``.

    >>> court_abbreviation("U.S. District Court for the Northern District of California")
    'N.D. Cal.'
    """
    m = re.search(r"(?:(\w+) )?District of ([\w ]+)$", court)
    if not m:
        return court
    direction, state = m.group(1), m.group(2).strip()
    abbr = _STATES.get(state, state)
    if state == "Columbia":
        return "D.D.C."
    return f"{_DIRECTIONS[direction]}D. {abbr}" if direction in _DIRECTIONS else f"D. {abbr}"


def cite_order(order: Node) -> str:
    """An executive order as reporters cite it; without FR data, its name and signing date."""
    props = order.properties
    number, fr, published = props.get("number"), props.get("fr_citation"), props.get("published")
    if number is None:
        return order.name
    text = f"Exec. Order No. {number}"
    m = re.match(r"^(\d+) FR (\d+)$", str(fr or ""))
    if m:
        text += f", {m.group(1)} Fed. Reg. {m.group(2)}"
    when = published or props.get("signed")
    if isinstance(when, str):
        text += f" ({bluebook_date(when)})"
    return text


def cite_case(case: Node, day: str | None, reported_in: str | None = None) -> str:
    """A court case (a ruling on ``day``) with its docket and court; a ruling published in a
    reporter (``reported_in``: "498 F. Supp. 3d 624") by that, its court and its year, as lawyers
    cite a reported opinion."""
    props = case.properties
    docket, court = props.get("docket"), props.get("court")
    text = case.name
    if reported_in:
        text += f", {reported_in}"
        day = day[:4] if day else None  # a reported opinion is cited by its year
    elif docket:
        text += f", No. {docket}"
    inside = " ".join(
        x for x in (court_abbreviation(str(court)) if court else "", bluebook_date(day) if day else "") if x
    )
    return f"{text} ({inside})" if inside else text


def cite_source(source: Source) -> str:
    """Publisher, title, date and URL of one source."""
    when = f" ({bluebook_date(source.date)})" if source.date else ""
    locator = f", {source.locator}" if source.locator and len(source.locator) <= 40 else ""
    return f'{source.publisher}, "{source.title}"{when}{locator}, {source.url}'


def _placed(source: Source, edge: Edge) -> Source:
    """The source of a mention with its place read from the edge's ``offset`` and matched text, not
    its stored locator: workspaces loaded before locators counted from 1 hold ``character 1203``
    (from 0), so the stored words would put the mention one character off."""
    offset, text = edge.properties.get("offset"), edge.properties.get("text")
    if edge.kind != "MENTIONS" or not isinstance(offset, int) or isinstance(offset, bool):
        return source
    return source.model_copy(
        update={"locator": characters(offset, len(text) if isinstance(text, str) else 0)}
    )


def _end(store: GraphStore, node_id: str) -> Node:
    node = store.get_node(node_id)
    if node is None:
        raise OrdergraphError(f"dangling id {node_id!r}")
    return node


def cite(store: GraphStore, edge_id: str) -> Citation:
    """The citation of one edge: its legal instrument first, then every source, most authoritative first.

    Parameters
    ----------
    store : GraphStore
    edge_id : str
        The edge's id (``ordergraph show`` and the app print it).

    Returns
    -------
    Citation
        ``text``: the order (``Exec. Order No. …``), the ruling (case, docket,
        court, date) or, for other edges, the best source; ``sources``: each
        source as publisher, title, date and URL.

    Examples
    --------
    >>> from graph.store.memory import MemoryStore
    >>> from graph.model import Edge, Node, Source
    >>> src = Source(url="https://www.govinfo.gov/x", title="EO 13959", publisher="GPO",
    ...              date="2020-11-17", kind="official")
    >>> store = MemoryStore.from_parts(
    ...     [Node(id="EO:13959", kind="ExecutiveOrder", name="EO 13959", properties={
    ...         "number": "13959", "fr_citation": "85 FR 73185", "published": "2020-11-17"}),
    ...      Node(id="LIST:x", kind="SanctionsList", name="X")],
    ...     [Edge(id="g", kind="GOVERNS", source="EO:13959", target="LIST:x",
    ...           confidence="verified", sources=[src])])
    >>> cite(store, "g").text
    'Exec. Order No. 13959, 85 Fed. Reg. 73185 (Nov. 17, 2020)'
    """
    edge: Edge | None = store.get_edge(edge_id)
    if edge is None:
        raise OrdergraphError(f"unknown edge {edge_id!r}: `ordergraph show ID` lists the edges of an entity")
    source, target = _end(store, edge.source), _end(store, edge.target)
    # The order every face lists them in (a store may hand back an edge built without validation).
    sources = ranked_sources([_placed(s, edge) for s in edge.sources], edge.kind, edge.properties)
    if edge.kind in _CASE_EDGES:
        case = source if source.kind == "CourtCase" else target
        reported = edge.properties.get("reported_in") if edge.kind == "ENJOINS" else None
        text = cite_case(
            case,
            edge.start if edge.kind == "ENJOINS" else None,
            reported if isinstance(reported, str) else None,
        )
    elif edge.kind in _ORDER_EDGES:
        text = cite_order(source if source.kind == "ExecutiveOrder" else target)
    else:
        text = cite_source(sources[0])
    # A day only announced ahead ("will be suspended … on March 9, 2021"): the citation says so.
    ahead = announced_ahead(start_announced_by(store, edge))
    note = f"{edge.start}: {ahead}" if ahead else None
    return Citation(edge_id=edge.id, text=text, sources=[cite_source(s) for s in sources], note=note)
