"""The workspace lock (loaders/workspace/base.py, loaders/files.py) and the waits around it: what a
waiting process is told, how long a re-merge waits for the file, which checks run under the lock."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from loaders.files import waiting_sentence
from loaders.records import Record
from loaders.workspace import RESOLUTIONS, Remerge, Workspace, load_path
from tests.loaders.workspaces import (
    HANT,
    QVXR_A,
    QVXR_B,
    bookkeeping,
    due_to_merge_again,
    ftm_file,
    graph_rows,
    rename_xiaomi,
    snapshot,
    workspace_on_copied_data,
)


def test_the_folded_names_re_merge_holds_the_workspace_lock(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The re-merge once names are folded (bookkeeping 5 → 6) takes the workspace lock, as the
    other re-merges do: while another process holds it (recording a decision), the open waits,
    told so, and writes nothing until it has it; free, the open merges every dataset again."""
    from loaders.files import locked

    folder = due_to_merge_again(tmp_path, monkeypatch)
    before = snapshot(folder)

    class Waited(Exception):
        pass

    def waiting(sentence: str) -> None:
        raise Waited(sentence)

    with locked(folder / RESOLUTIONS), pytest.raises(Waited):
        Workspace(folder, waiting=waiting).store()
    assert snapshot(folder) == before
    told: list[Remerge] = []
    Workspace(folder, remerging=told.append).store()
    assert [e.stage for e in told].count("done") == 1
    assert snapshot(folder) != before


@pytest.mark.parametrize("merging", ["a decision", "a new edition of the curated data"])
def test_rows_streamed_in_while_waiting_for_the_lock_are_not_dropped_by_the_re_merge(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, merging: str
) -> None:
    """Whether merging every dataset again would drop rows no dataset's records give (a corpus
    streamed into the store, as bench/ does) is asked holding the workspace lock, not before
    waiting for it: rows another process streamed in meanwhile refuse the re-merge, and stay."""
    from graph.errors import LoadError
    from graph.model import Node
    from graph.store.workspace import WorkspaceStore
    from loaders import files
    from loaders.resolve import Judgement
    from loaders.workspace import DATABASE

    data = workspace_on_copied_data(tmp_path)
    folder = tmp_path / "ws"
    streamed = Node(id="ORG:streamed", kind="Company", name="Streamed Meanwhile Ltd")
    real_locked = files.locked

    @contextmanager
    def locked_after_a_stream(
        path: Path, waiting: Callable[[str], None] | None = None, doing: str | None = None
    ) -> Iterator[None]:
        with real_locked(path, waiting, doing):
            other = WorkspaceStore.open(folder / DATABASE)  # another process, done as this one waited
            other.write_stream([streamed])
            other.close()
            yield

    workspace = Workspace(folder, data=data)
    workspace.store()
    monkeypatch.setattr(files, "locked", locked_after_a_stream)
    with pytest.raises(LoadError, match="written without load records"):
        if merging == "a decision":
            workspace.judge(Judgement("ORG:xiaomi", "ORG:huawei", "different", "two firms", "t"))
        else:
            rename_xiaomi(data)
            workspace.close()
            Workspace(folder, data=data).store()
    workspace.close()
    assert not (folder / RESOLUTIONS).exists()
    monkeypatch.setattr(files, "locked", real_locked)
    if merging != "a decision":  # back to the edition it was built on
        edition = data / "dod_1237.yaml"
        text = edition.read_text(encoding="utf-8")
        edition.write_text(text.replace("Xiaomi Corp. (new edition)", "Xiaomi Corporation"), encoding="utf-8")
    assert Workspace(folder, data=data).store().get_node("ORG:streamed") == streamed


def test_an_upgrade_kept_waiting_by_another_process_says_what_to_do_not_sqlites_words(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Opening a workspace written by an earlier version upgrades it in one transaction, waiting
    for another process holding the file (here 0.2 s, not 600): kept waiting longer, it says so and
    what to do, as every other wait does, and never shows sqlite3's "database is locked"."""
    import sqlite3

    import graph.store.workspace.connection as connection
    from graph.errors import StoreUnavailable
    from loaders.workspace import DATABASE

    folder = tmp_path / "ws"
    workspace_on_copied_data(tmp_path, loaded=False)
    db = sqlite3.connect(folder / DATABASE, isolation_level=None)
    db.execute("UPDATE meta SET value = '5' WHERE key = 'bookkeeping'")  # to be upgraded when opened
    db.close()
    before = snapshot(folder)
    monkeypatch.setattr(connection, "UPGRADE_WAIT", 200)
    holder = sqlite3.connect(folder / DATABASE, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    try:
        with pytest.raises(StoreUnavailable) as raised:
            Workspace(folder, data=tmp_path / "data").store()
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    message = str(raised.value)
    assert "database is locked" not in message
    assert str(folder / DATABASE) in message and "another ordergraph process" in message
    assert "within 0.2 s" in message and "run the command again" in message
    assert snapshot(folder) == before


@pytest.mark.parametrize("merging", ["a decision", "a new edition of the curated data", "an unload"])
def test_every_re_merge_waits_for_another_writer_as_long_as_the_upgrade_does(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, merging: str
) -> None:
    """A re-merge (after a decision, onto a new edition of the curated data, or an unload, which may
    merge every dataset again) waits for another process writing the file as long as the upgrade
    and the folded-names re-merge do, not the few seconds a load waits (here: the usual wait 0.2 s,
    the other process holding the file 1 s)."""
    import sqlite3

    import graph.store.workspace.connection as connection
    from loaders.resolve import Judgement
    from loaders.workspace import DATABASE

    data = workspace_on_copied_data(tmp_path)
    folder = tmp_path / "ws"
    workspace = Workspace(folder, data=data)
    workspace.store()
    if merging == "a new edition of the curated data":
        rename_xiaomi(data)
        workspace.close()
        workspace = Workspace(folder, data=data)
    monkeypatch.setattr(connection, "BUSY_WAIT", 200)
    holder = sqlite3.connect(folder / DATABASE, isolation_level=None, check_same_thread=False)
    holder.execute("BEGIN IMMEDIATE")
    let_go = threading.Timer(1.0, lambda: holder.execute("ROLLBACK"))
    let_go.start()
    try:
        if merging == "a decision":
            workspace.conn.execute("PRAGMA busy_timeout = 200")  # as a connection opened now has it
            workspace.judge(Judgement("ORG:xiaomi", "ORG:huawei", "different", "two firms", "t"))
            assert workspace.judgements()[-1].pair == frozenset({"ORG:xiaomi", "ORG:huawei"})
        elif merging == "an unload":
            workspace.conn.execute("PRAGMA busy_timeout = 200")
            workspace.unload("opensanctions")
            assert not workspace.has("opensanctions")
        else:
            node = workspace.store().get_node("ORG:xiaomi")
            assert node is not None and node.name == "Xiaomi Corp. (new edition)"
    finally:
        let_go.join()
        holder.close()
        workspace.close()


def test_names_are_folded_again_when_the_opencc_tables_change(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The workspace records the OpenCC tables its names were folded with (graph.hanzi's
    table_version, as the curated cache keys on it). Opened with other tables (a new opencc-purepy),
    its name indexes are folded again and every dataset merged again: folded names match folded
    queries again. Here the old tables folded nothing (names as written), and the version differs."""
    from graph import hanzi
    from tests.graph.unfolded import unfolded

    hant = ftm_file(tmp_path, "hant", HANT)
    with unfolded(monkeypatch), monkeypatch.context() as patch:
        patch.setattr(hanzi, "table_version", lambda: "tables-that-folded-nothing")
        old = Workspace(tmp_path / "old")
        load_path(old, hant, "ftm", "hant")
        assert old.store().get_node("ORG:NK-hant-a") is not None  # 中國移動… kept apart
        old.close()
        reopened: list[Remerge] = []
        Workspace(old.folder, remerging=reopened.append).store()  # the same tables: nothing to do
        assert reopened == []
    current = Workspace(tmp_path / "current")
    load_path(current, hant, "ftm", "hant")
    current.close()
    told: list[Remerge] = []
    Workspace(old.folder, remerging=told.append).store()
    assert [e.stage for e in told][-1:] == ["done"]
    assert bookkeeping(old.folder) == bookkeeping(current.folder)
    assert graph_rows(Workspace(old.folder)) == graph_rows(current)
    again: list[Remerge] = []
    Workspace(old.folder, remerging=again.append).store()  # once, not at every opening
    assert again == []
    store = Workspace(old.folder).store()
    assert store.get_node("ORG:NK-hant-a") is None  # merged into the curated China Mobile group
    assert [n.id for n in store.name_candidates("中國移動通信集團")][:1] == [
        "ORG:china-mobile-communications-group"
    ]


def test_rows_streamed_in_just_before_a_re_merge_begins_are_not_dropped(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Another process streaming rows into the store takes no workspace lock: rows it writes after
    a judgement's check, before its re-merge holds the file, are found by the re-merge itself (it
    asks again inside its transaction), which refuses and leaves them, and the decision undone."""
    from graph.errors import LoadError
    from graph.model import Node
    from graph.store.workspace import WorkspaceStore
    from loaders.resolve import Judgement
    from loaders.workspace import DATABASE

    data = workspace_on_copied_data(tmp_path)
    folder = tmp_path / "ws"
    streamed = Node(id="ORG:streamed", kind="Company", name="Streamed Meanwhile Ltd")
    real_rebuild = Workspace._rebuild

    def rebuild(
        self: Workspace, why: str, base: list[Record] | None = None, digest: str | None = None
    ) -> None:
        other = WorkspaceStore.open(folder / DATABASE)  # another process, between check and merge
        other.write_stream([streamed])
        other.close()
        real_rebuild(self, why, base=base, digest=digest)

    monkeypatch.setattr(Workspace, "_rebuild", rebuild)
    workspace = Workspace(folder, data=data)
    with pytest.raises(LoadError, match="written without load records"):
        workspace.judge(Judgement("ORG:xiaomi", "ORG:huawei", "different", "two firms", "t"))
    workspace.close()
    assert not (folder / RESOLUTIONS).exists()
    monkeypatch.setattr(Workspace, "_rebuild", real_rebuild)
    assert Workspace(folder, data=data).store().get_node("ORG:streamed") == streamed


@pytest.mark.parametrize("merged_into", [False, True])
def test_an_unload_waits_for_the_workspace_lock_told_what_its_holder_does(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, merged_into: bool
) -> None:
    """Every unload takes the workspace lock, as a decision and a re-merge do, whether it changes
    only the dataset's rows or merges every dataset again (a later dataset merged into its
    entities): while another process holds the lock, it waits, told what that one does, and
    changes nothing until it has it; holding it, it tells a waiter that it is unloading."""
    from contextlib import AbstractContextManager

    from graph.store.workspace import WorkspaceStore
    from loaders import files
    from loaders.files import locked, recording_decision

    folder = tmp_path / "ws"
    workspace = Workspace(folder)
    load_path(workspace, ftm_file(tmp_path, "a", QVXR_A), "ftm", "a")
    if merged_into:
        load_path(workspace, ftm_file(tmp_path, "b", QVXR_B), "ftm", "b")
    workspace.close()
    before = snapshot(folder)
    file = folder / RESOLUTIONS

    class Waited(Exception):
        pass

    def waiting(sentence: str) -> None:
        raise Waited(sentence)

    with locked(file), pytest.raises(Waited) as raised:
        Workspace(folder, waiting=waiting).unload("a")
    assert str(raised.value) == waiting_sentence(file, recording_decision(file))
    assert snapshot(folder) == before

    said: list[str | None] = []
    real_transaction = WorkspaceStore.transaction

    def transaction(self: WorkspaceStore) -> AbstractContextManager[WorkspaceStore]:
        said.append(files._holder_doing(file))  # what a process waiting now would be told
        return real_transaction(self)

    monkeypatch.setattr(WorkspaceStore, "transaction", transaction)
    unloading = Workspace(folder)
    unloading.unload("a")
    assert not unloading.has("a")
    assert said[:1] == [f"unloading a from {folder}"]
