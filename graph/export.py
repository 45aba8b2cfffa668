"""Exports: GraphML, GEXF, node-link JSON, CSV (nodes + edges) and a Cypher script.

GraphML and GEXF hold only scalar attributes, so lists and nested data travel
as JSON strings; :func:`from_networkx` reads them back into models, so an
export re-read with networkx keeps kinds, dates, sources and parallel edges.
"""

from __future__ import annotations

import csv
import io
import json
import math
from collections.abc import Iterable, Iterator
from datetime import date
from pathlib import Path
from typing import Any, TextIO

import networkx as nx

from graph.cypher import merge_edges, merge_nodes, schema
from graph.model import CURATED, Edge, Node, edge_kinds, node_kinds
from graph.neo4j_rows import edge_row, node_row
from graph.store.base import GraphStore

FORMATS = ("graphml", "gexf", "json", "csv", "cypher")
NODE_COLUMNS = ("id", "kind", "name", "aliases", "properties", "sources", "identifiers", "provenance")
EDGE_COLUMNS: tuple[str, ...] = ("id", "kind", "source", "target", "start", "end", "confidence", "note")
EDGE_COLUMNS += ("properties", "disputed", "sources", "identifiers", "provenance")


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


def node_record(node: Node) -> dict[str, str]:
    """A node as flat string columns."""
    data = node.model_dump(mode="json")
    return {k: data[k] if isinstance(data[k], str) else _json(data[k]) for k in NODE_COLUMNS}


def edge_record(edge: Edge) -> dict[str, str]:
    """An edge as flat string columns; a missing date is the empty string."""
    data = edge.model_dump(mode="json")
    out = {}
    for key in EDGE_COLUMNS:
        value = data[key]
        out[key] = "" if value is None else value if isinstance(value, str) else _json(value)
    return out


def to_networkx(store: GraphStore) -> nx.MultiDiGraph:
    """A MultiDiGraph with flat attributes, edges keyed by their ids."""
    graph = nx.MultiDiGraph()
    for node in store.nodes():
        rec = node_record(node)
        graph.add_node(node.id, **{k: v for k, v in rec.items() if k != "id"})
    for edge in store.edges():
        rec = edge_record(edge)
        attrs = {k: v for k, v in rec.items() if k not in ("source", "target") and v != ""}
        # GEXF reserves start/end for its own time spans: keep ours under other names.
        for key in ("start", "end"):
            if key in attrs:
                attrs[f"date_{key}"] = attrs.pop(key)
        attrs["edge_id"] = attrs.pop("id")
        graph.add_edge(edge.source, edge.target, key=edge.id, **attrs)
    return graph


_CURATED = [{"dataset": CURATED}]


def _loads(value: Any, default: Any) -> Any:
    return json.loads(value) if isinstance(value, str) and value else default


def from_networkx(graph: nx.MultiDiGraph) -> tuple[list[Node], list[Edge]]:
    """Models back from a graph written by :func:`to_networkx` (after any file round trip)."""
    nodes = [
        Node(
            id=str(node_id),
            kind=data["kind"],
            name=data["name"],
            aliases=_loads(data.get("aliases"), []),
            properties=_loads(data.get("properties"), {}),
            sources=_loads(data.get("sources"), []),
            identifiers=_loads(data.get("identifiers"), {}),
            provenance=_loads(data.get("provenance"), None) or _CURATED,
        )
        for node_id, data in graph.nodes(data=True)
    ]
    edges = [
        Edge(
            id=data.get("edge_id", key),
            kind=data["kind"],
            source=str(source),
            target=str(target),
            start=data.get("date_start") or None,
            end=data.get("date_end") or None,
            confidence=data["confidence"],
            note=data.get("note") or None,
            properties=_loads(data.get("properties"), {}),
            disputed=_loads(data.get("disputed"), []),
            sources=_loads(data.get("sources"), []),
            identifiers=_loads(data.get("identifiers"), {}),
            provenance=_loads(data.get("provenance"), None) or _CURATED,
        )
        for source, target, key, data in graph.edges(keys=True, data=True)
    ]
    return nodes, edges


def to_node_link(store: GraphStore) -> dict[str, Any]:
    """Node-link JSON (as networkx's ``node_link_data``), with full models."""
    return {
        "directed": True,
        "multigraph": True,
        "graph": {},
        "nodes": [n.model_dump(mode="json") for n in store.nodes()],
        "edges": [e.model_dump(mode="json") for e in store.edges()],
    }


def _csv(rows: Iterable[dict[str, str]], columns: tuple[str, ...]) -> str:
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=columns, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return buf.getvalue()


def cypher_literal(value: Any) -> str:
    """A value as a Cypher literal (for ``:param`` lines of a script).

    >>> cypher_literal({"start": "2021-01", "start_from": date(2021, 1, 1), "ok": True})
    '{`start`: "2021-01", `start_from`: date("2021-01-01"), `ok`: true}'
    """
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return repr(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ValueError(f"{value!r} has no Cypher literal")
        return repr(value)
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, date):
        return f'date("{value.isoformat()}")'
    if isinstance(value, list):
        return "[" + ", ".join(cypher_literal(v) for v in value) + "]"
    if isinstance(value, dict):
        items = ", ".join(f"`{str(k).replace('`', '``')}`: {cypher_literal(v)}" for k, v in value.items())
        return "{" + items + "}"
    raise TypeError(f"cannot write {type(value).__name__} as Cypher")


def cypher_script(store: GraphStore, batch: int = 200) -> Iterator[str]:
    """A cypher-shell script, line by line: schema, then per batch a ``:param rows`` line and
    a parameterised statement (the same builders the sync uses). Streams: one batch in memory."""
    yield "// ordergraph export: run with cypher-shell -f FILE"
    for query, _ in schema():
        yield query + ";"
    for kind in node_kinds():
        for rows in _chunks((node_row(n) for n in store.nodes(kind)), batch):
            query, params = merge_nodes(kind, rows)
            yield f":param rows => {cypher_literal(params['rows'])}"
            yield query + ";"
    for kind in edge_kinds():
        for rows in _chunks((edge_row(e) for e in store.edges(kind)), batch):
            query, params = merge_edges(kind, rows)
            yield f":param rows => {cypher_literal(params['rows'])}"
            yield query + ";"


def _chunks(rows: Iterable[dict[str, Any]], size: int) -> Iterator[list[dict[str, Any]]]:
    chunk: list[dict[str, Any]] = []
    for row in rows:
        chunk.append(row)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def write_cypher_script(store: GraphStore, out: TextIO, batch: int = 200) -> None:
    """Write :func:`cypher_script` to an open text file."""
    for line in cypher_script(store, batch):
        out.write(line + "\n")


def export(store: GraphStore, fmt: str, out: Path) -> list[Path]:
    """Write the store in ``fmt`` to ``out`` (a folder for csv, else a file); return what was written."""
    if fmt == "graphml":
        nx.write_graphml(to_networkx(store), out)
    elif fmt == "gexf":
        nx.write_gexf(to_networkx(store), out)
    elif fmt == "json":
        out.write_text(json.dumps(to_node_link(store), ensure_ascii=False, indent=1), encoding="utf-8")
    elif fmt == "cypher":
        with out.open("w", encoding="utf-8") as handle:
            write_cypher_script(store, handle)
    elif fmt == "csv":
        out.mkdir(parents=True, exist_ok=True)
        nodes, edges = out / "nodes.csv", out / "edges.csv"
        nodes.write_text(_csv((node_record(n) for n in store.nodes()), NODE_COLUMNS), encoding="utf-8")
        edges.write_text(_csv((edge_record(e) for e in store.edges()), EDGE_COLUMNS), encoding="utf-8")
        return [nodes, edges]
    else:
        raise ValueError(f"unknown format {fmt!r}: use one of {', '.join(FORMATS)}")
    return [out]
