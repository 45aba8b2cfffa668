"""``ordergraph load --format ftm`` and its 1% delta, against the orjson floor and what users do instead.

Targets: issue 9, within 3× of parsing the file with orjson alone at 100k lines, and
reopening the workspace and answering ``affects`` in at most 1 s; issue 10, 1M entities
loaded in at most 15 s and 1 GB peak RSS, within 3× the orjson floor and faster than
followthemoney's proxies plus a networkx graph, and a 1% delta applied in at most 2 s.

Every figure is measured in the same run, on the same file: the load, the delta and the
baseline each in a fresh interpreter (so each peak RSS is its own), in wall time and in
the process's own CPU time — on a machine shared with other work the wall clock counts
their time too, CPU time does not. Prints a table per size (and ``--json`` writes the
figures); it asserts nothing (speed targets are not unit tests).

    python -m bench.bench_load                 # 100k lines (corpus generated once into bench/.corpus)
    python -m bench.bench_load 100000 1000000
    python -m bench.bench_load --restated 2000 20000   # memory of a file re-stating the same entities
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from datetime import date
from functools import partial
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run as a script from anywhere
    sys.path.insert(0, str(ROOT))

from bench.baselines import floor  # noqa: E402
from bench.stats import peak_rss_mib  # noqa: E402

CORPUS = ROOT / "bench" / ".corpus"
Figures = dict[str, Any]


# --- the parts, each in its own interpreter -------------------------------------------------


def _timed(work: Any) -> Figures:
    t0, c0 = time.perf_counter(), time.process_time()
    figures: Figures = work() or {}
    figures.update(wall_s=round(time.perf_counter() - t0, 3), cpu_s=round(time.process_time() - c0, 3))
    return figures


def part_baseline(corpus: Path, home: Path) -> Figures:
    """What a user would do instead: a followthemoney proxy per line, then a networkx graph."""
    from bench.baselines import build_networkx, ftm_proxies

    proxies = _timed(lambda: ftm_proxies(corpus))

    def graph() -> Figures:
        built, _ = build_networkx(corpus)
        return {"nodes": built.number_of_nodes(), "edges": built.number_of_edges()}

    return {"proxies": proxies, "networkx": _timed(graph)}


def part_load(corpus: Path, home: Path) -> Figures:
    from loaders.workspace import Workspace, load_path

    workspace = Workspace(home)
    workspace.store()  # the curated base is written on creation: not part of the load

    def load() -> Figures:
        info = load_path(workspace, corpus, "ftm", "bench")
        return {"nodes": info.nodes, "edges": info.edges, "records": info.records}

    figures = _timed(load)
    # The FtM file is read in a worker process (loaders/worker.py): its CPU and memory count too.
    worker = resource.getrusage(resource.RUSAGE_CHILDREN)
    figures["worker_cpu_s"] = round(worker.ru_utime + worker.ru_stime, 3)
    figures["worker_peak_rss_mib"] = round(worker.ru_maxrss / 2**10, 1)
    t0 = time.perf_counter()
    workspace.close()  # the write-ahead log checkpointed into the file: the user waits for it too
    figures["close_s"] = round(time.perf_counter() - t0, 3)
    figures["disk_mib"] = round(sum(f.stat().st_size for f in home.iterdir()) / 2**20, 1)
    return figures


def part_delta(corpus: Path, home: Path) -> Figures:
    from loaders.workspace import Workspace, load_path

    delta = corpus.with_suffix(".delta.json")
    workspace = Workspace(home)
    workspace.store()
    figures = _timed(lambda: {"records_after": load_path(workspace, delta, "ftm-delta", "bench").records})
    figures["changes"] = sum(1 for _ in delta.open("rb"))
    workspace.close()
    return figures


def part_reopen(corpus: Path, home: Path) -> Figures:
    from graph import query
    from loaders.workspace import Workspace

    t0 = time.perf_counter()
    store = Workspace(home).store()
    opened = time.perf_counter() - t0
    security = next(iter(store.nodes("Security"))).id
    t1 = time.perf_counter()
    query.affects(store, security, date(2021, 9, 1))
    return {"open_s": round(opened, 3), "affects_ms": round((time.perf_counter() - t1) * 1000, 1)}


def part_restated(corpus: Path, home: Path, traced: bool = False) -> Figures:
    """A file re-stating the same entities loaded into a copy of the curated workspace (issue 9):
    peak RSS (the process's, as every part; and before the load), with ``traced`` tracemalloc's
    peak of the load instead (a separate run: tracing slows it and takes memory of its own)."""
    from loaders.workspace import Workspace, load_path

    workspace = Workspace(home)
    workspace.store()  # opened: its curated base was written before
    before = peak_rss_mib()
    if traced:
        tracemalloc.start()
    figures = _timed(lambda: {"records": load_path(workspace, corpus, "ftm", "restated").records})
    if traced:
        figures["tracemalloc_peak_mib"] = round(tracemalloc.get_traced_memory()[1] / 2**20, 2)
        tracemalloc.stop()
    figures["rss_before_load_mib"] = before
    workspace.close()
    return figures


PARTS: dict[str, Callable[[Path, Path], Figures]] = {
    "baseline": part_baseline,
    "load": part_load,
    "delta": part_delta,
    "reopen": part_reopen,
    "restated": part_restated,
    "restated-traced": partial(part_restated, traced=True),
}


def run_part(part: str, corpus: Path, home: Path) -> Figures:
    """A part in a fresh interpreter: its figures, with its own peak RSS."""
    proc = subprocess.run(  # noqa: S603 - our own interpreter and module
        [sys.executable, "-m", "bench.bench_load", "--child", part, str(corpus), str(home)],
        capture_output=True, text=True, cwd=ROOT, check=False,
    )  # fmt: skip
    if proc.returncode != 0:
        return {"failed": proc.stderr.strip().splitlines()[-1:] or [f"exit {proc.returncode}"]}
    figures: Figures = json.loads(proc.stdout.strip().splitlines()[-1])
    return figures


# --- one size -------------------------------------------------------------------------------


def corpus_path(size: int, folder: Path) -> Path:
    from bench.gen_corpus import write_corpus

    path = folder / f"ftm-{size}-s7.json"
    if not path.exists() or not path.with_suffix(".delta.json").exists():
        path, _ = write_corpus(size, folder)
    return path


def measure(size: int, folder: Path) -> Figures:
    corpus = corpus_path(size, folder)
    figures: Figures = {"size": size, "corpus_mib": round(corpus.stat().st_size / 2**20, 1)}
    figures["load_average_before"] = round(os.getloadavg()[0], 1)
    figures["floor"] = _timed(lambda: floor(corpus))
    figures["baseline"] = run_part("baseline", corpus, folder)
    with tempfile.TemporaryDirectory(prefix="ordergraph-bench-") as home:
        for part in ("load", "delta", "reopen"):
            figures[part] = run_part(part, corpus, Path(home))
    figures["load_average_after"] = round(os.getloadavg()[0], 1)
    return figures


# Re-stating files up to this many lines are loaded a second time under tracemalloc (which slows a
# load about sixfold); longer ones are measured for peak RSS only.
TRACED_LINES = 200_000


def measure_restated(sizes: list[int], folder: Path) -> Figures:
    """A file re-stating five companies and a sanction of each (``bench.gen_corpus.restated_entity``)
    at each size, loaded into a copy of one curated workspace: twice, in fresh interpreters, for
    peak RSS and for tracemalloc's peak (up to ``TRACED_LINES``)."""
    from bench.gen_corpus import write_restated
    from loaders.workspace import Workspace

    figures: Figures = {"load_average_before": round(os.getloadavg()[0], 1), "restated": []}
    with tempfile.TemporaryDirectory(prefix="ordergraph-bench-") as tmp:
        template = Path(tmp) / "curated"
        Workspace(template).store()
        Workspace(template).close()
        for lines in sizes:
            corpus = write_restated(lines, folder)
            row: Figures = {"lines": lines, "corpus_mib": round(corpus.stat().st_size / 2**20, 1)}
            for part in ("restated", "restated-traced") if lines <= TRACED_LINES else ("restated",):
                home = Path(tmp) / f"{part}-{lines}"
                shutil.copytree(template, home)
                row[part] = run_part(part, corpus, home)
                shutil.rmtree(home)
            figures["restated"].append(row)
    figures["load_average_after"] = round(os.getloadavg()[0], 1)
    return figures


def restated_table(f: Figures) -> str:
    rows = f["restated"]
    lines = [
        f"== a file re-stating 5 companies and a sanction of each, every line its own timestamp; load "
        f"average {f['load_average_before']} before, {f['load_average_after']} after (2 cores)"
    ]
    peaks: list[tuple[int, float, float | None]] = []  # lines, peak RSS, tracemalloc's peak
    for row in rows:
        plain, traced = row["restated"], row.get("restated-traced", {})
        failed = plain.get("failed") or traced.get("failed")
        if failed:
            lines.append(f"  {row['lines']:>9,} lines  failed: {failed}")
            continue
        peak = traced.get("tracemalloc_peak_mib")
        peaks.append((row["lines"], plain["peak_rss_mib"], peak))
        lines.append(
            f"  {row['lines']:>9,} lines ({row['corpus_mib']} MiB)  "
            + (f"{peak:.1f} MiB tracemalloc peak; " if peak is not None else "(not traced); ")
            + f"{plain['peak_rss_mib']:.0f} MiB peak RSS, {plain['rss_before_load_mib']:.0f} MiB of it "
            f"before the load; {plain['cpu_s']:.2f} s CPU, {plain['records']:,} records"
        )
    traced_peaks = [(n, peak) for n, _, peak in peaks if peak is not None]
    if len(traced_peaks) > 1:
        (short, low), (long, high) = traced_peaks[0], traced_peaks[-1]
        lines.append(f"  tracemalloc peak, {long:,} / {short:,} lines: {high / low:.2f}× (target: about 1×)")
    if len(peaks) > 1:
        (short, low, _), (long, high, _) = peaks[0], peaks[-1]
        lines.append(f"  peak RSS, {long:,} / {short:,} lines: {high / low:.2f}×")
    return "\n".join(lines)


def _ratio(a: float | None, b: float | None) -> str:
    return f"{a / b:.1f}×" if a and b else "-"


def table(f: Figures) -> str:
    parts = ("floor", "baseline", "load", "delta", "reopen")
    floor_, base, load, delta, reopen = (f.get(k, {}) for k in parts)
    proxies, graph = base.get("proxies", {}), base.get("networkx", {})
    user = {k: (proxies.get(k) or 0) + (graph.get(k) or 0) or None for k in ("wall_s", "cpu_s")}
    lines = [
        f"== {f['size']:,} FtM lines ({f['corpus_mib']} MiB); load average {f['load_average_before']} "
        f"before, {f['load_average_after']} after (2 cores)",
        f"  orjson floor              {floor_['wall_s']:.2f} s wall, {floor_['cpu_s']:.2f} s CPU",
        f"  ftm proxies + networkx    {user['wall_s'] or 0:.2f} s wall, {user['cpu_s'] or 0:.2f} s CPU "
        f"(proxies {proxies.get('cpu_s')} s, graph {graph.get('cpu_s')} s CPU); "
        f"{_ratio(user['cpu_s'], floor_['cpu_s'])} the floor's CPU",
    ]
    if "failed" in load:
        lines.append(f"  workspace load            failed: {load['failed']}")
        return "\n".join(lines)
    worker_cpu = load.get("worker_cpu_s", 0.0)
    both = load["cpu_s"] + worker_cpu
    lines += [
        f"  workspace load            {load['wall_s']:.2f} s wall, {load['cpu_s']:.2f} s CPU + "
        f"{worker_cpu:.2f} s CPU in the reading worker = {both:.2f} s CPU, "
        f"{load['peak_rss_mib']:.0f} MiB peak RSS (worker {load.get('worker_peak_rss_mib', 0):.0f} MiB), "
        f"{load['disk_mib']} MiB on disk (+ {load['close_s']:.2f} s closing); "
        f"{load['nodes']:,} nodes, {load['edges']:,} edges",
        f"    ratio to the floor      {_ratio(load['cpu_s'], floor_['cpu_s'])} CPU (main), "
        f"{_ratio(both, floor_['cpu_s'])} CPU (main + worker), "
        f"{_ratio(load['wall_s'], floor_['wall_s'])} wall (target <= 3×)",
        f"    ratio to proxies+nx     {_ratio(load['cpu_s'], user['cpu_s'])} CPU (main), "
        f"{_ratio(both, user['cpu_s'])} CPU (main + worker), "
        f"{_ratio(load['wall_s'], user['wall_s'])} wall (target < 1×)",
        "  delta 1% apply            " + (
            f"failed: {delta['failed']}" if "failed" in delta else
            f"{delta['wall_s']:.2f} s wall, {delta['cpu_s']:.2f} s CPU, {delta['changes']:,} lines, "
            f"{delta['peak_rss_mib']:.0f} MiB peak RSS (target <= 2 s)"
        ),
        "  reopen + affects          " + (
            f"failed: {reopen['failed']}" if "failed" in reopen else
            f"{reopen['open_s']:.2f} s + {reopen['affects_ms']} ms (target <= 1 s)"
        ),
    ]  # fmt: skip
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("sizes", type=int, nargs="*", help="FtM lines (default 100000, unless --restated)")
    parser.add_argument(
        "--restated",
        type=int,
        nargs="+",
        metavar="LINES",
        help="load a file re-stating the same entities at these sizes (peak RSS, tracemalloc): 2000 20000",
    )
    parser.add_argument("--corpus-dir", type=Path, default=CORPUS)
    parser.add_argument("--json", type=Path, help="write the figures of every size to this file")
    parser.add_argument("--child", nargs=3, metavar=("PART", "CORPUS", "HOME"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        part, corpus, home = args.child
        figures = PARTS[part](Path(corpus), Path(home))
        figures["peak_rss_mib"] = peak_rss_mib()
        print(json.dumps(figures))
        return 0
    results = []
    for size in args.sizes or ([] if args.restated else [100_000]):
        figures = measure(size, args.corpus_dir)
        results.append(figures)
        print(table(figures), flush=True)
    if args.restated:
        figures = measure_restated(args.restated, args.corpus_dir)
        results.append(figures)
        print(restated_table(figures), flush=True)
    if args.json:
        args.json.write_text(json.dumps(results, indent=1) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
