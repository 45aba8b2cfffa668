"""Cypher as data: pure functions that return ``(query, params)``; no driver here.

Values always travel as parameters. Labels and relationship types cannot be
parameters, so they come only from the closed vocabularies in
:mod:`graph.model` and are checked against them here.

>>> query, params = merge_nodes("Company", [{"id": "ORG:x", "name": "X"}])
>>> print(query)
UNWIND $rows AS row
MERGE (n:Entity {id: row.id})
SET n += row, n:Company
>>> params["rows"][0]["id"]
'ORG:x'
"""

from __future__ import annotations

import json
from typing import Any

from graph.model import Edge, Node, edge_kinds, node_kinds

Params = dict[str, Any]


def _label(kind: str, allowed: tuple[str, ...]) -> str:
    if kind not in allowed:
        raise ValueError(f"{kind!r} is not a known kind")
    return kind


def node_row(node: Node) -> dict[str, Any]:
    """A node as a flat Neo4j property map (lists of scalars; nested data as JSON)."""
    return {
        "id": node.id,
        "kind": node.kind,
        "name": node.name,
        "aliases": list(node.aliases),
        "properties_json": json.dumps(node.properties, ensure_ascii=False, sort_keys=True),
        "sources_json": json.dumps([s.model_dump(mode="json") for s in node.sources], ensure_ascii=False),
        "datasets": node.datasets,
        "identifiers_json": json.dumps(node.identifiers, ensure_ascii=False, sort_keys=True),
        "provenance_json": json.dumps([p.model_dump(mode="json") for p in node.provenance]),
    }


def edge_row(edge: Edge) -> dict[str, Any]:
    """An edge as endpoint ids plus a flat relationship property map."""
    props = {
        "id": edge.id,
        "kind": edge.kind,
        "start": edge.start,
        "end": edge.end,
        "confidence": edge.confidence,
        "note": edge.note,
        "source_urls": [s.url for s in edge.sources],
        "properties_json": json.dumps(edge.properties, ensure_ascii=False, sort_keys=True),
        "disputed_json": json.dumps([d.model_dump(mode="json") for d in edge.disputed], ensure_ascii=False),
        "sources_json": json.dumps([s.model_dump(mode="json") for s in edge.sources], ensure_ascii=False),
        "datasets": edge.datasets,
        "identifiers_json": json.dumps(edge.identifiers, ensure_ascii=False, sort_keys=True),
        "provenance_json": json.dumps([p.model_dump(mode="json") for p in edge.provenance]),
    }
    return {
        "source": edge.source,
        "target": edge.target,
        "props": {k: v for k, v in props.items() if v is not None},
    }


def constraints() -> list[tuple[str, Params]]:
    """Schema statements: a unique id on every entity."""
    return [("CREATE CONSTRAINT entity_id IF NOT EXISTS FOR (n:Entity) REQUIRE n.id IS UNIQUE", {})]


def merge_nodes(kind: str, rows: list[dict[str, Any]]) -> tuple[str, Params]:
    """Upsert a batch of nodes of one kind, keyed by id."""
    label = _label(kind, node_kinds())
    query = f"UNWIND $rows AS row\nMERGE (n:Entity {{id: row.id}})\nSET n += row, n:{label}"
    return query, {"rows": rows}


def merge_edges(kind: str, rows: list[dict[str, Any]]) -> tuple[str, Params]:
    """Upsert a batch of edges of one kind, keyed by their own id (parallel edges stay apart)."""
    rel = _label(kind, edge_kinds())
    query = (
        "UNWIND $rows AS row\n"
        "MATCH (a:Entity {id: row.source}), (b:Entity {id: row.target})\n"
        f"MERGE (a)-[r:{rel} {{id: row.props.id}}]->(b)\n"
        "SET r += row.props"
    )
    return query, {"rows": rows}
