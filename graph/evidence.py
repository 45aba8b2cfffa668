"""Which of an edge's sources state its start, and which its end.

A row saying a listing ended must not cite the release that made it: a reporter
who checks reads the opposite. A source states the end when it is dated on or
after the end day (a month or a year compares at its own precision: "2021-05"
counts for 2021-05-25), or when its quote or locator gives the end day itself
(an exchange's notice, days ahead, of the day it strikes a listing).
"""

from __future__ import annotations

import calendar

from graph.model import Edge, Source, by_authority

NO_END_SOURCE = "no source cited for the end date"


def on_or_after(when: str, day: str) -> bool:
    """Whether date ``when`` may fall on or after ``day``, each read at the coarser precision.

    >>> on_or_after("2021-05", "2021-05-25"), on_or_after("2021-01-14", "2021-05-25")
    (True, False)
    """
    n = min(len(when), len(day))
    return when[:n] >= day[:n]


def _written(day: str) -> tuple[str, ...]:
    """A day as sources write it: ``2021-03-18``, ``2021年3月18日``, ``March 18, 2021``."""
    if len(day) != 10:
        return ()
    year, month, dom = (int(p) for p in day.split("-"))
    return (day, f"{year}年{month}月{dom}日", f"{calendar.month_name[month]} {dom}, {year}")


def states_end(source: Source, end: str) -> bool:
    """Whether ``source`` can tell a reader the edge ended on ``end``.

    >>> from graph.model import Source
    >>> notice = Source(url="https://example.org/n", title="n", publisher="p", kind="other",
    ...     date="2021-03-12", quote="5.摘牌日期:2021年3月18日")
    >>> states_end(notice, "2021-03-18"), states_end(notice, "2021-03-19")
    (True, False)
    """
    if source.date and on_or_after(source.date, end):
        return True
    text = " ".join(filter(None, (source.quote, source.locator))).replace(" ", "")
    return any(form.replace(" ", "") in text for form in _written(end))


def end_sources(edge: Edge) -> list[Source]:
    """The sources that state the edge's end, most authoritative first; [] when none does."""
    end = edge.end
    if end is None:
        return []
    return by_authority([s for s in edge.sources if states_end(s, end)], edge.kind)


def start_sources(edge: Edge) -> list[Source]:
    """The edge's sources except those that state its end.

    All of them when every source states the end: they are what the edge rests on.
    """
    end = edge.end
    earlier = [s for s in edge.sources if end is None or not states_end(s, end)]
    return by_authority(earlier or list(edge.sources), edge.kind)
