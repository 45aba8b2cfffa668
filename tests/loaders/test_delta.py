"""The plain-row path of a delta (loaders/delta.py) makes the workspace the record-by-record merge makes.

A delta's entities that meet nothing else are written as their documents; the rest are merged
as models. Each delta here is applied twice, into copies of one workspace: as it is, and with
every row sent to the merger (what every delta did before the plain path), and every table is
compared; then unloaded back to the curated base. (That a delta gives the graph a load of the
final file gives: tests/loaders/test_bulk.py and test_workspace.py, through the plain path.)
"""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

import pytest

from bench.gen_corpus import write_corpus
from graph.errors import LoadError
from loaders.delta import DeltaRows
from loaders.workspace import DATABASE, Workspace, load_path
from loaders.workspace.tables import _doc
from tests.loaders.workspaces import (
    BASE,
    CHANGES,
    TABLE_NAMES,
    TABLES,
    delta_line,
    ftm_line,
    row_numbers_astray,
    table_rows,
    word_index,
    write_lines,
)

FIXTURES = Path(__file__).parents[1] / "fixtures"


def _copies(template: Path, tmp_path: Path, *names: str) -> list[Workspace]:
    out = []
    for name in names:
        shutil.copytree(template, tmp_path / name)
        out.append(Workspace(tmp_path / name))
    return out


def _apply_both(
    template: Path, tmp_path: Path, base: Path, delta: Path, monkeypatch: pytest.MonkeyPatch
) -> tuple[Workspace, Workspace]:
    """The delta applied by the plain path and by merging every row, each onto a load of ``base``."""
    plain, merged = _copies(template, tmp_path, "plain", "merged")
    written: list[tuple[int, int]] = []
    flush = DeltaRows._flush

    def counted(self: DeltaRows) -> None:
        written.append((len(self.plain), len(self._held_edges)))
        flush(self)

    monkeypatch.setattr(DeltaRows, "_flush", counted)
    for workspace in (plain, merged):
        load_path(workspace, base, "ftm", "os")
    load_path(plain, delta, "ftm-delta", "os")
    assert written and min(written[-1]) > 0  # the plain path wrote some nodes and edges itself
    _merge_every_row(monkeypatch)
    load_path(merged, delta, "ftm-delta", "os")
    plain.close()
    merged.close()
    return plain, merged


def _merge_every_row(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every row of a delta sent to the merger (as before the plain paths)."""
    monkeypatch.setattr(DeltaRows, "_is_plain", lambda self, i, row: False)
    monkeypatch.setattr(DeltaRows, "_is_plain_edge", lambda self, row: False)


# Every table, and every record's keys, line and document (the two paths give records in one order).
GIVEN = f"SELECT load_seq, rank, idx, origin, is_edge, target, own, line, {_doc()} FROM given"  # noqa: S608


def _assert_same(a: Path, b: Path) -> None:
    for sql in [*TABLES, GIVEN]:
        assert table_rows(a, sql) == table_rows(b, sql), sql
    assert word_index(a) == word_index(b)
    assert row_numbers_astray(a) == [] and row_numbers_astray(b) == []


def test_a_delta_meeting_the_graph_in_every_way_gives_what_merging_every_row_gives(
    template: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    base = write_lines(tmp_path / "base.json", BASE)
    delta = write_lines(tmp_path / "delta.json", [delta_line(op, e) for op, e in CHANGES])
    plain, merged = _apply_both(template, tmp_path, base, delta, monkeypatch)
    _assert_same(plain.folder, merged.folder)
    store = Workspace(plain.folder).store()
    alpha = store.get_node("ORG:a-1")
    assert alpha is not None and "Beta Tools AG" in alpha.aliases  # a-3 merged into a-1 by its LEI
    xiaomi = store.get_node("ORG:xiaomi")
    assert xiaomi is not None and "os" in xiaomi.datasets  # merged by name into the curated node
    assert store.get_node("ORG:t-2") is None  # the twins are one node, as in a full load
    assert store.get_node("ORG:gone-1") is None
    novel = store.get_node("ORG:n-1")
    assert novel is not None and novel.datasets == ["os"]
    # Unloaded, the workspace is the curated base again.
    Workspace(plain.folder).unload("os")
    for sql in [*TABLES[:5], TABLES[6]]:  # the vocabulary too: no word left at 0
        assert table_rows(plain.folder, sql) == table_rows(template, sql), sql


def test_a_generated_delta_gives_what_merging_every_row_gives(
    template: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    corpus, delta = write_corpus(1500, tmp_path / "corpus")
    plain, merged = _apply_both(template, tmp_path, corpus, delta, monkeypatch)
    _assert_same(plain.folder, merged.folder)


def _base_loaded(template: Path, tmp_path: Path) -> Workspace:
    """A copy of the template with BASE loaded, closed (ready for a delta)."""
    workspace = _copies(template, tmp_path, "ws")[0]
    load_path(workspace, write_lines(tmp_path / "base.json", BASE), "ftm", "os")
    workspace.close()
    return workspace


def test_a_bad_line_after_plain_rows_leaves_the_workspace_byte_for_byte_as_it_was(
    template: Path, tmp_path: Path
) -> None:
    workspace = _base_loaded(template, tmp_path)
    lines = [delta_line(op, e) for op, e in CHANGES[:8]]
    # An edge to an entity nobody gives, on the last line: found once every plain row was read.
    lines.append(delta_line("ADD", ftm_line("own-x", "Ownership", owner=["nobody"], asset=["n-1"])))
    delta = write_lines(tmp_path / "bad.json", lines)
    every = ["SELECT type, name, sql FROM sqlite_master", *(f"SELECT * FROM {t}" for t in TABLE_NAMES)]  # noqa: S608
    before = [table_rows(workspace.folder, sql) for sql in every]
    digest = hashlib.sha256((workspace.folder / DATABASE).read_bytes()).hexdigest()
    with pytest.raises(LoadError, match=rf"{delta}:{len(lines)}: entity"):
        load_path(workspace, delta, "ftm-delta", "os")
    workspace.close()
    assert [table_rows(workspace.folder, sql) for sql in every] == before
    assert hashlib.sha256((workspace.folder / DATABASE).read_bytes()).hexdigest() == digest


def test_an_edge_the_schema_refuses_is_reported_with_its_line_and_changes_nothing(
    template: Path, tmp_path: Path
) -> None:
    workspace = _base_loaded(template, tmp_path)
    lines = [delta_line(op, e) for op, e in CHANGES[1:8]]
    # A person as a security's issuer: found when the edge is merged, after the plain rows.
    lines.append(
        delta_line(
            "ADD", ftm_line("sec-p", "Security", name=["P shares"], ticker=["600999.SS"], issuer=["p-1"])
        )
    )
    delta = write_lines(tmp_path / "bad.json", lines)
    digest = hashlib.sha256((workspace.folder / DATABASE).read_bytes()).hexdigest()
    with pytest.raises(LoadError, match=rf"{delta}:{len(lines)}: ISSUES .*cannot join Person"):
        load_path(workspace, delta, "ftm-delta", "os")
    workspace.close()
    assert hashlib.sha256((workspace.folder / DATABASE).read_bytes()).hexdigest() == digest


def test_a_link_to_an_entity_the_delta_changes_further_down_waits_for_it(
    template: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    base = [
        ftm_line("a-1", "Company", name=["Alpha Widgets Ltd"], country=["de"]),
        ftm_line("a-3", "Company", name=["Beta Tools"], country=["de"]),
        ftm_line("own-1", "Ownership", owner=["a-1"], asset=["a-3"]),
    ]
    changes = [
        # Links to a-3 before the line that changes it (refused before: "unknown node 'ORG:a-3'").
        ("ADD", ftm_line("own-2", "Ownership", owner=["a-3"], asset=["a-1"], percentage=["10"])),
        ("MOD", ftm_line("own-1", "Ownership", owner=["a-1"], asset=["a-3"], percentage=["51"])),
        ("MOD", ftm_line("a-3", "Company", name=["Beta Tools"], alias=["Beta Tools AG"], country=["de"])),
    ]
    plain, merged = _apply_both(
        template,
        tmp_path,
        write_lines(tmp_path / "base.json", base),
        write_lines(tmp_path / "delta.json", [delta_line(op, e) for op, e in changes]),
        monkeypatch,
    )
    _assert_same(plain.folder, merged.folder)
    final = [base[0], changes[2][1], changes[1][1], changes[0][1]]  # each MOD in place, the ADD last
    fresh = _copies(template, tmp_path, "fresh")[0]
    load_path(fresh, write_lines(tmp_path / "final.json", final), "ftm", "os")
    fresh.close()
    records = f"SELECT load_seq, origin, is_edge, own, target, {_doc()} FROM given"  # noqa: S608
    for sql in [*TABLES[:5], TABLES[6], records]:
        assert table_rows(plain.folder, sql) == table_rows(fresh.folder, sql), sql
    store = Workspace(plain.folder).store()
    ours = [e for e in store.edges("SUBSIDIARY_OF") if "os" in e.datasets]
    assert sorted(str(e.properties.get("percentage")) for e in ours) == ["10", "51"]


@pytest.mark.parametrize("ofac", ["before", "after"])
def test_a_delta_changing_entities_another_dataset_merged_with_gives_what_merging_every_row_gives(
    template: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, ofac: str
) -> None:
    # Every entity of the fixture changed (an alias added, a date moved); OFAC's SMIC and CNOOC merge
    # with the fixture's by their OFAC numbers, whichever was loaded first, and the curated data's.
    lines = (FIXTURES / "ftm" / "entities.ftm.json").read_text(encoding="utf-8").splitlines()
    lines += [
        ftm_line("n-9", "Company", name=["Novel Fabrication Works"], country=["fr"]),  # meets nothing
        ftm_line("own-9", "Ownership", owner=["NK-9Fq2smicCmicOfac"], asset=["n-9"]),
    ]
    fixture = write_lines(tmp_path / "entities.json", lines)
    changed = []
    for line in lines:
        entity = json.loads(line)
        if "name" in entity["properties"]:
            alias = entity["properties"]["name"][0] + " (formerly)"
            entity["properties"]["alias"] = [*entity["properties"].get("alias", []), alias]
        entity["last_seen"] = "2026-11-15T00:00:00"
        changed.append(json.dumps({"op": "MOD", "entity": entity}))
    delta = write_lines(tmp_path / "delta.json", changed)
    plain, merged = _copies(template, tmp_path, "plain", "merged")
    for workspace in (plain, merged):
        if ofac == "before":
            load_path(workspace, FIXTURES / "ofac", "ofac", "us-ofac-cons")
        load_path(workspace, fixture, "ftm", "os")
        if ofac == "after":
            load_path(workspace, FIXTURES / "ofac", "ofac", "us-ofac-cons")
    held: list[list[str]] = []
    flush = DeltaRows._flush

    def counted(self: DeltaRows) -> None:
        held.append(list(self.plain))
        flush(self)

    monkeypatch.setattr(DeltaRows, "_flush", counted)
    load_path(plain, delta, "ftm-delta", "os")
    # The fixture's companies, listing and lists meet the curated data's and OFAC's; its director
    # and the new company meet nothing.
    assert held == [["PERSON:NK-zhouZixueSmic", "ORG:n-9"]]
    _merge_every_row(monkeypatch)
    load_path(merged, delta, "ftm-delta", "os")
    plain.close()
    merged.close()
    _assert_same(plain.folder, merged.folder)
    smic = Workspace(plain.folder).store().get_node("ORG:smic")
    assert (
        smic is not None
        and "SEMICONDUCTOR MANUFACTURING INTERNATIONAL CORPORATION (formerly)" in smic.aliases
    )


def test_an_entitys_records_are_found_through_its_node_or_its_edge_whatever_their_ids(
    template: Path, tmp_path: Path
) -> None:
    """A delta finds what an entity gave before by the FtM id its node carries (``ftm_id``), or by
    the origin of an edge record (bookkeeping 5): here a node another entity merged into (its id
    a referent of the other), a security named by its ticker and its ISSUES edge (a record of the
    security), a sanction's listing, an ownership. Applied in order, the changes give what a load
    of the final file gives."""
    merged_into = json.loads(ftm_line("m-1", "Company", name=["Mergeco Holdings"], country=["de"]))
    merged_into["referents"] = ["m-2"]
    base = [
        json.dumps(merged_into),
        ftm_line("m-2", "Company", name=["Mergeco Trading"], country=["de"]),
        ftm_line("k-1", "Company", name=["Kappa Issuer"], country=["fr"]),
        ftm_line("sec-k", "Security", name=["Kappa shares"], ticker=["688777.SS"], issuer=["k-1"]),
        ftm_line("s-k", "Sanction", entity=["k-1"], program=["TEST-PROG"], listingDate=["2022-01-01"]),
        ftm_line("own-m", "Ownership", owner=["m-1"], asset=["k-1"]),
    ]
    m2 = ftm_line("m-2", "Company", name=["Mergeco Trading"], alias=["Mergeco Trading Ltd"], country=["de"])
    s_k = ftm_line("s-k", "Sanction", entity=["k-1"], program=["TEST-PROG"], endDate=["2024-01-01"])
    changes = [
        ("MOD", m2),
        ("DEL", json.dumps({"id": "sec-k"})),
        ("MOD", s_k),
        ("DEL", json.dumps({"id": "own-m"})),
    ]
    workspace = _copies(template, tmp_path, "ws")[0]
    load_path(workspace, write_lines(tmp_path / "base.json", base), "ftm", "os")
    store = workspace.store()
    mergeco = store.get_node("ORG:m-1")
    # The entities whose records are found through a node of another id, or an edge.
    assert store.get_node("ORG:m-2") is None and mergeco is not None
    assert mergeco.identifiers["ftm_id"] == ["m-1", "m-2"]
    assert store.get_node("SEC:SSE:688777") is not None
    load_path(
        workspace,
        write_lines(tmp_path / "delta.json", [delta_line(op, e) for op, e in changes]),
        "ftm-delta",
        "os",
    )
    workspace.close()
    final = [base[0], m2, base[2], s_k]
    fresh = _copies(template, tmp_path, "fresh")[0]
    load_path(fresh, write_lines(tmp_path / "final.json", final), "ftm", "os")
    fresh.close()
    records = f"SELECT load_seq, origin, is_edge, own, target, {_doc()} FROM given"  # noqa: S608
    # Every table (the vocabulary with no word at 0, as the load's) but the order of the records
    # (the delta's new ones rank last) and the file named.
    for sql in [*TABLES[:5], TABLES[6], records]:
        assert table_rows(workspace.folder, sql) == table_rows(fresh.folder, sql), sql
    assert row_numbers_astray(workspace.folder) == []
    mergeco = Workspace(workspace.folder).store().get_node("ORG:m-1")
    assert mergeco is not None and "Mergeco Trading Ltd" in mergeco.aliases


def test_an_ftm_delta_onto_a_dataset_of_another_format_is_refused_and_changes_nothing(
    template: Path, tmp_path: Path
) -> None:
    # Its records are found by FtM ids, which an OFAC list's records are not.
    workspace = _copies(template, tmp_path, "ws")[0]
    load_path(workspace, FIXTURES / "ofac", "ofac", "us-ofac-cons")
    workspace.close()
    delta = write_lines(
        tmp_path / "delta.json", [delta_line("ADD", ftm_line("n-1", "Company", name=["Novel Works"]))]
    )
    digest = hashlib.sha256((workspace.folder / DATABASE).read_bytes()).hexdigest()
    with pytest.raises(LoadError, match=r"--dataset.*'us-ofac-cons' was loaded as ofac"):
        load_path(workspace, delta, "ftm-delta", "us-ofac-cons")
    workspace.close()
    assert hashlib.sha256((workspace.folder / DATABASE).read_bytes()).hexdigest() == digest
