"""A company's listed securities: the bridge from a company name to ``affects``.

A reporter types "China Unicom" and means its shares: the securities the
company issues, and those its subsidiaries issue (its listed arms).

>>> from graph.store.memory import MemoryStore
>>> from graph.model import Edge, Node, Source
>>> src = [Source(url="https://example.org/x", title="t", publisher="p", kind="other")]
>>> store = MemoryStore.from_parts(
...     [Node(id="ORG:parent", kind="Company", name="Parent Group"),
...      Node(id="ORG:arm", kind="Company", name="Listed Arm"),
...      Node(id="SEC:HKEX:0001", kind="Security", name="Listed Arm (HKEX 0001)")],
...     [Edge(id="s", kind="SUBSIDIARY_OF", source="ORG:arm", target="ORG:parent",
...           confidence="verified", sources=src),
...      Edge(id="i", kind="ISSUES", source="ORG:arm", target="SEC:HKEX:0001",
...           confidence="verified", sources=src)])
>>> [(s.security.id, s.via.id if s.via else None) for s in listed_securities(store, "ORG:parent")]
[('SEC:HKEX:0001', 'ORG:arm')]
"""

from __future__ import annotations

from graph.errors import OrdergraphError
from graph.model import Node
from graph.store.base import GraphStore
from graph.views import ListedSecurity, NodeRef, SecurityRef


def _node(store: GraphStore, node_id: str) -> Node:
    node = store.get_node(node_id)
    if node is None:
        raise OrdergraphError(f"dangling id {node_id!r}")
    return node


def listed_securities(store: GraphStore, company_id: str) -> list[ListedSecurity]:
    """Securities a company issues, and those its subsidiaries issue (``via`` the subsidiary).

    Parameters
    ----------
    store : GraphStore
    company_id : str
        A ``Company`` node id; any other kind has no listed securities (empty list).

    Returns
    -------
    list of ListedSecurity
        The company's own securities first, then its subsidiaries', each sorted by id.
    """
    company = store.get_node(company_id)
    if company is None or company.kind != "Company":
        return []
    found: list[ListedSecurity] = []
    issuers: list[tuple[Node, Node | None]] = [(company, None)]
    for sub in store.edges_of(company.id, "in", ["SUBSIDIARY_OF"]):
        subsidiary = _node(store, sub.source)
        issuers.append((subsidiary, subsidiary))
    seen: set[str] = set()
    for issuer, via in issuers:
        for issues in sorted(store.edges_of(issuer.id, "out", ["ISSUES"]), key=lambda e: e.target):
            if issues.target in seen:
                continue
            seen.add(issues.target)
            security = _node(store, issues.target)
            found.append(
                ListedSecurity(
                    security=SecurityRef.of(security),
                    issuer=NodeRef.of(issuer),
                    via=NodeRef.of(via) if via else None,
                    start=issues.start,
                    end=issues.end,
                )
            )
    return found
