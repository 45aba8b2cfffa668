"""``reaches``: every security an order affects on a day — ``affects`` read from the order's side.

The candidates are found by walking back from the order (never a scan of
every security): companies on a list it governs and the companies it targets
(directly or through an app they develop), their listed subsidiaries, and the
securities all of these issue. Each candidate is then asked ``affects``, so
the two answers can never disagree.
"""

from __future__ import annotations

from collections import Counter
from datetime import date, timedelta

from graph.affects import affects, injunction_view, order_inactive
from graph.errors import MissingNode, OrdergraphError
from graph.model import Node, first_day
from graph.store.base import GraphStore
from graph.views import (
    EdgeRef,
    Explanation,
    Injunction,
    NodeRef,
    OrderEnded,
    ReachedSecurity,
    ReachesAnswer,
    effect_cells,
)

_ENDING_KINDS = ["REVOKES", "SUPERSEDES"]


def candidate_issuers(store: GraphStore, order_id: str) -> set[str]:
    """Companies an order can reach by any route ``affects`` walks (lists, targets, apps, parents)."""
    companies: set[str] = set()
    for governs in store.edges_of(order_id, "out", ["GOVERNS"]):
        companies |= {e.source for e in store.edges_of(governs.target, "in", ["LISTED_ON"])}
    for targets in store.edges_of(order_id, "out", ["TARGETS"]):
        target = store.get_node(targets.target)
        if target is not None and target.kind == "App":
            companies |= {e.source for e in store.edges_of(target.id, "in", ["DEVELOPS"])}
        else:
            companies.add(targets.target)
    subsidiaries: set[str] = set()
    for company in companies:
        subsidiaries |= {e.source for e in store.edges_of(company, "in", ["SUBSIDIARY_OF"])}
    return companies | subsidiaries


def reaches(store: GraphStore, order_id: str, as_of: date) -> ReachesAnswer:
    """Every security ``order_id`` affects at the end of ``as_of``, with status and applies-from.

    Parameters
    ----------
    store : GraphStore
    order_id : str
        An ``ExecutiveOrder`` id such as ``EO:14032``.
    as_of : date
        The day (read as its end).

    Returns
    -------
    ReachesAnswer
        One row per security, sorted by status then security id. ``disputed``
        says the sources disagree on when or whether it applies (see ``affects``).

    Examples
    --------
    >>> from graph.store.memory import MemoryStore
    >>> from graph.model import Node
    >>> store = MemoryStore.from_parts([Node(id="EO:1", kind="ExecutiveOrder", name="EO 1")], [])
    >>> reaches(store, "EO:1", date(2021, 3, 10)).securities
    []
    """
    order = store.get_node(order_id)
    if order is None or order.kind != "ExecutiveOrder":
        raise OrdergraphError(f"{order_id!r} is not an executive order: reaches needs an order")
    inactive = _inactive(store, order, as_of)
    return ReachesAnswer(
        order=NodeRef.of(order),
        as_of=as_of.isoformat(),
        securities=_reached(store, order_id, as_of),
        inactive=inactive,
        ended=_ended(store, order, as_of) if inactive is not None and inactive.edges else None,
        restricts_securities=restricts_securities(store, order_id),
    )


def _reached(store: GraphStore, order_id: str, as_of: date) -> list[ReachedSecurity]:
    rows: list[ReachedSecurity] = []
    securities: dict[str, str] = {}
    for company in sorted(candidate_issuers(store, order_id)):
        for issues in store.edges_of(company, "out", ["ISSUES"]):
            securities.setdefault(issues.target, company)
    for security_id, issuer_id in sorted(securities.items()):
        answer = affects(store, security_id, as_of)
        for effect in answer.orders:
            if effect.id != order_id:
                continue
            issuer = store.get_node(issuer_id)
            rows.append(
                ReachedSecurity(
                    security=answer.security,
                    issuer=NodeRef.of(issuer) if issuer else None,
                    **effect_cells(effect),
                    basis=effect.basis,
                    exchange_status=answer.exchange_status,
                )
            )
    order_rank = {"in_force": 0, "pending": 1, "enjoined": 2}
    rows.sort(key=lambda r: (order_rank[r.status], r.security.id))
    return rows


def _ended(store: GraphStore, order: Node, as_of: date) -> OrderEnded | None:
    """The earliest REVOKES or SUPERSEDES edge on the order by ``as_of``, read as when and how the
    order ended, with what it reached on the day before (its last day) and the injunctions then."""
    endings = [
        e
        for e in store.edges_of(order.id, "in", _ENDING_KINDS)
        if e.start is not None and first_day(e.start) <= as_of
    ]
    if not endings:
        return None
    edge = min(endings, key=lambda e: (first_day(e.start or ""), e.id))
    last_day = first_day(edge.start or "") - timedelta(days=1)
    by = store.get_node(edge.source)
    if by is None:
        raise MissingNode(edge.source)
    securities = _reached(store, order.id, last_day)
    scope = edge.properties.get("scope")
    return OrderEnded(
        how="revoked" if edge.kind == "REVOKES" else "superseded",
        on=edge.start or "",
        last_day=last_day.isoformat(),
        by=NodeRef.of(by),
        scope=scope if isinstance(scope, str) else None,
        edge=EdgeRef.of(edge),
        restricts_securities=restricts_securities(store, order.id),
        securities=securities,
        counts=dict(Counter(r.status for r in securities)),
        injunctions=_injunctions(store, order.id, last_day),
    )


def restricts_securities(store: GraphStore, order_id: str) -> bool:
    """Whether an order governs a list with a securities rule (EO 13959, 14032), not only
    transactions with named companies or apps (EO 13942, 13943, 13971) or nothing (EO 13974)."""
    return any(
        e.properties.get("restriction") == "securities" for e in store.edges_of(order_id, "out", ["GOVERNS"])
    )


def _injunctions(store: GraphStore, order_id: str, day: date) -> list[Injunction]:
    """The ENJOINS edges on the order that held on ``day``, earliest first."""
    held = sorted(
        (e for e in store.edges_of(order_id, "in", ["ENJOINS"]) if e.valid_on(day)),
        key=lambda e: (e.start or "", e.id),
    )
    found = []
    for edge in held:
        case = store.get_node(edge.source)
        if case is None:
            raise MissingNode(edge.source)
        found.append(injunction_view(store, case, edge))
    return found


def _inactive(store: GraphStore, order: Node, as_of: date) -> Explanation | None:
    """Why the order has no effect on ``as_of``, cited: a revoking or superseding edge with its
    sources; an order not yet signed by the order's own sources (they give its signing date)."""
    why = order_inactive(store, order, as_of)
    if why is None:
        return None
    reason, edges = why
    return Explanation(
        order=NodeRef.of(order),
        reason=reason,
        edges=[EdgeRef.of(e) for e in edges],
        sources=[] if edges else list(order.sources),
    )
