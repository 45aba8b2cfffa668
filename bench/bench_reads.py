"""The read side on a workspace of any size: each query's latency, reopen through the real CLI,
and the app's first paint, in wall time and in CPU time (the machine is shared).

A workspace home is built once per size and reused (``--build``): the curated data as a new
workspace writes it, then the FtM corpus streamed into the store (``write_stream``, no entity
resolution: the load path is ``bench/bench_load.py``'s). Then, on the home as the faces open
it (``loaders.workspace.open_store``):

- ``affects``, ``neighbours`` (depth 2), ``paths`` and ``search`` over the harness's random
  picks (``bench/sample.py``): p50/p95/max of wall time and of this process's CPU time;
- reopen: ``ORDERGRAPH_HOME=… ordergraph affects SECURITY --as-of …`` in a new process, from
  start to its answer (wall), with the child's CPU time;
- first paint: the real app (streamlit) opened on the home, a share link to an entity's
  neighbourhood, in Chromium (Debian's, through Playwright), until the graph is drawn.

Run: ``python -m bench.bench_reads 1000000 --home /work/bench-1m/home --build [--queries 300]
[--app]``; prints a table and one JSON line.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bench.engine import AS_OF, store_ids
from bench.run import corpus_for, default_corpus_dir
from bench.sample import Sample, draw
from bench.stats import peak_rss_mib, summary

ROOT = Path(__file__).resolve().parent.parent
# The app's first page in the bench: a share link to a curated company's neighbourhood.
APP_ENTITY = "ORG:xiaomi"


def pinned_data(home: Path) -> Path:
    """The copy of the curated data a bench home was built on, beside it.

    The corpus is streamed into the store without the records a real load keeps, so a
    workspace that sees a new edition of data/ cannot merge every loaded dataset again onto
    it (it refuses rather than drop the corpus): the bench reads its home with the data it
    was built on.
    """
    return home.with_name(home.name + "-data")


def build(corpus: Path, home: Path) -> dict[str, Any]:
    """A workspace at ``home``: the curated base, then the corpus streamed into its store."""
    from graph.model import Edge, Node
    from loaders.ftm import read_ftm
    from loaders.workspace import DATA_ENV, Workspace, data_dir

    shutil.copytree(data_dir(), pinned_data(home), dirs_exist_ok=True)
    os.environ[DATA_ENV] = str(pinned_data(home))

    def items() -> Any:
        for record in read_ftm(corpus, "bench"):
            item: Node | Edge = record.item
            yield item

    workspace = Workspace(home)
    store = workspace.store()
    t0, c0 = time.perf_counter(), time.process_time()
    written = store.write_stream(items())
    figures = {"seconds": round(time.perf_counter() - t0, 2), "cpu_s": round(time.process_time() - c0, 2)}
    figures.update(written=written, nodes=store.node_count(), edges=store.edge_count())
    figures["peak_rss_mib"] = peak_rss_mib()
    workspace.close()
    return figures


def timed(func: Callable[[Any], object], args: list[Any]) -> dict[str, Any]:
    """Wall and CPU latencies of ``func`` over ``args`` (each call timed both ways)."""
    walls, cpus = [], []
    for arg in args:
        t0, c0 = time.perf_counter(), time.process_time()
        func(arg)
        cpus.append(time.process_time() - c0)
        walls.append(time.perf_counter() - t0)
    return {"wall": summary(walls), "cpu": summary(cpus)}


def queries(home: Path, sample: Sample, search_only: bool = False) -> dict[str, Any]:
    """Each query kind's latencies on the workspace, opened as the CLI and the app open it
    (``search_only``: search's alone), and search's quality on the same texts."""
    from graph.query import affects, neighbours, paths, search
    from loaders.workspace import open_store

    t0, c0 = time.perf_counter(), time.process_time()
    store = open_store(home)
    opened = {"wall_s": time.perf_counter() - t0, "cpu_s": time.process_time() - c0}
    figures: dict[str, Any] = {"open": opened}
    securities = store_ids(store, sample.securities)
    companies = store_ids(store, sample.companies)
    rng = random.Random(2)
    pairs = [(rng.choice(companies), rng.choice(companies)) for _ in companies]
    # The first search reads the name vocabulary (once per process): timed apart.
    t0, c0 = time.perf_counter(), time.process_time()
    search(store, sample.texts[0])
    figures["first_search"] = {"wall_s": time.perf_counter() - t0, "cpu_s": time.process_time() - c0}
    if not search_only:
        figures["affects"] = timed(lambda s: affects(store, s, AS_OF), securities)
        figures["neighbours_d2"] = timed(lambda c: neighbours(store, c, depth=2), companies)
        figures["paths"] = timed(lambda p: paths(store, p[0], p[1]), pairs)
    answers: list[list[str]] = []
    figures["search"] = timed(lambda t: answers.append([h.id for h in search(store, t)]), sample.texts)
    figures["search_quality"] = search_quality(store, sample, answers)
    figures["security"] = securities[0]
    return figures


def search_quality(store: Any, sample: Sample, answers: list[list[str]]) -> dict[str, dict[str, int]]:
    """For each way a text was drawn from a company (its name, an alias, its name with a typo, its
    first two words): how many texts, how many have the company in their top 10 answers, and first."""
    quality: dict[str, dict[str, int]] = {}
    for (ftm_id, kind), hits in zip(sample.drawn_from, answers, strict=True):
        if kind == "ticker":
            continue
        ids = store_ids(store, [ftm_id])
        row = quality.setdefault(kind, {"texts": 0, "top10": 0, "first": 0})
        row["texts"] += 1
        row["top10"] += bool(ids) and ids[0] in hits[:10]
        row["first"] += bool(ids) and hits[:1] == ids[:1]
    return quality


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def reopen(home: Path, security: str, runs: int = 5) -> dict[str, Any]:
    """``ordergraph affects`` in a new process on the workspace: wall and CPU from start to answer."""
    env = {**os.environ, "ORDERGRAPH_HOME": str(home)}
    command = [sys.executable, "-m", "ordergraph", "affects", security, "--as-of", AS_OF.isoformat()]
    walls, cpus = [], []
    for _ in range(runs):
        c0, t0 = _children_cpu(), time.perf_counter()
        subprocess.run(command, check=True, stdout=subprocess.DEVNULL, env=env, cwd=ROOT)  # noqa: S603
        walls.append(time.perf_counter() - t0)
        cpus.append(_children_cpu() - c0)
    return {"wall": summary(walls), "cpu": summary(cpus), "command": " ".join(command[1:])}


def first_paint(home: Path, entity: str = APP_ENTITY, visits: int = 3) -> dict[str, Any]:
    """The app's first paint of a share link on this workspace (``bench.bench_app.first_paint``)."""
    from bench.bench_app import first_paint as app_first_paint

    return app_first_paint(home, entity=entity, visits=visits)


def _stat(pid: int | str) -> tuple[str, int, float]:
    """A running process's command name, parent and CPU seconds (user + system, every thread)."""
    head, _, rest = Path(f"/proc/{pid}/stat").read_text().rpartition(")")
    fields = rest.split()
    cpu = (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    return head.partition("(")[2], int(fields[1]), cpu


def _process_cpu(pid: int) -> float:
    return _stat(pid)[2]


def _browser_cpu() -> float:
    """CPU seconds used so far by the Chromium processes this process started (through Playwright)."""
    found: dict[int, tuple[str, int, float]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                found[int(entry.name)] = _stat(entry.name)
            except (OSError, IndexError, ValueError):
                continue  # gone meanwhile

    def ours(pid: int) -> bool:
        while pid > 1 and pid in found:
            if pid == os.getpid():
                return True
            pid = found[pid][1]
        return False

    return sum(cpu for pid, (name, _, cpu) in found.items() if "chrom" in name and ours(pid))


def main(argv: list[str] | None = None) -> dict[str, Any]:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("size", type=int)
    parser.add_argument("--home", type=Path, required=True, help="the workspace folder (built with --build)")
    parser.add_argument("--corpus-dir", type=Path, default=default_corpus_dir())
    parser.add_argument("--build", action="store_true", help="build the home first when it has no workspace")
    parser.add_argument("--queries", type=int, default=300)
    parser.add_argument("--app", action="store_true", help="also the app's first paint in Chromium")
    parser.add_argument(
        "--search-only", action="store_true", help="only search (latency and quality), no reopen"
    )
    args = parser.parse_args(argv)
    corpus = corpus_for(args.size, args.corpus_dir)
    figures: dict[str, Any] = {"size": args.size, "load_average_start": os.getloadavg()}
    if args.build and not (args.home / "graph.sqlite").exists():
        figures["build"] = build(corpus, args.home)
    if pinned_data(args.home).is_dir():  # the CLI and the app inherit it
        os.environ["ORDERGRAPH_DATA"] = str(pinned_data(args.home))
    sample = draw(corpus, n=args.queries)
    figures["queries"] = queries(args.home, sample, args.search_only)
    if not args.search_only:
        figures["reopen"] = reopen(args.home, figures["queries"]["security"])
    if args.app:
        figures["first_paint"] = first_paint(args.home)
    figures["load_average_end"] = os.getloadavg()
    _print(figures)
    return figures


def _print(figures: dict[str, Any]) -> None:
    q = figures["queries"]
    start, end = figures["load_average_start"], figures["load_average_end"]
    print(f"== {figures['size']:,} entities: reads ", end="")
    print(f"(load average {start[0]:.1f} at start, {end[0]:.1f} at end)")
    if "build" in figures:
        b = figures["build"]
        print(f"  built      {b['nodes']:,} nodes, {b['edges']:,} edges", end="")
        print(f" in {b['seconds']} s ({b['cpu_s']} s CPU)")
    print(f"  open       {q['open']['wall_s'] * 1000:.1f} ms wall, {q['open']['cpu_s'] * 1000:.1f} ms CPU")
    first = q["first_search"]
    print(f"  1st search {first['wall_s'] * 1000:.1f} ms wall, {first['cpu_s'] * 1000:.1f} ms CPU", end="")
    print(" (reads the vocabulary)")
    for kind in ("affects", "neighbours_d2", "paths", "search"):
        if kind not in q:
            continue
        wall, cpu = q[kind]["wall"], q[kind]["cpu"]
        print(
            f"  {kind:<13} p50/p95/max wall {wall['p50_ms']} / {wall['p95_ms']} / {wall['max_ms']} ms; "
            f"CPU {cpu['p50_ms']} / {cpu['p95_ms']} / {cpu['max_ms']} ms (n={wall['n']})"
        )
    quality = "; ".join(
        f"{kind} {row['top10']}/{row['texts']} ({row['first']} first)"
        for kind, row in q["search_quality"].items()
    )
    print(f"  search quality, the company in the top 10: {quality}")
    if "reopen" not in figures:
        print(json.dumps(figures, default=str))
        return
    r = figures["reopen"]
    print(
        f"  reopen     `{r['command']}`: wall p50 {r['wall']['p50_ms']} ms, max {r['wall']['max_ms']} ms; "
        f"CPU p50 {r['cpu']['p50_ms']} ms"
    )
    if "first_paint" in figures:
        from bench.bench_app import print_first_paint

        print_first_paint(figures["first_paint"], f"this {figures['size']:,}-entity workspace")
    print(json.dumps(figures, default=str))


if __name__ == "__main__":
    main()
