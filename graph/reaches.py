"""``reaches``: every security an order affects on a day — ``affects`` read from the order's side.

The candidates are found by walking back from the order (never a scan of
every security): companies on a list it governs and the companies it targets
(directly or through an app they develop), their listed subsidiaries, and the
securities all of these issue. Each candidate is then asked ``affects``, so
the two answers can never disagree.
"""

from __future__ import annotations

from datetime import date

from graph.affects import affects, order_inactive
from graph.errors import OrdergraphError
from graph.model import Node
from graph.store.base import GraphStore
from graph.views import EdgeRef, Explanation, NodeRef, ReachedSecurity, ReachesAnswer


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
                    status=effect.status,
                    applies_from=effect.applies_from,
                    divest_until=effect.divest_until,
                    disputed=bool(effect.claims),
                    basis=effect.basis,
                )
            )
    order_rank = {"in_force": 0, "pending": 1, "enjoined": 2}
    rows.sort(key=lambda r: (order_rank[r.status], r.security.id))
    return ReachesAnswer(
        order=NodeRef.of(order),
        as_of=as_of.isoformat(),
        securities=rows,
        inactive=_inactive(store, order, as_of),
    )


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
