"""The workspace store against the memory store on the synthetic corpus: load, reopen, query latency.

Prints figures and same-run ratios (workspace / memory); no assertions.
Each query runs over the same random picks on both stores, and the answers
are compared, so a fast wrong answer cannot pass for a figure.

Run: ``python -m bench.bench_workspace [companies] [queries]`` (default 100000 and 200).
"""

from __future__ import annotations

import os
import random
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date
from functools import partial
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.synthetic import corpus
from graph.query import affects, neighbours, paths, search
from graph.store.base import GraphStore
from graph.store.memory import MemoryStore
from graph.store.workspace import WorkspaceStore

DAY = date(2021, 3, 1)


def timed(func: Callable[[], Any]) -> tuple[float, Any]:
    t0 = time.perf_counter()
    result = func()
    return time.perf_counter() - t0, result


def percentiles(seconds: list[float]) -> tuple[float, float]:
    ordered = sorted(seconds)
    return ordered[len(ordered) // 2], ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))]


def latency(store: GraphStore, picks: list[Callable[[GraphStore], Any]]) -> tuple[float, float, list[Any]]:
    seconds, answers = [], []
    for pick in picks:
        took, answer = timed(lambda p=pick: p(store))  # type: ignore[misc]
        seconds.append(took)
        answers.append(answer)
    p50, p95 = percentiles(seconds)
    return p50, p95, answers


def main(companies: int = 100_000, queries: int = 200) -> None:
    took, (nodes, edges) = timed(lambda: corpus(companies))
    print(f"synthetic corpus: {companies} companies -> {len(nodes)} nodes, {len(edges)} edges ({took:.1f} s)")
    entities = len(nodes) + len(edges)

    mem_s, memory = timed(lambda: MemoryStore.from_parts(nodes, edges))
    folder = Path(tempfile.mkdtemp(prefix="og-bench-"))
    path = folder / "graph.db"

    def load() -> None:
        with WorkspaceStore.open(path) as ws:
            ws.write(nodes, edges)

    ws_s, _ = timed(load)
    size = sum(f.stat().st_size for f in folder.iterdir())
    print(f"load     memory {mem_s:7.2f} s   workspace {ws_s:7.2f} s ({entities / ws_s:,.0f} entities/s, "
          f"{size / 2**20:.0f} MiB on disk)   ratio {ws_s / mem_s:.2f}")  # fmt: skip

    securities = [n.id for n in memory.nodes("Security")]
    companies_ids = [n.id for n in memory.nodes("Company")]
    first = securities[0]
    reopen_s, workspace = timed(lambda: WorkspaceStore.open(path, create=False))
    first_s, _ = timed(lambda: affects(workspace, first, DAY))
    print(f"reopen   workspace open {reopen_s * 1000:.1f} ms, first affects {first_s * 1000:.1f} ms")

    rng = random.Random(1)
    secs = [rng.choice(securities) for _ in range(queries)]
    orgs = [rng.choice(companies_ids) for _ in range(max(queries // 4, 1))]
    pairs = [(rng.choice(companies_ids), rng.choice(companies_ids)) for _ in range(max(queries // 4, 1))]
    typos = [f"Synthetc Industres {rng.randrange(companies)}" for _ in range(max(queries // 10, 1))]
    kinds: dict[str, list[Callable[[GraphStore], Any]]] = {
        "affects": [partial(lambda s, i: affects(s, i, DAY), i=i) for i in secs],
        "neighbours d2": [partial(lambda s, i: neighbours(s, i, 2), i=i) for i in orgs],
        "paths": [partial(lambda s, a, b: paths(s, a, b, 4), a=a, b=b) for a, b in pairs],
        "search": [partial(lambda s, t: search(s, t), t=t) for t in typos],
    }
    for label, picks in kinds.items():
        m50, m95, m_answers = latency(memory, picks)
        w50, w95, w_answers = latency(workspace, picks)
        same = "same answers" if m_answers == w_answers else "ANSWERS DIFFER"
        print(f"{label:<14} memory p50 {m50 * 1000:8.2f} p95 {m95 * 1000:8.2f} ms   "
              f"workspace p50 {w50 * 1000:8.2f} p95 {w95 * 1000:8.2f} ms   "
              f"ratio p95 {w95 / m95:5.2f}   ({len(picks)} queries, {same})")  # fmt: skip
    workspace.close()
    for f in folder.iterdir():
        os.remove(f)
    folder.rmdir()


if __name__ == "__main__":
    args = [int(a) for a in sys.argv[1:3]]
    main(*args)
