"""Timing helpers: per-call latencies as p50/p95 (wall and CPU), CPU seconds, and peak memory."""

from __future__ import annotations

import resource
import sys
import time
from collections.abc import Callable, Iterable, Iterator
from typing import Any, TypeVar

T = TypeVar("T")

# Per query kind, the bench starts no new query once this many seconds have gone (one under way
# still finishes): at 1M one networkx `all_shortest_paths` takes 9 s (p50) to 100 s, one linear
# scan ~60 s, one SQLite FTS5 OR of common trigrams seconds; a kind must not hold the run for hours.
QUERY_BUDGET_S = 60.0


def latencies(func: Callable[[T], object], args: Iterable[T]) -> dict[str, Any]:
    """Call ``func`` once per argument; p50, p95 and max in milliseconds, and how many calls.

    Each call is timed in wall time and in this process's CPU time (``cpu_p50_ms``,
    ``cpu_p95_ms``): on a machine shared with other work, wall time includes waiting
    for a core, CPU time is what the call cost.
    """
    times, cpu = [], []
    for arg in args:
        c0, t0 = time.process_time(), time.perf_counter()
        func(arg)
        times.append(time.perf_counter() - t0)
        cpu.append(time.process_time() - c0)
    result = summary(times)
    if cpu:
        cpu_summary = summary(cpu)
        result["cpu_p50_ms"], result["cpu_p95_ms"] = cpu_summary["p50_ms"], cpu_summary["p95_ms"]
    return result


def bounded_latencies(func: Callable[[T], object], args: list[T], budget_s: float) -> dict[str, Any]:
    """:func:`latencies` over ``args``, starting no new call once ``budget_s`` seconds have gone.

    The budget is checked before each call, not during one: a call under way when it runs out
    still finishes, so a kind can take its budget plus one (slow) call. When calls were left
    out, ``n`` says how many ran and ``note`` says why (its text, "stopped after N s", is kept
    as the earlier results have it)."""
    t_end = time.perf_counter() + budget_s
    result = latencies(func, _until(args, t_end))
    if result.get("n", 0) < len(args):
        result["note"] = f"stopped after {budget_s:.0f} s"
    return result


def _until(args: list[T], t_end: float) -> Iterator[T]:
    for arg in args:
        if time.perf_counter() > t_end:
            return
        yield arg


def summary(times: list[float]) -> dict[str, Any]:
    """p50/p95/max (ms) of a list of durations in seconds.

    >>> summary([0.001] * 19 + [0.1])["p50_ms"]
    1.0
    """
    if not times:
        return {"n": 0}
    ordered = sorted(times)

    def pick(q: float) -> float:
        return round(ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000, 3)

    return {"n": len(times), "p50_ms": pick(0.50), "p95_ms": pick(0.95), "max_ms": pick(1.0)}


def cpu_seconds() -> float:
    """User + system CPU seconds of this process and of its children that have been waited for
    (a load's forked reading worker, a CLI run as a subprocess)."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    return own.ru_utime + own.ru_stime + children_cpu_seconds()


def children_cpu_seconds() -> float:
    """User + system CPU seconds of this process's children that have been waited for."""
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return children.ru_utime + children.ru_stime


def peak_rss_mib() -> float:
    """This process's peak resident set size so far, in MiB."""
    return _mib(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)


def children_peak_rss_mib() -> float:
    """The largest peak resident set size of this process's waited-for children, in MiB."""
    return _mib(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)


def _mib(maxrss: int) -> float:
    return round(maxrss / (2**20 if sys.platform == "darwin" else 2**10), 1)
