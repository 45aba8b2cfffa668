"""A synthetic corpus in the shape of the real one, at any size (for benchmarks, not tests).

Each synthetic company is on one of a few lists governed by one of a few
orders, has a parent half the time and one or two securities; every edge is
dated and sourced like the curated data.
"""

from __future__ import annotations

import random
from datetime import date, timedelta

from graph.model import Edge, Node, Source, edge_id

SOURCE = Source(
    url="https://example.org/synthetic", title="Synthetic corpus", publisher="bench", kind="other"
)
EXCHANGES = ("HKEX", "SSE", "SZSE", "NYSE")


def _edge(kind: str, source: str, target: str, start: str | None = None, end: str | None = None) -> Edge:
    return Edge(
        id=edge_id(kind, source, target, start),
        kind=kind,
        source=source,
        target=target,
        start=start,
        end=end,
        confidence="verified",
        sources=[SOURCE],
    )


def corpus(companies: int, seed: int = 7) -> tuple[list[Node], list[Edge]]:
    """Nodes and edges for ``companies`` synthetic companies (deterministic for a seed)."""
    rng = random.Random(seed)
    nodes: list[Node] = [Node(id=f"EXCH:{x}", kind="Exchange", name=x) for x in EXCHANGES]
    edges: list[Edge] = []
    for i in range(4):
        order, lst = f"EO:{90000 + i}", f"LIST:SYN-{i}"
        nodes.append(
            Node(
                id=order,
                kind="ExecutiveOrder",
                name=f"Executive Order {90000 + i}",
                properties={"number": str(90000 + i), "title": "Synthetic order", "signed": "2020-11-12"},
            )
        )
        nodes.append(Node(id=lst, kind="SanctionsList", name=f"Synthetic list {i}"))
        governs = _edge("GOVERNS", order, lst, "2020-11-12")
        edges.append(
            governs.model_copy(
                update={
                    "properties": {
                        "restriction": "securities",
                        "annex_cutoff": "2020-11-12",
                        "annex_effective": "2021-01-11",
                        "later_delay_days": 60,
                        "reaches_subsidiaries": i % 2 == 0,
                    }
                }
            )
        )
    start = date(2020, 6, 1)
    for c in range(companies):
        org = f"ORG:syn-{c}"
        nodes.append(Node(id=org, kind="Company", name=f"Synthetic Industries {c} Co., Ltd."))
        listed = (start + timedelta(days=rng.randrange(500))).isoformat()
        ended = (date.fromisoformat(listed) + timedelta(days=rng.randrange(100, 600))).isoformat()
        edges.append(
            _edge(
                "LISTED_ON",
                org,
                f"LIST:SYN-{rng.randrange(4)}",
                listed,
                ended if rng.random() < 0.3 else None,
            )
        )
        if c and rng.random() < 0.5:
            edges.append(_edge("SUBSIDIARY_OF", org, f"ORG:syn-{rng.randrange(c)}"))
        for _ in range(rng.choice((1, 1, 2))):
            exch = rng.choice(EXCHANGES)
            code = f"{rng.randrange(10**6):06d}" if exch in ("SSE", "SZSE") else f"{rng.randrange(10**4):04d}"
            sec = f"SEC:{exch}:{code}"
            if any(n.id == sec for n in nodes[-3:]):
                continue
            nodes.append(
                Node(
                    id=sec,
                    kind="Security",
                    name=f"Synthetic {c} ({exch} {code})",
                    properties={"exchange": f"EXCH:{exch}", "code": code},
                )
            )
            edges.append(_edge("ISSUES", org, sec))
            edges.append(_edge("TRADES_ON", sec, f"EXCH:{exch}"))
    unique_nodes = {n.id: n for n in nodes}
    unique_edges = {e.id: e for e in edges}
    return list(unique_nodes.values()), list(unique_edges.values())
