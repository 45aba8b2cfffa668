"""A one-line summary of an entity, for search results and lists.

>>> from graph.model import Node
>>> summary(Node(id="SEC:HKEX:1810", kind="Security", name="Xiaomi (HKEX 1810)",
...     properties={"exchange": "EXCH:HKEX", "code": "1810"}))
'Security · HKEX 1810'
"""

from __future__ import annotations

from graph.model import Node

MAX_CHARS = 120


def _short(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= MAX_CHARS else text[: MAX_CHARS - 1].rstrip() + "…"


def summary(node: Node) -> str:
    """Kind, then the one or two facts that tell this entity apart (ticker, signing date, court, docket…)."""
    props = node.properties
    kind = {
        "ExecutiveOrder": "Executive order",
        "SanctionsList": "List",
        "CourtCase": "Court case",
        "GovernmentBody": "Government body",
    }.get(node.kind, node.kind)
    facts: list[str] = []
    if node.kind == "Security":
        exchange = str(props.get("exchange", "")).removeprefix("EXCH:")
        facts.append(f"{exchange} {props.get('code', '')}".strip())
    elif node.kind == "ExecutiveOrder":
        if props.get("signed"):
            facts.append(f"signed {props['signed']}")
        if props.get("fr_citation"):
            facts.append(str(props["fr_citation"]))
    elif node.kind == "CourtCase":
        facts += [str(props[p]) for p in ("court", "docket") if props.get(p)]
    elif node.kind == "Document":
        facts += [str(props[p]) for p in ("publisher", "date") if props.get(p)]
        if not props.get("date") and props.get("public_inspection"):
            facts.append(f"on public inspection {props['public_inspection']}")
    for prop in ("description", "role", "note"):
        if not facts and isinstance(props.get(prop), str):
            facts.append(str(props[prop]))
    if not facts and node.aliases:
        facts.append("also " + ", ".join(node.aliases[:3]))
    return _short(" · ".join([kind, *facts]))
