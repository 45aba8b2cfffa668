"""An FtM file read in a worker process (loaders/worker.py) gives what reading it here gives."""

from __future__ import annotations

import threading
from pathlib import Path

import orjson
import pytest

import loaders.ftm as ftm_module
from graph.errors import LoadError, OrdergraphError
from loaders.bulk import row_facts
from loaders.ftm import FtmReader, parse_ftm_rows
from loaders.records import Row, open_lines
from loaders.worker import FtmWorker

FIXTURE = Path(__file__).parents[1] / "fixtures" / "ftm" / "entities.ftm.json"


def _here(path: Path) -> tuple[list[tuple[str, bool, dict[str, object], int | None]], tuple[int, int]]:
    reader = FtmReader("os", str(path))
    rows = [(r.origin, r.is_edge, r.doc, r.line) for r in parse_ftm_rows(reader, open_lines(path))]
    return rows, (reader.skipped, reader.skipped_links)


def test_the_worker_gives_the_rows_and_counts_the_reader_gives() -> None:
    with FtmWorker(str(FIXTURE), "os") as worker:
        rows = list(worker.rows())
        counts = worker.counts()
    assert [(r.origin, r.is_edge, r.doc, r.line) for r in rows] == _here(FIXTURE)[0]
    assert counts == _here(FIXTURE)[1]
    assert all(r.text is not None and orjson.loads(r.text) == r.doc for r in rows)


def test_the_worker_sends_the_facts_the_bulk_path_would_work_out_here() -> None:
    """What the loading process reads of a row without parsing it is what it would find in its document."""
    with FtmWorker(str(FIXTURE), "os") as worker:
        rows = list(worker.rows())
    assert any(r.is_edge for r in rows) and any(not r.is_edge for r in rows)
    for row in rows:
        assert row.facts is not None and row.text is not None
        assert row.facts == row_facts(row.is_edge, orjson.loads(row.text))
        assert row.facts == row_facts(row.is_edge, row.doc)  # the document, parsed when asked for


def test_a_row_needs_its_document_or_its_json() -> None:
    assert Row("c1", False, None, 1, '{"id": "ORG:c1"}').doc == {"id": "ORG:c1"}
    with pytest.raises(ValueError, match="document"):
        Row("c1", False, None, 1)


def test_a_bad_line_stops_the_rows_where_the_reader_stops(tmp_path: Path) -> None:
    lines = FIXTURE.read_text(encoding="utf-8").splitlines()
    path = tmp_path / "bad.json"
    truncated = '{"id": "x", "schema": "Company", "properties": {"name": ['
    path.write_text("\n".join([*lines[:3], truncated, *lines[3:]]))
    with pytest.raises(LoadError) as here:
        _here(path)
    given: list[Row] = []
    with FtmWorker(str(path), "os") as worker, pytest.raises(LoadError) as there:
        given.extend(worker.rows())
    assert str(there.value) == str(here.value) and there.value.line == 4
    assert given and all(r.line is None or r.line < 4 for r in given)


def test_a_reader_that_fails_otherwise_is_an_error_and_the_worker_is_stopped(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def broken(*args: object, **kwargs: object) -> object:
        raise RuntimeError("out of order")

    monkeypatch.setattr(ftm_module.FtmReader, "rows", broken)  # the forked worker inherits it
    with FtmWorker(str(FIXTURE), "os") as worker, pytest.raises(OrdergraphError, match="out of order"):
        list(worker.rows())
    assert worker._process is not None and not worker._process.is_alive()


def test_no_worker_is_forked_while_other_threads_run() -> None:
    """Forking a process that runs threads is unsafe: the worker refuses, and the load reads in process."""
    stop = threading.Event()
    thread = threading.Thread(target=stop.wait)
    thread.start()
    try:
        assert not FtmWorker.available()
        with pytest.raises(OrdergraphError, match="forked"), FtmWorker(str(FIXTURE), "os"):
            pass
    finally:
        stop.set()
        thread.join()
    assert FtmWorker.available()
