"""The engine under test, seen by the bench: load a FtM file into a workspace, open it, apply a delta.

Each function returns figures, or raises :class:`NotAvailable` saying which
component has not landed, so the harness prints that instead of a figure.
"""

from __future__ import annotations

import importlib.util
import random
import sys
import time
from datetime import date
from pathlib import Path
from typing import Any

from bench.sample import Sample
from bench.stats import QUERY_BUDGET_S, bounded_latencies, children_peak_rss_mib, cpu_seconds
from graph.store.base import GraphStore

AS_OF = date(2021, 3, 1)


class NotAvailable(Exception):
    """A component the figure needs is not there (yet)."""


def require(*modules: str) -> None:
    missing = [m for m in modules if importlib.util.find_spec(m) is None]
    if missing:
        raise NotAvailable(f"{', '.join(missing)} not on this branch yet")


DATASET = "bench"


def _workspace_api() -> Any:
    """``loaders.workspace`` once it has the workspace (``Workspace``, ``load_path``, ``open_store``)."""
    require("loaders.ftm")
    import loaders.workspace as api

    missing = [name for name in ("Workspace", "load_path", "open_store") if not hasattr(api, name)]
    if missing:
        raise NotAvailable(f"loaders.workspace has no {', '.join(missing)} yet")
    return api


def load(corpus: Path, home: Path) -> dict[str, Any]:
    """Load the corpus into a new workspace at ``home`` (as ``ordergraph load --format ftm``)."""
    api = _workspace_api()
    workspace = api.Workspace(home)
    workspace.store()  # the curated base is written on creation: not part of the load
    c0, t0 = cpu_seconds(), time.perf_counter()
    api.load_path(workspace, corpus, "ftm", DATASET)
    seconds, cpu = time.perf_counter() - t0, cpu_seconds() - c0
    store = workspace.store()
    figures = {
        "seconds": seconds,
        # CPU of this process and of the forked reading worker, if the load used one
        "cpu_s": round(cpu, 2),
        "worker_peak_rss_mib": children_peak_rss_mib(),
        "nodes": store.node_count(),
        "edges": store.edge_count(),
    }
    workspace.close()
    db = sum(f.stat().st_size for f in home.rglob("*") if f.is_file())
    figures["disk_mib"] = round(db / 2**20, 1)
    return figures


def open_store(home: Path) -> GraphStore:
    """The workspace's store, as the faces open it."""
    store: GraphStore = _workspace_api().open_store(home)
    return store


def store_ids(store: GraphStore, ftm_ids: list[str]) -> list[str]:
    """The store's ids for these FtM ids (those it has), through the ``ftm_id`` identifier index."""
    found = []
    for ftm_id in ftm_ids:
        nodes = store.nodes_by_identifier("ftm_id", ftm_id)
        if nodes:
            found.append(nodes[0].id)
    return found


def apply_delta(delta: Path, home: Path) -> dict[str, Any]:
    """Apply the 1% delta to the loaded workspace (as ``ordergraph load --format ftm-delta``)."""
    api = _workspace_api()
    workspace = api.Workspace(home)
    workspace.store()
    c0, t0 = cpu_seconds(), time.perf_counter()
    api.load_path(workspace, delta, "ftm-delta", DATASET)
    seconds, cpu = time.perf_counter() - t0, cpu_seconds() - c0
    workspace.close()
    return {"seconds": seconds, "cpu_s": round(cpu, 2), "changes": sum(1 for _ in delta.open("rb"))}


def reopen_command(home: Path, security_id: str) -> list[str]:
    """The CLI call whose start-to-answer time is the reopen figure (run with ORDERGRAPH_HOME=home)."""
    _workspace_api()
    return [sys.executable, "-m", "ordergraph", "affects", security_id, "--as-of", AS_OF.isoformat()]


def query_latencies(store: GraphStore, sample: Sample) -> dict[str, Any]:
    """p50/p95 of affects, neighbours (depth 2), paths and search over the sample, on any store."""
    from graph.query import affects, neighbours, paths, search

    securities = store_ids(store, sample.securities)
    companies = store_ids(store, sample.companies)
    rng = random.Random(2)
    pairs = [(rng.choice(companies), rng.choice(companies)) for _ in companies]
    figures: dict[str, Any] = {}
    figures["affects"] = bounded_latencies(lambda s: affects(store, s, AS_OF), securities, QUERY_BUDGET_S)
    figures["neighbours_d2"] = bounded_latencies(
        lambda c: neighbours(store, c, depth=2), companies, QUERY_BUDGET_S
    )
    figures["paths"] = bounded_latencies(lambda p: paths(store, p[0], p[1]), pairs, QUERY_BUDGET_S)
    figures["search"] = bounded_latencies(lambda t: search(store, t), sample.texts, QUERY_BUDGET_S)
    return figures
