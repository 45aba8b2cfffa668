"""Opening the graph for the app: what the server says while a workspace is merged again."""

from __future__ import annotations

from dataclasses import replace

import pytest

from loaders.workspace import Remerge
from ui.store import RemergeLog


def test_the_server_log_says_why_the_first_page_waits(capsys: pytest.CaptureFixture[str]) -> None:
    start = Remerge("the curated data changed since this workspace was built", 1, 300_000)
    log = RemergeLog()
    log(start)
    log(replace(start, rows=300_000, stage="read"))
    for done in range(10_000, 300_001, 10_000):
        log(replace(start, rows=300_000, done=done, stage="merging"))
    log(replace(start, rows=300_000, done=300_000, stage="done"))
    lines = capsys.readouterr().err.splitlines()
    assert lines[0] == (
        "ordergraph: the curated data changed since this workspace was built: "
        "re-merging 1 loaded dataset (300,000 records)…"
    )
    assert lines[1] == "ordergraph: re-merging: 30,000 of 300,000 rows"
    assert len([line for line in lines if line.startswith("ordergraph: re-merging: ")]) == 10
    assert lines[-1].startswith("ordergraph: re-merged 300,000 rows in ")
