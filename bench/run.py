"""The benchmark harness: every figure of issue 10 beside its baseline, measured in the same run.

For each corpus size (FtM lines from ``bench/gen_corpus.py``, generated once
and reused) it measures, each part in its own subprocess so peak RSS is that
part's alone:

- the physical floor (``orjson`` alone), followthemoney proxies, a plain
  networkx graph and the queries a networkx user would write;
- the workspace: load time and peak RSS, reopen to first answer, the app's first paint of a
  share link in Chromium (target ≤ 3 s), ``affects`` /
  ``neighbours`` (depth 2) / ``paths`` / ``search`` p50 and p95 over 1,000
  random queries, delta apply time;
- the app's subgraph payload and Neo4j sync, where those components exist.

A figure whose component has not landed prints ``not available: <why>``.
Prints a table per size, the ratios to the baselines and the growth between
sizes, and writes ``bench/results/<size>.json``.

Each size's JSON is rewritten after every part, so a run stopped part way keeps
what it measured. Corpora are read from (and generated into) ``--corpus-dir``,
by default ``$BENCH_CORPUS_DIR`` or ``bench/.corpus``.

Run: ``make bench`` or ``python -m bench.run 10000 100000 [--out DIR]``;
``python -m bench.run --report 10000 100000 1000000`` prints the tables and the
growth again from the JSON files of earlier runs (sizes run separately).
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
RESULTS_DIR = Path(__file__).resolve().parent / "results"
SEED = 7
PART_TIMEOUT_S = 3600  # the 1M Neo4j part (read, two full syncs and a re-sync) takes ~20 min

Figures = dict[str, Any]


def default_corpus_dir() -> Path:
    """Where corpora are read from and generated into: ``$BENCH_CORPUS_DIR``, else ``bench/.corpus``."""
    return Path(os.environ.get("BENCH_CORPUS_DIR") or Path(__file__).resolve().parent / ".corpus")


def queries_per_kind() -> int:
    """Random queries per kind: ``$BENCH_QUERIES`` (``main`` sets it for the children), else 1,000."""
    return int(os.environ.get("BENCH_QUERIES", "1000"))


# --- the parts, each run in a child process -------------------------------------------------


def part_floor(corpus: Path, home: Path) -> Figures:
    from bench.baselines import floor

    return floor(corpus)


def part_ftm_proxies(corpus: Path, home: Path) -> Figures:
    from bench.baselines import ftm_proxies

    return ftm_proxies(corpus)


def part_networkx(corpus: Path, home: Path) -> Figures:
    from bench.baselines import build_networkx, networkx_queries
    from bench.sample import draw
    from bench.stats import peak_rss_mib

    c0 = time.process_time()
    graph, seconds = build_networkx(corpus)
    figures: Figures = {
        "seconds": seconds,
        "cpu_s": round(time.process_time() - c0, 3),
        "peak_rss_mib": peak_rss_mib(),
        "nodes": graph.number_of_nodes(),
        "edges": graph.number_of_edges(),
    }
    figures["queries"] = networkx_queries(graph, draw(corpus, n=queries_per_kind()).texts)
    return figures


def part_sqlite_floor(corpus: Path, home: Path) -> Figures:
    from bench import sqlite_floor
    from bench.sample import draw

    db = home / "floor.sqlite"
    figures = sqlite_floor.load(corpus, db)
    figures["queries"] = sqlite_floor.queries(db, draw(corpus, n=queries_per_kind()))
    db.unlink()
    return figures


def part_load(corpus: Path, home: Path) -> Figures:
    from bench.engine import load

    return load(corpus, home)


def part_queries(corpus: Path, home: Path) -> Figures:
    from bench.engine import open_store, query_latencies
    from bench.sample import draw

    sample = draw(corpus, n=queries_per_kind())
    return query_latencies(open_store(home), sample)


def part_reopen(corpus: Path, home: Path) -> Figures:
    from bench.engine import open_store, reopen_command, store_ids
    from bench.sample import draw
    from bench.stats import children_cpu_seconds

    security = store_ids(open_store(home), draw(corpus, n=1).securities)[0]
    command = reopen_command(home, security)
    env = {**os.environ, "ORDERGRAPH_HOME": str(home)}
    c0, t0 = children_cpu_seconds(), time.perf_counter()
    subprocess.run(command, check=True, capture_output=True, cwd=ROOT, env=env)  # noqa: S603
    seconds, cpu = time.perf_counter() - t0, children_cpu_seconds() - c0
    return {"seconds": seconds, "cpu_s": round(cpu, 3), "command": " ".join(command)}


PAINT_TARGET_S = 3.0
PAINT_VISITS = 2  # the first reader (nothing cached in the app) and the next


def part_paint(corpus: Path, home: Path) -> Figures:
    """The real app (streamlit) on the workspace, a share link opened in Chromium by a first and a
    next reader, until the search box, the summary and the graph are drawn
    (:func:`bench.bench_app.first_paint`)."""
    import importlib.util

    from bench.engine import NotAvailable

    if importlib.util.find_spec("playwright") is None:
        raise NotAvailable("playwright is not installed (pip install -e '.[dev]')")
    from bench import bench_app

    if not Path(bench_app.CHROMIUM).exists():
        raise NotAvailable(f"no Chromium at {bench_app.CHROMIUM} (make chromium installs Debian's)")
    figures: Figures = bench_app.first_paint(home, visits=PAINT_VISITS)
    visits = figures["visits"]
    figures["first_paint_s"] = visits[0]["first_paint_s"]
    if len(visits) > 1:
        figures["next_paint_s"] = visits[1]["first_paint_s"]
    return figures


def part_delta(corpus: Path, home: Path) -> Figures:
    from bench.engine import apply_delta

    return apply_delta(corpus.with_suffix(".delta.json"), home)


def part_app(corpus: Path, home: Path) -> Figures:
    from bench.engine import NotAvailable, open_store, require

    require("bench.bench_app")
    from bench import bench_app

    if not hasattr(bench_app, "subgraph_payloads"):
        raise NotAvailable("bench/bench_app.py has no subgraph_payloads(store, sizes)")
    result: Figures = bench_app.subgraph_payloads(open_store(home), (50, 200, 500))
    return result


def part_neo4j(corpus: Path, home: Path) -> Figures:
    from bench.engine import NotAvailable, require

    require("graph.neo4j_sync", "tools.neo4j.server")
    from bench import bench_neo4j
    from tools.neo4j import server

    try:
        server.java()
    except server.ServerError as exc:
        raise NotAvailable(f"no Java to run Neo4j: {exc}") from None
    return bench_neo4j.measure(corpus, home)


PARTS: dict[str, Callable[[Path, Path], Figures]] = {
    "floor": part_floor,
    "ftm_proxies": part_ftm_proxies,
    "networkx": part_networkx,
    "sqlite_floor": part_sqlite_floor,
    "load": part_load,
    "reopen": part_reopen,
    "paint": part_paint,
    "queries": part_queries,
    "delta": part_delta,
    "app": part_app,
    "neo4j": part_neo4j,
}


def child(part: str, corpus: Path, home: Path) -> None:
    """Run one part and print its figures as the last line of stdout."""
    from bench.engine import NotAvailable
    from bench.stats import peak_rss_mib

    try:
        figures = PARTS[part](corpus, home)
        figures.setdefault("peak_rss_mib", peak_rss_mib())
    except NotAvailable as exc:
        figures = {"not_available": str(exc)}
    print("RESULT " + json.dumps(figures))


def run_part(part: str, corpus: Path, home: Path) -> Figures:
    """Run a part in a fresh interpreter (its own peak RSS); figures or the reason it failed."""
    command = [sys.executable, "-m", "bench.run", "--child", part]
    command += ["--corpus", str(corpus), "--home", str(home)]
    try:
        proc = subprocess.run(  # noqa: S603
            command, capture_output=True, text=True, cwd=ROOT, timeout=PART_TIMEOUT_S, check=False
        )
    except subprocess.TimeoutExpired:
        return {"not_available": f"{part} did not finish in {PART_TIMEOUT_S} s"}
    for line in reversed(proc.stdout.splitlines()):
        if line.startswith("RESULT "):
            figures: Figures = json.loads(line.removeprefix("RESULT "))
            figures["load_average_after"] = _load_average()  # 1, 5 and 15 minutes, at the part's end
            return figures
    tail = (proc.stderr.strip().splitlines() or ["no output"])[-1]
    return {"not_available": f"{part} failed (exit {proc.returncode}): {tail}"}


# --- the corpus, the run, the report ---------------------------------------------------------


def corpus_for(size: int, folder: Path | None = None) -> Path:
    """The corpus of ``size`` entities in ``folder`` (by default :func:`default_corpus_dir`),
    generated on first use and reused after."""
    folder = folder or default_corpus_dir()
    path = folder / f"ftm-{size}-s{SEED}.json"
    if not path.exists() or not path.with_suffix(".delta.json").exists():
        from bench.gen_corpus import write_corpus

        # Written in a folder of its own, then moved: a shared corpus folder never holds half a corpus.
        folder.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryDirectory(dir=folder, prefix=".gen-") as scratch:
            full, delta = write_corpus(size, Path(scratch), SEED)
            full.replace(path)
            delta.replace(path.with_suffix(".delta.json"))
    return path


def _load_average() -> list[float]:
    return [round(x, 1) for x in os.getloadavg()] if hasattr(os, "getloadavg") else []


def machine() -> str:
    mem = ""
    try:
        kib = next(
            int(line.split()[1])
            for line in Path("/proc/meminfo").read_text().splitlines()
            if line.startswith("MemTotal")
        )
        mem = f", {kib / 2**20:.0f} GiB"
    except (OSError, StopIteration):
        pass
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    return (
        f"{os.cpu_count()} cores{mem}, {platform.python_implementation()} {platform.python_version()}, "
        f"load average {load:.1f} at start"
    )


def measure(size: int, parts: list[str], corpus_dir: Path, out: Path | None = None) -> Figures:
    """Every part on the corpus of ``size``; ``out`` (the size's JSON) is rewritten after each part."""
    corpus = corpus_for(size, corpus_dir)
    mib = round(corpus.stat().st_size / 2**20, 1)
    result: Figures = {"size": size, "corpus_mib": mib, "machine": machine()}
    home = Path(tempfile.mkdtemp(prefix=f"ordergraph-bench-{size}-"))
    try:
        for part in parts:
            print(f"  {size:>9,} {part} …", file=sys.stderr, flush=True)
            result[part] = run_part(part, corpus, home)
            if out is not None:
                out.write_text(json.dumps(result, indent=1) + "\n")
    finally:
        shutil.rmtree(home, ignore_errors=True)
    return result


def _ms(figures: Figures, key: str) -> str:
    sub = figures.get(key)
    if not isinstance(sub, dict) or "p50_ms" not in sub:
        return "-"
    note = f" (n={sub['n']}, {sub['note']})" if "note" in sub else ""
    cpu = f" (CPU {sub['cpu_p50_ms']:.2f} / {sub['cpu_p95_ms']:.2f})" if "cpu_p95_ms" in sub else ""
    return f"{sub['p50_ms']:.2f} / {sub['p95_ms']:.2f} ms{cpu}{note}"


def _cpu(figures: Figures) -> str:
    return f" ({figures['cpu_s']:.2f} s CPU)" if "cpu_s" in figures else ""


def _secs(a: Figures, b: Figures) -> tuple[float | None, float | None]:
    """The two figures' CPU seconds if both have them (what the work cost), else their wall seconds."""
    if "cpu_s" in a and "cpu_s" in b:
        return a["cpu_s"], b["cpu_s"]
    return a.get("seconds"), b.get("seconds")


def _na(figures: Figures) -> str | None:
    if not figures:
        return "not measured in this run"
    reason = figures.get("not_available")
    return f"not available: {reason}" if reason else None


def _ratio(a: float | None, b: float | None) -> str:
    return f"{a / b:.2f}×" if a and b else "-"


def _cpu_ratio(a: Figures, b: Figures) -> str:
    ratio = _ratio(*_secs(a, b))
    return ratio + (" CPU" if "cpu_s" in a and "cpu_s" in b and ratio != "-" else "")


Row = tuple[str, str, str]  # label, figure, beside it (the ratio or the baseline)


def table(r: Figures) -> str:
    """The report of one size, as fixed-width text."""
    rows = [*_baseline_rows(r), *_workspace_rows(r), *_query_rows(r), *_delta_app_rows(r), *_neo4j_rows(r)]
    width = max(len(a) for a, _, _ in rows)
    head = f"== {r['size']:,} entities ({r['corpus_mib']} MiB FtM JSON lines) — {r['machine']}"
    lines = [head] + [f"  {a:<{width}}  {b}{'   | ' + c if c else ''}" for a, b, c in rows]
    return "\n".join(lines)


def _baseline_rows(r: Figures) -> list[Row]:
    """The floors and what a user would build instead: orjson, ftm proxies, networkx, SQLite."""
    floor, proxies, nx_, sq = (
        r.get("floor", {}),
        r.get("ftm_proxies", {}),
        r.get("networkx", {}),
        r.get("sqlite_floor", {}),
    )
    return [
        ("orjson floor (parse only)", _na(floor) or f"{floor['seconds']:.2f} s{_cpu(floor)}", ""),
        (
            "ftm model.get_proxy per line",
            _na(proxies) or f"{proxies['seconds']:.2f} s{_cpu(proxies)}",
            _cpu_ratio(proxies, floor) + " floor",
        ),
        (
            "networkx graph (parse+build)",
            _na(nx_) or f"{nx_['seconds']:.2f} s{_cpu(nx_)}, {nx_['peak_rss_mib']:.0f} MiB peak",
            _cpu_ratio(nx_, floor) + " floor",
        ),
        (
            "SQLite rows+indexes+FTS5 floor",
            _na(sq)
            or f"{sq['seconds']:.2f} s{_cpu(sq)}, {sq['peak_rss_mib']:.0f} MiB peak, {sq['disk_mib']} MiB",
            _cpu_ratio(sq, floor) + " floor",
        ),
    ]


def _workspace_rows(r: Figures) -> list[Row]:
    """The workspace load beside the floor and beside proxies+networkx, and reopen to first answer."""
    floor, proxies, nx_ = r.get("floor", {}), r.get("ftm_proxies", {}), r.get("networkx", {})
    load, reopen, paint = r.get("load", {}), r.get("reopen", {}), r.get("paint", {})
    # What a user would do instead: proxies, then the networkx graph (CPU if all three report it).
    user = {k: (proxies.get(k) or 0) + (nx_.get(k) or 0) for k in ("seconds", "cpu_s")}
    if not (proxies.get("cpu_s") and nx_.get("cpu_s")):
        del user["cpu_s"]
    worker = load.get("worker_peak_rss_mib")
    loaded = _na(load) or (
        f"{load['seconds']:.2f} s{_cpu(load)}, {load['peak_rss_mib']:.0f} MiB peak"
        + (f" (reading worker {worker:.0f} MiB)" if worker else "")
    )
    return [
        (
            "workspace load",
            loaded,
            ""
            if _na(load)
            else f"{_cpu_ratio(load, floor)} floor; {_cpu_ratio(load, user)} of proxies+networkx",
        ),
        ("reopen → first answer", _na(reopen) or f"{reopen['seconds']:.2f} s{_cpu(reopen)}", ""),
        (
            "app first paint (share link)",
            _paint(paint),
            "" if _na(paint) else f"target ≤ {PAINT_TARGET_S:g} s",
        ),
    ]


def _paint(paint: Figures) -> str:
    """The first reader's paint, the next one's, and the server's start (the warm-up, not in them)."""
    missing = _na(paint)
    if missing:
        return missing
    text = f"{paint['first_paint_s']:.2f} s first visitor"
    if "next_paint_s" in paint:
        text += f", {paint['next_paint_s']:.2f} s next"
    return text + f" (app server start {paint['server_start_s']} s)"


def _query_rows(r: Figures) -> list[Row]:
    """Each query kind's p50/p95 beside networkx's and the SQLite floor's."""
    queries = r.get("queries", {})
    nxq = r.get("networkx", {}).get("queries", {})
    sqq = r.get("sqlite_floor", {}).get("queries", {})
    rows: list[Row] = []
    for key, label, base, floor_key in (
        ("affects", "affects", None, "edges_of"),
        ("neighbours_d2", "neighbours depth 2", "networkx BFS", "walk_d2"),
        ("paths", "paths", "nx all_shortest_paths", None),
        ("search", "search", "linear rapidfuzz scan", "fts_search"),
    ):
        value = _na(queries) or f"{_ms(queries, key)} p50/p95"
        baseline = f"{base}: {_ms(nxq, key)}" if base else ""
        if floor_key:
            baseline += f"{'; ' if baseline else ''}SQLite {floor_key}: {_ms(sqq, floor_key)}"
        rows.append((label, value, baseline))
    return rows


def _delta_app_rows(r: Figures) -> list[Row]:
    """The 1% delta's apply time and the app's subgraph payloads."""
    delta, app = r.get("delta", {}), r.get("app", {})
    return [
        ("delta 1% apply", _na(delta) or f"{delta['seconds']:.2f} s{_cpu(delta)}", ""),
        (
            "app subgraph 50/200/500",
            _na(app) or json.dumps({k: v for k, v in app.items() if k.endswith("_nodes")}),
            "",
        ),
    ]


def _neo4j_rows(r: Figures) -> list[Row]:
    """The batched Neo4j sync beside the naive one MERGE per row, and affects via Neo4j."""
    neo = r.get("neo4j", {})
    synced = _na(neo) or (
        f"batched {neo['batched_per_s']:,}/s FtM entities ({neo['entities']:,} in {neo['batched_seconds']} s"
        + (f", {neo['items_per_s']:,} nodes+edges/s" if "items_per_s" in neo else "")
        + (
            f"; CPU client {neo['client_cpu_s']} s, server {neo['server_cpu_s']} s"
            if "client_cpu_s" in neo
            else ""
        )
        + (
            f"; warm server, first sync on a fresh one {neo['first_sync_seconds']} s"
            if "first_sync_seconds" in neo
            else ""
        )
        + ")"
    )
    versus = (
        ""
        if _na(neo)
        else (f"naive one MERGE per row {neo['naive_per_s']:,} items/s: {neo['speedup']}× faster per item")
    )
    rows: list[Row] = [("neo4j sync", synced, versus)]
    if not _na(neo):
        rows.append(("affects via neo4j", str(neo.get("affects_via_neo4j")), ""))
    return rows


KINDS = ("affects", "neighbours_d2", "paths", "search")


def _p95(kind: str, key: str = "p95_ms") -> Callable[[Figures], float | None]:
    return lambda r: r.get("queries", {}).get(kind, {}).get(key)


def growth(results: list[Figures]) -> str:
    """How each figure grows from one size to the next (load should be linear, queries flat)."""
    if len(results) < 2:
        return ""
    picks: list[tuple[str, Callable[[Figures], float | None]]] = [
        ("orjson floor s", lambda r: r.get("floor", {}).get("seconds")),
        ("orjson floor CPU s", lambda r: r.get("floor", {}).get("cpu_s")),
        ("workspace load s", lambda r: r.get("load", {}).get("seconds")),
        ("load CPU s", lambda r: r.get("load", {}).get("cpu_s")),
        ("load peak RSS MiB", lambda r: r.get("load", {}).get("peak_rss_mib")),
        ("reopen s", lambda r: r.get("reopen", {}).get("seconds")),
        ("first paint s", lambda r: r.get("paint", {}).get("first_paint_s")),
        *[(f"{k} p95 ms", _p95(k)) for k in KINDS],
        *[(f"{k} p95 CPU ms", _p95(k, "cpu_p95_ms")) for k in KINDS],
        ("delta s", lambda r: r.get("delta", {}).get("seconds")),
        ("delta CPU s", lambda r: r.get("delta", {}).get("cpu_s")),
    ]
    out = ["== growth (each size over the one before; 10× entities)"]
    for label, get in picks:
        steps = []
        for a, b in itertools.pairwise(results):
            steps.append(f"{a['size']:,}→{b['size']:,}: {_ratio(get(b), get(a))}")
        out.append(f"  {label:<26} " + "   ".join(steps))
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="ordergraph benchmark harness (issue 10)")
    parser.add_argument("sizes", nargs="*", type=int, default=[10_000, 100_000, 1_000_000])
    parser.add_argument("--parts", default=",".join(PARTS), help="subset of: " + ",".join(PARTS))
    parser.add_argument("--out", type=Path, default=RESULTS_DIR, help="folder for <size>.json")
    parser.add_argument("--corpus-dir", type=Path, default=default_corpus_dir())
    parser.add_argument(
        "--queries", type=int, default=queries_per_kind(), help="random queries per kind (1000)"
    )
    parser.add_argument(
        "--report", action="store_true", help="print the tables and growth from --out's JSON, run nothing"
    )
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--corpus", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--home", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        child(args.child, args.corpus, args.home)
        return 0
    os.environ["BENCH_QUERIES"] = str(args.queries)  # the children read it
    parts = [p for p in args.parts.split(",") if p]
    unknown = [p for p in parts if p not in PARTS]
    if unknown:
        parser.error(f"unknown part(s) {', '.join(unknown)}: choose from {', '.join(PARTS)}")
    results = []
    if args.report:
        for size in args.sizes:
            results.append(json.loads((args.out / f"{size}.json").read_text()))
            print(table(results[-1]))
        if len(results) > 1:
            print(growth(results))
        return 0
    args.out.mkdir(parents=True, exist_ok=True)
    for size in args.sizes:
        result = measure(size, parts, args.corpus_dir, args.out / f"{size}.json")
        print(table(result), flush=True)
        results.append(result)
    if len(results) > 1:
        print(growth(results))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
