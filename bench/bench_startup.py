"""Start-up of the ``ordergraph`` command, against the imports it cannot avoid.

A reporter types one command and waits for the whole process: interpreter,
imports, reading the curated data, the query. This times

- ``ordergraph affects 1810.HK --as-of 2021-02-01`` on the curated graph, and
- ``python -c 'from pydantic import BaseModel; import yaml, rapidfuzz'`` (the floor),

alternately in the same run, and prints the median wall time of each and their
ratio. Targets (read by eye, never by a unit test): the command ≤ 0.4 s and
≤ 2.5 × the floor.

Run: ``make bench`` (or ``python bench/bench_startup.py [runs] [--bytecode]``).

Both commands inherit the environment. With ``PYTHONDONTWRITEBYTECODE`` set (as
on the helpers' machine) every run compiles the project's own modules from
source, which an installed copy never does; ``--bytecode`` lets both commands
cache bytecode (in a temporary folder, not beside the sources) as on a user's
machine. Site-packages are compiled either way.
"""

from __future__ import annotations

import atexit
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
COMMAND = [sys.executable, "-m", "ordergraph", "affects", "1810.HK", "--as-of", "2021-02-01"]
FLOOR = [sys.executable, "-c", "from pydantic import BaseModel; import yaml, rapidfuzz"]
TARGET_SECONDS = 0.4
TARGET_RATIO = 2.5


def environment(bytecode: bool) -> dict[str, str]:
    """The environment both commands run in: this process's, read now; with ``bytecode``, bytecode
    cached in a new temporary folder (removed at exit) even where ``PYTHONDONTWRITEBYTECODE`` is set."""
    env = dict(os.environ)
    if bytecode:
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        env["PYTHONPYCACHEPREFIX"] = tempfile.mkdtemp(prefix="ordergraph-pyc-")
        atexit.register(shutil.rmtree, env["PYTHONPYCACHEPREFIX"], ignore_errors=True)
    return env


def run(argv: list[str], env: dict[str, str]) -> tuple[float, float]:
    """Wall and CPU (user + system) seconds of one run; CPU is steadier on a busy machine."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(argv, cwd=ROOT, check=True, stdout=subprocess.DEVNULL, env=env)  # noqa: S603 - our argv
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def main(runs: int, env: dict[str, str]) -> None:
    run(COMMAND, env)  # warm the file cache and the dataset cache the command keeps
    run(FLOOR, env)
    command, floor = [], []
    for _ in range(runs):  # alternate, so load on a shared machine hits both alike
        command.append(run(COMMAND, env))
        floor.append(run(FLOOR, env))
    bytecode = "off (PYTHONDONTWRITEBYTECODE)" if env.get("PYTHONDONTWRITEBYTECODE") else "on"
    print(f"start-up over {runs} runs each: median wall (min) | median CPU; bytecode cache {bytecode}")
    labels = ("ordergraph " + " ".join(COMMAND[3:]), "floor: " + FLOOR[2])
    for label, times in zip(labels, (command, floor), strict=True):
        walls, cpus = [w for w, _ in times], [c for _, c in times]
        wall = f"{statistics.median(walls):6.3f} s ({min(walls):.3f})"
        print(f"  {label:<62} {wall} | {statistics.median(cpus):.3f} s")
    cmd, base = (statistics.median([w for w, _ in t]) for t in (command, floor))
    cmd_cpu, base_cpu = (statistics.median([c for _, c in t]) for t in (command, floor))
    print(f"  ratio, wall: {cmd / base:.2f}x; CPU: {cmd_cpu / base_cpu:.2f}x (target ≤ {TARGET_RATIO}x)")
    print(f"  command wall {cmd:.3f} s (target ≤ {TARGET_SECONDS} s)")


if __name__ == "__main__":
    args = [a for a in sys.argv[1:] if a != "--bytecode"]
    main(int(args[0]) if args else 7, environment(bytecode="--bytecode" in sys.argv[1:]))
