"""The workspace's connection: a transaction that fails at its very end (gathering the planner's
statistics, committing) leaves the file as it was and the connection free; what a lock error says;
settings restored as they were for a nested block."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from graph.model import Node
from graph.store.workspace import WorkspaceStore


def _company(key: str) -> Node:
    return Node(id=f"ORG:{key}", kind="Company", name=key.upper())


def _refusing_analyze(action: int, *_: str | None) -> int:
    return sqlite3.SQLITE_DENY if action == sqlite3.SQLITE_ANALYZE else sqlite3.SQLITE_OK


def test_a_bulk_write_whose_statistics_fail_is_rolled_back_and_leaves_the_connection_free(
    tmp_path: Path,
) -> None:
    file = tmp_path / "graph.sqlite"
    store = WorkspaceStore.open(file)
    store.write([_company("a")])
    store.conn.set_authorizer(_refusing_analyze)
    with pytest.raises(sqlite3.DatabaseError, match="not authorized"), store.transaction():
        store.write([_company("b")])
        store.analyse_after()
    store.conn.set_authorizer(None)

    assert not store.conn.in_transaction
    assert {node.id for node in store.nodes()} == {"ORG:a"}
    # Another process writes (no "database is locked"), and so does this connection, again.
    other = WorkspaceStore.open(file)
    other.write([_company("c")])
    other.close()
    with store.transaction():
        store.write([_company("d")])
    assert {node.id for node in store.nodes()} == {"ORG:a", "ORG:c", "ORG:d"}
    store.close()


def test_the_file_held_by_another_process_is_told_as_such_a_table_locked_by_this_connection_is_not(
    tmp_path: Path,
) -> None:
    """SQLite's "database is locked" (SQLITE_BUSY: another connection holds the file) is told as
    another ordergraph process holding the workspace; "database table is locked" (SQLITE_LOCKED:
    this connection's own open read of the table) is not."""
    from graph.store.workspace.connection import held_elsewhere

    file = tmp_path / "graph.sqlite"
    store = WorkspaceStore.open(file)
    other = sqlite3.connect(file, isolation_level=None, timeout=0)
    store.conn.execute("BEGIN IMMEDIATE")
    with pytest.raises(sqlite3.OperationalError) as busy:
        other.execute("BEGIN IMMEDIATE")
    store.conn.execute("ROLLBACK")
    told = held_elsewhere(other, busy.value)
    assert told is not None and "another ordergraph process holds the workspace" in str(told)

    store.conn.execute("CREATE TABLE scratch (n)")
    store.conn.executemany("INSERT INTO scratch VALUES (?)", [(1,), (2,)])
    reading = store.conn.execute("SELECT n FROM scratch")
    reading.fetchone()
    with pytest.raises(sqlite3.OperationalError, match="database table is locked") as locked:
        store.conn.execute("DROP TABLE scratch")
    reading.close()
    assert held_elsewhere(store.conn, locked.value) is None
    other.close()
    store.close()


def test_a_setting_for_a_block_inside_another_is_restored_to_the_outer_blocks_value() -> None:
    """A re-merge waiting long inside another long wait (``_merge_folded`` → ``_remerge``) leaves the
    outer block its long wait; the usual one comes back when the outer block ends."""
    from graph.store.workspace.connection import BUSY_WAIT, UPGRADE_WAIT

    store = WorkspaceStore.open(":memory:")

    def waited() -> int:
        return int(store.conn.execute("PRAGMA busy_timeout").fetchone()[0])

    with store.waiting_long():
        with store.waiting_long():
            assert waited() == UPGRADE_WAIT
        assert waited() == UPGRADE_WAIT
    assert waited() == BUSY_WAIT
    with store.pragma_during("cache_size", -1024), store.scattered_cache():
        pass
    assert store.conn.execute("PRAGMA cache_size").fetchone()[0] != -1024  # back to the usual
    with store.pragma_during("cache_size", -1024):
        with store.scattered_cache():
            pass
        assert store.conn.execute("PRAGMA cache_size").fetchone()[0] == -1024
