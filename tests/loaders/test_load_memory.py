"""A load's memory grows with the graph, not with the file (issue 9).

A file that states the same few entities again and again, each line with its own timestamp
(as every line of a re-export carries its own; ``bench.gen_corpus.restated_entity``, which
bench/bench_load.py measures at scale), gives a graph no bigger the longer it is: loading
ten times as many lines must not hold more in memory. Each path is measured with tracemalloc
(Python's own allocations, deterministic: no timing), the longer file against the shorter one.

The load's fixed-size batch (``loaders.bulk.BATCH``) is set small here, so that both files span
several batches in a test that takes a second or two: what is held beyond one batch is what grows.
"""

from __future__ import annotations

import gc
import json
import shutil
import tracemalloc
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import cast

import pytest

import loaders.bulk as bulk_module
from bench.gen_corpus import restated_entity
from loaders.workspace import Workspace, load_path

SHORT = 200  # lines; the long file ten times as many
BOUND = 1.5  # the long file's peak at most this many times the short one's
FIXTURES = Path(__file__).parents[1] / "fixtures"


@pytest.fixture(autouse=True)
def small_batch(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(bulk_module, "BATCH", 50)


def _peak(work: Callable[[], object]) -> int:
    """The most memory Python's allocators held while ``work`` ran, above what they held before."""
    gc.collect()
    tracing = tracemalloc.is_tracing()
    if tracing:
        tracemalloc.reset_peak()
    else:
        tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        work()
        return tracemalloc.get_traced_memory()[1] - before
    finally:
        if not tracing:
            tracemalloc.stop()


def _write(path: Path, lines: Sequence[Mapping[str, object]]) -> Path:
    path.write_text("".join(json.dumps(line) + "\n" for line in lines), encoding="utf-8")
    return path


def _copy(template: Path, folder: Path) -> Workspace:
    shutil.copytree(template, folder)
    return Workspace(folder)


def _ratio(measure: Callable[[int, Path], int], tmp_path: Path, short_lines: int = SHORT) -> str:
    """Whether the longer file's peak stays within ``BOUND`` times the shorter one's: "" if so, else
    the figures."""
    measure(short_lines, tmp_path / "warm-up")  # imports and first-use caches, outside the figures
    short = measure(short_lines, tmp_path / "short")
    long = measure(10 * short_lines, tmp_path / "long")
    if long < BOUND * short:
        return ""
    return f"{short_lines} lines: {short:,} bytes at peak; {10 * short_lines} lines: {long:,} bytes"


def test_an_ftm_file_restating_the_same_entities_holds_no_more_for_being_longer(
    template: Path, tmp_path: Path
) -> None:
    def measure(lines: int, folder: Path) -> int:
        folder.mkdir()
        path = _write(folder / "restated.ftm.json", [restated_entity(i) for i in range(lines)])
        workspace = _copy(template, folder / "ws")
        peak = _peak(lambda: load_path(workspace, path, "ftm", "restated"))
        info = workspace.info("restated")
        assert (info.nodes, info.records) == (6, lines + 1)  # five companies, their list; every line a record
        workspace.close()
        return peak

    assert not _ratio(measure, tmp_path)


def test_a_delta_restating_the_same_entities_holds_no_more_for_being_longer(
    template: Path, tmp_path: Path
) -> None:
    def measure(lines: int, folder: Path) -> int:
        folder.mkdir()
        path = _write(folder / "base.ftm.json", [restated_entity(i) for i in range(10)])
        changes = [{"op": "MOD", "entity": restated_entity(i)} for i in range(lines)]
        delta = _write(folder / "restated.delta.json", changes)
        workspace = _copy(template, folder / "ws")
        load_path(workspace, path, "ftm", "restated")
        peak = _peak(lambda: load_path(workspace, delta, "ftm-delta", "restated"))
        assert workspace.info("restated").nodes == 6  # five companies and the program's list
        workspace.close()
        return peak

    assert not _ratio(measure, tmp_path)


def test_an_ofac_list_restating_the_same_entries_holds_no_more_for_being_longer(
    template: Path, tmp_path: Path
) -> None:
    """The record-by-record path (OFAC, the Federal Register, articles) writes its records a batch
    at a time too (loaders.workspace.Workspace.load)."""
    entries = (FIXTURES / "ofac" / "cons_prim.csv").read_text(encoding="utf-8").splitlines()[:3]

    def measure(lines: int, folder: Path) -> int:
        folder.mkdir()
        prim = folder / "cons_prim.csv"
        prim.write_text("".join(entries[i % len(entries)] + "\n" for i in range(lines)), encoding="utf-8")
        workspace = _copy(template, folder / "ws")
        peak = _peak(lambda: load_path(workspace, prim, "ofac", "restated"))
        assert workspace.info("restated").records > lines
        workspace.close()
        return peak

    assert not _ratio(measure, tmp_path, short_lines=60)  # about five records a line


@pytest.mark.parametrize("side", ["cons_alt.csv", "cons_add.csv", "cons_comments.csv"])
def test_an_ofac_side_file_is_not_held_in_memory_to_be_joined(
    template: Path, tmp_path: Path, side: str
) -> None:
    """The alternate names, addresses and comments are joined to the primary file by entry number
    through a temporary file (loaders/ofac_side.py), not grouped in memory: a side file ten times as
    long (rows of entries the primary file does not give: the graph is the same) holds no more."""
    fixture = FIXTURES / "ofac"
    row = {
        "cons_alt.csv": '{n},{m},"a.k.a.","QYXOR ALIAS {m}",-0- ',
        "cons_add.csv": '{n},{m},"{m} Road","Beijing","China",-0- ',
        "cons_comments.csv": '{n},"Listing Date (CMIC) 03 Jun 2021 for entry {m}."',
    }[side]

    def measure(lines: int, folder: Path) -> int:
        shutil.copytree(fixture, folder)
        rows = "".join(row.format(n=900000 + i % 50, m=i) + "\n" for i in range(lines))
        (folder / side).write_text((fixture / side).read_text(encoding="utf-8") + rows, encoding="utf-8")
        workspace = _copy(template, folder / "ws")
        peak = _peak(lambda: load_path(workspace, folder / "cons_prim.csv", "ofac", "side"))
        workspace.close()
        return peak

    assert not _ratio(measure, tmp_path, short_lines=2000)


def _fedreg_page(lines: int) -> dict[str, object]:
    """A search-result page of ``lines`` documents, the fixture page's three orders again and again."""
    page = json.loads((FIXTURES / "fedreg" / "eo-search-page.json").read_text(encoding="utf-8"))
    results = page["results"]
    return {**page, "count": lines, "results": [results[i % len(results)] for i in range(lines)]}


@pytest.mark.parametrize("form", ["page", "lines"])
def test_a_federal_register_file_restating_the_same_orders_holds_no_more_for_being_longer(
    template: Path, tmp_path: Path, form: str
) -> None:
    """A search-result page as the API saves it (indented, the documents in one ``results`` array),
    or JSON lines of single documents: the documents are read one at a time, not the file whole."""

    def measure(lines: int, folder: Path) -> int:
        folder.mkdir()
        path = folder / "restated.json"
        page = _fedreg_page(lines)
        if form == "page":
            path.write_text(json.dumps(page, indent=2), encoding="utf-8")
        else:
            _write(path, cast(list[dict[str, object]], page["results"]))
        workspace = _copy(template, folder / "ws")
        peak = _peak(lambda: load_path(workspace, path, "fedreg", "restated"))
        assert workspace.info("restated").records > lines  # several records a document
        workspace.close()
        return peak

    assert not _ratio(measure, tmp_path, short_lines=60)


def _ofac_xml(entries: int) -> str:
    """consolidated.xml with ``entries`` entries, the fixture's again and again."""
    text = (FIXTURES / "ofac-xml" / "consolidated.xml").read_text(encoding="utf-8")
    head, _, rest = text.partition("  <sdnEntry>")
    body, _, tail = ("  <sdnEntry>" + rest).rpartition("</sdnEntry>")
    fixture = [e + "</sdnEntry>\n" for e in (body + "</sdnEntry>").split("</sdnEntry>")[:-1]]
    return head + "".join(fixture[i % len(fixture)] for i in range(entries)) + tail.lstrip("\n")


def test_an_ofac_xml_list_restating_the_same_entries_holds_no_more_for_being_longer(
    template: Path, tmp_path: Path
) -> None:
    """consolidated.xml is parsed an entry at a time (each cleared once read), not as one tree."""

    def measure(lines: int, folder: Path) -> int:
        folder.mkdir()
        path = folder / "consolidated.xml"
        path.write_text(_ofac_xml(lines), encoding="utf-8")
        workspace = _copy(template, folder / "ws")
        peak = _peak(lambda: load_path(workspace, path, "ofac", "restated"))
        assert workspace.info("restated").records > lines
        workspace.close()
        return peak

    assert not _ratio(measure, tmp_path, short_lines=60)
