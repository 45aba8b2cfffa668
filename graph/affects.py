"""``affects``: which orders restrict a listed security on a day, and why.

An order bears on a security through a *route*:

- securities bans: security ←ISSUES− company −LISTED_ON→ list ←GOVERNS− order,
  the listing and the ``GOVERNS`` rule valid that day; a listed parent
  (company −SUBSIDIARY_OF→ parent) counts only where the rule reaches
  subsidiaries: otherwise it is no "why" path of the answer (a disputed reading
  that it reaches stands as a claim, its basis naming the parent);
- transaction bans: company ←TARGETS− order, or company −DEVELOPS→ app ←TARGETS− order;
  through a parent only where the ``TARGETS`` edge reaches subsidiaries.

The order itself must be signed and not revoked or superseded on that day. The
route with the best support (own listing, then a parent the rule reaches)
gives ``status``; an injunction valid that day for that company makes it
``enjoined``. Every other reading that would give another status or start
date — other routes, a disputed reading of the rule, disputed dates of a
listing, a targeting or an injunction — is kept in ``claims`` with its
sources; a disputed reading never gives an answer on its own. Routes that do
not hold that day become ``explanations``.

The store is asked once: :data:`AFFECTS_HOPS` names every edge the rules
follow, and one :meth:`~graph.store.base.GraphStore.reach` call fetches them
all around the security; the rules then walk that neighbourhood in Python.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Literal

from graph.cite import court_abbreviation
from graph.errors import MissingNode, OrdergraphError, UnknownEntity
from graph.evidence import (
    edge_names,
    gives_date,
    start_announced_by,
    start_stated_by,
    stated_end,
    stated_start,
    states_start,
)
from graph.labels import about_names, disputed_text
from graph.model import (
    Disputed,
    Edge,
    Node,
    PropertyValue,
    Source,
    add_days,
    first_day,
    is_date,
    last_day,
    not_named_by_any,
    precision,
    protected_by,
    time_bound,
)
from graph.plain import security_applies_from, span
from graph.store.base import GraphStore, GraphView, Hops
from graph.views import (
    AffectsAnswer,
    Claim,
    EdgeRef,
    ExchangeState,
    ExchangeStatus,
    Explanation,
    Injunction,
    NodeRef,
    OrderEffect,
    OrderRef,
    OrderStatus,
    Path,
    SecurityRef,
)

OWN, PARENT, DISPUTED_REACH, CONTEXT = 0, 1, 2, 9

# Every edge the rules follow, in the direction they follow it. Endpoint kinds are
# fixed per edge kind, so this walks security → issuer → parent → list or app →
# order → what revokes, supersedes, amends or enjoins it, and never fans out into
# a list's members or a parent's other subsidiaries.
AFFECTS_HOPS: Hops = {
    "ISSUES": "in",
    "EXCHANGE_ACTION": "in",
    "TRADES_ON": "out",
    "SUBSIDIARY_OF": "out",
    "LISTED_ON": "out",
    "DEVELOPS": "out",
    "GOVERNS": "in",
    "TARGETS": "in",
    "REVOKES": "in",
    "SUPERSEDES": "in",
    "AMENDS": "in",
    "ENJOINS": "in",
}
# security → issuer → parent → parent's list or app → order → revoking order or case.
AFFECTS_DEPTH = 5
_ENDING = {"REVOKES": "revoked", "SUPERSEDES": "superseded"}


@dataclass
class _Route:
    order: Node
    restriction: Literal["securities", "transactions"]
    status: OrderStatus
    applies_from: str | None
    basis: str
    rank: int
    path: Path
    sources: list[Source]
    divest_until: str | None = None
    divest_time: str | None = None
    # What the rule lets a holder do once that window has closed (GOVERNS ``holding_after_divest``).
    holding_after_divest: str | None = None
    stated_by: list[Source] = field(default_factory=list)
    # The listing's sources that do not name the company (graph.naming): its readings rank them last.
    not_named_by: list[str] = field(default_factory=list)
    enjoined_by: list[Node] = field(default_factory=list)
    injunctions: list[Edge] = field(default_factory=list)
    claims: list[Claim] = field(default_factory=list)


def _node(store: GraphView, node_id: str) -> Node:
    node = store.get_node(node_id)
    if node is None:
        raise MissingNode(node_id)
    return node


def _hop(path: Path, edge: Edge, node: Node, came_from: Node) -> Path:
    """``path`` (ending at ``came_from``) on along ``edge`` to ``node``; the step knows which of its
    sources state its start (by the names of both ends), so a face can credit the day to one when
    the first does not give it (EO 13943 names WeChat's developer; TechNode dates the launch)."""
    return [*path, EdgeRef.step(edge, (came_from, node)), NodeRef.of(node)]


def route_ids(path: Path) -> set[str]:
    """The ids of a route's nodes: a disputed reading ``about`` some of them bears on it alone."""
    return {step.id for step in path if isinstance(step, NodeRef)}


def about_text(disputed: Disputed, path: Path) -> str:
    """How a reading narrower than its edge says whom it speaks of, on a route (:func:`about_names`
    of those on it; empty when it speaks of the whole fact)."""
    names = {step.id: step.name for step in path if isinstance(step, NodeRef)}
    return about_names([node_id for node_id in disputed.about if node_id in names], names)


def _on_or_before(value: PropertyValue, day: date) -> bool:
    return isinstance(value, str) and first_day(value) <= day


def order_inactive(store: GraphView, order: Node, day: date) -> tuple[str, list[Edge]] | None:
    """Why an order has no effect on ``day`` (not yet signed, revoked, superseded), or None."""
    signed = order.properties.get("signed")
    if isinstance(signed, str) and first_day(signed) > day:
        return f"{order.name} was not signed until {signed}", []
    for edge in store.edges_of(order.id, "in", ["REVOKES", "SUPERSEDES"]):
        if _on_or_before(edge.start, day):
            by = _node(store, edge.source)
            scope = edge.properties.get("scope")
            what = f"{order.name} ({scope})" if scope else order.name
            return f"{what} {_ENDING[edge.kind]} by {by.name} on {edge.start}", [edge]
    return None


def protected_on_route(issuer_id: str, *through: str) -> frozenset[str]:
    """Whom an injunction must name to protect a security from an order on one route: the
    security's issuer, and every company or app the route runs through (the listed or targeted
    company — the issuer or its parent — and the app targeted).

    The one reading :func:`affects` and :func:`graph.timeline.timeline_of` share: an injunction
    barring the order as applied to the child, to the parent whose listing or targeting reaches
    it, or to the app targeted, blocks it for the child's security.

    >>> sorted(protected_on_route("ORG:child", "ORG:parent", "APP:chat"))
    ['APP:chat', 'ORG:child', 'ORG:parent']
    """
    return frozenset({issuer_id, *through})


def protects(injunction: Edge, protected: Collection[str]) -> bool:
    """Whether an ENJOINS edge protects a route whose :func:`protected_on_route` is ``protected``:
    it names one of them, or it is nationwide (everyone its order reaches).

    >>> from graph.model import Source
    >>> src = [Source(url="https://court.example/1", title="PI", publisher="Court", kind="court")]
    >>> pi = Edge(id="e", kind="ENJOINS", source="CASE:x", target="EO:1", confidence="verified",
    ...           sources=src, properties={"applies_to": ["ORG:child"]})
    >>> protects(pi, protected_on_route("ORG:child", "ORG:parent")), protects(pi, {"ORG:parent"})
    (True, False)
    """
    ids = protected_by(injunction)
    return ids is None or bool(ids.intersection(protected))


def reaches(edge: Edge) -> bool:
    """Whether a rule (``GOVERNS``) or a targeting (``TARGETS``) reaches the unlisted subsidiaries of
    whom it names: only where the data says so."""
    return edge.properties.get("reaches_subsidiaries") is True


def _holds(start: str | None, end: str | None, day: date) -> bool | None:
    """Whether ``[start, end)`` holds on ``day``; None when imprecise dates leave it open."""
    answers = set()
    for pick in (first_day, last_day):
        lo = pick(start) if start else None
        hi = pick(end) if end else None
        answers.add((lo is None or lo <= day) and (hi is None or hi > day))
    return answers.pop() if len(answers) == 1 else None


def _flipping(edge: Edge, day: date) -> list[Disputed]:
    """Disputed start/end values under which ``edge``'s holding on ``day`` surely flips.

    A month- or year-precision value flips the day only if every day it can mean does.
    """
    flips = []
    for disputed in edge.disputed:
        if disputed.field not in ("start", "end") or not isinstance(disputed.value, str):
            continue
        start = disputed.value if disputed.field == "start" else edge.start
        end = disputed.value if disputed.field == "end" else edge.end
        holds = _holds(start, end, day)
        if holds is not None and holds != edge.valid_on(day):
            flips.append(disputed)
    return flips


def _status(applies_from: str | None, day: date) -> OrderStatus:
    if applies_from is not None and first_day(applies_from) <= day:
        return "in_force"
    return "pending"


def stated_later(sources: Sequence[Source], day: date) -> str:
    """``; no source cited for it is dated on or before …`` when every source of a reading is dated
    after ``day`` (Luokung's reading of General License 1A, in its filing of 2021-03-02, asked about
    2021-01-20); else empty. It says only what the citations show: a copy's date may be later than
    its original's, so it does not claim the reading was nobody's yet. An undated source may have
    said it by then.

    >>> from graph.model import Source
    >>> filing = Source(url="https://example.org/f", title="f", publisher="p", kind="filing",
    ...     date="2021-03-02")
    >>> stated_later([filing], date(2021, 1, 20))
    '; no source cited for it is dated on or before 2021-01-20 (the earliest: 2021-03-02)'
    >>> undated = filing.model_copy(update={"date": None})
    >>> stated_later([filing], date(2021, 3, 2)), stated_later([filing, undated], date(2021, 1, 20))
    ('', '')
    """
    dates = [s.date for s in sources]
    if not dates or any(not (d and is_date(d)) for d in dates):
        return ""
    earliest = min((d for d in dates if d), key=first_day)
    if first_day(earliest) <= day:
        return ""
    return f"; no source cited for it is dated on or before {day.isoformat()} (the earliest: {earliest})"


def _dated_claim(
    applies_from: str,
    day: date,
    basis: str,
    disputed: Disputed,
    given: str | None = None,
    not_named_by: list[str] | None = None,
) -> Claim:
    """The reading that a disputed date gives: prohibitions from ``applies_from``, on its sources;
    ``given``: what they state when the rule derives ``applies_from`` from it (a listing's start);
    ``not_named_by``: those of a listing's sources that do not name the company, ranked last."""
    return Claim(
        status=_status(applies_from, day),
        applies_from=applies_from,
        basis=basis + stated_later(disputed.sources, day),
        given=given,
        condition=disputed.condition,
        not_named_by=not_named_by or [],
        sources=list(disputed.sources),
        stated_by=list(disputed.sources),
    )


def rule_dates(
    listing_start: str | None, rule: dict[str, PropertyValue]
) -> tuple[str | None, str | None, str]:
    """(applies_from, divest_until, basis) that a GOVERNS rule gives a listing starting on a day.

    >>> rule_dates("2021-01-14", {"annex_cutoff": "2020-11-12", "later_delay_days": 60})[0]
    '2021-03-15'
    """
    cutoff = rule.get("annex_cutoff")
    if in_annex(listing_start, rule) and isinstance(cutoff, str):
        effective, divest = rule.get("annex_effective"), rule.get("divest_until")
        return (
            effective if isinstance(effective, str) else None,
            divest if isinstance(divest, str) else None,
            f"listed by {cutoff}: annex date",
        )
    delay, divest_days = rule.get("later_delay_days"), rule.get("later_divest_days")
    if listing_start and precision(listing_start) == "day" and isinstance(delay, int):
        divest = add_days(listing_start, divest_days) if isinstance(divest_days, int) else None
        return add_days(listing_start, delay), divest, f"{delay} days after listing on {listing_start}"
    return None, None, "the rule gives no start date for this listing"


def in_annex(listing_start: str | None, rule: dict[str, PropertyValue]) -> bool:
    """Whether a listing starting on a day falls under the rule's annex dates (listed by its cutoff),
    so that the order's own text, not the listing, fixes when prohibitions start and end.

    >>> rule = {"annex_cutoff": "2020-11-12"}
    >>> in_annex("2020-06-24", rule), in_annex("2021-01-14", rule), in_annex(None, rule)
    (True, False, False)
    """
    cutoff = rule.get("annex_cutoff")
    if not listing_start or not isinstance(cutoff, str):
        return False
    return first_day(listing_start) <= first_day(cutoff)


@dataclass(frozen=True)
class ListingRule:
    """What an order's rule makes of one listing: the dates, why, and the sources that fix them.

    ``explicit``: the listing's own sources fix the start of prohibitions (its ``applies_from``),
    so they alone are cited for it; otherwise the listing and the order's rule are.
    ``divest_time``: the hour the order's text ends the window on ``divest_until`` (a time bound,
    "through 23:59 EST"): the rule's ``divest_time`` where that day is its annex date, its
    ``later_divest_time`` where the day is the one its ``later_divest_days`` count from the listing
    gives; none where the rule gives no hour for that day or the listing's own deadline is another day.
    """

    applies_from: str | None
    divest_until: str | None
    basis: str
    explicit: bool
    sources: list[Source]
    divest_time: str | None = None


def listing_rule(listing: Edge, governs: Edge) -> ListingRule:
    """The securities rule ``governs`` gives ``listing``: the listing's own dates first, else the rule's.

    The one reading :func:`affects` and :func:`graph.timeline.timeline_of` share.

    >>> from graph.model import Edge, Source
    >>> src = Source(url="https://example.gov/x", title="X", publisher="X", kind="official")
    >>> listing = Edge(id="l", kind="LISTED_ON", source="ORG:a", target="LIST:l", start="2021-01-14",
    ...     confidence="verified", sources=[src])
    >>> governs = Edge(id="g", kind="GOVERNS", source="EO:1", target="LIST:l", confidence="verified",
    ...     sources=[src], properties={"later_delay_days": 60, "later_divest_days": 365})
    >>> rule = listing_rule(listing, governs)
    >>> rule.applies_from, rule.divest_until, rule.explicit, rule.divest_time
    ('2021-03-15', '2022-01-14', False, None)
    """
    applies_from, divest, basis = rule_dates(listing.start, governs.properties)
    explicit_from = listing.properties.get("applies_from")
    explicit = isinstance(explicit_from, str) and is_date(explicit_from)
    if isinstance(explicit_from, str) and explicit:
        applies_from = explicit_from
        basis = f"listed {listing.start}; its sources fix the start of prohibitions"
    explicit_divest = listing.properties.get("divest_until")
    if isinstance(explicit_divest, str) and is_date(explicit_divest):
        divest = explicit_divest
    # The claim cites what fixes its date: the listing's own sources when they set
    # the start of prohibitions; the order's rule, then the listing, when the dates are the
    # annex's (the order's text gives them; the list only names the company); else the
    # listing (its day), then the rule (its delay).
    if explicit:
        sources = list(listing.sources)
    elif in_annex(listing.start, governs.properties):
        sources = [*governs.sources, *listing.sources]
    else:
        sources = [*listing.sources, *governs.sources]
    return ListingRule(applies_from, divest, basis, explicit, sources, _divest_time(listing, governs, divest))


def _divest_time(listing: Edge, governs: Edge, divest: str | None) -> str | None:
    """The order's hour on the day a listing's divest-only window ends: the annex hour on the annex
    date, the later listings' hour on the day the rule counts from the listing. A listing whose own
    deadline (where a list states one) is another day gets none: the order's text gives no hour for it."""
    rule = governs.properties
    if divest is None:
        return None
    if in_annex(listing.start, rule):
        hour, day = rule.get("divest_time"), rule.get("divest_until")
    else:
        hour, day = rule.get("later_divest_time"), rule_dates(listing.start, rule)[1]
    return hour if isinstance(hour, str) and divest == day else None


def fixing_sources(listing: Edge, listed: Node) -> list[Source]:
    """The listing's sources that fix its own start of prohibitions (its ``applies_from``): those
    the data names in ``applies_from_stated_by``, and those whose words name the company and give
    the listing's day (OFAC's note on "entities added to the NS-CCMC List on January 8, 2021 (…
    China Mobile Limited …)"); [] when none does.

    >>> from graph.model import Source
    >>> note = Source(url="https://example.gov/n", title="n", publisher="OFAC", kind="official",
    ...     quote="entities added on January 8, 2021 (Acme Limited) take effect")
    >>> other = Source(url="https://example.gov/o", title="o", publisher="OFAC", kind="official",
    ...     quote="OFAC has published the NS-CMIC List")
    >>> listing = Edge(id="l", kind="LISTED_ON", source="ORG:a", target="LIST:l", start="2021-01-08",
    ...     confidence="verified", sources=[note, other], properties={"applies_from": "2021-03-09"})
    >>> [s.url[-1] for s in fixing_sources(listing, Node(id="ORG:a", kind="Company", name="Acme Limited"))]
    ['n']
    """
    named = listing.properties.get("applies_from_stated_by")
    urls = {u for u in named if isinstance(u, str)} if isinstance(named, list) else set()
    names = [listed.name, *listed.aliases]
    start = listing.start
    return [
        s for s in listing.sources if s.url in urls or (start is not None and states_start(s, start, names))
    ]


class _Collector:
    """Walks every route from one security and sorts them into routes and explanations."""

    def __init__(self, store: GraphView, day: date) -> None:
        self.store = store
        self.day = day
        self.routes: list[_Route] = []
        self.explanations: list[Explanation] = []

    def explain(self, order: Node | None, reason: str, edges: Sequence[Edge | EdgeRef]) -> None:
        order_id = order.id if order else None
        if any(
            e.reason == reason and (e.order.id if e.order else None) == order_id for e in self.explanations
        ):
            return
        self.explanations.append(
            Explanation(
                order=NodeRef.of(order) if order else None,
                reason=reason,
                edges=[e if isinstance(e, EdgeRef) else EdgeRef.of(e) for e in edges],
            )
        )

    def securities(self, issuer: Node, listed: Node, path: Path, via_parent: Edge | None) -> None:
        """Routes through the lists ``listed`` (the issuer or its parent) is on."""
        store, day = self.store, self.day
        for listing in store.edges_of(listed.id, "out", ["LISTED_ON"]):
            lst = _node(store, listing.target)
            at_list = _hop(path, listing, lst, listed)
            for governs in store.edges_of(lst.id, "in", ["GOVERNS"]):
                order = _node(store, governs.source)
                full = _hop(at_list, governs, order, lst)
                if not listing.valid_on(day):
                    note = f" ({listing.note})" if listing.note else ""
                    if listing.start and first_day(listing.start) > day:
                        reason = f"{listed.name} is on {lst.name} only from {listing.start}{note}"
                    else:
                        reason = f"{listed.name} was on {lst.name} only until {listing.end}{note}"
                    self.explain(order, reason, [listing])
                    continue
                inactive = order_inactive(store, order, day)
                if inactive:
                    self.explain(order, inactive[0], [*inactive[1], listing])
                    continue
                if not governs.valid_on(day):
                    self.explain(
                        order,
                        f"{order.name} does not govern {lst.name} that day "
                        f"({span(governs.start, governs.end)})",
                        [governs],
                    )
                    continue
                self._securities_route(issuer, listed, listing, governs, order, full, via_parent)

    def _securities_route(
        self,
        issuer: Node,
        listed: Node,
        listing: Edge,
        governs: Edge,
        order: Node,
        full: Path,
        via_parent: Edge | None,
    ) -> None:
        rule = governs.properties
        dates = listing_rule(listing, governs)
        applies_from, divest, basis, sources = (
            dates.applies_from,
            dates.divest_until,
            dates.basis,
            dates.sources,
        )
        stated_by: list[Source] = []
        if dates.explicit:
            # The reading cites what fixes its date, not every source of the listing (FAQ 898 on
            # the NS-CMIC List does not date the NS-CCMC subsidiaries' prohibitions).
            fixing = fixing_sources(listing, listed)
            sources, stated_by = (fixing, fixing) if fixing else (sources, list(listing.sources))
        else:
            # The rule as it stood: not the text that later replaced it (EO 14032's, on EO 13959's).
            ending = {s.url for s in stated_end(self.store, governs)} - {
                s.url for s in stated_start(self.store, governs)
            }
            sources = [s for s in sources if s.url not in ending]
        rank = OWN
        if via_parent is not None:
            reach = reaches(governs)
            disputed_reach = [
                d for d in governs.disputed if d.field == "reaches_subsidiaries" and d.value is True
            ]
            if reach:
                rank, basis = PARENT, f"parent {listed.name} listed; rule reaches subsidiaries"
                sources = [*via_parent.sources, *sources]
            elif disputed_reach:
                rank, basis = (
                    DISPUTED_REACH,
                    f"parent {listed.name} listed; only a disputed reading has the rule reach "
                    "its unlisted subsidiaries",
                )
                sources = [*disputed_reach[0].sources, *via_parent.sources, *listing.sources]
            else:
                rank, basis = (
                    CONTEXT,
                    f"parent {listed.name} listed; the rule does not reach unlisted subsidiaries",
                )
        route = _Route(
            order=order,
            restriction="securities",
            status=_status(applies_from, self.day),
            applies_from=applies_from,
            basis=basis,
            rank=rank,
            path=full,
            sources=sources,
            divest_until=divest,
            divest_time=dates.divest_time,
            holding_after_divest=_holding_rule(rule.get("holding_after_divest")),
            stated_by=stated_by,
            not_named_by=not_named_by_any(listing),
        )
        on_route = route_ids(full)
        for disputed in listing.disputed:
            if not disputed.concerns(on_route):
                continue  # other sources speak of another of the company's securities
            alt_from: str | None = None
            derived: str | None = None  # what the sources state, when the rule derives the start from it
            if disputed.until:
                continue  # a value its own body moved is no other reading (see ``transactions``)
            if disputed.field == "applies_from" and isinstance(disputed.value, str):
                alt_from = disputed.value
            elif disputed.field == "start" and isinstance(disputed.value, str) and not dates.explicit:
                alt_from = rule_dates(disputed.value, rule)[0]
                derived = f"{disputed.value} as the listing's start"
            # Another day of the listing that gives the same start of prohibitions (a day before the
            # annex cut-off, like the one it differs from) is no other reading of this answer.
            if alt_from is not None and alt_from != applies_from:
                given = disputed_text(disputed.field, disputed.value) + about_text(disputed, full)
                if disputed.condition:
                    given += f" {disputed.condition}, else {applies_from}"
                why = f"{listed.name}'s listing: other sources give {given}"
                route.claims.append(
                    _dated_claim(alt_from, self.day, why, disputed, derived, route.not_named_by)
                )
        self._finish(route, listing, protected_on_route(issuer.id, listed.id), f"{listed.name}'s listing")

    def transactions(
        self, issuer: Node, path: Path, via_parent: Edge | None = None, company: Node | None = None
    ) -> None:
        """Routes through orders that target ``company`` (the issuer unless given) or an app it develops.

        Called again for each parent of the issuer (``company``, reached through ``via_parent``):
        such a route counts only where the ``TARGETS`` edge says the order reaches subsidiaries.
        """
        store = self.store
        company = company or issuer
        targets: list[tuple[Node, Path]] = [(company, path)]
        for develops in store.edges_of(company.id, "out", ["DEVELOPS"]):
            app = _node(store, develops.target)
            targets.append((app, _hop(path, develops, app, company)))
        for target, at_target in targets:
            for edge in store.edges_of(target.id, "in", ["TARGETS"]):
                order = _node(store, edge.source)
                full = _hop(at_target, edge, order, target)
                inactive = order_inactive(store, order, self.day)
                if inactive:
                    self.explain(order, inactive[0], [*inactive[1], edge])
                    continue
                if not edge.valid_on(self.day):
                    self.explain(
                        order,
                        f"{order.name} does not target {target.name} that day ({span(edge.start, edge.end)})",
                        [edge],
                    )
                    continue
                rank, reach = OWN, ""
                if via_parent is not None:
                    rank = PARENT if reaches(edge) else CONTEXT
                    parent = _node(store, via_parent.target)
                    reach = (
                        f" (reaches subsidiaries of {parent.name})"
                        if reaches(edge)
                        else f" (does not reach subsidiaries of {parent.name})"
                    )
                raw_from = edge.properties.get("applies_from")
                applies_from = raw_from if isinstance(raw_from, str) else None
                basis = (
                    f"prohibitions set from {applies_from}"
                    if applies_from
                    else "prohibitions never put into effect"
                )
                for former in edge.disputed:
                    # A day the body that set it moved itself: the day until it did, then history.
                    moved = former.field == "applies_from" and former.until is not None
                    if not moved or former.until is None or not isinstance(former.value, str):
                        continue
                    if self.day < first_day(former.until):
                        applies_from, basis = former.value, f"prohibitions set from {former.value}"
                    elif applies_from:
                        basis += f" (moved from {former.value} on {former.until})"
                route = _Route(
                    order=order,
                    restriction="transactions",
                    status=_status(applies_from, self.day),
                    applies_from=applies_from,
                    basis=f"targets {target.name}{reach}; {basis}",
                    rank=rank,
                    path=full,
                    sources=list(edge.sources),
                    stated_by=list(edge.sources) if applies_from else [],
                )
                for disputed in edge.disputed:
                    if not disputed.concerns(route_ids(full)):
                        continue
                    if disputed.until:
                        continue  # a day its own body moved: history, said in the basis
                    if disputed.field == "applies_from" and isinstance(disputed.value, str):
                        given = disputed_text(disputed.field, disputed.value) + about_text(disputed, full)
                        why = f"other sources give {given} on {target.name}"
                        route.claims.append(_dated_claim(disputed.value, self.day, why, disputed))
                self._finish(
                    route,
                    edge,
                    protected_on_route(issuer.id, company.id, target.id),
                    f"{order.name}'s targeting of {target.name}",
                )

    def _finish(self, route: _Route, key_edge: Edge, protected: Collection[str], what: str) -> None:
        """Apply injunctions valid that day, add the readings that disputed dates give, keep the route."""
        store, day = self.store, self.day
        injunctions = [e for e in store.edges_of(route.order.id, "in", ["ENJOINS"]) if protects(e, protected)]
        holding = [e for e in injunctions if e.valid_on(day)]
        if holding:
            route.enjoined_by = [_node(store, e.source) for e in holding]
            route.injunctions = holding
            route.status = "enjoined"
            # An injunction valid that day blocks the order whatever date other sources give.
            for claim in route.claims:
                claim.status = "enjoined"
        for enjoins in injunctions:
            others = [e for e in holding if e.id != enjoins.id]
            for disputed in _flipping(enjoins, day):
                # Under this reading the injunction does (not) hold; another one may still.
                status: OrderStatus = (
                    "enjoined" if others or not enjoins.valid_on(day) else _status(route.applies_from, day)
                )
                if status == route.status:
                    continue
                case = _node(store, enjoins.source)
                route.claims.append(
                    Claim(
                        status=status,
                        applies_from=route.applies_from,
                        basis=f"other sources date the injunction in {case.name} "
                        f"({disputed_text(disputed.field, disputed.value)})"
                        + stated_later(disputed.sources, day),
                        kind=enjoins.kind,
                        sources=list(disputed.sources),
                        stated_by=list(disputed.sources),
                    )
                )
        for disputed in _flipping(key_edge, day):
            if not disputed.concerns(route_ids(route.path)):
                continue
            held = key_edge.valid_on(day)
            route.claims.append(
                Claim(
                    status="not_covered" if held else route.status,
                    applies_from=None if held else route.applies_from,
                    basis=f"other sources give {disputed_text(disputed.field, disputed.value)} of {what}; "
                    "on that reading "
                    f"it did not yet hold or had ended on {day.isoformat()}"
                    + stated_later(disputed.sources, day),
                    not_named_by=not_named_by_any(key_edge),
                    sources=list(disputed.sources),
                    stated_by=list(disputed.sources),
                )
            )
        self.routes.append(route)


def _claim_of(route: _Route) -> Claim:
    return Claim(
        status=route.status,
        applies_from=route.applies_from,
        basis=route.basis,
        not_named_by=route.not_named_by,
        sources=route.sources,
        stated_by=route.stated_by,
    )


def one_side_each(claims: list[Claim]) -> list[Claim]:
    """No citation stands on both sides of a disagreement: a source one reading states (its
    ``stated_by``) is not cited by a reading that gives another status or start (the GL 1B text,
    which dates the listed subsidiaries' own start, cited again under the parent's reading through
    the subsidiary relation), unless its words give that reading's day too. A reading left with no
    source keeps its own.

    >>> from graph.model import Source
    >>> gl = Source(url="https://example.gov/gl", title="gl", publisher="OFAC", kind="official")
    >>> wiki = Source(url="https://example.org/w", title="w", publisher="W", kind="other")
    >>> own = Claim(status="pending", applies_from="2021-03-09", basis="a", sources=[gl], stated_by=[gl])
    >>> parent = Claim(status="pending", applies_from="2021-01-11", basis="b", sources=[gl, wiki])
    >>> [[s.url[-1] for s in c.sources] for c in one_side_each([own, parent])]
    [['l'], ['w']]
    """
    out: list[Claim] = []
    for claim in claims:
        reading = (claim.status, claim.applies_from)
        others = {s.url for c in claims if (c.status, c.applies_from) != reading for s in c.stated_by} - {
            s.url for s in claim.stated_by
        }
        # A source that writes this reading's day itself stands here too (Luokung's 6-K: "March 15,
        # 2021 or May 27, 2021"): it states both, and each reading cites it.
        day = claim.applies_from
        writes_day = {s.url for c in claims for s in c.sources if day is not None and gives_date(s, day)}
        kept = [s for s in claim.sources if s.url not in others or s.url in writes_day]
        out.append(claim.model_copy(update={"sources": kept}) if kept else claim)
    return out


def divest_closed(day: date, until: str, time: str | None) -> bool:
    """Whether a divest-only window ending on ``until`` (at the hour ``time``, a time bound) had
    closed by the end of ``day``: after its day, or on it when the order ends it at an hour "before"
    which sales must be made (EO 14032: "prior to 12:01 a.m. eastern daylight time on June 3, 2022").
    A window "through" an hour, or with no hour, includes its day.

    >>> divest_closed(date(2022, 6, 3), "2022-06-03", "before 00:01 EDT")
    True
    >>> divest_closed(date(2021, 11, 11), "2021-11-11", "through 23:59 EST")
    False
    """
    if not is_date(until):
        return False
    bound = time_bound(time)
    last = last_day(until)
    return day > last or (day == last and bound is not None and not bound.inclusive)


def _holding_rule(value: object) -> Literal["allowed", "prohibited"] | None:
    return "allowed" if value == "allowed" else "prohibited" if value == "prohibited" else None


def injunction_view(store: GraphView, case: Node, edge: Edge) -> Injunction:
    """An ENJOINS edge as answers show it: the case, its court, its period, whom it protects, its sources."""
    court = case.properties.get("court")
    return Injunction(
        case=NodeRef.of(case),
        court=court_abbreviation(court) if isinstance(court, str) else None,
        since=edge.start,
        until=edge.end,
        nationwide=protected_by(edge) is None,
        edge_id=edge.id,
        # "Enjoined since …" cites what states the injunction, not the order that later mooted it.
        sources=stated_start(store, edge),
    )


def _effect(store: GraphView, order: Node, routes: list[_Route], day: date) -> OrderEffect | None:
    # A disputed reading never carries an answer alone: it only stands beside one as a claim.
    counting = sorted((r for r in routes if r.rank < DISPUTED_REACH), key=lambda r: r.rank)
    if not counting:
        return None
    primary = counting[0]
    readings = [r for r in routes if r.rank < CONTEXT]
    candidates = [_claim_of(r) for r in readings] + [c for r in readings for c in r.claims]
    # Each reading keeps its own basis and sources; only exact repeats are dropped.
    distinct: list[Claim] = []
    for claim in candidates:
        key = (claim.status, claim.applies_from, claim.basis)
        if any((c.status, c.applies_from, c.basis) == key for c in distinct):
            continue
        unique = {src.url: src for src in claim.sources}
        distinct.append(claim.model_copy(update={"sources": list(unique.values())}))
    differ = len({(c.status, c.applies_from) for c in distinct}) > 1
    if differ:
        distinct = one_side_each(distinct)
    status = primary.status
    amended_by = [
        OrderRef.of(_node(store, e.source)) for e in store.edges_of(order.id, "in", ["AMENDS"], as_of=day)
    ]
    number = order.properties.get("number")
    title = order.properties.get("title")
    # The "why" paths are the routes that count: a parent the rule does not reach (or reaches
    # only on a disputed reading, which stands as a claim with its own basis and sources) never
    # explains an answer.
    unique_paths: dict[str, Path] = {}
    for route in counting:
        unique_paths.setdefault("/".join(step.id for step in route.path), route.path)
    paths = list(unique_paths.values())
    return OrderEffect(
        id=order.id,
        number=str(number) if number is not None else None,
        title=str(title) if title is not None else order.name,
        restriction=primary.restriction,
        status=status,
        applies_from=primary.applies_from,
        basis=primary.basis,
        # The security's own day, from the paths: the one rule the sentence words too.
        security_applies_from=security_applies_from(primary.applies_from, paths),
        divest_until=primary.divest_until,
        divest_time=primary.divest_time,
        divest_closed=status == "in_force"
        and primary.divest_until is not None
        and divest_closed(day, primary.divest_until, primary.divest_time),
        holding_after_divest=_holding_rule(primary.holding_after_divest),
        enjoined_by=[NodeRef.of(c) for c in primary.enjoined_by],
        injunctions=[
            injunction_view(store, case, e)
            for case, e in zip(primary.enjoined_by, primary.injunctions, strict=True)
        ],
        amended_by=amended_by,
        claims=distinct if differ else [],
        paths=paths,
        sources=list(order.sources),
    )


def exchange_status(store: GraphView, security: Node, day: date) -> ExchangeStatus | None:
    """What an exchange had done about the security by the end of ``day``.

    Actions count in date order. A suspension or delisting stands until reinstated; an
    announced delisting or its withdrawal only while its edge holds (a withdrawal ends
    when the exchange announces again), and never over a suspension or delisting.
    """
    actions = sorted(
        (e for e in store.edges_of(security.id, "in", ["EXCHANGE_ACTION"]) if _on_or_before(e.start, day)),
        key=lambda e: (e.start or "", e.id),
    )
    notices: dict[str, ExchangeState] = {
        "announce_delisting": "delisting_announced",
        "reverse": "delisting_withdrawn",
    }
    state: tuple[ExchangeState, Edge] | None = None
    for edge in actions:
        action = edge.properties.get("action")
        if action == "suspend" and not (state and state[0] == "delisted"):
            state = ("suspended", edge)
        elif action == "delist":
            state = ("delisted", edge)
        elif action == "reinstate":
            state = None
        elif (
            isinstance(action, str)
            and action in notices
            and not (state and state[0] in ("suspended", "delisted"))
        ):
            state = (notices[action], edge) if edge.valid_on(day) else None
    if state is None or state[0] in notices.values():
        ended = [e for e in store.edges_of(security.id, "out", ["TRADES_ON"]) if _on_or_before(e.end, day)]
        if ended and not any(e.valid_on(day) for e in store.edges_of(security.id, "out", ["TRADES_ON"])):
            state = ("delisted", max(ended, key=lambda e: first_day(e.end or "")))
    if state is None:
        return None
    kind, edge = state
    exchange = _node(store, edge.source if edge.kind == "EXCHANGE_ACTION" else edge.target)
    time = edge.properties.get("time")
    # A delisting read from the end of trading cites what states that end, not the listing.
    ended_by = [] if edge.kind == "EXCHANGE_ACTION" else stated_end(store, edge)
    return ExchangeStatus(
        state=kind,
        since=edge.start if edge.kind == "EXCHANGE_ACTION" else edge.end,
        by=NodeRef.of(exchange),
        time=str(time) if time is not None else None,
        edge_id=edge.id,
        confidence=edge.confidence,
        stated_by=_act_stated_by(store, edge) if edge.kind == "EXCHANGE_ACTION" else ended_by,
        sources=list(edge.sources) if edge.kind == "EXCHANGE_ACTION" else ended_by,
        announced_by=start_announced_by(store, edge) if edge.kind == "EXCHANGE_ACTION" else [],
    )


def _act_stated_by(store: GraphView, act: Edge) -> list[Source]:
    """The sources that state an exchange's act's day: its own whose words give it, else those that
    state the end of the security's trading there that day, which the act ended (CNOOC's NYSE
    delisting of 2021-10-22: its 6-K gives the committee's day, its release of 2021-11-30, cited
    for the end of trading, the delisting's), as the timeline's row credits them."""
    own = start_stated_by(act, edge_names(store, act))
    if own or act.start is None:
        return own
    trading = [
        e
        for e in store.edges_of(act.target, "out", ["TRADES_ON"])
        if e.target == act.source and e.end == act.start
    ]
    return [s for e in trading for s in stated_end(store, e) if s not in act.sources]


def affects(store: GraphStore, security_id: str, as_of: date) -> AffectsAnswer:
    """Which orders restrict ``security_id`` at the end of ``as_of``, and why.

    Parameters
    ----------
    store : GraphStore
        The graph; asked once, for the neighbourhood the rules read.
    security_id : str
        A ``Security`` node id, e.g. ``"SEC:HKEX:1810"``.
    as_of : date
        The day; it means the end of that day.

    Returns
    -------
    AffectsAnswer
        Each order bearing on the security with its status, dates, paths and
        sources; ``explanations`` for routes that do not hold that day; and the
        security's ``exchange_status``.

    Raises
    ------
    UnknownEntity
        If there is no such node (with close suggestions).
    OrdergraphError
        If the node is not a security.

    Examples
    --------
    >>> from graph.store.memory import MemoryStore
    >>> from graph.model import Node
    >>> store = MemoryStore.from_parts([Node(id="SEC:HKEX:1810", kind="Security",
    ...     name="Xiaomi (HKEX 1810)")], [])
    >>> affects(store, "SEC:HKEX:1810", date(2021, 2, 1)).orders
    []
    """
    around = store.reach([security_id], AFFECTS_HOPS, AFFECTS_DEPTH)
    security = around.get_node(security_id)
    if security is None:
        raise UnknownEntity(security_id, [], "no node has this id (an id is not searched for as a name)")
    if security.kind != "Security":
        raise OrdergraphError(f"{security_id!r} is not a security: affects needs a listed security")
    return answer_over(around, security, as_of)


def answer_over(store: GraphView, security: Node, as_of: date) -> AffectsAnswer:
    """:func:`affects`' answer, the rules walked over a neighbourhood of ``security`` already
    fetched (``store.reach([security.id], AFFECTS_HOPS, AFFECTS_DEPTH)``)."""
    collector = _Collector(store, as_of)
    start: Path = [NodeRef.of(security)]
    for issues in store.edges_of(security.id, "in", ["ISSUES"]):
        issuer = _node(store, issues.source)
        path = _hop(start, issues, issuer, security)
        if not issues.valid_on(as_of):
            collector.explain(
                None,
                f"{security.name} was not issued by {issuer.name} that day "
                f"({span(issues.start, issues.end)})",
                [issues],
            )
            continue
        collector.securities(issuer, issuer, path, via_parent=None)
        collector.transactions(issuer, path)
        for sub in store.edges_of(issuer.id, "out", ["SUBSIDIARY_OF"]):
            if sub.valid_on(as_of):
                parent = _node(store, sub.target)
                at_parent = _hop(path, sub, parent, issuer)
                collector.securities(issuer, parent, at_parent, via_parent=sub)
                collector.transactions(issuer, at_parent, via_parent=sub, company=parent)

    by_order: dict[str, list[_Route]] = {}
    for route in collector.routes:
        by_order.setdefault(route.order.id, []).append(route)
    orders = []
    for routes in by_order.values():
        effect = _effect(store, routes[0].order, routes, as_of)
        if effect is not None:
            orders.append(effect)
            continue
        best = min(routes, key=lambda r: r.rank)
        when = f" (it would apply from {best.applies_from})" if best.rank == DISPUTED_REACH else ""
        collector.explain(best.order, f"{best.basis}{when}", [s for s in best.path if isinstance(s, EdgeRef)])
    orders.sort(key=lambda o: (o.restriction, o.number or o.id))
    if not orders and not collector.explanations:
        collector.explain(
            None,
            f"no issuer of {security.name} is on a list an order governs, "
            "or develops an app an order targets",
            [],
        )
    exchange = security.properties.get("exchange")
    code = security.properties.get("code")
    return AffectsAnswer(
        security=SecurityRef(
            id=security.id,
            name=security.name,
            exchange=str(exchange) if exchange is not None else None,
            code=str(code) if code is not None else None,
        ),
        as_of=as_of.isoformat(),
        exchange_status=exchange_status(store, security, as_of),
        orders=orders,
        explanations=collector.explanations,
    )
