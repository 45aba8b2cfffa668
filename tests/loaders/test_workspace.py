"""The workspace: every format end to end, merging, deltas, unloading, and all-or-nothing loads."""

from __future__ import annotations

import hashlib
import io
import json
import re
import shutil
import sqlite3
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any, cast

import pytest
import yaml
from click.testing import CliRunner

import ordergraph
from cli.progress import PROGRESS_MIN_BYTES, RemergeNotice, load_progress
from cli.session import Session
from graph import naming, query
from graph.errors import LoadError
from graph.model import Node
from graph.store.base import GraphStore
from graph.store.workspace import SCHEMA_VERSION, WorkspaceStore
from loaders import bulk as bulk_module
from loaders.files import waiting_sentence
from loaders.records import Record
from loaders.workspace import DATABASE, PROJECT_DATA, RESOLUTIONS, Remerge, Workspace, load_path
from loaders.workspace import rows as workspace_rows
from tests.graph.old_layout import as_schema
from tests.loaders.workspaces import (
    FIXTURES,
    HANS,
    HANT,
    NAME_KEYS,
    QVXR_A,
    QVXR_B,
    bookkeeping,
    cn_company,
    due_to_merge_again,
    ftm_file,
    graph_rows,
    rename_xiaomi,
    row_numbers_astray,
    snapshot,
    table_rows,
    workspace_on_copied_data,
)

ARTICLE = Path(__file__).resolve().parents[3] / "shared" / "research" / "zdnet-xiaomi-article.txt"
URL = "https://www.zdnet.com/article/xiaomi-denies-any-ties-with-chinese-military/"


@pytest.fixture(scope="session")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh workspace (the curated data only), made once and copied for each test."""
    folder = tmp_path_factory.mktemp("template")
    workspace = Workspace(folder)
    workspace.store()  # creating the database (with the curated data as its base) is the point
    workspace.close()
    return folder


@pytest.fixture
def workspace(template: Path, tmp_path: Path) -> Workspace:
    folder = tmp_path / "ws"
    shutil.copytree(template, folder)
    return Workspace(folder)


def test_ftm_end_to_end_through_show_and_affects(workspace: Workspace) -> None:
    info = load_path(workspace, FIXTURES / "ftm" / "entities.ftm.json", "ftm", "opensanctions")
    assert (info.name, info.format, info.first_seen, info.last_seen) == (
        "opensanctions",
        "ftm",
        "2021-06-03",
        "2021-12-20",
    )
    store = Workspace(workspace.folder).store()  # reopened from the file, not from the source
    view = query.show(store, "ORG:smic")
    assert "ROLE_IN" in {e.kind for e in view.edges}
    answer = query.affects(store, "SEC:SSE:688981", date(2021, 9, 1))
    assert "EO:14032" in {a.id for a in answer.orders}


def test_ofac_end_to_end(workspace: Workspace) -> None:
    load_path(workspace, FIXTURES / "ofac", "ofac", "us-ofac-cons")
    store = Workspace(workspace.folder).store()
    assert "us-ofac-cons" in store.get_node("ORG:hikvision").datasets  # type: ignore[union-attr]
    answer = query.affects(store, "SEC:SZSE:002415", date(2021, 9, 1))
    assert "EO:14032" in {a.id for a in answer.orders}
    bank = store.get_node("ORG:ofac-15268")
    assert bank is not None and bank.datasets == ["us-ofac-cons"]


def test_ofac_xml_end_to_end_answers_as_the_csv_set(
    workspace: Workspace, template: Path, tmp_path: Path
) -> None:
    load_path(workspace, FIXTURES / "ofac-xml" / "consolidated.xml", "ofac", "us-ofac-cons")
    from_csv = Workspace(tmp_path / "csv")
    shutil.copytree(template, from_csv.folder)
    load_path(from_csv, FIXTURES / "ofac", "ofac", "us-ofac-cons")
    for store in (Workspace(workspace.folder).store(), from_csv.store()):
        answer = query.affects(store, "SEC:SZSE:002415", date(2021, 9, 1))
        assert "EO:14032" in {a.id for a in answer.orders}
    shown = [query.show(w.store(), "ORG:hikvision") for w in (workspace, from_csv)]
    assert {e.id for e in shown[0].edges} == {e.id for e in shown[1].edges}


def test_fedreg_adds_the_federal_register_address_to_the_curated_order(workspace: Workspace) -> None:
    before = workspace.store().node_count()
    load_path(workspace, FIXTURES / "fedreg" / "eo-search-page.json", "fedreg", "fr")
    store = Workspace(workspace.folder).store()
    assert store.node_count() == before  # same orders, one node each
    order = store.get_node("EO:13959")
    assert order is not None and order.datasets == ["curated", "fr"]
    assert any(
        s.url.startswith("https://www.federalregister.gov/documents/2020/11/17/2020-25459/")
        for s in order.sources
    )
    revokes = store.get_edge("REVOKES|EO:14032|EO:13974|2021-06-03")
    assert revokes is not None and revokes.datasets == ["curated", "fr"]
    issued = store.get_edge("ISSUED_BY|EO:14032|BODY:president|2021-06-03")  # the curated edge, one row
    assert issued is not None and issued.datasets == ["curated", "fr"]
    assert any("/2021-12019/" in s.url for s in issued.sources)
    assert query.affects(store, "SEC:HKEX:0981", date(2021, 9, 1)).orders


def test_article_end_to_end(workspace: Workspace) -> None:
    load_path(workspace, ARTICLE, "article", "zdnet", url=URL, published="2021-01")
    store = Workspace(workspace.folder).store()
    doc = store.get_node("DOC:zdnet-xiaomi-denies-military-ties")  # the curated article: same URL, one node
    assert doc is not None and doc.datasets == ["curated", "zdnet"]
    luokung = [e for e in store.edges_of("ORG:luokung", "in", ["MENTIONS"])]
    assert len(luokung) == 1 and luokung[0].datasets == ["curated", "zdnet"]


def test_smic_holdings_chinese_name_merges_into_smic_holdings_not_smic(tmp_path: Path) -> None:
    """中芯国际控股有限公司, SMIC Holdings' curated alias word for word, reads 中芯国际 (SMIC's alias)
    once legal forms are set aside: a record so named merges into SMIC Holdings, as does
    "SMIC Holdings Limited"."""
    records = [
        cn_company("NK-smic-h", "中芯国际控股有限公司"),
        cn_company("NK-smic-h-en", "SMIC Holdings Limited"),
    ]
    workspace = Workspace(tmp_path / "ws")
    try:
        load_path(workspace, ftm_file(tmp_path, "smic", records), "ftm", "t")
        store = workspace.store()
        holdings, smic = store.get_node("ORG:smic-holdings"), store.get_node("ORG:smic")
        assert holdings is not None and smic is not None
        assert holdings.datasets == ["curated", "t"]
        assert smic.datasets == ["curated"]
        assert store.get_node("ORG:NK-smic-h") is None and store.get_node("ORG:NK-smic-h-en") is None
    finally:
        workspace.close()


def test_curated_ftm_and_ofac_merge_into_one_node_each(workspace: Workspace) -> None:
    load_path(workspace, FIXTURES / "ftm" / "entities.ftm.json", "ftm", "opensanctions")
    load_path(workspace, FIXTURES / "ofac", "ofac", "us-ofac-cons")
    store = workspace.store()
    for node_id, uid in (("ORG:smic", "30951"), ("ORG:cnooc-ltd", "30926")):
        node = store.get_node(node_id)
        assert node is not None
        assert node.datasets == ["curated", "opensanctions", "us-ofac-cons"]
        assert node.identifiers["ofac_uid"] == [uid]
        assert {s.publisher for s in node.sources} >= {
            "OpenSanctions",
            "U.S. Department of the Treasury, OFAC",
        }
        assert [n.id for n in store.nodes_by_identifier("ofac_uid", uid)] == [node_id]
    for gone in ("ORG:NK-9Fq2smicCmicOfac", "ORG:ofac-30951", "ORG:NK-cnoocLtdOfac", "ORG:ofac-30926"):
        assert store.get_node(gone) is None
    listings = [
        e for e in store.edges_of("ORG:smic", "out", ["LISTED_ON"]) if e.target == "LIST:OFAC-NS-CMIC"
    ]
    assert len(listings) == 1 and listings[0].datasets == ["curated", "opensanctions", "us-ofac-cons"]


def test_a_listing_date_another_source_disputes_is_kept(workspace: Workspace, tmp_path: Path) -> None:
    rows = (FIXTURES / "ofac" / "cons_prim.csv").read_text(encoding="utf-8")
    folder = tmp_path / "ofac"
    folder.mkdir()
    (folder / "cons_prim.csv").write_text(
        rows.replace("Listing Date (CMIC) 03 Jun 2021", "Listing Date (CMIC) 04 Jun 2021").replace(
            "Effective Date (CMIC) 02 Aug 2021", "Effective Date (CMIC) 03 Aug 2021"
        )
    )
    load_path(workspace, folder, "ofac", "ofac-later")
    listing = workspace.store().get_edge("LISTED_ON|ORG:smic|LIST:OFAC-NS-CMIC|2021-06-03")
    assert listing is not None and listing.start == "2021-06-03"
    disputed = [(d.field, d.value) for d in listing.disputed]
    assert ("start", "2021-06-04") in disputed
    assert ("applies_from", "2021-08-03") in disputed and listing.properties["applies_from"] == "2021-08-02"
    assert any(s.kind == "official" for d in listing.disputed for s in d.sources)


def _lines(path: Path) -> list[str]:
    return [line for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def test_delta_in_order_equals_loading_the_final_file(
    workspace: Workspace, template: Path, tmp_path: Path
) -> None:
    base = _lines(FIXTURES / "ftm" / "entities.ftm.json")
    entities = [json.loads(line) for line in base]
    first = tmp_path / "first.json"
    first.write_text("\n".join(base[:6]) + "\n", encoding="utf-8")
    load_path(workspace, first, "ftm", "os")
    modified = dict(entities[3], properties={**entities[3]["properties"], "alias": ["SMIC Beijing Fab"]})
    delta = tmp_path / "delta.json"
    ops = [
        {"op": "MOD", "entity": modified},
        {"op": "DEL", "entity": {"id": entities[4]["id"]}},
        *({"op": "ADD", "entity": e} for e in entities[6:]),
    ]
    delta.write_text("\n".join(json.dumps(op) for op in ops) + "\n", encoding="utf-8")
    load_path(workspace, delta, "ftm-delta", "os")
    # The final full file: the first file with the MOD in place, the DEL gone, the ADDs after.
    final = tmp_path / "final.json"
    final_entities = [*entities[:3], modified, entities[5], *entities[6:]]
    final.write_text("\n".join(json.dumps(e) for e in final_entities) + "\n", encoding="utf-8")
    fresh = Workspace(tmp_path / "fresh")
    shutil.copytree(template, fresh.folder)
    load_path(fresh, final, "ftm", "os")
    assert graph_rows(Workspace(workspace.folder)) == graph_rows(fresh)
    beijing = workspace.store().get_node("ORG:smic-beijing")
    assert beijing is not None and "SMIC Beijing Fab" in beijing.aliases


def test_a_datasets_counts_are_the_rows_it_gave(workspace: Workspace) -> None:
    load_path(workspace, FIXTURES / "ftm" / "entities.ftm.json", "ftm", "os")
    load_path(workspace, FIXTURES / "ofac", "ofac", "us-ofac-cons")  # merges into rows "os" gave
    store = workspace.store()
    for name in ("os", "us-ofac-cons"):
        nodes = sum(name in n.datasets for n in store.nodes())
        edges = sum(name in e.datasets for e in store.edges())
        assert nodes and edges
        assert (workspace.info(name).nodes, workspace.info(name).edges) == (nodes, edges)
        assert next(d for d in workspace.datasets() if d.name == name) == workspace.info(name)


def test_unload_restores_the_graph_exactly(workspace: Workspace) -> None:
    before = graph_rows(workspace)
    load_path(workspace, FIXTURES / "ftm" / "entities.ftm.json", "ftm", "opensanctions")
    load_path(workspace, FIXTURES / "ofac", "ofac", "us-ofac-cons")
    after_both = graph_rows(workspace)
    load_path(workspace, FIXTURES / "fedreg" / "eo-search-page.json", "fedreg", "fr")
    workspace.unload("fr")
    assert graph_rows(Workspace(workspace.folder)) == after_both
    workspace.unload("opensanctions")
    workspace.unload("us-ofac-cons")
    assert graph_rows(Workspace(workspace.folder)) == before
    assert workspace.datasets() == []


BAD_INPUTS: list[tuple[str, str, str, str]] = [
    (
        "malformed.json",
        '{"id": "a", "schema": "Company", "properties": {"name": ["A"]}}\n{"id": "b",\n',
        "ftm",
        ":12: malformed JSON",
    ),
    (
        "schema.json",
        '{"id": "a", "schema": "Compny", "properties": {"name": ["A"]}}\n',
        "ftm",
        ":11: entity.schema",
    ),
    (
        "missing.json",
        '{"id": "a", "schema": "Company", "properties": {}}\n',
        "ftm",
        ":11: entity.properties.name",
    ),
    (
        "date.json",
        '{"id": "a", "schema": "Company", "properties": {"name": ["A"]}, "first_seen": "2021-02-30"}\n',
        "ftm",
        ":11: entity.first_seen",
    ),
    (
        "cons_prim.csv",
        '1,"A",-0- ,"NOT-A-PROGRAM",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,"x"\n',
        "ofac",
        ":1: Program: unknown program",
    ),
    ("truncated.json", '{"document_number": "2021-12506", "title": "T",\n', "fedreg", ": malformed JSON"),
]


@pytest.mark.parametrize(("name", "content", "fmt", "where"), BAD_INPUTS)
def test_bad_input_leaves_the_workspace_as_it_was(
    workspace: Workspace, tmp_path: Path, name: str, content: str, fmt: str, where: str
) -> None:
    load_path(workspace, FIXTURES / "ftm" / "entities.ftm.json", "ftm", "opensanctions")
    before = snapshot(workspace.folder)
    bad = tmp_path / name
    # A good first half, so a half-done load would show.
    good = (
        "".join(line + "\n" for line in _lines(FIXTURES / "ftm" / "entities.ftm.json"))
        if fmt == "ftm"
        else ""
    )
    bad.write_text(good.replace("NK-", "NK2-") + content, encoding="utf-8")
    with pytest.raises(LoadError) as caught:
        load_path(workspace, bad, fmt, "bad")
    assert where in str(caught.value) and str(bad) in str(caught.value)
    assert snapshot(workspace.folder) == before


def test_a_bad_entry_after_many_batches_of_records_leaves_the_workspace_as_it_was(
    workspace: Workspace, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The record-by-record path (OFAC here) writes its records a batch at a time as it merges
    them, and into a small workspace drops the bookkeeping's indexes once it has given ``BULK``
    records: a bad entry after all that still leaves every table and index as it was."""
    monkeypatch.setattr(bulk_module, "BATCH", 7)
    given = workspace.conn.execute("SELECT COUNT(*) FROM given").fetchone()[0]
    monkeypatch.setattr(workspace_rows, "BULK", given + 1)  # this workspace is small, and the load not
    workspace.close()
    before = snapshot(workspace.folder), _schema(workspace.folder)
    entries = _lines(FIXTURES / "ofac" / "cons_prim.csv")
    bad = '1,"A",-0- ,"NOT-A-PROGRAM",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,"x"'
    lines = [entries[i % len(entries)] for i in range(given // 3)]  # several records each
    prim = tmp_path / "cons_prim.csv"
    prim.write_text("".join(line + "\n" for line in [*lines, bad]), encoding="utf-8")
    dropped: list[Workspace] = []
    drop = Workspace._drop_indexes

    def dropping(self: Workspace, *statements: Sequence[str]) -> None:
        dropped.append(self)
        drop(self, *statements)

    monkeypatch.setattr(Workspace, "_drop_indexes", dropping)
    with pytest.raises(LoadError, match=rf"{prim}:{len(lines) + 1}: Program: unknown program"):
        load_path(workspace, prim, "ofac", "bad")
    workspace.close()
    assert dropped  # the indexes were dropped, part way
    assert (snapshot(workspace.folder), _schema(workspace.folder)) == before


def _restated_fedreg_page(documents: int, bad: dict[str, object]) -> str:
    """The fixture page's documents again and again, then ``bad``, indented as the API saves a page."""
    page = json.loads((FIXTURES / "fedreg" / "eo-search-page.json").read_text(encoding="utf-8"))
    results = page["results"]
    page["results"] = [*(results[i % len(results)] for i in range(documents)), bad]
    return json.dumps(page, indent=2)


def _restated_ofac_xml(entries: int, bad: str) -> str:
    """The fixture XML's first entry again and again, then ``bad``."""
    text = (FIXTURES / "ofac-xml" / "consolidated.xml").read_text(encoding="utf-8")
    head, _, rest = text.partition("  <sdnEntry>")
    entry = "  <sdnEntry>" + rest.partition("</sdnEntry>")[0] + "</sdnEntry>\n"
    return head + entry * entries + bad + "</sdnList>\n"


@pytest.mark.parametrize("fmt", ["fedreg", "ofac"])
def test_a_bad_document_after_many_streamed_ones_leaves_the_workspace_as_it_was(
    workspace: Workspace, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fmt: str
) -> None:
    """A Federal Register page and OFAC's XML are read a document (an entry) at a time, their records
    written a batch at a time: a bad one at the end, after several batches, still leaves every table
    as it was, and the error names the file, the bad one's line and its field."""
    monkeypatch.setattr(bulk_module, "BATCH", 7)
    workspace.close()
    before = snapshot(workspace.folder), _schema(workspace.folder)
    if fmt == "fedreg":
        doc = json.loads((FIXTURES / "fedreg" / "2021-12506.json").read_text(encoding="utf-8"))
        text = _restated_fedreg_page(30, {**doc, "signing_date": "2021-06-31"})
        path, field = tmp_path / "page.json", "results[30].signing_date: bad date"
        at = text.splitlines().index('      "document_number": "2021-12506",') + 1
    else:
        bad = "  <sdnEntry>\n    <uid>x1</uid>\n  </sdnEntry>\n"
        text = _restated_ofac_xml(30, bad)
        path, field = tmp_path / "consolidated.xml", "sdnEntry.uid: 'x1' is not an entry number"
        at = text.splitlines().index("    <uid>x1</uid>")  # the line the entry opens on, counted from 1
    path.write_text(text, encoding="utf-8")
    with pytest.raises(LoadError) as caught:
        load_path(workspace, path, fmt, "bad")
    assert f"{path}:{at}: {field}" in str(caught.value)
    workspace.close()
    assert (snapshot(workspace.folder), _schema(workspace.folder)) == before


def _schema(folder: Path) -> list[tuple[object, ...]]:
    """Every table and index of the workspace, with its SQL."""
    db = sqlite3.connect(folder / DATABASE)
    try:
        return db.execute("SELECT type, name, sql FROM sqlite_master ORDER BY name").fetchall()
    finally:
        db.close()


def test_wrong_encoding_and_huge_line_change_nothing(workspace: Workspace, tmp_path: Path) -> None:
    before = snapshot(workspace.folder)
    latin = tmp_path / "latin.json"
    latin.write_bytes(
        '{"id": "a", "schema": "Company", "properties": {"name": ["Caf\xe9"]}}\n'.encode("latin-1")
    )
    huge = tmp_path / "huge.json"
    huge.write_bytes(
        b'{"id": "a", "schema": "Company", "properties": {"name": ["' + b"A" * (5 << 20) + b'"]}}\n'
    )
    for path, words in ((latin, "not UTF-8"), (huge, "longer than")):
        with pytest.raises(LoadError, match=words):
            load_path(workspace, path, "ftm", "x")
    assert snapshot(workspace.folder) == before


def test_a_dataset_loads_once_and_unknown_ones_do_not_unload(workspace: Workspace) -> None:
    load_path(workspace, FIXTURES / "ftm" / "entities.ftm.json", "ftm", "opensanctions")
    with pytest.raises(LoadError, match="already loaded"):
        load_path(workspace, FIXTURES / "ftm" / "entities.ftm.json", "ftm", "opensanctions")
    with pytest.raises(LoadError, match="no dataset 'nope'"):
        workspace.unload("nope")


def test_cli_load_sources_show_affects_resolve_unload(run: Callable[..., tuple[int, str, str]]) -> None:
    code, out, _ = run(
        "load", str(FIXTURES / "ftm" / "entities.ftm.json"), "--format", "ftm", "--dataset", "os"
    )
    assert code == 0 and "loaded os (ftm): 11 records" in out
    code, out, _ = run("sources", "--json")
    assert code == 0 and [d["name"] for d in json.loads(out)] == ["curated", "os"]
    code, out, _ = run("show", "ORG:smic", "--json")
    assert code == 0 and "os" in json.dumps(json.loads(out))
    code, out, _ = run("affects", "SSE:688981", "--as-of", "2021-09-01", "--json")
    assert code == 0 and "EO:14032" in out
    code, out, _ = run("resolve", "--review", "--json")
    assert code == 0 and all({"score", "a", "b"} <= set(p) for p in json.loads(out)["pairs"])
    pairs = [(p["a"], p["b"]) for p in json.loads(out)["pairs"]]
    assert ("ORG:smic", "ORG:smic-americas") in pairs  # the loaded SMIC beside its curated subsidiaries …
    assert ("ORG:smic", "ORG:smic-holdings") not in pairs  # … less the pair data/resolutions.yaml decides
    code, out, _ = run(
        "resolve",
        "ORG:smic",
        "ORG:smic-holdings",
        "--different",
        "--reason",
        "parent vs holding",
        "--by",
        "t",
    )
    assert code == 0
    code, out, _ = run("resolve", "ORG:smic-americas", "ORG:smic", "--different", "--reason", "subsidiary")
    assert code == 0
    code, out, _ = run("resolve", "--review", "--json")  # a pair decided here is not offered again
    pairs = [(p["a"], p["b"]) for p in json.loads(out)["pairs"]]
    assert code == 0 and ("ORG:smic", "ORG:smic-americas") not in pairs
    code, _, err = run("load", str(FIXTURES / "ofac" / "cons_comments.csv"), "--format", "ofac")
    assert code == 2 and "cons_comments.csv:1" in err
    code, out, _ = run("unload", "os")
    assert code == 0
    code, out, _ = run("sources", "--json")
    assert [d["name"] for d in json.loads(out)] == ["curated"]  # the base stays


def test_sources_lists_the_curated_base_first_then_the_loaded_datasets(
    run: Callable[..., tuple[int, str, str]], store: GraphStore
) -> None:
    """Every dataset the answers draw on: the built-in curated data (where it comes from, what it
    gave the graph), then each dataset loaded."""
    entities = FIXTURES / "ftm" / "entities.ftm.json"
    assert run("load", str(entities), "--format", "ftm", "--dataset", "os")[0] == 0
    code, out, _ = run("sources")
    assert code == 0
    header, base, loaded = out.splitlines()[:3]
    assert header.split()[:2] == ["dataset", "format"]
    assert base.split()[:2] == ["curated", "curated"] and f"built in: {PROJECT_DATA}" in base
    assert loaded.split()[:2] == ["os", "ftm"] and "no sources loaded" not in out
    code, out, _ = run("sources", "--json")
    found = json.loads(out)
    assert [(d["name"], d["format"], d["built_in"]) for d in found] == [
        ("curated", "curated", True),
        ("os", "ftm", False),
    ]
    curated = found[0]
    assert (curated["nodes"], curated["edges"]) == (store.node_count(), store.edge_count())
    assert curated["records"] == curated["nodes"] + curated["edges"] and curated["path"] == str(PROJECT_DATA)


def test_the_workspace_opens_without_reading_any_source(workspace: Workspace, tmp_path: Path) -> None:
    load_path(workspace, FIXTURES / "ftm" / "entities.ftm.json", "ftm", "opensanctions")
    workspace.close()
    # No curated data folder and no source file: the answers come from the database alone.
    reopened = Workspace(workspace.folder, data=tmp_path / "no-such-data")
    store = reopened.store()
    assert isinstance(store, WorkspaceStore)
    assert "EO:14032" in {a.id for a in query.affects(store, "SEC:SSE:688981", date(2021, 9, 1)).orders}
    assert [d.name for d in reopened.datasets()] == ["opensanctions"]


def test_unloading_one_of_two_datasets_keeps_what_the_other_gave(
    workspace: Workspace, template: Path, tmp_path: Path
) -> None:
    load_path(workspace, FIXTURES / "ofac", "ofac", "us-ofac-cons")
    load_path(workspace, FIXTURES / "ftm" / "entities.ftm.json", "ftm", "opensanctions")
    smic = workspace.store().get_node("ORG:smic")
    assert smic is not None and smic.datasets == ["curated", "us-ofac-cons", "opensanctions"]
    workspace.unload("opensanctions")
    smic = workspace.store().get_node("ORG:smic")
    assert smic is not None and smic.datasets == ["curated", "us-ofac-cons"]
    only_ofac = Workspace(tmp_path / "only-ofac")
    shutil.copytree(template, only_ofac.folder)
    load_path(only_ofac, FIXTURES / "ofac", "ofac", "us-ofac-cons")
    assert graph_rows(workspace) == graph_rows(only_ofac)


def _rows(folder: Path, table: str) -> dict[str, tuple[object, ...]]:
    db = sqlite3.connect(folder / DATABASE)
    try:
        return {r[1]: r for r in db.execute(f"SELECT seq, id, doc FROM {table}")}  # noqa: S608
    finally:
        db.close()


def test_a_delta_rewrites_only_the_rows_of_its_entities(workspace: Workspace, tmp_path: Path) -> None:
    entities = [json.loads(line) for line in _lines(FIXTURES / "ftm" / "entities.ftm.json")]
    load_path(workspace, FIXTURES / "ftm" / "entities.ftm.json", "ftm", "os")
    workspace.close()
    before = _rows(workspace.folder, "nodes"), _rows(workspace.folder, "edges")
    records = (
        "SELECT load_seq, rank, idx, origin, is_edge, target, own FROM given ORDER BY load_seq, rank, idx"
    )
    given_before = workspace.conn.execute(records).fetchall()
    workspace.close()
    person = next(e for e in entities if e["schema"] == "Person")
    renamed = dict(person, properties={**person["properties"], "alias": ["Z. Zhou"]})
    delta = tmp_path / "delta.json"
    delta.write_text(json.dumps({"op": "MOD", "entity": renamed}) + "\n", encoding="utf-8")
    load_path(workspace, delta, "ftm-delta", "os")
    workspace.close()
    after = _rows(workspace.folder, "nodes"), _rows(workspace.folder, "edges")
    changed = [i for table in (0, 1) for i in before[table] if before[table][i] != after[table].get(i)]
    assert changed == ["PERSON:" + person["id"]]
    assert set(before[0]) == set(after[0]) and set(before[1]) == set(after[1])
    # Its record is updated where it stands (the same keys: no index of ``given`` written), the
    # others untouched.
    assert workspace.conn.execute(records).fetchall() == given_before
    document = workspace.conn.execute(
        "SELECT doc FROM given WHERE origin = ? AND doc IS NOT NULL", (person["id"],)
    ).fetchall()
    assert document == []  # kept once, in the row


def test_the_cli_reads_the_workspace_store(run: Callable[..., tuple[int, str, str]]) -> None:
    session = Session()
    assert isinstance(session.store, WorkspaceStore)


def test_a_sanction_on_a_vessel_is_skipped_and_counted(
    workspace: Workspace, tmp_path: Path, run: Callable[..., tuple[int, str, str]]
) -> None:
    entities = [
        {"id": "v1", "schema": "Vessel", "properties": {"name": ["YI PENG 3"], "imoNumber": ["IMO9876543"]}},
        {
            "id": "v1-sanction",
            "schema": "Sanction",
            "properties": {"entity": ["v1"], "program": ["RUSSIA-EO14024"], "listingDate": ["2024-02-23"]},
        },
        {"id": "c1", "schema": "Company", "properties": {"name": ["Zyxq Shipping Co"], "country": ["ru"]}},
        {
            "id": "c1-sanction",
            "schema": "Sanction",
            "properties": {"entity": ["c1"], "program": ["RUSSIA-EO14024"], "listingDate": ["2024-02-23"]},
        },
        {"id": "c1-owns-v1", "schema": "Ownership", "properties": {"owner": ["c1"], "asset": ["v1"]}},
    ]
    path = tmp_path / "vessels.json"
    path.write_text("".join(json.dumps(e) + "\n" for e in entities), encoding="utf-8")
    info = load_path(workspace, path, "ftm", "vessels")
    assert (info.skipped, info.skipped_links) == (1, 2)
    listed = list(workspace.store().edges_of("ORG:c1", "out", ["LISTED_ON"]))
    assert [e.target for e in listed] == ["LIST:RUSSIA-EO14024"]
    code, out, _ = run("load", str(path), "--format", "ftm", "--dataset", "vessels2")
    assert code == 0 and "skipped 1 entities" in out and "and 2 links to them" in out


def test_a_node_property_two_datasets_disagree_on_is_disputed_until_one_is_unloaded(
    workspace: Workspace, tmp_path: Path
) -> None:
    def company(website: str) -> dict[str, object]:
        return {
            "id": "NK-zyxq",
            "schema": "Company",
            "properties": {"name": ["Zyxq Holdings Ltd"], "country": ["cn"], "website": [website]},
            "first_seen": "2024-01-01T00:00:00",
        }

    for dataset, website in (("first", "https://zyxq.example.cn"), ("second", "https://zyxq.example.com")):
        path = tmp_path / f"{dataset}.json"
        path.write_text(json.dumps(company(website)) + "\n", encoding="utf-8")
        load_path(workspace, path, "ftm", dataset)
    node = workspace.store().get_node("ORG:NK-zyxq")
    assert node is not None and node.datasets == ["first", "second"]
    assert node.properties["website"] == "https://zyxq.example.cn"
    assert [(d.field, d.value, d.datasets) for d in node.disputed] == [
        ("website", "https://zyxq.example.com", ["second"])
    ]
    assert [s.publisher for d in node.disputed for s in d.sources] == ["OpenSanctions"]
    workspace.unload("second")
    node = workspace.store().get_node("ORG:NK-zyxq")
    assert node is not None and node.disputed == [] and node.datasets == ["first"]


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def _big_ftm(tmp_path: Path) -> Path:
    line = json.dumps({"id": "x", "schema": "Address", "properties": {"full": ["A" * 900]}})
    path = tmp_path / "big.json"
    path.write_text("".join(line.replace('"x"', f'"a{i}"') + "\n" for i in range(1300)), encoding="utf-8")
    assert path.stat().st_size > PROGRESS_MIN_BYTES
    return path


def test_a_long_load_shows_a_progress_bar_on_a_terminal_only(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, run: Callable[..., tuple[int, str, str]]
) -> None:
    path = _big_ftm(tmp_path)
    terminal = _Terminal()
    stderr = sys.stderr
    monkeypatch.setattr(sys, "stderr", terminal)
    session = Session()
    with load_progress(session, path) as advance:
        assert advance is not None
        advance(650)
        advance(1300)
    assert "loading big.json" in terminal.getvalue() and "100%" in terminal.getvalue()
    session.json = True
    with load_progress(session, path) as advance:
        assert advance is None  # --json: machine output, no bar
    monkeypatch.setattr(sys, "stderr", stderr)
    code, _, err = run("load", str(path), "--format", "ftm", "--dataset", "big")
    assert (code, err) == (0, "")  # stderr not a terminal (a pipe, a test): silent


def test_a_new_edition_of_the_curated_data_is_merged_in_on_the_next_open(tmp_path: Path) -> None:
    data = workspace_on_copied_data(tmp_path)
    # Opening again with the same files changes nothing in the database.
    before = snapshot(tmp_path / "ws")
    Workspace(tmp_path / "ws", data=data).store()
    assert snapshot(tmp_path / "ws") == before
    # A new edition of the curated data: the next open answers from it, the loaded dataset kept.
    rename_xiaomi(data)
    told: list[Remerge] = []
    reopened = Workspace(tmp_path / "ws", data=data, remerging=told.append)
    store = reopened.store()
    # The open says what it is doing and why, how far it got, and when it is over.
    [loaded] = reopened.datasets()
    assert told[0].sentence() == (
        "the curated data changed since this workspace was built: "
        f"re-merging 1 loaded dataset ({loaded.records:,} records)…"
    )
    assert loaded.records > 0 and (told[0].rows, told[0].finished) == (0, False)
    assert told[-1].finished and told[-1].done == told[-1].rows > 0
    node = store.get_node("ORG:xiaomi")
    assert node is not None and node.name == "Xiaomi Corp. (new edition)"
    assert [d.name for d in reopened.datasets()] == ["opensanctions"]
    assert "ROLE_IN" in {e.kind for e in query.show(store, "ORG:smic").edges}
    reopened.close()
    # And it is written once: the open after that changes nothing again, and says nothing.
    after = snapshot(tmp_path / "ws")
    told.clear()
    Workspace(tmp_path / "ws", data=data, remerging=told.append).store()
    assert snapshot(tmp_path / "ws") == after and told == []


def test_a_workspace_built_under_other_rules_of_judging_sources_is_merged_again_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The curated loader judges which of a listing's sources name the company (graph.naming); when
    those rules change (JUDGING_RULES: 0876eb4 judged disputed readings' sources too), a workspace built
    under the old ones merges every dataset again on its next open, once, and says why; so does one
    whose digest predates the rules' number."""
    data = workspace_on_copied_data(tmp_path)
    told: list[Remerge] = []
    rules = "the rules that judge which of a listing's sources name the company changed"
    why = f"{rules} since this workspace was built"
    monkeypatch.setattr(naming, "JUDGING_RULES", naming.JUDGING_RULES + 1)
    reopened = Workspace(tmp_path / "ws", data=data, remerging=told.append)
    reopened.store()
    [loaded] = reopened.datasets()
    assert told[0].sentence() == f"{why}: re-merging 1 loaded dataset ({loaded.records:,} records)…"
    assert told[-1].finished
    reopened.close()
    told.clear()
    Workspace(tmp_path / "ws", data=data, remerging=told.append).store()
    assert told == []
    # A digest written before the rules had a number: the data's hash alone.
    db = sqlite3.connect(tmp_path / "ws" / DATABASE)
    with db:
        db.execute(
            "UPDATE meta SET value = substr(value, 1, instr(value, '/') - 1) WHERE key = 'curated_digest'"
        )
    db.close()
    Workspace(tmp_path / "ws", data=data, remerging=told.append).store()
    assert told[0].sentence().startswith(f"{why}: ")


def test_a_streamed_workspace_under_other_judging_rules_opens_keeping_its_judgements(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Rows streamed into the store without load records (bench/) cannot be merged again: when only
    the judging rules changed (the data is the one it was built on), the workspace opens as it is,
    says its listings keep the earlier rules' judgement, and records the rules' number (s40-eyes2: it
    was refused on every open, telling the user to point ORDERGRAPH_DATA at the data it already used)."""
    from loaders.ftm import read_ftm

    data = workspace_on_copied_data(tmp_path)
    folder = tmp_path / "ws"
    workspace = Workspace(folder, data=data)
    items = [r.item for r in read_ftm(FIXTURES / "ftm" / "entities.ftm.json", "bench")]
    assert workspace.store().write_stream(items) == len(items)
    workspace.close()
    before = snapshot(folder)
    monkeypatch.setattr(naming, "JUDGING_RULES", naming.JUDGING_RULES + 1)
    reopened = Workspace(folder, data=data)
    assert reopened.store().get_node("ORG:smic") is not None
    reopened.close()
    note = capsys.readouterr().err
    assert "written without load records" in note and "judged under the earlier rules" in note
    changed = [t for t, b in zip(snapshot(folder), before, strict=True) if t != b]
    assert [name for name, _ in changed] == ["meta"]  # the rules' number, nothing else
    Workspace(folder, data=data).store()
    assert capsys.readouterr().err == ""


def test_the_cli_says_why_an_open_takes_long_when_the_curated_data_changed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = workspace_on_copied_data(tmp_path)
    monkeypatch.setenv("ORDERGRAPH_HOME", str(tmp_path / "ws"))
    monkeypatch.setenv("ORDERGRAPH_DATA", str(data))
    workspace = Workspace(data=data)
    records = workspace.info("opensanctions").records
    workspace.close()

    def show(*args: str) -> tuple[int, str]:
        result = CliRunner().invoke(ordergraph.cli, ["show", "ORG:xiaomi", *args], obj=Session())
        return result.exit_code, result.stderr

    assert show() == (0, "")  # the same edition: nothing to say
    edition = data / "dod_1237.yaml"
    edition.write_text(edition.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    code, err = show()
    lines = err.splitlines()
    assert code == 0 and lines[0] == (
        "note: the curated data changed since this workspace was built: "
        f"re-merging 1 loaded dataset ({records:,} records)…"
    )
    assert lines[1].startswith("note: re-merged ") and lines[1].endswith(" s") and len(lines) == 2
    edition.write_text(edition.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    assert show("--json") == (0, "")  # --json keeps stderr for one error


def test_a_long_re_merge_shows_progress_on_a_terminal_and_tenths_in_a_log(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    start = Remerge("the curated data changed since this workspace was built", 2, 1_000_000)
    events = [start, replace(start, rows=200_000, stage="read")]
    events += [replace(start, rows=200_000, done=d, stage="merging") for d in range(10_000, 200_001, 10_000)]
    events.append(replace(start, rows=200_000, done=200_000, stage="done"))
    for stream in (_Terminal(), io.StringIO()):
        monkeypatch.setattr(sys, "stderr", stream)
        notice = RemergeNotice()
        for event in events:
            notice(event)
        said = stream.getvalue()
        assert said.startswith(
            "note: the curated data changed since this workspace was built: "
            "re-merging 2 loaded datasets (1,000,000 records)…\n"
        )
        assert "note: re-merged 200,000 rows in " in said
        if isinstance(stream, _Terminal):
            assert "re-merging  [" in said and "100%" in said
        else:
            tenths = [line for line in said.splitlines() if line.startswith("note: re-merging: ")]
            assert tenths[0] == "note: re-merging: 20,000 of 200,000 rows" and len(tenths) == 10
    quiet = io.StringIO()
    monkeypatch.setattr(sys, "stderr", quiet)
    for event in events:
        RemergeNotice(quiet=True)(event)
    assert quiet.getvalue() == ""


def test_a_re_merge_with_no_loaded_dataset_says_nothing(tmp_path: Path) -> None:
    # Only the curated data: a new edition is written in, with nothing to re-merge or to tell.
    data = workspace_on_copied_data(tmp_path, loaded=False)
    rename_xiaomi(data)
    told: list[Remerge] = []
    node = Workspace(tmp_path / "ws", data=data, remerging=told.append).store().get_node("ORG:xiaomi")
    assert node is not None and node.name == "Xiaomi Corp. (new edition)" and told == []


def test_a_failed_re_merge_says_so_and_leaves_the_workspace_as_it_was(tmp_path: Path) -> None:
    data = workspace_on_copied_data(tmp_path)
    before = snapshot(tmp_path / "ws")
    edition = data / "dod_1237.yaml"
    edition.write_text(edition.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    told: list[Remerge] = []

    def interrupted(event: Remerge) -> None:
        told.append(event)
        if event.stage == "read":
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        Workspace(tmp_path / "ws", data=data, remerging=interrupted).store()
    assert [e.stage for e in told] == ["begin", "read", "failed"]
    assert snapshot(tmp_path / "ws") == before


def test_an_unload_that_re_merges_says_why(workspace: Workspace, tmp_path: Path) -> None:
    load_path(workspace, ftm_file(tmp_path, "a", QVXR_A), "ftm", "a")
    load_path(workspace, ftm_file(tmp_path, "b", QVXR_B), "ftm", "b")
    told: list[Remerge] = []
    workspace.remerging = told.append
    workspace.unload("a")
    assert (
        told[0]
        .sentence()
        .startswith(
            "a was unloaded and a later dataset had merged into its entities: re-merging 1 loaded dataset ("
        )
    )
    assert told[-1].finished


def test_a_failed_re_merge_ends_the_progress_bar_on_its_line(monkeypatch: pytest.MonkeyPatch) -> None:
    start = Remerge("the curated data changed since this workspace was built", 1, 100_000)
    terminal = _Terminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    notice = RemergeNotice()
    for event in (start, replace(start, rows=100_000, stage="read")):
        notice(event)
    notice(replace(start, rows=100_000, done=50_000, stage="merging"))
    notice(replace(start, rows=100_000, done=50_000, stage="failed"))
    said = terminal.getvalue()
    assert "re-merging  [" in said and said.endswith("\n") and "re-merged" not in said


def _zyxq(tmp_path: Path, dataset: str, website: str) -> Path:
    entity = {
        "id": "NK-zyxq",
        "schema": "Company",
        "properties": {
            "name": ["Zyxq Holdings Ltd"],
            "country": ["cn"],
            "website": [website],
            "sourceUrl": [f"https://{dataset}.example.org/zyxq"],
        },
        "first_seen": "2024-01-01T00:00:00",
    }
    path = tmp_path / f"{dataset}.json"
    path.write_text(json.dumps(entity) + "\n", encoding="utf-8")
    return path


def test_show_gives_every_disputed_value_with_its_dataset_and_source(
    tmp_path: Path, run: Callable[..., tuple[int, str, str]]
) -> None:
    for dataset, website in (("first", "https://zyxq.example.cn"), ("second", "https://zyxq.example.com")):
        code, _, err = run(
            "load", str(_zyxq(tmp_path, dataset, website)), "--format", "ftm", "--dataset", dataset
        )
        assert code == 0, err
    code, out, _ = run("show", "ORG:NK-zyxq", "--json")
    assert code == 0
    view = json.loads(out)
    assert view["datasets"] == ["first", "second"]
    [website] = view["disputed"]
    assert website["field"] == "website"
    assert [
        (v["value"], v["kept"], v["datasets"], [s["url"] for s in v["sources"]]) for v in website["values"]
    ] == [
        ("https://zyxq.example.cn", True, ["first"], ["https://first.example.org/zyxq"]),
        ("https://zyxq.example.com", False, ["second"], ["https://second.example.org/zyxq"]),
    ]
    code, out, _ = run("show", "ORG:NK-zyxq")
    assert code == 0
    line = next(x for x in out.splitlines() if x.startswith("Website"))
    assert line == (
        "Website (datasets disagree): https://zyxq.example.cn (first; https://first.example.org/zyxq)"
        " / https://zyxq.example.com (second; https://second.example.org/zyxq)"
    )
    assert "Country: China (CN)" in out  # undisputed: under its label, a code by its name


def test_show_gives_another_date_a_source_gives_for_an_edge(
    tmp_path: Path, run: Callable[..., tuple[int, str, str]]
) -> None:
    rows = (FIXTURES / "ofac" / "cons_prim.csv").read_text(encoding="utf-8")
    folder = tmp_path / "ofac"
    folder.mkdir()
    (folder / "cons_prim.csv").write_text(
        rows.replace("Listing Date (CMIC) 03 Jun 2021", "Listing Date (CMIC) 04 Jun 2021")
    )
    code, _, err = run("load", str(folder), "--format", "ofac", "--dataset", "ofac-later")
    assert code == 0, err
    code, out, _ = run("show", "ORG:smic")
    assert code == 0
    lines = out.splitlines()
    at = next(
        i
        for i, x in enumerate(lines)
        if x.startswith("  listed on → ") and "[LIST:OFAC-NS-CMIC] from 2021-06-03" in x
    )
    disputed = [x for x in lines[at + 1 : at + 6] if "Start" in x and "2021-06-04" in x]
    assert disputed and "ofac-later" in disputed[0] and "https://" in disputed[0]


def _fresh(template: Path, tmp_path: Path, name: str) -> Workspace:
    folder = tmp_path / name
    shutil.copytree(template, folder)
    return Workspace(folder)


def test_unloading_a_dataset_another_merged_into_leaves_the_graph_as_if_it_was_never_loaded(
    workspace: Workspace, template: Path, tmp_path: Path
) -> None:
    a, b = ftm_file(tmp_path, "a", QVXR_A), ftm_file(tmp_path, "b", QVXR_B)
    load_path(workspace, a, "ftm", "a")
    load_path(workspace, b, "ftm", "b")
    merged = workspace.store().get_node("ORG:NK-qvxr-a")
    assert merged is not None and merged.datasets == ["a", "b"]  # one node, by the LEI
    workspace.unload("a")
    only_b = _fresh(template, tmp_path, "only-b")
    load_path(only_b, b, "ftm", "b")
    assert graph_rows(workspace) == graph_rows(only_b)  # b's company under its own id, its listing on it
    load_path(workspace, a, "ftm", "a")
    load_path(only_b, a, "ftm", "a")
    assert graph_rows(workspace) == graph_rows(only_b)  # a again: as loading b, then a


def test_unloading_a_dataset_an_article_mentions_sets_the_mention_aside_until_it_returns(
    workspace: Workspace, template: Path, tmp_path: Path, run: Callable[..., tuple[int, str, str]]
) -> None:
    a = ftm_file(tmp_path, "a", QVXR_A)
    article = tmp_path / "qvxr.txt"
    article.write_text(
        "Qvxr Robotics and Xiaomi\n\nQvxr Robotics Ltd and Xiaomi made robots.\n", encoding="utf-8"
    )
    url = "https://news.example.org/qvxr"
    load_path(workspace, a, "ftm", "a")
    load_path(workspace, article, "article", "news", url=url)
    mentioned = {e.target for e in workspace.store().edges("MENTIONS") if "news" in e.datasets}
    assert mentioned == {"ORG:NK-qvxr-a", "ORG:xiaomi"}
    before = graph_rows(workspace)
    workspace.unload("a")
    only_news = _fresh(template, tmp_path, "only-news")
    load_path(only_news, article, "article", "news", url=url)
    assert graph_rows(workspace) == graph_rows(only_news)  # the article names only Xiaomi now
    load_path(workspace, a, "ftm", "a")
    assert graph_rows(workspace) == before  # the mention comes back with the company


def test_a_link_brought_back_by_a_later_load_stays_when_every_dataset_is_merged_again(
    workspace: Workspace, tmp_path: Path
) -> None:
    """The article's mention of a's company, set aside by unloading a and brought back by loading a
    again, names a node a dataset loaded after the article gives. Merging every dataset again (here
    after a decision on two other companies) merges them in load order: the article first, its
    mention waiting for a node no dataset has given yet; it comes back once a gives it, as it did
    when a was loaded. (It was set aside, and stayed out until a was loaded once more.)"""
    from loaders.resolve import Judgement

    a = ftm_file(tmp_path, "a", QVXR_A)
    article = tmp_path / "qvxr.txt"
    article.write_text(
        "Qvxr Robotics and Xiaomi\n\nQvxr Robotics Ltd and Xiaomi made robots.\n", encoding="utf-8"
    )
    load_path(workspace, a, "ftm", "a")
    load_path(workspace, article, "article", "news", url="https://news.example.org/qvxr")
    workspace.unload("a")
    load_path(workspace, a, "ftm", "a")
    before = graph_rows(workspace)
    assert any(e.target == "ORG:NK-qvxr-a" for e in workspace.store().edges("MENTIONS"))
    decision = Judgement("ORG:smic", "ORG:smic-holdings", "different", "two firms", "t")
    assert workspace.judge(decision) == []  # nothing newly set aside
    assert workspace.set_aside() == []
    assert graph_rows(workspace) == before


def _load_qvxr_and_an_article_on_it(tmp_path: Path, run: Callable[..., tuple[int, str, str]]) -> None:
    """Dataset ``a`` gives Qvxr Robotics; dataset ``news``, an article, links a mention to it."""
    a = ftm_file(tmp_path, "a", QVXR_A)
    article = tmp_path / "qvxr.txt"
    article.write_text("Qvxr Robotics\n\nQvxr Robotics Ltd made robots.\n", encoding="utf-8")
    assert run("load", str(a), "--format", "ftm", "--dataset", "a")[0] == 0
    url = "https://n.example.org/q"
    assert run("load", str(article), "--format", "article", "--dataset", "news", "--url", url)[0] == 0


def test_the_cli_says_what_an_unload_sets_aside(
    tmp_path: Path, run: Callable[..., tuple[int, str, str]]
) -> None:
    _load_qvxr_and_an_article_on_it(tmp_path, run)
    code, out, err = run("unload", "a")
    assert code == 0, err
    assert "unloaded a" in out and "1 link of news to ORG:NK-qvxr-a set aside" in out
    assert "load a again" in out


def _given(folder: Path, dataset: str) -> dict[str, str | None]:
    """A dataset's records' own documents as stored (None: kept once, in the row it went into)."""
    db = sqlite3.connect(folder / DATABASE)
    try:
        return dict(
            db.execute(
                "SELECT COALESCE(own, target), doc FROM given JOIN loads ON seq = load_seq WHERE name = ?",
                (dataset,),
            ).fetchall()
        )
    finally:
        db.close()


def test_a_record_kept_once_in_its_row_keeps_its_document_when_another_dataset_merges_into_it(
    workspace: Workspace, template: Path, tmp_path: Path
) -> None:
    other: dict[str, object] = {"id": "NK-other", "schema": "Company", "properties": {"name": ["Zyxw Ltd"]}}
    a = ftm_file(tmp_path, "a", [*QVXR_A, other])
    b = ftm_file(tmp_path, "b", QVXR_B)
    load_path(workspace, a, "ftm", "a")
    stored = _given(workspace.folder, "a")
    assert stored == {"ORG:NK-qvxr-a": None, "ORG:NK-other": None}  # the rows hold the documents
    said = {r.item.id: r.item for r in workspace.records("a")}
    load_path(workspace, b, "ftm", "b")  # merges into a's company by its LEI: the row is written again
    stored = _given(workspace.folder, "a")
    assert stored["ORG:NK-other"] is None
    kept = stored["ORG:NK-qvxr-a"]
    assert kept is not None and json.loads(kept) == said["ORG:NK-qvxr-a"].model_dump(mode="json")
    assert {r.item.id: r.item for r in workspace.records("a")} == said
    workspace.unload("b")
    only_a = _fresh(template, tmp_path, "only-a")
    load_path(only_a, a, "ftm", "a")
    assert graph_rows(workspace) == graph_rows(only_a)


# The bookkeeping tables as version 3 wrote them: ``given`` and ``name_blocks`` naming each record's
# row and each name's node by its id only, indexed by those texts.
_V3 = """
    CREATE TABLE given_v3 (
        load_seq INTEGER NOT NULL, rank INTEGER NOT NULL, idx INTEGER NOT NULL, origin TEXT NOT NULL,
        is_edge INTEGER NOT NULL, target TEXT NOT NULL, own TEXT, line INTEGER, doc TEXT,
        PRIMARY KEY (load_seq, rank, idx)
    ) WITHOUT ROWID;
    INSERT INTO given_v3 SELECT load_seq, rank, idx, origin, is_edge, target, own, line, doc FROM given;
    DROP TABLE given;
    ALTER TABLE given_v3 RENAME TO given;
    CREATE INDEX given_target ON given (is_edge, target);
    CREATE INDEX given_origin ON given (load_seq, origin);
    CREATE INDEX given_own ON given (own, load_seq) WHERE own IS NOT NULL;
    CREATE TABLE name_blocks_v3 (
        block TEXT NOT NULL, norm TEXT NOT NULL, node TEXT NOT NULL, country TEXT, kind TEXT NOT NULL,
        dataset TEXT NOT NULL
    );
    INSERT INTO name_blocks_v3 (rowid, block, norm, node, country, kind, dataset)
        SELECT rowid, block, norm, node, country, kind, dataset FROM name_blocks;
    DROP TABLE name_blocks;
    ALTER TABLE name_blocks_v3 RENAME TO name_blocks;
    CREATE INDEX name_blocks_dataset ON name_blocks (block, dataset);
    CREATE INDEX name_blocks_node ON name_blocks (node);
    UPDATE meta SET value = '3' WHERE key = 'bookkeeping';
"""

# The bookkeeping as version 4 wrote it: the origin of every record indexed, not only the edges'.
_V4 = """
    DROP INDEX given_edge_origin;
    CREATE INDEX given_origin ON given (load_seq, origin);
    UPDATE meta SET value = '4' WHERE key = 'bookkeeping';
"""

# ``given`` as versions 1 and 2 wrote it: a rowid table naming each record's dataset and own id,
# with four indexes (version 1 kept every document).
_GIVEN_V2 = """
    CREATE TABLE given_old (
        load_seq INTEGER NOT NULL, rank INTEGER NOT NULL, idx INTEGER NOT NULL, dataset TEXT NOT NULL,
        origin TEXT NOT NULL, is_edge INTEGER NOT NULL, own TEXT NOT NULL, target TEXT NOT NULL,
        line INTEGER, doc TEXT{doc}
    );
    INSERT INTO given_old SELECT g.load_seq, g.rank, g.idx, l.name, g.origin, g.is_edge,
        COALESCE(g.own, g.target), g.target, g.line, {given_doc}
        FROM given AS g JOIN loads AS l ON l.seq = g.load_seq ORDER BY g.load_seq, g.rank, g.idx;
    DROP TABLE given;
    ALTER TABLE given_old RENAME TO given;
    CREATE INDEX given_target ON given (is_edge, target);
    CREATE INDEX given_origin ON given (dataset, origin);
    CREATE INDEX given_own ON given (dataset, own, is_edge);
    CREATE INDEX given_order ON given (load_seq, rank, idx);
"""


def _as_version(folder: Path, version: int) -> None:
    """A workspace's bookkeeping tables put back as ``version`` (1 to 4) wrote them: versions 4 and 3
    (above); version 2's ``given`` (above); version 1 also kept every document in ``given``, no
    dataset in ``name_blocks``."""
    db = sqlite3.connect(folder / DATABASE, isolation_level=None)
    try:
        db.executescript(f"BEGIN; {_V4 if version == 4 else _V3} COMMIT;")
        if version == 1:
            # Every record's document (version 3's table, made above, has no row numbers: by id).
            by_id = (
                "COALESCE(g.doc, CASE g.is_edge "
                "WHEN 0 THEN (SELECT n.doc FROM nodes AS n WHERE n.id = g.target) "
                "ELSE (SELECT e.doc FROM edges AS e WHERE e.id = g.target) END)"
            )
            given = _GIVEN_V2.format(doc=" NOT NULL", given_doc=by_id)
            script = f"""
                {given}
                CREATE TABLE name_blocks_v1 AS SELECT block, norm, node, country, kind FROM name_blocks;
                DROP TABLE name_blocks;
                ALTER TABLE name_blocks_v1 RENAME TO name_blocks;
                CREATE INDEX name_blocks_block ON name_blocks (block);
                DELETE FROM meta WHERE key = 'bookkeeping';
            """  # noqa: S608 - fixed tables
        elif version == 2:
            given = _GIVEN_V2.format(doc="", given_doc="g.doc")
            script = f"{given} UPDATE meta SET value = '2' WHERE key = 'bookkeeping';"  # noqa: S608
        else:
            return
        db.executescript(f"BEGIN; {script} COMMIT;")
    finally:
        db.close()


def _rowless(folder: Path) -> list[str]:
    """The targets of the records whose row is not in the graph (links set aside)."""
    db = sqlite3.connect(folder / DATABASE)
    try:
        return [r[0] for r in db.execute("SELECT target FROM given WHERE row IS NULL")]
    finally:
        db.close()


def test_the_bookkeeping_knows_each_records_row_and_each_names_node_by_row_number(
    workspace: Workspace, template: Path, tmp_path: Path
) -> None:
    """``given.row`` and ``name_blocks.node_seq`` (bookkeeping 4) follow the graph through a load,
    an article, a delta, an unload that sets a link aside (its records keep no row) and a load that
    brings it back (they have one again)."""
    a = ftm_file(tmp_path, "a", QVXR_A)
    article = tmp_path / "qvxr.txt"
    article.write_text("Qvxr Robotics\n\nQvxr Robotics Ltd made robots.\n", encoding="utf-8")
    load_path(workspace, FIXTURES / "ftm" / "entities.ftm.json", "ftm", "os")
    load_path(workspace, a, "ftm", "a")
    load_path(workspace, article, "article", "news", url="https://n.example.org/q")
    workspace.close()
    assert row_numbers_astray(workspace.folder) == [] and _rowless(workspace.folder) == []
    entities = [json.loads(line) for line in _lines(FIXTURES / "ftm" / "entities.ftm.json")]
    modified = dict(entities[3], properties={**entities[3]["properties"], "alias": ["SMIC Beijing Fab"]})
    added = {"id": "NK-qvxr-new", "schema": "Company", "properties": {"name": ["Zyqx Mqzt Robotics"]}}
    delta = tmp_path / "delta.json"
    delta.write_text(
        "".join(
            json.dumps(line) + "\n"
            for line in (
                {"op": "MOD", "entity": modified},
                {"op": "ADD", "entity": added},
                # SMIC's company and the entities linking to it (a delta deleting only the company
                # is refused, as the full file without it is: tests/loaders/test_delta_dangling.py).
                *({"op": "DEL", "entity": {"id": entities[i]["id"]}} for i in (0, 1, 2, 4, 6)),
            )
        ),
        encoding="utf-8",
    )
    load_path(workspace, delta, "ftm-delta", "os")
    workspace.close()
    assert row_numbers_astray(workspace.folder) == []
    workspace.unload("a")  # the article's mention of a's company waits, set aside: it has no row
    workspace.close()
    assert row_numbers_astray(workspace.folder) == []
    assert [t.split("|")[0] for t in _rowless(workspace.folder)] == ["MENTIONS"]
    load_path(workspace, a, "ftm", "a")  # and comes back with it
    workspace.close()
    assert row_numbers_astray(workspace.folder) == [] and _rowless(workspace.folder) == []


@pytest.mark.parametrize("version", [1, 2, 3, 4])
def test_a_workspace_of_an_earlier_bookkeeping_version_is_brought_up_to_date_when_opened(
    workspace: Workspace, template: Path, tmp_path: Path, version: int
) -> None:
    base = _lines(FIXTURES / "ftm" / "entities.ftm.json")
    entities = [json.loads(line) for line in base]
    load_path(workspace, FIXTURES / "ftm" / "entities.ftm.json", "ftm", "os")
    workspace.close()
    before = bookkeeping(workspace.folder)
    records = workspace.records("os")
    workspace.close()
    _as_version(workspace.folder, version)
    db = sqlite3.connect(workspace.folder / DATABASE)
    columns = [column[1] for column in db.execute("PRAGMA table_info(given)")]
    indexes = [r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE tbl_name = 'given'")]
    db.close()
    # The old table (1–3), or (4) every record's origin in an index.
    assert "row" not in columns if version < 4 else "given_origin" in indexes
    old = Workspace(workspace.folder)
    assert old.records("os") == records
    old.close()
    after = bookkeeping(workspace.folder)
    # The same records (own ids kept only when not the row's; version 1's copies of documents stay),
    # each name's dataset read from its node, the tables and indexes of this version.
    assert after == before
    # The fixture's load left a vessel out, which these versions did not keep: a delta is refused
    # (loaders/workspace/skips.py) until the dataset is loaded again; then it applies as to a
    # workspace written by this version.
    modified = dict(entities[3], properties={**entities[3]["properties"], "alias": ["SMIC Beijing Fab"]})
    delta = tmp_path / "delta.json"
    delta.write_text(json.dumps({"op": "MOD", "entity": modified}) + "\n", encoding="utf-8")
    with pytest.raises(LoadError, match="load it again"):
        load_path(old, delta, "ftm-delta", "os")
    old.unload("os")
    load_path(old, FIXTURES / "ftm" / "entities.ftm.json", "ftm", "os")
    load_path(old, delta, "ftm-delta", "os")
    current = _fresh(template, tmp_path, "current")
    load_path(current, FIXTURES / "ftm" / "entities.ftm.json", "ftm", "os")
    load_path(current, delta, "ftm-delta", "os")
    assert graph_rows(Workspace(old.folder)) == graph_rows(current)


def test_an_earlier_workspace_whose_records_cannot_be_converted_is_refused_and_left_as_it_was(
    workspace: Workspace,
) -> None:
    from graph.errors import StoreUnavailable

    load_path(workspace, FIXTURES / "ftm" / "entities.ftm.json", "ftm", "os")
    workspace.close()
    _as_version(workspace.folder, 2)
    db = sqlite3.connect(workspace.folder / DATABASE)
    # Two records at one place in the order (no version wrote this; a damaged file might hold it).
    db.execute("INSERT INTO given SELECT * FROM given WHERE rowid = (SELECT MAX(rowid) FROM given)")
    db.commit()
    db.close()
    before = _table_dump(workspace.folder)
    with pytest.raises(
        StoreUnavailable, match=r"cannot be brought to bookkeeping version 8.*nothing was changed"
    ):
        Workspace(workspace.folder).store()
    assert _table_dump(workspace.folder) == before


def _as_store_schema_2(folder: Path) -> None:
    """The store's own tables put back as schema 2 wrote them (each node's degree in its row)."""
    from tests.graph.test_workspace_degrees import _as_schema_2

    _as_schema_2(folder / DATABASE)


def _meta(folder: Path) -> dict[str, str]:
    db = sqlite3.connect(folder / DATABASE)
    try:
        return dict(db.execute("SELECT key, value FROM meta WHERE key IN ('schema', 'bookkeeping')"))
    finally:
        db.close()


def _degrees(folder: Path) -> list[tuple[object, ...]]:
    """Each node's degree, in whichever place its schema keeps it."""
    db = sqlite3.connect(folder / DATABASE)
    try:
        if "degree" in [column[1] for column in db.execute("PRAGMA table_info(nodes)")]:
            return db.execute("SELECT id, degree FROM nodes WHERE degree != 0 ORDER BY id").fetchall()
        sql = "SELECT n.id, d.n FROM nodes AS n JOIN degrees AS d ON d.seq = n.seq WHERE d.n != 0"
        return db.execute(f"{sql} ORDER BY n.id").fetchall()
    finally:
        db.close()


def _old_workspace(workspace: Workspace) -> None:
    """``workspace`` with a dataset loaded, its file put back as store schema 2 and bookkeeping 2 wrote it."""
    load_path(workspace, FIXTURES / "ftm" / "entities.ftm.json", "ftm", "os")
    workspace.close()
    _as_version(workspace.folder, 2)
    _as_store_schema_2(workspace.folder)
    assert _meta(workspace.folder) == {"schema": "2", "bookkeeping": "2"}


def _digest(folder: Path) -> str:
    assert not (folder / f"{DATABASE}-wal").exists()  # every connection closed: the file is all of it
    return hashlib.sha256((folder / DATABASE).read_bytes()).hexdigest()


def test_an_old_workspace_whose_records_cannot_be_converted_is_refused_with_its_file_untouched(
    workspace: Workspace,
) -> None:
    """Store schema 2 and bookkeeping 2: the store's upgrade and the bookkeeping's are one; when the
    second fails, the first is undone too, and the file is closed, byte for byte as it was."""
    from graph.errors import StoreUnavailable

    _old_workspace(workspace)
    db = sqlite3.connect(workspace.folder / DATABASE)
    # Two records at one place in the order (no version wrote this; a damaged file might hold it).
    db.execute("INSERT INTO given SELECT * FROM given WHERE rowid = (SELECT MAX(rowid) FROM given)")
    db.commit()
    db.close()
    before = _digest(workspace.folder)
    degrees = _degrees(workspace.folder)
    file = str(workspace.folder / DATABASE)
    with pytest.raises(
        StoreUnavailable, match=r"cannot be brought to bookkeeping version 8.*nothing was changed"
    ) as refused:
        Workspace(workspace.folder).store()
    assert file in str(refused.value)
    assert _digest(workspace.folder) == before  # and no connection left open (no -wal file)
    assert _meta(workspace.folder) == {"schema": "2", "bookkeeping": "2"}
    assert _degrees(workspace.folder) == degrees


def test_an_old_workspace_has_its_store_and_its_bookkeeping_brought_up_to_date_together(
    workspace: Workspace,
) -> None:
    load_path(workspace, FIXTURES / "ftm" / "entities.ftm.json", "ftm", "os")
    records = workspace.records("os")
    rows = graph_rows(workspace)
    workspace.close()
    degrees = _degrees(workspace.folder)
    _as_version(workspace.folder, 2)
    _as_store_schema_2(workspace.folder)
    assert _degrees(workspace.folder) == degrees
    old = Workspace(workspace.folder)
    assert old.records("os") == records
    assert graph_rows(old) == rows
    old.close()
    assert _meta(workspace.folder) == {"schema": SCHEMA_VERSION, "bookkeeping": "8"}
    assert _degrees(workspace.folder) == degrees


@pytest.mark.parametrize("version", ["4", "5"])
def test_a_workspace_of_store_schema_4_or_5_says_on_stderr_that_it_indexes_its_names_and_how_long_it_took(
    workspace: Workspace, capsys: pytest.CaptureFixture[str], version: str
) -> None:
    """Bringing schema 4 or 5 to 6 indexes every node's names again (a minute at a million nodes): a
    workspace opened with no face to tell says so on stderr before, and the time after; the
    answers, and the exact names indexed, are those of a workspace that never was at 4 or 5 (a
    file written in that schema's layout: tests/graph/old_layout.py)."""
    load_path(workspace, FIXTURES / "ftm" / "entities.ftm.json", "ftm", "os")
    rows = graph_rows(workspace)
    keys = table_rows(workspace.folder, NAME_KEYS)
    assert keys
    workspace.close()
    as_schema(workspace.folder / DATABASE, version)
    assert table_rows(workspace.folder, NAME_KEYS) == []
    capsys.readouterr()
    old = Workspace(workspace.folder)
    assert graph_rows(old) == rows
    old.close()
    err = capsys.readouterr().err.splitlines()
    file = workspace.folder / DATABASE
    assert err[0] == (
        f"note: {file}: bringing workspace schema {version} to {SCHEMA_VERSION}, once: indexing every node's "
        "names again (about a minute a million nodes)…"
    )
    assert re.fullmatch(
        rf"note: {re.escape(str(file))}: workspace schema {SCHEMA_VERSION}, names indexed in \d+\.\d s",
        err[1],
    )
    assert len(err) == 2
    assert table_rows(workspace.folder, NAME_KEYS) == keys
    assert _meta(workspace.folder)["schema"] == SCHEMA_VERSION
    # Opened again: nothing to say.
    again = Workspace(workspace.folder)
    again.store()
    again.close()
    assert capsys.readouterr().err == ""


def test_two_openers_of_one_old_workspace_at_once_both_open_it_upgraded_once(workspace: Workspace) -> None:
    """The app and the CLI opening one old file together: one upgrades it, the other waits for
    the lock and finds it done (no error from the upgrade it would have repeated)."""
    import threading

    load_path(workspace, FIXTURES / "ftm" / "entities.ftm.json", "ftm", "os")
    records = workspace.records("os")
    workspace.close()
    degrees = _degrees(workspace.folder)
    for _ in range(3):
        _as_version(workspace.folder, 2)
        _as_store_schema_2(workspace.folder)
        # A writer holds the file while both open it: both find it old before either can upgrade it.
        # (The empty ``degrees`` table: as a refused or interrupted opening by an earlier ordergraph
        # left it; opening need not create a table before it reads the versions.)
        holder = sqlite3.connect(workspace.folder / DATABASE, isolation_level=None)
        holder.execute("CREATE TABLE IF NOT EXISTS degrees (seq INTEGER PRIMARY KEY, n INTEGER NOT NULL)")
        holder.execute("BEGIN IMMEDIATE")
        opened: list[list[object]] = [[], []]

        def open_it(i: int, opened: list[list[object]] = opened) -> None:
            try:
                ws = Workspace(workspace.folder)
                opened[i].append(ws.records("os"))
                ws.close()
            except Exception as exc:  # reported by the assertion below
                opened[i].append(exc)

        threads = [threading.Thread(target=open_it, args=(i,)) for i in range(2)]
        for thread in threads:
            thread.start()
        time.sleep(0.5)  # both have read the versions and wait for the lock
        holder.execute("COMMIT")
        holder.close()
        for thread in threads:
            thread.join()
        assert opened == [[records], [records]]
        assert _meta(workspace.folder) == {"schema": SCHEMA_VERSION, "bookkeeping": "8"}
        assert _degrees(workspace.folder) == degrees


def _table_dump(folder: Path) -> list[tuple[object, ...]]:
    db = sqlite3.connect(folder / DATABASE)
    try:
        return list(db.iterdump())  # type: ignore[arg-type]
    finally:
        db.close()


def test_a_workspace_of_an_unknown_bookkeeping_version_is_refused(workspace: Workspace) -> None:
    from graph.errors import StoreUnavailable

    workspace.store()
    workspace.close()
    db = sqlite3.connect(workspace.folder / DATABASE)
    db.execute("UPDATE meta SET value = '9' WHERE key = 'bookkeeping'")
    db.commit()
    db.close()
    with pytest.raises(StoreUnavailable, match="bookkeeping version 9, this ordergraph reads 8") as raised:
        Workspace(workspace.folder).store()
    # Written by a newer ordergraph: upgrading ordergraph opens it, loading again would lose its work.
    assert "upgrade ordergraph" in str(raised.value)
    assert "load its sources again" not in str(raised.value)


def _twins(count: int) -> list[dict[str, object]]:
    """``count`` pairs of companies of one source with alike names: never merged (a source tells its
    own entities apart), each pair a candidate for review."""
    words = ["Qvxr", "Zyqx", "Wvbq", "Jxkz", "Pqzv", "Xqwj", "Vkzq", "Bqxv", "Fzqw", "Hxqz"]
    entities: list[dict[str, object]] = []
    for i in range(count):
        for j, suffix in enumerate(("Robotics Holdings Ltd", "Robotic Holding Limited")):
            name = f"{words[i]} Mqzt {suffix}"
            entities.append(
                {
                    "id": f"NK-twin-{i}-{j}",
                    "schema": "Company",
                    "properties": {"name": [name], "country": ["cn"]},
                }
            )
    return entities


def test_a_review_pages_through_every_pair_at_a_bounded_cost(workspace: Workspace, tmp_path: Path) -> None:
    from loaders.resolve import REVIEW_NAMES, review_page
    from tests.graph.counting import CountingStore

    load_path(workspace, ftm_file(tmp_path, "twins", _twins(7)), "ftm", "twins")
    store = workspace.store()
    judgements = workspace.judgements()

    def page(offset: int, limit: int) -> tuple[Any, dict[str, int]]:
        ids, total = workspace.review_subjects(offset, limit)
        counter = CountingStore(store)
        subjects = list(counter.get_nodes(ids).values())
        found = review_page(cast(GraphStore, counter), judgements, subjects, offset, total)
        return found, dict(counter.calls)

    whole, _ = page(0, 100)
    expected = {(f"ORG:NK-twin-{i}-0", f"ORG:NK-twin-{i}-1") for i in range(7)}
    assert {(a, b) for _, a, b in whole.pairs} == expected and whole.total == 14 and whole.next_offset is None
    seen: list[tuple[str, str]] = []
    offsets, offset = [], 0
    while True:
        found, calls = page(offset, 3)
        assert found.subjects == min(3, 14 - offset) and found.total == 14
        assert calls["get_nodes"] == 1 and calls["name_candidates"] <= 3 * REVIEW_NAMES  # bounded a page
        assert set(calls) <= {"get_nodes", "name_candidates"}
        seen += [(a, b) for _, a, b in found.pairs]
        offsets.append(offset)
        if found.next_offset is None:
            break
        offset = found.next_offset
    assert offsets == [0, 3, 6, 9, 12]
    assert set(seen) == expected  # every pair on some page …
    assert workspace.review_subjects(0, 100)[0] == workspace.review_subjects(0, 100)[0]  # … in a stable order
    pages = [workspace.review_subjects(o, 3)[0] for o in offsets]
    assert [i for p in pages for i in p] == workspace.review_subjects(0, 100)[0]  # pages do not overlap


def test_the_cli_review_says_which_entities_it_compared_and_how_to_see_more(
    tmp_path: Path, run: Callable[..., tuple[int, str, str]]
) -> None:
    assert (
        run("load", str(ftm_file(tmp_path, "twins", _twins(3))), "--format", "ftm", "--dataset", "t")[0] == 0
    )
    code, out, err = run("resolve", "--review", "--limit", "4")
    assert code == 0, err
    assert out.splitlines()[-1].endswith(
        "entities 1–4 of 6 compared; next: ordergraph resolve --review --offset 4 --limit 4"
    )
    code, out, _ = run("resolve", "--review", "--offset", "4", "--limit", "4", "--json")
    data = json.loads(out)
    assert (data["offset"], data["entities"], data["total_entities"], data["next_offset"]) == (4, 2, 6, None)
    code, out, _ = run("resolve", "--review", "--offset", "4", "--limit", "4")
    assert out.splitlines()[-1].endswith("entities 5–6 of 6 compared; the last page")
    code, _, err = run("resolve", "--review", "--offset", "-1")
    assert code == 2 and "--offset" in err


def test_a_judgement_says_which_links_it_set_aside_and_sources_lists_them(
    tmp_path: Path, run: Callable[..., tuple[int, str, str]]
) -> None:
    _load_qvxr_and_an_article_on_it(tmp_path, run)
    code, out, _ = run("sources")
    assert code == 0 and "set-aside" not in out  # nothing waits yet
    # The article's company is judged the same as SMIC: the article mentions a node merged away.
    code, out, err = run("resolve", "ORG:smic", "ORG:NK-qvxr-a", "--same", "--reason", "test", "--by", "t")
    assert code == 0, err
    assert "1 link of news to ORG:NK-qvxr-a set aside" in out
    assert "ordergraph sources --set-aside" in out
    code, out, _ = run("sources")
    assert "1 link waits out of the graph" in out and "ordergraph sources --set-aside" in out
    code, out, _ = run("sources", "--json")
    assert {d["name"]: d["set_aside"] for d in json.loads(out)} == {"curated": 0, "a": 0, "news": 1}
    code, out, _ = run("sources", "--set-aside", "--json")
    aside = json.loads(out)
    assert [(x["dataset"], x["node"]) for x in aside] == [("news", "ORG:NK-qvxr-a")]
    assert aside[0]["edge"].startswith("MENTIONS|")
    code, out, _ = run("sources", "--set-aside")
    assert "news" in out and "waits for ORG:NK-qvxr-a" in out
    # A decision that sets nothing aside says nothing of it.
    code, out, _ = run(
        "resolve", "ORG:smic", "ORG:smic-holdings", "--different", "--reason", "t", "--by", "t"
    )
    assert code == 0 and "set aside" not in out


def test_rows_streamed_without_load_records_are_never_dropped_by_merging_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from loaders.ftm import read_ftm

    data = tmp_path / "data"
    shutil.copytree(Path(__file__).parents[2] / "data", data)
    folder = tmp_path / "ws"
    workspace = Workspace(folder, data=data)
    load_path(workspace, ftm_file(tmp_path, "a", QVXR_A), "ftm", "a")
    # As bench/bench_reads.py builds its homes: a corpus streamed into the store, no load records.
    items = [r.item for r in read_ftm(FIXTURES / "ftm" / "entities.ftm.json", "bench")]
    assert workspace.store().write_stream(items) == len(items)
    workspace.close()
    before = snapshot(folder)
    # A new edition of the curated data: merging every dataset again would lose the streamed rows.
    edition = data / "dod_1237.yaml"
    edition.write_text(
        edition.read_text(encoding="utf-8").replace("name: Xiaomi Corporation\n", "name: Xiaomi Corp.\n"),
        encoding="utf-8",
    )
    with pytest.raises(
        LoadError, match=r"graph\.sqlite: \d+ nodes and \d+ edges here were written without load records"
    ) as err:
        Workspace(folder, data=data).store()
    assert "ORDERGRAPH_DATA" in str(err.value) and "nothing was changed" in str(err.value)
    assert snapshot(folder) == before
    # The CLI says the same, exit status 2.
    monkeypatch.setenv("ORDERGRAPH_HOME", str(folder))
    monkeypatch.setenv("ORDERGRAPH_DATA", str(data))
    result = CliRunner().invoke(ordergraph.cli, ["show", "ORG:smic"], obj=Session())
    assert result.exit_code == 2 and "written without load records" in result.stderr
    assert snapshot(folder) == before
    # A judgement or an unload that merges every dataset again is refused the same way.
    edition.write_text(
        edition.read_text(encoding="utf-8").replace("name: Xiaomi Corp.\n", "name: Xiaomi Corporation\n"),
        encoding="utf-8",
    )
    same = Workspace(folder, data=data)
    from loaders.resolve import Judgement

    with pytest.raises(LoadError, match="written without load records"):
        same.judge(Judgement("ORG:smic", "ORG:NK-qvxr-a", "same", "test", "t"))
    assert not (folder / "resolutions.yaml").exists()
    same.close()
    assert snapshot(folder) == before
    # With the data it was built on, the workspace opens with every streamed row.
    store = Workspace(folder, data=data).store()
    streamed = [item.id for item in items if isinstance(item, Node)]
    assert store.get_node("ORG:NK-qvxr-a") is not None and set(store.get_nodes(streamed)) == set(streamed)


def test_merging_again_after_a_judgement_is_set_based_and_makes_the_record_by_record_workspace(
    workspace: Workspace, template: Path, tmp_path: Path
) -> None:
    """A judgement merges every dataset again through the bulk path (loaders/bulk.py); the workspace
    is the one the record-by-record merge (``Workspace.load``) makes of the same records with the
    judgement already made."""
    import loaders.bulk
    from loaders.resolve import Judgement, judgement_yaml
    from tests.loaders.workspaces import TABLES

    load_path(workspace, FIXTURES / "ofac", "ofac", "us-ofac-cons")
    load_path(workspace, FIXTURES / "ftm" / "entities.ftm.json", "ftm", "os")
    load_path(workspace, ftm_file(tmp_path, "twins", _twins(3)), "ftm", "twins")
    judgements = [
        Judgement("ORG:NK-twin-0-0", "ORG:NK-twin-0-1", "same", "one firm", "t"),
        Judgement(
            "ORG:smic", "ORG:NK-twin-2-1", "same", "a test of a merge into a node with many links", "t"
        ),
    ]
    loaded = [(d.name, d.format, d.path, workspace.records(d.name)) for d in workspace.datasets()]
    batches: list[int] = []
    original = loaders.bulk.BulkLoad._batch

    def counted(self: loaders.bulk.BulkLoad) -> None:
        batches.append(len(self._buffer))
        original(self)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(loaders.bulk.BulkLoad, "_batch", counted)
        for judgement in judgements:
            workspace.judge(judgement)
    assert sum(batches) > 0  # the datasets went through the bulk path
    node = workspace.store().get_node("ORG:NK-twin-0-0")
    assert node is not None and "Qvxr Mqzt Robotic Holding Limited" in node.aliases
    assert workspace.store().get_node("ORG:NK-twin-2-1") is None  # merged into SMIC
    # The same records merged one by one, in the same order, with the judgements made first.
    by_records = _fresh(template, tmp_path, "by-records")
    (by_records.folder / "resolutions.yaml").write_text(
        yaml.safe_dump({"judgements": [judgement_yaml(j) for j in judgements]}), encoding="utf-8"
    )
    for name, fmt, path, records in loaded:
        by_records.load(records, name, fmt, path)
    workspace.close()
    by_records.close()
    for sql in [
        *TABLES[:-1],
        "SELECT name, format, path, seq, records FROM loads",
        "SELECT * FROM set_aside",
    ]:
        assert table_rows(workspace.folder, sql) == table_rows(by_records.folder, sql), sql


def test_an_id_merged_away_can_be_judged_different_from_the_node_it_went_into(
    workspace: Workspace, run: Callable[..., tuple[int, str, str]]
) -> None:
    load_path(workspace, FIXTURES / "ftm" / "entities.ftm.json", "ftm", "os")
    own, target = workspace.conn.execute(
        "SELECT own, target FROM given JOIN loads ON seq = load_seq WHERE name = 'os' AND is_edge = 0 "
        "AND own IS NOT NULL AND target LIKE 'ORG:%' ORDER BY rank, idx LIMIT 1"
    ).fetchone()
    store = workspace.store()
    assert store.get_node(own) is None  # merged into a curated company …
    merged = store.get_node(target)
    assert merged is not None and "os" in merged.datasets
    from loaders.resolve import Judgement

    workspace.judge(Judgement(target, own, "different", "another firm of the same name", "t"))
    now = workspace.conn.execute(
        "SELECT DISTINCT target FROM given WHERE COALESCE(own, target) = ? AND is_edge = 0", (own,)
    )
    moved = [t for (t,) in now]
    assert moved and target not in moved  # … and no longer merged into it once judged different
    assert ("different", target, own) in [(j.decision, j.a, j.b) for j in workspace.judgements()]
    with pytest.raises(LoadError, match="unknown node 'ORG:no-such-id'"):
        workspace.judge(Judgement(target, "ORG:no-such-id", "different", "r", "t"))


@pytest.mark.parametrize("order", ["a first", "b first"])
def test_a_same_judgement_merges_two_entities_of_one_source_whichever_comes_first(
    workspace: Workspace, tmp_path: Path, order: str
) -> None:
    from loaders.resolve import Judgement

    twins = _twins(1)
    load_path(
        workspace, ftm_file(tmp_path, "twins", twins if order == "a first" else twins[::-1]), "ftm", "t"
    )
    # a is the first of the file or the second: either way the two become one node.
    workspace.judge(Judgement("ORG:NK-twin-0-0", "ORG:NK-twin-0-1", "same", "one firm", "t"))
    store = workspace.store()
    found = [
        n for n in (store.get_node("ORG:NK-twin-0-0"), store.get_node("ORG:NK-twin-0-1")) if n is not None
    ]
    assert len(found) == 1
    assert {found[0].name, *found[0].aliases} == {
        "Qvxr Mqzt Robotics Holdings Ltd",
        "Qvxr Mqzt Robotic Holding Limited",
    }


def test_a_judgement_whose_file_cannot_be_written_leaves_the_resolutions_file_as_it_was(
    workspace: Workspace,
) -> None:
    # The kernel refuses the write part-way (a file-size limit, as a full disk would): the
    # resolutions file keeps its old text, no temporary file is left, and nothing was merged.
    import subprocess
    import textwrap

    from loaders.resolve import Judgement, write_judgements

    file = workspace.folder / "resolutions.yaml"
    write_judgements(file, [Judgement("ORG:a", "ORG:b", "different", "two firms", "t", "2026-01-01")])
    before, listing = file.read_bytes(), sorted(p.name for p in workspace.folder.iterdir())
    workspace.close()
    script = f"""
        import resource
        from pathlib import Path
        from loaders.resolve import Judgement
        from loaders.workspace import Workspace
        workspace = Workspace(Path({str(workspace.folder)!r}))
        workspace.store()
        resource.setrlimit(resource.RLIMIT_FSIZE, ({len(before) + 8}, resource.RLIM_INFINITY))
        workspace.judge(Judgement("ORG:xiaomi", "ORG:huawei", "different", "two firms " * 20, "t"))
        """
    done = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(script)],
        cwd=Path(__file__).resolve().parents[2],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode != 0 and "File too large" in done.stderr, done.stderr
    assert file.read_bytes() == before
    assert sorted(p.name for p in workspace.folder.iterdir()) == listing


def test_a_decision_in_a_shared_resolutions_file_is_applied_when_the_other_workspace_opens(
    template: Path, tmp_path: Path
) -> None:
    """Two workspaces link one team's resolutions.yaml (README): a decision workspace A records
    there merges B's graph the next time B opens, as a new edition of the curated data does."""
    from loaders.resolve import Judgement

    shared = tmp_path / "team" / "resolutions.yaml"
    shared.parent.mkdir()
    shared.write_text("judgements: []\n", encoding="utf-8")
    twins = ftm_file(tmp_path, "twins", _twins(1))
    folders = [tmp_path / "a", tmp_path / "b"]
    for folder in folders:
        shutil.copytree(template, folder)
        (folder / "resolutions.yaml").symlink_to(shared)
        opened = Workspace(folder)
        load_path(opened, twins, "ftm", "t")
        opened.close()

    def merged(store: GraphStore) -> int:
        return len(store.get_nodes(["ORG:NK-twin-0-0", "ORG:NK-twin-0-1"]))

    a = Workspace(folders[0])
    a.judge(Judgement("ORG:NK-twin-0-0", "ORG:NK-twin-0-1", "same", "one firm", "t"))
    assert merged(a.store()) == 1
    a.close()
    events: list[Remerge] = []
    b = Workspace(folders[1], remerging=events.append)
    assert merged(b.store()) == 1
    assert events and "resolutions.yaml changed" in events[0].why and events[-1].finished
    b.close()
    # Opened again with the file unchanged: nothing merged again.
    events.clear()
    again = Workspace(folders[1], remerging=events.append)
    assert merged(again.store()) == 1 and events == []
    again.close()


def test_a_workspace_written_before_names_were_folded_to_simplified_is_brought_up_to_date_when_opened(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A workspace an earlier version wrote holds names as written, traditional characters and all
    (store schema 3: the words index; bookkeeping 5: the resolver's ``name_blocks``), and merged
    them so: 中國移動通信集團有限公司 stayed apart from the curated 中国移动通信集团有限公司. Opened,
    both indexes are folded to simplified (graph/hanzi.py) and the datasets merged again: the
    workspace is the one this version loads, search finds names in either script, and a dataset
    naming a company in simplified characters merges into the one named in traditional."""
    from tests.graph.unfolded import unfolded

    hant = ftm_file(tmp_path, "hant", HANT)
    hans = ftm_file(tmp_path, "hans", HANS)
    with unfolded(monkeypatch):
        old = Workspace(tmp_path / "old")
        load_path(old, hant, "ftm", "hant")
        assert old.store().get_node("ORG:NK-hant-a") is not None  # a node of its own
        old.close()
    db = sqlite3.connect(old.folder / DATABASE, isolation_level=None)
    db.execute("UPDATE meta SET value = '3' WHERE key = 'schema'")
    db.execute("UPDATE meta SET value = '5' WHERE key = 'bookkeeping'")
    db.execute("DELETE FROM meta WHERE key = 'names_folding'")  # recorded since bookkeeping 6
    assert db.execute("SELECT 1 FROM name_blocks WHERE norm = '奇維克斯機器人有限公司'").fetchone()
    db.close()
    current = Workspace(tmp_path / "current")
    load_path(current, hant, "ftm", "hant")
    current.close()
    told: list[Remerge] = []
    reopened = Workspace(old.folder, remerging=told.append)
    reopened.store()
    reopened.close()
    assert [e.stage for e in told][-1:] == ["done"] and "traditional characters" in told[0].why
    assert _meta(old.folder) == {"schema": SCHEMA_VERSION, "bookkeeping": "8"}
    assert bookkeeping(old.folder) == bookkeeping(current.folder)
    assert graph_rows(Workspace(old.folder)) == graph_rows(current)
    again: list[Remerge] = []
    Workspace(old.folder, remerging=again.append).store()  # merged again once, not at every opening
    assert again == []
    for workspace in (Workspace(old.folder), current):
        store = workspace.store()
        assert store.get_node("ORG:NK-hant-a") is None  # merged into the curated China Mobile group
        group = "ORG:china-mobile-communications-group"
        assert [h.id for h in query.search(store, "中國移動通信集團")][:1] == [group]
        assert [h.name for h in query.search(store, "奇维克斯")][:1] == ["奇維克斯機器人有限公司"]
        load_path(workspace, hans, "ftm", "hans")  # the same company, in simplified characters
        node = workspace.store().get_node("ORG:NK-hant-b")
        assert node is not None and node.name == "奇維克斯機器人有限公司"  # as the first source gave it
        assert {p.dataset for p in node.provenance} == {"hant", "hans"}
        workspace.close()
    assert graph_rows(Workspace(old.folder)) == graph_rows(current)


def test_an_old_workspace_indexed_under_other_rules_indexes_its_names_once_and_tells_the_time_once_committed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A workspace of store schema 4 and bookkeeping 5 (names not yet folded to simplified) whose
    names were normalised by other rules: opened, its names are indexed once (not by the schema
    upgrade, the folding and the rules each), said in one sentence before and the time after the
    upgrade is committed; the re-merge's reason does not claim which rule changed."""
    import graph.store.workspace as store_workspace
    from graph.store.workspace import connection
    from loaders.workspace import upgrade

    workspace = Workspace(tmp_path / "ws")
    load_path(workspace, ftm_file(tmp_path, "x", [cn_company("NK-a", "奇維克斯機器人有限公司")]), "ftm", "t")
    rows = graph_rows(workspace)
    workspace.close()
    file = workspace.folder / DATABASE
    db = sqlite3.connect(file, isolation_level=None)
    db.execute("UPDATE meta SET value = '4' WHERE key = 'schema'")
    db.execute("UPDATE meta SET value = '5' WHERE key = 'bookkeeping'")
    db.execute("UPDATE meta SET value = 'old' WHERE key = 'names_folding'")
    db.close()
    calls: list[str] = []
    reindex, simplified = store_workspace.reindex_names, upgrade._names_simplified

    Step = Callable[[sqlite3.Connection], None]

    def counted(what: str, step: Step) -> Step:
        def run(conn: sqlite3.Connection) -> None:
            calls.append(what)
            step(conn)

        return run

    monkeypatch.setattr(store_workspace, "reindex_names", counted("index", reindex))
    monkeypatch.setattr(connection, "reindex_names", counted("index", reindex))
    monkeypatch.setattr(upgrade, "_names_simplified", counted("fold", simplified))
    said: list[tuple[str, dict[str, str]]] = []
    told: list[Remerge] = []
    opened = Workspace(
        workspace.folder, waiting=lambda s: said.append((s, _meta(workspace.folder))), remerging=told.append
    )
    opened.store()
    assert calls == ["index"]
    assert len(said) == 2, said
    assert said[0][0] == (
        f"{file}: bringing workspace schema 4 to {SCHEMA_VERSION}, once: indexing every node's "
        "names again (about a minute a million nodes)…"
    )
    assert re.fullmatch(
        rf"{re.escape(str(file))}: workspace schema {SCHEMA_VERSION}, names indexed in \d+\.\d s", said[1][0]
    )
    assert said[1][1] == {"schema": SCHEMA_VERSION, "bookkeeping": "8"}  # told once committed
    assert told and "legal forms are set aside" in told[0].why and "traditional" in told[0].why
    assert graph_rows(opened) == rows
    opened.close()


def test_a_workspace_indexed_before_chinese_legal_forms_were_set_aside_is_indexed_and_merged_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A workspace written before 有限公司 was set aside as "Co., Ltd." is (graph.names: its name
    index holds 杭州海康威视数字技术有限公司 whole, which the curated Hikvision's 杭州海康威视数字技术
    股份有限公司 never met, so it stayed a company of its own) records the rules it was indexed by:
    opened, it says on stderr that it indexes every name again and how long that took, merges every
    dataset again once, and is then the workspace a fresh load makes — the record merged into
    Hikvision, search answering the same."""
    from graph import hanzi, names
    from graph.store import words
    from loaders import resolve

    def forget() -> None:
        names.normalise_name.cache_clear()
        words._exact_key.cache_clear()
        resolve._normalised.cache_clear()

    forms = ftm_file(
        tmp_path,
        "forms",
        [
            cn_company("NK-forms-a", "杭州海康威视数字技术有限公司"),
            cn_company("NK-forms-b", "奇维克斯机器人股份有限公司"),
        ],
    )
    forget()
    with monkeypatch.context() as patch:
        patch.setattr(names, "_CJK_LEGAL_FORMS", ())  # the rules before
        old = Workspace(tmp_path / "old")
        load_path(old, forms, "ftm", "forms")
        assert old.store().get_node("ORG:NK-forms-a") is not None  # a company of its own
        old.close()
    forget()
    db = sqlite3.connect(old.folder / DATABASE, isolation_level=None)
    # What that version recorded: the OpenCC tables alone.
    db.execute("UPDATE meta SET value = ? WHERE key = 'names_folding'", (hanzi.table_version(),))
    db.close()
    current = Workspace(tmp_path / "current")
    load_path(current, forms, "ftm", "forms")
    current.close()
    said: list[str] = []
    told: list[Remerge] = []
    reopened = Workspace(old.folder, remerging=told.append, waiting=said.append)
    reopened.store()
    reopened.close()
    assert len(said) == 2 and "indexing every node's names again" in said[0], said
    assert re.search(r"names indexed again in \d+\.\d s$", said[1]), said
    assert [e.stage for e in told][-1:] == ["done"] and "legal forms" in told[0].why
    assert bookkeeping(old.folder) == bookkeeping(current.folder)
    assert graph_rows(Workspace(old.folder)) == graph_rows(current)
    again: list[Remerge] = []
    said.clear()
    Workspace(old.folder, remerging=again.append, waiting=said.append).store()  # once, not at every opening
    assert again == [] and said == []
    for workspace in (Workspace(old.folder), current):
        store = workspace.store()
        assert store.get_node("ORG:NK-forms-a") is None  # merged into the curated Hikvision
        for text in ("杭州海康威视数字技术有限公司", "杭州海康威视数字技术", "海康威视"):
            assert [h.id for h in query.search(store, text)][:1] == ["ORG:hikvision"], text
        hits = query.search(store, "奇维克斯机器人")
        assert hits[0].name == "奇维克斯机器人股份有限公司" and hits[0].exact
        workspace.close()


def test_two_openers_of_a_workspace_due_to_be_merged_again_merge_it_once_and_wait_for_each_other(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The app and the CLI opening one workspace that the upgrade to folded names (bookkeeping
    5 → 6) left due to be merged again: one merges every dataset again, the other waits for it as
    for the upgrade (not only the usual few seconds: a large workspace merges for longer), then
    finds the merge done and does not repeat it."""
    import threading

    import graph.store.workspace.connection as store_module

    folder = due_to_merge_again(tmp_path, monkeypatch)
    hant = ftm_file(tmp_path, "hant", HANT)
    current = Workspace(tmp_path / "current")
    load_path(current, hant, "ftm", "hant")
    current.close()
    # The usual wait made shorter than the hold below: the merge must wait longer than it.
    monkeypatch.setattr(store_module, "BUSY_WAIT", 200)
    holder = sqlite3.connect(folder / DATABASE, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    told: list[Remerge] = []
    failed: list[BaseException] = []

    def open_it() -> None:
        try:
            Workspace(folder, remerging=told.append).store()
        except Exception as exc:  # reported by the assertion below
            failed.append(exc)

    threads = [threading.Thread(target=open_it) for _ in range(2)]
    for thread in threads:
        thread.start()
    time.sleep(1.0)  # both have found the merge due and wait for the lock
    holder.execute("COMMIT")
    holder.close()
    for thread in threads:
        thread.join()
    assert failed == []
    assert [e.stage for e in told].count("done") == 1
    assert _meta(folder) == {"schema": SCHEMA_VERSION, "bookkeeping": "8"}
    assert bookkeeping(folder) == bookkeeping(current.folder)
    assert graph_rows(Workspace(folder)) == graph_rows(current)


def test_a_re_merge_kept_waiting_too_long_by_another_process_says_what_to_do(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Another ordergraph process holding the workspace longer than the re-merge waits (600 s; here
    0.2 s) gives StoreUnavailable saying so and what to do, not sqlite3's "database is locked";
    the workspace is left as it was, still due to be merged again."""
    import graph.store.workspace.connection as store_module
    from graph.errors import StoreUnavailable

    folder = due_to_merge_again(tmp_path, monkeypatch)
    before = snapshot(folder)
    monkeypatch.setattr(store_module, "UPGRADE_WAIT", 200)
    holder = sqlite3.connect(folder / DATABASE, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    try:
        with pytest.raises(StoreUnavailable) as raised:
            Workspace(folder).store()
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    message = str(raised.value)
    assert str(folder / DATABASE) in message and "another ordergraph process" in message
    assert "run the command again" in message
    assert snapshot(folder) == before


def test_a_new_edition_of_the_curated_data_is_merged_in_holding_the_workspace_lock(tmp_path: Path) -> None:
    """The re-merge onto a new edition of the curated data takes the lock a decision takes (the
    workspace's resolutions.yaml folder): while another process holds it, the open waits (told so)
    and writes nothing until it has it."""
    from loaders.files import locked

    data = workspace_on_copied_data(tmp_path)
    rename_xiaomi(data)
    before = snapshot(tmp_path / "ws")

    class Waited(Exception):
        pass

    def waiting(sentence: str) -> None:
        raise Waited(sentence)

    with locked(tmp_path / "ws" / "resolutions.yaml"), pytest.raises(Waited):
        Workspace(tmp_path / "ws", data=data, waiting=waiting).store()
    assert snapshot(tmp_path / "ws") == before
    # Free, the open merges the new edition in.
    node = Workspace(tmp_path / "ws", data=data).store().get_node("ORG:xiaomi")
    assert node is not None and node.name == "Xiaomi Corp. (new edition)"


def test_two_openers_of_a_workspace_over_a_new_edition_merge_it_in_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two openers (the app and the CLI) both find a new edition of the curated data. One merges it
    in holding the workspace lock; the other, which found the edition new before it waited for the
    lock, is told what the first does (merging every dataset again, and why; not that it records a
    decision), looks at the workspace again once it holds it, finds the edition merged in, and does
    not merge it again (a re-merge of a large workspace takes minutes)."""
    import threading

    data = workspace_on_copied_data(tmp_path)
    rename_xiaomi(data)
    real_rebuild = Workspace._rebuild
    merges: list[str] = []
    merging, second_waits = threading.Event(), threading.Event()

    def rebuild(
        self: Workspace, why: str, base: list[Record] | None = None, digest: str | None = None
    ) -> None:
        merges.append(why)
        merging.set()
        # Holding the lock, the first waits until the second has found the edition new and waits too.
        assert second_waits.wait(60)
        real_rebuild(self, why, base=base, digest=digest)

    monkeypatch.setattr(Workspace, "_rebuild", rebuild)
    failed: list[BaseException] = []
    told: list[str] = []

    def open_it(waiting: Callable[[str], None] | None = None) -> None:
        try:
            Workspace(tmp_path / "ws", data=data, waiting=waiting).store()
        except BaseException as exc:  # reported by the assertion below
            failed.append(exc)

    def waiting(sentence: str) -> None:
        told.append(sentence)
        second_waits.set()

    first = threading.Thread(target=open_it)
    first.start()
    assert merging.wait(60)
    second = threading.Thread(target=open_it, args=(waiting,))
    second.start()
    first.join(120)
    second.join(120)
    assert failed == []
    folder, why = tmp_path / "ws", "the curated data changed since this workspace was built"
    assert told == [
        waiting_sentence(folder / RESOLUTIONS, f"merging every dataset of {folder} again ({why})")
    ]
    assert "recording a decision" not in told[0]
    assert merges == [why]
    node = Workspace(tmp_path / "ws", data=data).store().get_node("ORG:xiaomi")
    assert node is not None and node.name == "Xiaomi Corp. (new edition)"


def test_a_workspace_merged_again_keeps_its_planner_statistics(tmp_path: Path) -> None:
    """Merging every dataset again rebuilds the indexes (dropping an index drops its statistics):
    SQLite then planned a 1M workspace's lookups on defaults. They are gathered again."""
    workspace = Workspace(tmp_path / "ws")
    load_path(workspace, ftm_file(tmp_path, "hant", HANT), "ftm", "hant")
    stats = "SELECT idx FROM sqlite_stat1 WHERE idx IS NOT NULL"
    before = {r[0] for r in workspace.conn.execute(stats)}
    assert {"nodes_kind", "edges_kind", "given_row"} <= before
    workspace._rebuild(why="a test")
    assert before <= {r[0] for r in workspace.conn.execute(stats)}
