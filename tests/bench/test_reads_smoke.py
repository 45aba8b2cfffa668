"""The read bench runs end to end on a 10k workspace it builds (no timing asserts)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from bench.run import ROOT


def test_read_bench_builds_a_workspace_and_times_every_query_and_the_cli(tmp_path: Path) -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "bench.bench_reads", "10000", "--home", str(tmp_path / "home"),
         "--corpus-dir", str(tmp_path / "corpus"), "--build", "--queries", "5"],
        capture_output=True, text=True, cwd=ROOT, check=True, timeout=600,
    )  # fmt: skip
    figures = json.loads(proc.stdout.splitlines()[-1])
    assert figures["build"]["nodes"] > 5000  # the corpus and the curated base
    for kind in ("affects", "neighbours_d2", "paths", "search"):
        assert figures["queries"][kind]["wall"]["n"] == figures["queries"][kind]["cpu"]["n"] > 0, kind
    assert figures["reopen"]["wall"]["n"] == 5 and "ordergraph affects" in figures["reopen"]["command"]
    assert "reopen" in proc.stdout and "search" in proc.stdout
