"""The golden answers of ``affects`` on the curated dataset, around every date that matters.

Every security, on each date its neighbourhood names (edge starts and ends,
rule dates, disputed values, order dates) and the day before it: the days
where a rule, a listing or an injunction turns. Each answer is kept as a digest of its JSON,
and a security's run of days with the same answer as one entry, so the file
stays small. ``test_query.py`` compares today's answers with the stored ones:
a refactor of the store or the engine that changes one answer fails, naming
the security and the day.

When the data or the rules change on purpose, regenerate and review the diff::

    .venv/bin/python -m tests.graph.snapshot_answers
"""

from __future__ import annotations

import hashlib
import json
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from graph.affects import AFFECTS_DEPTH, AFFECTS_HOPS, affects
from graph.model import first_day, is_date, last_day
from graph.store.base import GraphStore

SNAPSHOT = Path(__file__).parent / "snapshots" / "affects.json"


def boundary_days(store: GraphStore, security_id: str) -> list[date]:
    """The days a security's answer can turn on, and the day before each.

    Every date in the neighbourhood ``affects`` reads (edge starts and ends,
    dated properties, disputed values, order dates), and the dates a rule
    derives from a listing (its start plus each day count the rules give).
    Both ends of an imprecise date.
    """
    around = store.reach([security_id], AFFECTS_HOPS, AFFECTS_DEPTH)
    values: set[str] = set()
    delays: set[int] = set()
    for node in around.nodes.values():
        values |= {v for v in node.properties.values() if isinstance(v, str) and is_date(v)}
    for edge in around.edges.values():
        values |= {v for v in (edge.start, edge.end) if v}
        values |= {v for v in edge.properties.values() if isinstance(v, str) and is_date(v)}
        values |= {str(d.value) for d in edge.disputed if is_date(d.value)}
        delays |= {v for v in edge.properties.values() if isinstance(v, int) and not isinstance(v, bool)}
    days: set[date] = set()
    # Codes such as HKEX "0317" read as years too; no rule turns before 1900.
    for value in (v for v in values if v >= "1900"):
        first, last = first_day(value), last_day(value)
        turns = {first, last + timedelta(days=1)} | {first + timedelta(days=n) for n in delays}
        days |= turns | {d - timedelta(days=1) for d in turns}
    return sorted(days)


def digest(store: GraphStore, security_id: str, day: date) -> str:
    """A short digest of the JSON ``affects`` answers for one security on one day."""
    answer = affects(store, security_id, day).model_dump(mode="json")
    # as_of is in every answer: leave it out, so a run of equal answers collapses.
    del answer["as_of"]
    text = json.dumps(answer, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def answers(store: GraphStore) -> dict[str, Any]:
    """``{security: {"days": [...], "runs": [[first day, digest], ...]}}``.

    ``runs`` lists each day the answer differs from the day before.
    """
    found: dict[str, Any] = {}
    for sec in sorted(store.nodes("Security"), key=lambda n: n.id):
        days = boundary_days(store, sec.id)
        run: list[list[str]] = []
        for day in days:
            answer = digest(store, sec.id, day)
            if not run or run[-1][1] != answer:
                run.append([day.isoformat(), answer])
        found[sec.id] = {"days": [d.isoformat() for d in days], "runs": run}
    return found


def read_snapshot() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(SNAPSHOT.read_text(encoding="utf-8"))
    return data


def main() -> None:
    from loaders.workspace import PROJECT_DATA, load_memory_store

    data = answers(load_memory_store(PROJECT_DATA))
    SNAPSHOT.parent.mkdir(parents=True, exist_ok=True)
    # One line per security: a change shows in review as the securities it touches.
    lines = [f"{json.dumps(k)}: {json.dumps(v, separators=(',', ':'))}" for k, v in sorted(data.items())]
    SNAPSHOT.write_text("{\n" + ",\n".join(lines) + "\n}\n", encoding="utf-8")
    days = sum(len(v["days"]) for v in data.values())
    print(f"{SNAPSHOT}: {len(data)} securities, {days} security-days")


if __name__ == "__main__":
    main()
