"""Workspaces the loader tests share: made on a copy of the curated data, loaded with small FtM
files, due to be merged again; and what tests compare of them (every table's rows, the graph's rows,
the bookkeeping)."""

from __future__ import annotations

import json
import shutil
import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

import ordergraph
from cli.session import Session
from loaders.workspace import DATABASE, Workspace, load_path
from loaders.workspace.tables import _doc
from tests.graph.name_terms import indexed_keys

FIXTURES = Path(__file__).parents[1] / "fixtures"
Run = Callable[..., tuple[int, str, str]]


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


def loaded_copy(template: Path, folder: Path, entities: list[dict[str, Any]], dataset: str = "os") -> Path:
    """``folder``: a copy of the workspace ``template`` with ``entities`` loaded as FtM lines, in their
    order, as ``dataset`` (the file written beside it), closed."""
    shutil.copytree(template, folder)
    path = folder.parent / f"{folder.name}.json"
    path.write_text("".join(json.dumps(e) + "\n" for e in entities), encoding="utf-8")
    workspace = Workspace(folder)
    try:
        load_path(workspace, path, "ftm", dataset)
    finally:
        workspace.close()
    return folder


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
    db.execute("DELETE FROM meta WHERE key = 'names_folding'")  # recorded since bookkeeping 6
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


def ftm_line(ftm_id: str, schema: str, **properties: list[str]) -> str:
    return json.dumps({"id": ftm_id, "schema": schema, "properties": properties, "first_seen": "2022-01-02"})


def table_rows(folder: Path, sql: str) -> list[tuple[object, ...]]:
    """The rows ``sql`` reads (or, for ``NAME_KEYS``, each exact name the word index holds with the
    id of each node it finds), sorted."""
    db = sqlite3.connect(folder / DATABASE)
    try:
        if sql == NAME_KEYS:
            ids = dict(db.execute("SELECT seq, id FROM nodes"))
            return sorted(((key, ids[seq]) for key, seq in indexed_keys(db)), key=repr)
        return sorted(db.execute(sql).fetchall(), key=repr)
    finally:
        db.close()


# Every table, with row numbers replaced by the ids they stand for (the two paths number rows
# in different orders) and the load's clock left out.
TABLES = [
    "SELECT id, kind, exchange, code, COALESCE(d.n, 0), doc FROM nodes LEFT JOIN degrees AS d USING (seq)",
    "SELECT id, kind, source, target, start_day, end_day, doc FROM edges",
    "SELECT i.scheme, i.value, n.id FROM identifiers i JOIN nodes n ON n.seq = i.node_seq",
    "SELECT d.dataset, d.is_edge, COALESCE(n.id, e.id) FROM datasets d "
    "LEFT JOIN nodes n ON d.is_edge = 0 AND n.seq = d.seq "
    "LEFT JOIN edges e ON d.is_edge = 1 AND e.seq = d.seq",
    "SELECT term, n FROM terms",
    # What each record gave (the bulk path keeps a new row's document once, in the row).
    f"SELECT g.load_seq, g.rank, g.idx, g.origin, g.is_edge, g.target, g.own, g.line, {_doc('g')}, "  # noqa: S608
    "COALESCE(n.id, e.id) FROM given AS g LEFT JOIN nodes AS n ON g.is_edge = 0 AND n.seq = g.row "
    "LEFT JOIN edges AS e ON g.is_edge = 1 AND e.seq = g.row",
    "SELECT b.block, b.norm, b.node, b.country, b.kind, b.dataset, n.id FROM name_blocks AS b "
    "LEFT JOIN nodes AS n ON n.seq = b.node_seq",
    "SELECT name, format, path, seq, records, skipped, skipped_links, first_seen, last_seen FROM loads",
]
# Each node's exact names, by node id: terms of the store's word index (schema 6), which no one
# query reads: ``table_rows`` reads them (tests.graph.name_terms.indexed_keys).
NAME_KEYS = "exact names in the word index"


TABLE_NAMES = (
    "nodes", "edges", "identifiers", "datasets", "terms", "names_data", "given", "name_blocks", "loads",
    "meta",
)  # fmt: skip


def word_index(folder: Path) -> dict[str, list[str]]:
    """Each indexed word → the ids of the nodes the store's FTS5 index finds by it."""
    db = sqlite3.connect(folder / DATABASE)
    try:
        terms = [t for (t,) in db.execute("SELECT term FROM terms WHERE n > 0")]
        found = {
            term: sorted(
                node
                for (node,) in db.execute(
                    "SELECT n.id FROM names JOIN nodes AS n ON n.seq = names.rowid WHERE names MATCH ?",
                    ('"{}"'.format(term.replace('"', '""')),),
                )
            )
            for term in terms
        }
        found[""] = [str(n) for (n,) in db.execute("SELECT COUNT(*) FROM names")]  # rows, words or not
        return found
    finally:
        db.close()


def row_numbers_astray(folder: Path) -> list[tuple[object, ...]]:
    """Where the bookkeeping's row numbers disagree with the graph: a record whose ``row`` is not the
    row number of the node or edge of its ``target`` id (NULL exactly when there is none: a link set
    aside), a name whose ``node_seq`` is not its node's. Empty in a sound workspace."""
    db = sqlite3.connect(folder / DATABASE)
    try:
        return db.execute(
            "SELECT 'given', g.target, g.row, COALESCE(n.seq, e.seq) FROM given AS g "
            "LEFT JOIN nodes AS n ON g.is_edge = 0 AND n.id = g.target "
            "LEFT JOIN edges AS e ON g.is_edge = 1 AND e.id = g.target "
            "WHERE g.row IS NOT COALESCE(n.seq, e.seq) "
            "UNION ALL SELECT 'name_blocks', b.node, b.node_seq, n.seq FROM name_blocks AS b "
            "LEFT JOIN nodes AS n ON n.id = b.node WHERE b.node_seq IS NOT n.seq"
        ).fetchall()
    finally:
        db.close()


# A source's entities, then a delta whose changes meet the graph in every way that sends a row to
# the merger, beside changes that meet nothing (the plain path).
BASE = [
    ftm_line("a-1", "Company", name=["Alpha Widgets Ltd"], leiCode=["529900T8BM49AURSDO55"], country=["de"]),
    ftm_line("a-3", "Company", name=["Beta Tools"], country=["de"]),
    ftm_line("p-1", "Person", name=["Wang Wei"]),
    ftm_line("p-2", "Person", name=["Li Na"], alias=["Na Li"]),
    ftm_line("own-1", "Ownership", owner=["a-1"], asset=["a-3"]),
    ftm_line("s-1", "Sanction", entity=["a-1"], program=["TEST-PROG"], listingDate=["2022-01-01"]),
    ftm_line("d-1", "Directorship", director=["p-1"], organization=["a-3"], role=["director"]),
    ftm_line("gone-1", "Company", name=["Gamma Gone Ltd"]),
    ftm_line("s-g", "Sanction", entity=["gone-1"], program=["TEST-PROG"]),
]
CHANGES = [
    # Meeting the graph: an LEI another entity has (before the links to it: an entity a delta
    # changes is out of the graph until its line), a curated name, a curated security's ticker.
    ("MOD", ftm_line("a-3", "Company", name=["Beta Tools AG"], leiCode=["529900T8BM49AURSDO55"])),
    # Meeting nothing: a new alias, unchanged names, a new company and person, their links.
    ("MOD", ftm_line("p-1", "Person", name=["Wang Wei"], alias=["Wei Wang (formerly)"])),
    ("MOD", ftm_line("p-2", "Person", name=["Li Na"], alias=["Na Li"], nationality=["cn"])),
    ("ADD", ftm_line("n-1", "Company", name=["Novel Fabrication Works"], country=["fr"])),
    ("ADD", ftm_line("n-p", "Person", name=["Zhang San"])),
    ("ADD", ftm_line("own-n", "Ownership", owner=["a-3"], asset=["n-1"])),
    ("ADD", ftm_line("d-n", "Directorship", director=["n-p"], organization=["n-1"], role=["director"])),
    (
        "ADD",
        ftm_line("s-n", "Sanction", entity=["n-1"], program=["TEST-PROG"], listingDate=["2023-01-01"]),
    ),
    ("MOD", ftm_line("s-1", "Sanction", entity=["a-1"], program=["TEST-PROG"], endDate=["2024-01-01"])),
    ("DEL", json.dumps({"id": "gone-1"})),
    ("DEL", json.dumps({"id": "s-g"})),
    ("ADD", ftm_line("x-1", "Company", name=["Xiaomi Corporation"], country=["cn"])),
    ("ADD", ftm_line("sec-1", "Security", name=["Xiaomi B shares"], ticker=["1810.HK"], issuer=["n-1"])),
    # Meeting each other: two new entities with one LEI, two listings of one ticker (one node id),
    # an issuer's ISIN.
    ("ADD", ftm_line("t-1", "Company", name=["Twin One"], leiCode=["5493001KJTIIGC8Y1R12"])),
    ("ADD", ftm_line("t-2", "Company", name=["Twin Two"], leiCode=["5493001KJTIIGC8Y1R12"])),
    ("ADD", ftm_line("l-1", "Security", name=["Novel A shares"], ticker=["688999.SS"], issuer=["n-1"])),
    ("ADD", ftm_line("l-2", "Security", name=["Novel A"], ticker=["688999.SS"])),
    ("ADD", ftm_line("i-1", "Company", name=["Issuer Holdings"], isinCode=["KYG9830T1067"])),
    # A second link with the ends and kind of a plain one held before it: merged with it.
    ("ADD", ftm_line("d-n2", "Directorship", director=["n-p"], organization=["n-1"], role=["chair"])),
]


def delta_line(op: str, entity: str) -> str:
    return json.dumps({"op": op, "entity": json.loads(entity)})


def write_lines(path: Path, lines: list[str]) -> Path:
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def cli_on_copy(template: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Run:
    """The CLI on a copy of the workspace ``template`` (ORDERGRAPH_HOME): exit code, stdout, stderr."""
    home = tmp_path / "home"
    shutil.copytree(template, home)
    monkeypatch.setenv("ORDERGRAPH_HOME", str(home))

    def invoke(*args: str) -> tuple[int, str, str]:
        result = CliRunner().invoke(ordergraph.cli, list(args), obj=Session())
        return result.exit_code, result.stdout, result.stderr

    return invoke
