"""The bulk path of a load (loaders/bulk.py) makes the workspace the record-by-record merge makes.

``load_path(..., "ftm")`` writes rows new to the graph as they come and merges only the
others; ``Workspace.load`` merges every record as a model. Both are run on the same files
into copies of one workspace, and every table is compared.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

import loaders.bulk as bulk_module
import loaders.worker as worker_module
import loaders.workspace.rows as workspace_rows
from bench.gen_corpus import write_corpus
from graph.errors import LoadError
from loaders.ftm import FtmReader, parse_ftm_reader
from loaders.records import open_lines
from loaders.workspace import LOAD_CACHE_KIB, ROWS_CACHE_KIB, Workspace, load_path
from loaders.workspace.tables import _doc
from tests.loaders.workspaces import NAME_KEYS, TABLE_NAMES, TABLES, ftm_line, table_rows, word_index

FIXTURES = Path(__file__).parents[1] / "fixtures"


# A company carrying codes no node carries: like any other (an ISIN never merges it into an issuer).
CODED = ftm_line("c-coded", "Company", name=["Omikron"], isinCode=["CNE1000ZZZZ9"], ticker=["688998.SS"])
# Rows that meet each other or the curated graph in every way the bulk path must hand to the merger.
MEETINGS = [
    ftm_line("a-1", "Company", name=["Alpha Widgets Ltd"], leiCode=["529900T8BM49AURSDO55"], country=["de"]),
    ftm_line("a-2", "Company", name=["Alpha Widgets GmbH"], leiCode=["529900T8BM49AURSDO55"]),  # its LEI
    ftm_line("a-3", "Company", name=["Beta Tools"], country=["de"]),
    ftm_line("a-3", "Company", name=["Beta Tools AG"], alias=["BT"]),  # the same id again
    ftm_line("own-1", "Ownership", owner=["a-1"], asset=["a-3"]),
    ftm_line("own-2", "Ownership", owner=["a-2"], asset=["a-3"]),  # the same fact through a merged end
    ftm_line("s-1", "Sanction", entity=["a-1"], program=["TEST-PROG"], listingDate=["2022-01-01"]),
    ftm_line("s-2", "Sanction", entity=["a-3"], program=["TEST-PROG"], listingDate=["2022-01-01"]),
    ftm_line("s-3", "Sanction", entity=["a-3"], program=["TEST-PROG"], listingDate=["2022-01-01"]),  # again
    ftm_line("x-1", "Company", name=["Xiaomi Corporation"], country=["cn"]),  # a curated name
    ftm_line("x-s", "Sanction", entity=["x-1"], program=["TEST-PROG"], listingDate=["2022-02-01"]),
    ftm_line("sec-1", "Security", name=["Xiaomi B shares"], ticker=["1810.HK"], issuer=["a-1"]),
    ftm_line("c-isin", "Company", name=["Gamma Holdings"], isinCode=["KYG9830T1067"]),  # an issuer's ISIN
    CODED,
    ftm_line("v-1", "Vessel", name=["Ship"]),
    ftm_line("s-v", "Sanction", entity=["v-1"], program=["TEST-PROG"]),
    ftm_line("d-1", "Directorship", director=["p-1"], organization=["a-3"], role=["director"]),
    ftm_line("p-1", "Person", name=["Wang Wei"]),  # after the edge that names it
]


def _workspaces(template: Path, tmp_path: Path) -> tuple[Workspace, Workspace]:
    pair = []
    for name in ("bulk", "records"):
        shutil.copytree(template, tmp_path / name)
        pair.append(Workspace(tmp_path / name))
    return pair[0], pair[1]


def _load_both(bulk: Workspace, records: Workspace, path: Path, dataset: str) -> None:
    load_path(bulk, path, "ftm", dataset)
    reader = FtmReader(dataset, str(path))
    skipped = lambda: (reader.skipped, reader.skipped_links)  # noqa: E731
    records.load(parse_ftm_reader(reader, open_lines(path)), dataset, "ftm", str(path), None, skipped)


def _assert_same(bulk: Workspace, records: Workspace) -> None:
    bulk.close()
    records.close()
    for sql in TABLES:
        assert table_rows(bulk.folder, sql) == table_rows(records.folder, sql), sql
    names = "SELECT rowid, words FROM names"  # the FTS index, by node id
    assert table_rows(bulk.folder, "SELECT id, doc FROM nodes")  # not empty
    assert len(table_rows(bulk.folder, names)) == len(table_rows(records.folder, names))


def test_the_fixture_loads_alike_by_both_paths(template: Path, tmp_path: Path) -> None:
    bulk, records = _workspaces(template, tmp_path)
    _load_both(bulk, records, FIXTURES / "ftm" / "entities.ftm.json", "os")
    _assert_same(bulk, records)


def test_after_another_source_both_paths_merge_alike(template: Path, tmp_path: Path) -> None:
    bulk, records = _workspaces(template, tmp_path)
    for workspace in (bulk, records):
        load_path(workspace, FIXTURES / "ofac", "ofac", "us-ofac-cons")
    _load_both(bulk, records, FIXTURES / "ftm" / "entities.ftm.json", "os")
    _assert_same(bulk, records)


@pytest.fixture(params=["read here", "read in a worker"])
def reading(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """The bulk load reading its file itself, or a worker process reading it (loaders/worker.py)."""
    monkeypatch.setattr(worker_module, "WORKER_BYTES", 0 if request.param == "read in a worker" else 2**62)
    return str(request.param)


@pytest.mark.parametrize("into", ["a small workspace", "a large workspace"])
def test_rows_that_meet_each_other_and_the_graph_merge_alike(
    template: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, into: str, reading: str
) -> None:
    if into == "a large workspace":
        # Into a workspace past BULK records: the indexes stay, names are read from the table.
        monkeypatch.setattr(workspace_rows, "BULK", 0)
    corpus, _ = write_corpus(1500, tmp_path / "corpus")
    path = tmp_path / "meetings.json"
    path.write_text(corpus.read_text(encoding="utf-8") + "\n".join(MEETINGS) + "\n", encoding="utf-8")
    bulk, records = _workspaces(template, tmp_path)
    _load_both(bulk, records, path, "os")
    store = bulk.store()
    alpha = store.get_node("ORG:a-1")
    assert alpha is not None and "Alpha Widgets GmbH" in alpha.aliases  # merged by its LEI
    assert store.get_node("ORG:a-2") is None
    xiaomi = store.get_node("ORG:xiaomi")
    assert xiaomi is not None and "os" in xiaomi.datasets  # merged by name into the curated node
    _assert_same(bulk, records)


def test_a_company_naming_an_isin_or_ticker_no_node_carries_is_written_as_it_comes(
    template: Path, tmp_path: Path
) -> None:
    """Since an ISIN or ticker merges a company only with another company carrying it (session 39),
    such a company needs no merger: written as its row, its record keeps no copy of its document,
    as any new company's."""
    path = tmp_path / "coded.json"
    path.write_text(CODED + "\n" + MEETINGS[2] + "\n", encoding="utf-8")
    bulk, _ = _workspaces(template, tmp_path)
    load_path(bulk, path, "ftm", "os")
    bulk.close()
    kept = "SELECT origin, doc IS NULL FROM given WHERE load_seq > 0"
    assert sorted(table_rows(bulk.folder, kept)) == [("a-3", 1), ("c-coded", 1)]


@pytest.mark.parametrize("into", ["a small workspace", "a large workspace"])
def test_where_the_batches_end_changes_nothing(
    template: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, into: str
) -> None:
    """Rows are looked up, merged and written a fixed-size batch at a time (``loaders.bulk.BATCH``),
    the record-by-record path's records too: batches of three, ending between rows that meet each
    other, and every row stated twice, make the workspace one merge of every record makes."""
    monkeypatch.setattr(bulk_module, "BATCH", 3)
    if into == "a large workspace":
        monkeypatch.setattr(workspace_rows, "BULK", 0)
    path = tmp_path / "meetings.json"
    path.write_text("\n".join([*MEETINGS, *MEETINGS]) + "\n", encoding="utf-8")
    bulk, records = _workspaces(template, tmp_path)
    _load_both(bulk, records, path, "os")
    _assert_same(bulk, records)


def test_a_bad_line_after_many_good_ones_leaves_the_workspace_as_it_was(
    template: Path, tmp_path: Path, reading: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(bulk_module, "BATCH", 100)  # the good lines written in many batches first
    corpus, _ = write_corpus(1500, tmp_path / "corpus")
    path = tmp_path / "bad.json"
    lines = corpus.read_text(encoding="utf-8").splitlines()
    bad = ftm_line("late", "Company", name=["Late Ltd"]).replace('"2022-01-02"', '"2022-13-40"')
    path.write_text("\n".join([*lines, bad]) + "\n", encoding="utf-8")
    shutil.copytree(template, tmp_path / "ws")
    workspace = Workspace(tmp_path / "ws")
    every = ["SELECT type, name, sql FROM sqlite_master", *(f"SELECT * FROM {t}" for t in TABLE_NAMES)]  # noqa: S608
    before = [table_rows(workspace.folder, sql) for sql in every]
    with pytest.raises(LoadError, match=f":{len(lines) + 1}: entity.first_seen"):
        load_path(workspace, path, "ftm", "os")
    workspace.close()
    assert [table_rows(workspace.folder, sql) for sql in every] == before  # the indexes dropped for it too
    assert Workspace(tmp_path / "ws").datasets() == []


def test_a_generated_delta_gives_the_graph_of_the_final_file(template: Path, tmp_path: Path) -> None:
    generated, generated_delta = write_corpus(1500, tmp_path / "corpus")
    # Two entities of the source with one name stay two; a change to one of them must not
    # merge it into the other by name (the delta's own nodes are not the graph before it).
    twins = [
        ftm_line("twin-1", "Company", name=["Twin Holdings"], country=["cn"]),
        ftm_line("twin-2", "Company", name=["Twin Holdings"], country=["cn"]),
        ftm_line("twin-sec", "Security", name=["Twin shares"], ticker=["600123.SS"], issuer=["twin-2"]),
    ]
    changed = json.loads(twins[1])
    changed["properties"]["alias"] = ["Twin Holdings (formerly)"]
    # Words only one entity carries, gone with it: renamed, deleted (the vocabulary keeps no word
    # nobody carries, as a load of the final file has none).
    lone = [
        ftm_line("lone-1", "Company", name=["Quokkazyx Plumbery Ltd"]),
        ftm_line("lone-2", "Person", name=["Wombatqix Fennelby"]),
    ]
    renamed = json.loads(lone[0])
    renamed["properties"]["name"] = ["Renamed Works Ltd"]
    corpus, delta = tmp_path / "corpus.json", tmp_path / "delta.json"
    extra = "\n".join([*twins, *lone]) + "\n"
    corpus.write_text(generated.read_text(encoding="utf-8") + extra, encoding="utf-8")
    changes = [
        {"op": "MOD", "entity": changed},
        {"op": "MOD", "entity": renamed},
        {"op": "DEL", "entity": {"id": "lone-2"}},
    ]
    modified = "\n".join(json.dumps(change) for change in changes)
    delta.write_text(generated_delta.read_text(encoding="utf-8") + modified + "\n", encoding="utf-8")
    entities = [json.loads(line) for line in corpus.read_text(encoding="utf-8").splitlines()]
    final = {e["id"]: e for e in entities}
    for line in delta.read_text(encoding="utf-8").splitlines():
        op = json.loads(line)
        if op["op"] == "DEL":
            del final[op["entity"]["id"]]
        else:
            final[op["entity"]["id"]] = op["entity"]  # a MOD in place, an ADD at the end
    final_path = tmp_path / "final.json"
    final_path.write_text("\n".join(json.dumps(e) for e in final.values()) + "\n", encoding="utf-8")
    applied, fresh = _workspaces(template, tmp_path)
    load_path(applied, corpus, "ftm", "os")
    load_path(applied, delta, "ftm-delta", "os")
    load_path(fresh, final_path, "ftm", "os")
    applied.close()
    fresh.close()
    loads = "SELECT name, records, skipped, skipped_links, first_seen, last_seen FROM loads"
    # The graph's rows and every index beside them (identifiers, datasets, the vocabulary, the
    # resolver's name blocks, the word index), not only the rows: a delta rewrites an index
    # entry only when it changed; and what each record gave, its document kept once where it is
    # its row's. (``given``'s order and lines differ: a change ranks where its entity stood.)
    records = f"SELECT load_seq, origin, is_edge, own, target, {_doc()} FROM given"  # noqa: S608
    for sql in [*TABLES[:5], TABLES[6], NAME_KEYS, records, loads]:
        assert table_rows(applied.folder, sql) == table_rows(fresh.folder, sql), sql
    assert word_index(applied.folder) == word_index(fresh.folder)
    # Every record the delta gave (documents kept once included) is found again by an unload.
    Workspace(applied.folder).unload("os")
    for sql in [*TABLES[:5], TABLES[6], NAME_KEYS]:  # the vocabulary with it: no word left at 0
        assert table_rows(applied.folder, sql) == table_rows(template, sql), sql


def test_the_bulk_path_writes_its_rows_with_its_own_page_cache(
    template: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, reading: str
) -> None:
    """An FtM load's rows go into b-trees keyed at random: the load runs with ``ROWS_CACHE_KIB`` of
    page cache (not the 8 MiB of other record writes), and the workspace has its own after."""
    seen: list[int] = []
    add_all = bulk_module.BulkLoad.add_all

    def noting(self: bulk_module.BulkLoad, *args: object, **kwargs: object) -> None:
        seen.append(self.conn.execute("PRAGMA cache_size").fetchone()[0])
        add_all(self, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(bulk_module.BulkLoad, "add_all", noting)
    bulk, _ = _workspaces(template, tmp_path)
    before = bulk.conn.execute("PRAGMA cache_size").fetchone()[0]
    load_path(bulk, FIXTURES / "ftm" / "entities.ftm.json", "ftm", "os")
    assert seen == [-ROWS_CACHE_KIB]
    assert ROWS_CACHE_KIB != LOAD_CACHE_KIB
    assert bulk.conn.execute("PRAGMA cache_size").fetchone()[0] == before
