"""The article linker and ``resolve --review`` on a workspace of the curated graph plus N synthetic
companies: store calls, seconds, and the same work done the old way (every name of the graph read).

Prints figures and same-run ratios (old way / index); no assertions. The answers are compared, so
a fast wrong answer cannot pass for a figure.

Run: ``python -m bench.bench_linker [companies]`` (default 100000).
"""

from __future__ import annotations

import sys
import tempfile
import time
from collections.abc import Callable
from itertools import islice
from pathlib import Path
from typing import Any, cast

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.synthetic import corpus
from graph.store.base import GraphStore
from graph.store.memory import MemoryStore
from graph.store.workspace import WorkspaceStore
from loaders.article import LINKED_KINDS, link
from loaders.resolve import NAME_KINDS, REVIEW_SUBJECTS, MemoryNames, Resolver
from loaders.workspace import PROJECT_DATA, load_memory_store
from tests.graph.counting import CountingStore

ARTICLE = Path(__file__).resolve().parents[2] / "shared" / "research" / "zdnet-xiaomi-article.txt"


def timed(func: Callable[[], Any]) -> tuple[float, Any]:
    t0 = time.perf_counter()
    result = func()
    return time.perf_counter() - t0, result


def main(companies: int = 100_000) -> None:
    curated = load_memory_store(PROJECT_DATA)
    nodes, edges = corpus(companies)
    with tempfile.TemporaryDirectory() as folder:
        store = WorkspaceStore.open(Path(folder) / "graph.db")
        store.write([*curated.nodes(), *nodes], [*curated.edges(), *edges])
        print(f"workspace: {store.node_count():,} nodes, {store.edge_count():,} edges")
        text = ARTICLE.read_text(encoding="utf-8")

        counter = CountingStore(store)
        indexed_s, found = timed(lambda: link(text, cast(GraphStore, counter)))

        def whole_graph() -> Any:  # the old linker: every name of the linked kinds read first
            every = MemoryStore.from_parts([n for k in LINKED_KINDS for n in store.nodes(k)], [])
            return link(text, every)

        scan_s, scanned = timed(whole_graph)
        same = "same mentions" if found == scanned else "MENTIONS DIFFER"
        print(
            f"linker: {indexed_s:.2f} s in {counter.total()} store calls (index), "
            f"{scan_s:.2f} s reading every name; {scan_s / indexed_s:.1f}x; {same}"
        )

        subjects = list(islice(curated.nodes("Company"), REVIEW_SUBJECTS))
        counter = CountingStore(store)
        review = Resolver(cast(GraphStore, counter), names=MemoryNames())
        review_s, pairs = timed(lambda: list(review.candidates(subjects)))
        blocks_s, blocks = timed(lambda: MemoryNames.of(store))  # what the old review read first
        compared = sum(len(b) * (len(b) - 1) // 2 for b in blocks.blocks.values())
        print(
            f"review of {len(subjects)} entities: {review_s:.2f} s in {counter.total()} store calls "
            f"({len(pairs)} pairs); the old review read every name of {', '.join(sorted(NAME_KINDS))} "
            f"({blocks_s:.2f} s), then compared every pair of names in a block: {compared:,} pairs"
        )
        store.close()


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 100_000)
