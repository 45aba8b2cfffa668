"""Timing helpers: per-call latencies as p50/p95, and peak memory."""

from __future__ import annotations

import resource
import sys
import time
from collections.abc import Callable, Iterable
from typing import Any, TypeVar

T = TypeVar("T")


def latencies(func: Callable[[T], object], args: Iterable[T]) -> dict[str, Any]:
    """Call ``func`` once per argument; p50, p95 and max in milliseconds, and how many calls."""
    times = []
    for arg in args:
        t0 = time.perf_counter()
        func(arg)
        times.append(time.perf_counter() - t0)
    return summary(times)


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


def peak_rss_mib() -> float:
    """This process's peak resident set size so far, in MiB."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return round(peak / (2**20 if sys.platform == "darwin" else 2**10), 1)
