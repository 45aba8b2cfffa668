"""The FtM delta applied to fresh copies of one loaded workspace, by engines alternated in rounds.

How bench/RESULTS.md's delta comparisons are measured: a workspace loaded once and kept as it is; each
run copies it, applies the delta in a new interpreter (``nice``, the engine's code first on its path) and
reports what the apply cost — CPU (user + sys), wall, minor page faults, bytes read and written, the
write-ahead log's size (the pages the delta dirtied, once checkpointed) and the load average. Engines take
turns (A, B, A, B, …): on a shared machine only figures of one series compare.

    python -m bench.delta_ab --workspace /scratch/ws --delta ftm-1000000-s7.delta.json \\
        main=/work/main branch=/work/wt-branch --rounds 4

Set ``ORDERGRAPH_DATA`` to the curated data the workspace was made with (else its first opening
merges every dataset again: minutes at 1M). ``--pages`` counts instead, for the first engine, the
log's pages by b-tree (auto-checkpoint off; SQLite's ``dbstat``): which tables and indexes the delta
writes.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import struct
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

DATASET = "bench"
# The store's file in a workspace folder (loaders/workspace/folders.py), and SQLite's log beside it.
STORE_FILE = "graph.sqlite"
WAL_SUFFIX = "-wal"
_WAL_HEADER = 32  # bytes before the first frame
_FRAME_HEADER = 24  # bytes before each frame's page


def log_pages(wal: bytes) -> list[int]:
    """The page number of each frame of a SQLite write-ahead log, in order (a page written twice is
    listed twice). A partial frame at the end is not counted.

    >>> header = b"\\x37\\x7f\\x06\\x82" + struct.pack(">II", 3007000, 512) + bytes(20)
    >>> frame = lambda page: struct.pack(">I", page) + bytes(_FRAME_HEADER - 4) + bytes(512)
    >>> log_pages(header + frame(7) + frame(3) + frame(7)[:100])
    [7, 3]
    """
    if len(wal) < _WAL_HEADER:
        return []
    (page_size,) = struct.unpack(">I", wal[8:12])
    pages, offset = [], _WAL_HEADER
    while offset + _FRAME_HEADER + page_size <= len(wal):
        pages.append(struct.unpack(">I", wal[offset : offset + 4])[0])
        offset += _FRAME_HEADER + page_size
    return pages


def _io() -> dict[str, int]:
    """This process's I/O counters (Linux ``/proc/self/io``; empty elsewhere)."""
    try:
        text = Path("/proc/self/io").read_text()
    except OSError:
        return {}
    return {key: int(value) for key, value in (line.split(": ") for line in text.splitlines())}


def apply(home: Path, delta: Path, pages: bool = False) -> dict[str, Any]:
    """Apply ``delta`` to the workspace at ``home`` (as ``ordergraph load --format ftm-delta``), timed.

    With ``pages``, SQLite's auto-checkpoint is off and the figures say which b-tree each page of
    the log belongs to (``pages_by_btree``), read before the log is checkpointed at close.
    """
    import loaders.workspace as api

    workspace = api.Workspace(home)
    store = workspace.store()
    if pages:
        store.conn.execute("PRAGMA wal_autocheckpoint = 0")
    r0, io0, t0 = resource.getrusage(resource.RUSAGE_SELF), _io(), time.perf_counter()
    api.load_path(workspace, delta, "ftm-delta", DATASET)
    wall = time.perf_counter() - t0
    r1, io1 = resource.getrusage(resource.RUSAGE_SELF), _io()
    log = home / (STORE_FILE + WAL_SUFFIX)
    figures: dict[str, Any] = {
        "user_s": round(r1.ru_utime - r0.ru_utime, 3),
        "sys_s": round(r1.ru_stime - r0.ru_stime, 3),
        "cpu_s": round(r1.ru_utime - r0.ru_utime + r1.ru_stime - r0.ru_stime, 3),
        "wall_s": round(wall, 3),
        "minor_faults": r1.ru_minflt - r0.ru_minflt,
        "log_mb": round(log.stat().st_size / 1e6, 1) if log.exists() else 0.0,
    }
    if io0 and io1:
        figures["read_mb"] = round((io1["rchar"] - io0["rchar"]) / 1e6, 1)
        figures["written_mb"] = round((io1["wchar"] - io0["wchar"]) / 1e6, 1)
    if pages:
        frames = log_pages(log.read_bytes()) if log.exists() else []
        owner = dict(store.conn.execute("SELECT pageno, name FROM dbstat"))
        by_btree = Counter(str(owner.get(page, "(free or new)")) for page in set(frames))
        figures["log_frames"] = len(frames)
        figures["pages_by_btree"] = dict(by_btree.most_common())
    workspace.close()
    figures["load_average"] = [round(x, 2) for x in os.getloadavg()]
    return figures


def _copy(workspace: Path, into: Path) -> Path:
    """A copy of the workspace folder (its store's log checkpointed: the folder of a closed
    workspace), written to disk before the run, in a new folder under ``into``."""
    home = Path(tempfile.mkdtemp(prefix="delta-ab-", dir=into))
    shutil.copytree(workspace, home, dirs_exist_ok=True)
    os.sync()
    return home


def run_one(code: Path, workspace: Path, delta: Path, scratch: Path, pages: bool = False) -> dict[str, Any]:
    """One apply by the engine whose code is at ``code``, on a fresh copy of ``workspace``: its figures,
    or ``{"failed": …}`` with the child's last line of error."""
    home = _copy(workspace, scratch)
    # This file runs the child (an engine's checkout need not have it); ``code`` comes first on its path.
    this = str(Path(__file__).resolve())
    command = ["nice", "-n", "10", sys.executable, this, "--child", str(home), str(delta)]
    if pages:
        command.append("--pages")
    env = {**os.environ, "PYTHONPATH": str(code)}
    try:
        done = subprocess.run(  # noqa: S603 - our own module, paths the caller gave
            command, cwd=code, env=env, capture_output=True, text=True, check=False
        )
    finally:
        shutil.rmtree(home, ignore_errors=True)
    for line in reversed(done.stdout.splitlines()):
        if line.startswith("RESULT "):
            figures: dict[str, Any] = json.loads(line.removeprefix("RESULT "))
            return figures
    tail = (done.stderr.strip().splitlines() or ["no output"])[-1]
    return {"failed": f"exit {done.returncode}: {tail}"}


def rounds(
    engines: dict[str, Path], workspace: Path, delta: Path, count: int, scratch: Path
) -> Iterator[tuple[int, str, dict[str, Any]]]:
    """``count`` rounds, each engine once a round in the order given: (round, engine, figures)."""
    for number in range(1, count + 1):
        for label, code in engines.items():
            yield number, label, run_one(code, workspace, delta, scratch)


def _engines(specs: list[str]) -> dict[str, Path]:
    engines: dict[str, Path] = {}
    for spec in specs:
        label, sep, code = spec.partition("=")
        if not sep or not label or not Path(code).is_dir():
            raise SystemExit(f"{spec!r}: an engine is LABEL=CODE_DIR (a checkout of ordergraph)")
        engines[label] = Path(code).resolve()
    return engines


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.delta_ab", description=__doc__.split("\n")[0])
    parser.add_argument("--child", nargs=2, metavar=("HOME", "DELTA"), help=argparse.SUPPRESS)
    parser.add_argument("--workspace", type=Path, help="a loaded workspace folder, kept as it is")
    parser.add_argument("--delta", type=Path, help="the FtM delta file")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--scratch", type=Path, help="where the copies go (default: beside the workspace)")
    parser.add_argument("--pages", action="store_true", help="the log's pages by b-tree, first engine, once")
    parser.add_argument("engines", nargs="*", help="LABEL=CODE_DIR, alternated in this order")
    args = parser.parse_args(argv)
    if args.child:
        print("RESULT " + json.dumps(apply(Path(args.child[0]), Path(args.child[1]), args.pages)))
        return
    if args.workspace is None or args.delta is None or not args.engines:
        parser.error("--workspace, --delta and at least one LABEL=CODE_DIR are needed")
    engines = _engines(args.engines)
    scratch = args.scratch or args.workspace.resolve().parent
    if args.pages:
        label, code = next(iter(engines.items()))
        print(label, json.dumps(run_one(code, args.workspace, args.delta, scratch, pages=True)), flush=True)
        return
    for number, label, figures in rounds(engines, args.workspace, args.delta, args.rounds, scratch):
        print(time.strftime("%H:%M:%S"), number, label, json.dumps(figures), flush=True)


if __name__ == "__main__":
    main()
