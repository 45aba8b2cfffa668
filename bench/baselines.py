"""What the engine is measured against, on the same file in the same run.

- ``floor``: parsing every line with ``orjson`` and nothing else — no load can
  beat reading its input;
- ``ftm_proxies``: what a followthemoney user writes first, ``model.get_proxy``
  per line;
- ``networkx``: the plain graph a Python user builds next (one node per thing,
  one edge per relationship entity), and the queries they would run on it: a
  linear scan for search, breadth-first neighbours, ``all_shortest_paths``.
"""

from __future__ import annotations

import random
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import networkx as nx
import orjson

from bench.stats import QUERY_BUDGET_S, bounded_latencies

# Relationship schemata: (source property, target property).
EDGE_SCHEMATA = {
    "Ownership": ("owner", "asset"),
    "Directorship": ("director", "organization"),
    "UnknownLink": ("subject", "object"),
    "Sanction": ("entity", "program"),
    "Security": ("issuer", None),
}


def _lines(path: Path) -> Iterator[bytes]:
    with path.open("rb", buffering=1 << 20) as fh:
        yield from fh


def floor(path: Path) -> dict[str, Any]:
    """Seconds (wall and CPU) to read and ``orjson.loads`` every line."""
    c0, t0 = time.process_time(), time.perf_counter()
    n = 0
    loads = orjson.loads
    for line in _lines(path):
        loads(line)
        n += 1
    return {"seconds": time.perf_counter() - t0, "cpu_s": round(time.process_time() - c0, 3), "lines": n}


def ftm_proxies(path: Path) -> dict[str, Any]:
    """Seconds (wall and CPU) to read every line into a followthemoney ``EntityProxy``."""
    from followthemoney import model

    c0, t0 = time.process_time(), time.perf_counter()
    n = 0
    get_proxy, loads = model.get_proxy, orjson.loads
    for line in _lines(path):
        get_proxy(loads(line))
        n += 1
    return {"seconds": time.perf_counter() - t0, "cpu_s": round(time.process_time() - c0, 3), "lines": n}


def build_networkx(path: Path) -> tuple[nx.MultiDiGraph, float]:
    """The plain graph, and the seconds spent reading, parsing and building it."""
    t0 = time.perf_counter()
    graph = nx.MultiDiGraph()
    loads = orjson.loads
    for line in _lines(path):
        entity = loads(line)
        props = entity["properties"]
        schema = entity["schema"]
        ends = EDGE_SCHEMATA.get(schema)
        if ends is None or schema == "Security":
            graph.add_node(entity["id"], schema=schema, properties=props)
        if ends is not None:
            source, target = ends
            head = props.get(target, [None])[0] if target else entity["id"]
            if schema == "Sanction":
                head = f"program:{props['programId'][0]}"
            for tail in props.get(source, ()):
                graph.add_edge(tail, head, key=entity["id"], schema=schema)
    return graph, time.perf_counter() - t0


def _names(graph: nx.MultiDiGraph) -> list[tuple[str, str]]:
    out = []
    for node, data in graph.nodes(data=True):
        props = data.get("properties") or {}
        for name in (*props.get("name", ()), *props.get("alias", ())):
            out.append((node, name))
    return out


def networkx_queries(graph: nx.MultiDiGraph, texts: list[str], seed: int = 1) -> dict[str, Any]:
    """Latencies of the queries a networkx user would write, on a sample of nodes."""
    from rapidfuzz import fuzz

    rng = random.Random(seed)
    nodes = [n for n, d in graph.nodes(data=True) if d.get("schema") == "Company"]
    undirected = graph.to_undirected(as_view=True)
    names = _names(graph)

    def neighbours(node: str) -> int:
        seen = {node}
        frontier = [node]
        for _ in range(2):
            nxt = []
            for current in frontier:
                for other in undirected.neighbors(current):
                    if other not in seen:
                        seen.add(other)
                        nxt.append(other)
            frontier = nxt
        return len(seen)

    def paths(a: str, b: str) -> int:
        try:
            return sum(1 for _ in nx.all_shortest_paths(undirected, a, b))
        except nx.NetworkXNoPath:
            return 0

    def search(text: str) -> list[tuple[float, str]]:
        folded = text.lower()
        scored = [(fuzz.WRatio(folded, name.lower()), node) for node, name in names]
        return sorted(scored, reverse=True)[:10]

    picks = [rng.choice(nodes) for _ in range(min(200, len(texts)))]
    pairs = [(rng.choice(nodes), rng.choice(nodes)) for _ in range(min(50, len(texts)))]
    return {
        "neighbours_d2": bounded_latencies(neighbours, picks, QUERY_BUDGET_S),
        "paths": bounded_latencies(lambda p: paths(*p), pairs, QUERY_BUDGET_S),
        "search": bounded_latencies(
            search, texts[: max(3, min(50, 2_000_000 // max(len(names), 1)))], QUERY_BUDGET_S
        ),
    }
