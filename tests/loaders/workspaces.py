"""Workspaces the loader tests share: made on a copy of the curated data, loaded with small FtM
files, due to be merged again; and what tests compare of them (every table's rows, the graph's rows,
the bookkeeping)."""

from __future__ import annotations

import json
import shutil
import sqlite3
from pathlib import Path

import pytest

from loaders.workspace import DATABASE, Workspace, load_path

FIXTURES = Path(__file__).parents[1] / "fixtures"


def snapshot(folder: Path) -> list[tuple[str, list[tuple[object, ...]]]]:
    """Every row of every table, sorted: equal snapshots are the same workspace."""
    db = sqlite3.connect(folder / DATABASE)
    try:
        tables = [
            r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
        ]
        return [(t, sorted(db.execute(f"SELECT * FROM {t}").fetchall())) for t in tables]  # noqa: S608
    finally:
        db.close()


def graph_rows(workspace: Workspace) -> tuple[list[str], list[str]]:
    store = workspace.store()
    return (
        sorted(n.model_dump_json() for n in store.nodes()),
        sorted(e.model_dump_json() for e in store.edges()),
    )


def ftm_file(tmp_path: Path, name: str, entities: list[dict[str, object]]) -> Path:
    path = tmp_path / f"{name}.ftm.json"
    path.write_text("".join(json.dumps(e) + "\n" for e in entities), encoding="utf-8")
    return path


def workspace_on_copied_data(tmp_path: Path, loaded: bool = True) -> Path:
    """A workspace at ``tmp_path/ws`` on a copy of data/ (returned), the FtM fixture loaded into it
    unless not ``loaded``."""
    data = tmp_path / "data"
    shutil.copytree(Path(__file__).parents[2] / "data", data)
    workspace = Workspace(tmp_path / "ws", data=data)
    if loaded:
        load_path(workspace, FIXTURES / "ftm" / "entities.ftm.json", "ftm", "opensanctions")
    else:
        workspace.store()  # the curated data alone
    workspace.close()
    return data


def rename_xiaomi(data: Path) -> None:
    """A new edition of the curated data in ``data``: Xiaomi renamed 'Xiaomi Corp. (new edition)'."""
    edition = data / "dod_1237.yaml"
    text = edition.read_text(encoding="utf-8")
    assert text.count("\n  name: Xiaomi Corporation\n") == 1
    renamed = text.replace("\n  name: Xiaomi Corporation\n", "\n  name: Xiaomi Corp. (new edition)\n")
    edition.write_text(renamed, encoding="utf-8")


def bookkeeping(folder: Path) -> list[list[tuple[object, ...]]]:
    """The bookkeeping tables (row numbers included) and the schema of ``given`` and ``name_blocks``
    (their tables and indexes), to compare."""
    from loaders.workspace.tables import _doc

    db = sqlite3.connect(folder / DATABASE)
    try:
        return [
            sorted(db.execute(sql).fetchall(), key=repr)
            for sql in (
                f"SELECT load_seq, rank, idx, origin, is_edge, target, row, own, line, {_doc()} FROM given",  # noqa: S608
                "SELECT rowid, block, norm, node, node_seq, country, kind, dataset FROM name_blocks",
                "SELECT type, name, sql FROM sqlite_master WHERE tbl_name IN ('given', 'name_blocks')",
                "SELECT * FROM meta WHERE key = 'bookkeeping'",
            )
        ]
    finally:
        db.close()


def due_to_merge_again(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A workspace the upgrade to folded names left due to be merged again (its merge not begun)."""
    from tests.graph.unfolded import unfolded

    hant = ftm_file(tmp_path, "hant", HANT)
    with unfolded(monkeypatch):
        old = Workspace(tmp_path / "old")
        load_path(old, hant, "ftm", "hant")
        old.close()
    db = sqlite3.connect(old.folder / DATABASE, isolation_level=None)
    db.execute("UPDATE meta SET value = '3' WHERE key = 'schema'")
    db.execute("UPDATE meta SET value = '5' WHERE key = 'bookkeeping'")
    db.close()
    # Upgraded, its merge not yet begun: as a process finds it when another upgraded it meanwhile.
    with monkeypatch.context() as patch:
        patch.setattr(Workspace, "_merge_folded", lambda self, store: None)
        Workspace(old.folder).store()
        Workspace(old.folder).close()
    db = sqlite3.connect(old.folder / DATABASE, isolation_level=None)
    assert db.execute("SELECT 1 FROM meta WHERE key = 'fold_merge_due'").fetchone() is not None
    db.close()
    return old.folder


def cn_company(ftm_id: str, name: str) -> dict[str, object]:
    return {"id": ftm_id, "schema": "Company", "properties": {"name": [name], "country": ["cn"]}}


HANT = [
    cn_company("NK-hant-a", "中國移動通信集團有限公司"),
    cn_company("NK-hant-b", "奇維克斯機器人有限公司"),
]
HANS = [cn_company("NK-hans-b", "奇维克斯机器人有限公司")]


QVXR_A: list[dict[str, object]] = [
    {
        "id": "NK-qvxr-a",
        "schema": "Company",
        "properties": {"name": ["Qvxr Robotics Ltd"], "country": ["cn"], "leiCode": ["5493001KJTIIGC8Y1R12"]},
    }
]
QVXR_B: list[dict[str, object]] = [
    {
        "id": "NK-qvxr-b",
        "schema": "Company",
        "properties": {
            "name": ["QVXR Robotics Limited"],
            "country": ["cn"],
            "leiCode": ["5493001KJTIIGC8Y1R12"],
            "website": ["https://qvxr.example.cn"],
        },
    },
    {
        "id": "NK-qvxr-b-sanction",
        "schema": "Sanction",
        "properties": {"entity": ["NK-qvxr-b"], "program": ["RUSSIA-EO14024"], "listingDate": ["2024-02-23"]},
    },
]
