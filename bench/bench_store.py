"""The engine alone: FtM lines streamed into a ``WorkspaceStore`` (no resolution), then queried.

What the workspace's store costs under the user-facing ``ordergraph load`` (which adds entity
resolution and per-dataset records on top): load time and peak RSS against the ``orjson``
floor measured in the same run; reopen (a new process: start, open the file, first
``affects``); ``affects``, ``neighbours`` (depth 2), ``paths`` and ``search`` p50/p95 over
the harness's random queries (``bench/sample.py``), each kind starting no new query once its
time budget has gone.

Run: ``python -m bench.bench_store 100000 [queries]``; prints one JSON object and a table.
"""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bench.baselines import floor
from bench.engine import AS_OF, query_latencies, store_ids
from bench.run import corpus_for
from bench.sample import Sample, draw
from bench.stats import peak_rss_mib, summary
from graph.model import Edge, Node
from graph.query import affects, neighbours, paths, search
from graph.store.workspace import WorkspaceStore

REOPEN = (
    "import sys, time; t0 = time.perf_counter()\n"
    "from datetime import date\n"
    "from graph.store.workspace import WorkspaceStore\n"
    "from graph.query import affects\n"
    "store = WorkspaceStore.open(sys.argv[1], create=False)\n"
    "affects(store, sys.argv[2], date.fromisoformat(sys.argv[3]))\n"
    "print(time.perf_counter() - t0)\n"
)


def load(corpus: Path, path: Path) -> dict[str, Any]:
    from loaders.ftm import read_ftm

    def items() -> Any:
        for record in read_ftm(corpus, "bench"):
            item: Node | Edge = record.item
            yield item

    t0, c0 = time.perf_counter(), time.process_time()
    with WorkspaceStore.open(path) as store:
        written = store.write_stream(items())
        nodes, edges = store.node_count(), store.edge_count()
    seconds, cpu = time.perf_counter() - t0, time.process_time() - c0
    disk = sum(f.stat().st_size for f in path.parent.iterdir()) / 2**20
    return {"seconds": seconds, "cpu_s": round(cpu, 2), "peak_rss_mib": peak_rss_mib(), "written": written,
            "nodes": nodes, "edges": edges, "disk_mib": round(disk, 1)}  # fmt: skip


def reopen(path: Path, security: str, runs: int = 3) -> dict[str, Any]:
    """Wall time of a new process from start to its first answer (best and median of ``runs``)."""
    walls = []
    for _ in range(runs):
        t0 = time.perf_counter()
        subprocess.run(  # noqa: S603 - our own interpreter and script
            [sys.executable, "-c", REOPEN, str(path), security, AS_OF.isoformat()],
            check=True, stdout=subprocess.DEVNULL, env={**os.environ, "PYTHONPATH": str(Path.cwd())},
        )  # fmt: skip
        walls.append(time.perf_counter() - t0)
    walls.sort()
    return {"best_s": round(walls[0], 3), "median_s": round(walls[len(walls) // 2], 3)}


def cpu_latencies(store: WorkspaceStore, sample: Sample) -> dict[str, Any]:
    """The same queries timed in this process's CPU seconds: on a machine shared by many
    processes, what the engine itself costs (wall time adds the waits for a core)."""
    securities = store_ids(store, sample.securities)
    companies = store_ids(store, sample.companies)
    rng = random.Random(2)
    pairs = [(rng.choice(companies), rng.choice(companies)) for _ in companies]
    kinds: dict[str, tuple[Callable[[Any], object], list[Any]]] = {
        "affects": (lambda s: affects(store, s, AS_OF), securities),
        "neighbours_d2": (lambda c: neighbours(store, c, depth=2), companies),
        "paths": (lambda p: paths(store, p[0], p[1]), pairs),
        "search": (lambda t: search(store, t), sample.texts),
    }
    figures: dict[str, Any] = {}
    for kind, (func, args) in kinds.items():
        times = []
        for arg in args:
            t0 = time.process_time()
            func(arg)
            times.append(time.process_time() - t0)
        figures[kind] = summary(times)
    return figures


def main(size: int, queries: int) -> dict[str, Any]:
    corpus = corpus_for(size)
    figures: dict[str, Any] = {"size": size, "load_average": os.getloadavg()[0]}
    c0 = time.process_time()
    figures["orjson_floor_s"] = floor(corpus)["seconds"]
    figures["orjson_floor_cpu_s"] = round(time.process_time() - c0, 2)
    folder = Path(tempfile.mkdtemp(prefix="og-store-"))
    path = folder / "graph.db"
    figures["load"] = load(corpus, path)
    sample = draw(corpus, n=queries)
    with WorkspaceStore.open(path, create=False) as store:
        security = store_ids(store, sample.securities[:1])[0]
        figures["reopen"] = reopen(path, security)
        figures["queries"] = query_latencies(store, sample)
        figures["queries_cpu"] = cpu_latencies(store, sample)
    for f in folder.iterdir():
        f.unlink()
    folder.rmdir()
    load_s = figures["load"]["seconds"]
    print(json.dumps(figures))
    load_fig, reopen_fig = figures["load"], figures["reopen"]
    ratio = load_s / figures["orjson_floor_s"]
    print(f"== {size:,} entities, load average {figures['load_average']:.1f}")
    print(f"  orjson floor      {figures['orjson_floor_s']:.2f} s")
    print(f"  store load        {load_s:.2f} s, {load_fig['peak_rss_mib']} MiB peak, ", end="")
    cpu_ratio = load_fig["cpu_s"] / max(figures["orjson_floor_cpu_s"], 0.01)
    print(f"{load_fig['disk_mib']} MiB on disk | {ratio:.2f}x floor; ", end="")
    print(f"CPU {load_fig['cpu_s']} s, {cpu_ratio:.1f}x the floor's CPU")
    print(f"  reopen → answer   {reopen_fig['best_s']} s best, {reopen_fig['median_s']} s median")
    for kind, q in figures["queries"].items():
        p50, p95, n = q.get("p50_ms"), q.get("p95_ms"), q.get("n")
        c = figures["queries_cpu"][kind]
        print(
            f"  {kind:<16}  {p50} / {p95} ms p50/p95 wall, {c.get('p50_ms')} / {c.get('p95_ms')} CPU (n={n})"
        )
    return figures


if __name__ == "__main__":
    main(int(sys.argv[1]), int(sys.argv[2]) if len(sys.argv) > 2 else 300)
