"""Which index the workspace's lookups read: a lookup by ticker reads the ticker index, not every
security (at 1M, 120k rows: a search for a US ticker such as "PDUX" took 50-60 ms CPU)."""

from __future__ import annotations

import sqlite3

import pytest

from graph.model import Node
from graph.store.workspace import WorkspaceStore


def _plan(store: WorkspaceStore, call: str, **args: str) -> str:
    """SQLite's plan of every statement ``store.<call>(**args)`` runs, as one text."""
    statements: list[str] = []
    store.conn.set_trace_callback(statements.append)
    try:
        getattr(store, call)(**args)
    finally:
        store.conn.set_trace_callback(None)
    plans = []
    for sql in statements:
        try:
            plans += [row[-1] for row in store.conn.execute(f"EXPLAIN QUERY PLAN {sql}")]
        except sqlite3.Error:  # PRAGMA and the like have no plan
            continue
    return " | ".join(plans)


@pytest.fixture(scope="module")
def store() -> WorkspaceStore:
    store = WorkspaceStore.open(":memory:")
    store.write(
        Node(
            id=f"SEC:{exchange}:{code}",
            kind="Security",
            name=f"{code} shares",
            properties={"exchange": f"EXCH:{exchange}", "code": code},
        )
        for exchange in ("NASDAQ", "HKEX")
        for code in (f"T{i:03d}" for i in range(300))
    )
    return store


@pytest.mark.parametrize(
    ("args", "index"),
    [
        ({"code": "T007"}, "nodes_ticker (code=?)"),
        ({"exchange": "HKEX", "code": "T007"}, "nodes_ticker (code=? AND exchange=?)"),
        ({"exchange": "HKEX"}, "nodes_exchange (exchange=?)"),
    ],
)
def test_securities_are_looked_up_in_the_ticker_and_exchange_indexes(
    store: WorkspaceStore, args: dict[str, str], index: str
) -> None:
    assert store.securities(**args)
    plan = _plan(store, "securities", **args)
    assert f"USING INDEX {index}" in plan, plan
    assert "nodes_kind" not in plan, plan
