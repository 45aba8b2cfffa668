"""The golden answers of ``affects`` on the curated dataset, around every date that matters.

Every security, on each date its neighbourhood names (edge starts and ends,
rule dates, disputed values, order dates) and the day before it: the days
where a rule, a listing or an injunction turns. Each answer is kept as a readable
row (the exchange's status; each order's status, start of prohibitions, divest-only
deadline, injunctions, basis, other readings, paths and source URLs; why the other
routes do not hold), and a security's run of days with the same row as one line, so
a diff of the file shows which answers changed and how. ``test_query.py`` compares
today's answers with the stored ones: a refactor of the store or the engine that
changes one answer fails, naming the security and the day.

When the data or the rules change on purpose, regenerate and review the diff::

    .venv/bin/python -m tests.graph.snapshot_answers
"""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from graph.affects import AFFECTS_DEPTH, AFFECTS_HOPS
from graph.model import first_day, is_date, last_day
from graph.store.base import GraphStore
from graph.views import EdgeRef
from graph.views import Path as AnswerPath
from tests.graph.answers import affects_once

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


def _path(path: AnswerPath) -> str:
    """A path as one line: node ids joined by each edge's kind and period."""
    parts = []
    for step in path:
        if isinstance(step, EdgeRef):
            parts.append(f"-{step.kind}[{step.start or '?'}..{step.end or ''}]->")
        else:
            parts.append(step.id)
    return " ".join(parts)


def _urls(steps: list[AnswerPath]) -> list[str]:
    """The source URLs of every edge on some paths, each once, in order."""
    urls = [s.url for path in steps for step in path if isinstance(step, EdgeRef) for s in step.sources]
    return list(dict.fromkeys(urls))


def row(store: GraphStore, security_id: str, day: date) -> dict[str, Any]:
    """What ``affects`` answers for one security on one day, as a readable row (``as_of`` left out)."""
    answer = affects_once(store, security_id, day)
    ex = answer.exchange_status
    return {
        "exchange": None
        if ex is None
        else {
            "state": ex.state,
            "since": ex.since,
            "time": ex.time,
            "by": ex.by.id,
            "edge": ex.edge_id,
            "sources": [s.url for s in ex.sources],
        },
        "orders": [
            {
                "order": o.id,
                "restriction": o.restriction,
                "status": o.status,
                "applies_from": o.applies_from,
                "divest_until": o.divest_until,
                "divest_time": o.divest_time,
                "enjoined_by": [n.id for n in o.enjoined_by],
                "amended_by": [n.id for n in o.amended_by],
                "basis": o.basis,
                "claims": [
                    {
                        "status": c.status,
                        "applies_from": c.applies_from,
                        "basis": c.basis,
                        "sources": [s.url for s in c.sources],
                    }
                    for c in o.claims
                ],
                "paths": [_path(p) for p in o.paths],
                "sources": [s.url for s in o.sources],
                "path_sources": _urls(o.paths),
            }
            for o in answer.orders
        ],
        "not": [
            {"order": e.order.id if e.order else None, "reason": e.reason, "edges": [r.id for r in e.edges]}
            for e in answer.explanations
        ],
    }


def answers(store: GraphStore) -> dict[str, Any]:
    """``{security: {"days": [...], "runs": [[first day, row], ...]}}``.

    ``runs`` lists each day the answer differs from the day before, with the answer.
    """
    found: dict[str, Any] = {}
    for sec in sorted(store.nodes("Security"), key=lambda n: n.id):
        days = boundary_days(store, sec.id)
        run: list[list[Any]] = []
        for day in days:
            answer = row(store, sec.id, day)
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
    # One line for a security's days and one per run: a diff shows the answers that changed.
    blocks = []
    for security, stored in sorted(data.items()):
        runs = ",\n".join(f"  {json.dumps(run, ensure_ascii=False)}" for run in stored["runs"])
        listed_days = json.dumps(stored["days"])
        blocks.append(f'{json.dumps(security)}: {{"days": {listed_days},\n "runs": [\n{runs}\n]}}')
    SNAPSHOT.write_text("{\n" + ",\n".join(blocks) + "\n}\n", encoding="utf-8")
    days = sum(len(v["days"]) for v in data.values())
    print(f"{SNAPSHOT}: {len(data)} securities, {days} security-days")


if __name__ == "__main__":
    main()
