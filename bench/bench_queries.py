"""Benchmarks: load, affects, search and paths on the curated corpus and on synthetic ones.

Prints absolute figures and, more usefully on a noisy machine, ratios measured
in the same run: how each query's cost grows when the corpus grows tenfold.
Targets (checked by eye, never by a unit test):

- ``affects`` follows only the edges around one security, so its cost should
  barely grow with corpus size (ratio 10x/1x well under 3);
- ``search`` scans every name, so it grows about linearly (ratio 10 to 20: more
  near-matches to rank in a bigger corpus);
- loading the curated corpus stays well under a second.

Run: ``make bench`` (or ``python bench/bench_queries.py [companies]``).
"""

from __future__ import annotations

import random
import sys
import time
import tracemalloc
from collections.abc import Callable
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.synthetic import corpus
from graph.query import affects, paths, search
from graph.store.memory import MemoryStore
from loaders.workspace import PROJECT_DATA, load_memory_store


def per_call(func: Callable[[], object], repeat: int) -> float:
    """Best-of-three mean seconds per call over ``repeat`` calls."""
    best = float("inf")
    for _ in range(3):
        t0 = time.perf_counter()
        for _ in range(repeat):
            func()
        best = min(best, (time.perf_counter() - t0) / repeat)
    return best


def measure(store: MemoryStore, label: str) -> dict[str, float]:
    rng = random.Random(1)
    securities = [n.id for n in store.nodes("Security")]
    companies = [n.id for n in store.nodes("Company")]
    picks = [rng.choice(securities) for _ in range(50)]
    day = date(2021, 3, 1)
    it = iter(range(10**9))
    figures = {
        "affects": per_call(lambda: affects(store, picks[next(it) % len(picks)], day), 50),
        "search": per_call(lambda: search(store, "Synthetc Industries 42"), 5),
        "paths": per_call(lambda: paths(store, rng.choice(companies), rng.choice(companies), 4), 10),
    }
    print(
        f"{label:<28} nodes={store.node_count():>7} edges={store.edge_count():>7}  "
        + "  ".join(f"{k}={v * 1000:8.3f} ms" for k, v in figures.items())
    )
    return figures


def main() -> None:
    size = int(sys.argv[1]) if len(sys.argv) > 1 else 1000

    t0 = time.perf_counter()
    curated = load_memory_store(PROJECT_DATA)
    load_s = time.perf_counter() - t0
    tracemalloc.start()
    load_memory_store(PROJECT_DATA)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(
        f"curated load: {load_s * 1000:.0f} ms, peak {peak / 2**20:.1f} MiB, "
        f"{curated.node_count()} nodes, {curated.edge_count()} edges"
    )
    t0 = time.perf_counter()
    for _ in range(20):
        affects(curated, "SEC:NYSE:CHL", date(2021, 2, 1))
    print(f"curated affects NYSE:CHL: {(time.perf_counter() - t0) / 20 * 1000:.3f} ms")

    small = MemoryStore.from_parts(*corpus(size))
    large = MemoryStore.from_parts(*corpus(size * 10))
    a = measure(small, f"synthetic x{size}")
    b = measure(large, f"synthetic x{size * 10}")
    print("ratios (10x corpus / 1x corpus, same run):")
    for key in a:
        print(f"  {key:<8} {b[key] / a[key]:6.2f}")


if __name__ == "__main__":
    main()
