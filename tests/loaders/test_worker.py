"""An FtM file read in a worker process (loaders/worker.py) gives what reading it here gives."""

from __future__ import annotations

import threading
from pathlib import Path

import orjson
import pytest

import loaders.ftm as ftm_module
from graph.errors import LoadError, OrdergraphError
from graph.model import Edge
from graph.store.words import exact_keys, node_words
from graph.store.workspace.rows import _security_columns, day
from loaders.bulk import EdgeFacts, NodeFacts, sent_facts
from loaders.ftm import FtmReader, parse_ftm_reader, parse_ftm_rows
from loaders.records import Row, open_lines
from loaders.resolve import NAME_KINDS, STRONG_SCHEMES, name_entries
from loaders.worker import FtmWorker
from tests.warm_servers import WarmServers

FIXTURE = Path(__file__).parents[1] / "fixtures" / "ftm" / "entities.ftm.json"


@pytest.fixture(autouse=True)
def no_warm_up_thread(warm_servers: WarmServers | None) -> None:
    """The worker forks only from a process running no other thread: a run that starts its Neo4j
    servers in the background (tests/conftest.warm_servers) lets that thread end first."""
    if warm_servers is not None:
        warm_servers.settle()


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


def test_the_worker_sends_what_the_record_path_reads_of_each_entity() -> None:
    """Each row's facts, worked out in the worker from its document, against the same entity's
    model read here through the record-by-record path (parse_ftm_reader, name_entries, node_words)."""
    with FtmWorker(str(FIXTURE), "os") as worker:
        rows = list(worker.rows())
    reader = FtmReader("os", str(FIXTURE))
    records = list(parse_ftm_reader(reader, open_lines(FIXTURE)))
    assert any(r.is_edge for r in rows) and any(not r.is_edge for r in rows)
    sent = [sent_facts(r.is_edge, r.facts) for r in rows if r.facts is not None]
    nodes = [f for f in sent if isinstance(f, NodeFacts)]
    assert any(f.names for f in nodes) and any(f.exchange for f in nodes) and any(f.strong for f in nodes)
    assert [(r.origin, r.is_edge) for r in rows] == [(r.origin, isinstance(r.item, Edge)) for r in records]
    for row, record in zip(rows, records, strict=True):
        assert row.facts is not None and type(row.facts) is tuple  # sent plain (see sent_facts)
        item, facts = record.item, sent_facts(row.is_edge, row.facts)
        seen = list(item.provenance)
        firsts = [p.first_seen for p in seen if p.first_seen]
        lasts = [p.last_seen for p in seen if p.last_seen]
        assert facts.datasets == list(dict.fromkeys(p.dataset for p in seen))
        assert (facts.first_seen, facts.last_seen) == (min(firsts, default=None), max(lasts, default=None))
        if isinstance(item, Edge):
            assert isinstance(facts, EdgeFacts)
            assert facts[:5] == (item.id, item.kind, item.source, item.target, item.start)
            assert (facts.start_day, facts.end_day) == (day(item.start), day(item.end))
            continue
        assert isinstance(facts, NodeFacts)
        assert (facts.id, facts.kind) == (item.id, item.kind)
        assert facts.identifiers == [(s, v) for s, values in item.identifiers.items() for v in values]
        assert facts.strong == [(s, v) for s, v in facts.identifiers if s in STRONG_SCHEMES]
        assert facts.names == (name_entries(item) if item.kind in NAME_KINDS else [])
        assert facts.words == node_words(item)
        assert facts.exact_names == exact_keys(item)
        assert (facts.exchange, facts.code) == _security_columns(item)


def test_the_worker_gives_what_the_reader_left_out_and_gave_late(tmp_path: Path) -> None:
    """Files of ``WORKER_BYTES`` and more are read by the worker: what it says the reader left out
    (entities of schemas we skip, links to them, as they waited) and gave late (links before their
    entity, each with the origin given before its line) is what reading here says."""
    skipping = [
        {"id": "s-c", "schema": "Sanction", "properties": {"entity": ["c-late"], "program": ["TEST-PROG"]}},
        {"id": "c-late", "schema": "Company", "properties": {"name": ["Corvo Late"]}},
        {"id": "s-v", "schema": "Sanction", "properties": {"entity": ["v"], "program": ["TEST-PROG"]}},
        {"id": "v", "schema": "Vessel", "properties": {"name": ["Vardo Star"]}},
        {"id": "own-v", "schema": "Ownership", "properties": {"owner": ["a"], "asset": ["v"]}},
        {"id": "a", "schema": "Address", "properties": {"full": ["1 Harbour Road"]}},
        {"id": "s-2", "schema": "Sanction", "properties": {"entity": ["v"], "program": ["TEST-PROG"]}},
    ]
    path = tmp_path / "skipping.json"
    lines = FIXTURE.read_text(encoding="utf-8").splitlines()
    path.write_text("\n".join([*lines, *(orjson.dumps(e).decode() for e in skipping)]) + "\n")
    reader = FtmReader("os", str(path))
    list(parse_ftm_rows(reader, open_lines(path)))
    with FtmWorker(str(path), "os") as worker:
        list(worker.rows())
        left_out = worker.left_out()
        late = worker.given_late()
    assert left_out == reader.left_out()
    assert late == reader.given_late()
    # s-c waited for c-late, given after it; its line came after the fixture's last.
    assert ("s-c", orjson.loads(lines[-1])["id"]) in late
    assert {"v", "a"} <= {entity for entity, origin, _, _ in left_out if origin is None}
    assert {"s-v", "own-v", "s-2"} <= {origin for _, origin, _, _ in left_out if origin is not None}


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
