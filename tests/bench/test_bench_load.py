"""The load benchmark runs end to end on a small corpus (figures are not checked: no timing asserts)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from bench.bench_load import ROOT


def test_bench_load_reports_the_load_the_delta_and_their_baselines(tmp_path: Path) -> None:
    out = tmp_path / "load.json"
    proc = subprocess.run(
        [sys.executable, "-m", "bench.bench_load", "2000", "--corpus-dir", str(tmp_path), "--json", str(out)],
        capture_output=True, text=True, cwd=ROOT, check=True, timeout=600,
    )  # fmt: skip
    [figures] = json.loads(out.read_text(encoding="utf-8"))
    for part in ("load", "delta", "reopen", "baseline"):
        assert "failed" not in figures[part], (part, figures[part])
    assert figures["load"]["nodes"] > 1000 and figures["load"]["peak_rss_mib"] > 0
    assert figures["delta"]["changes"] == sum(1 for _ in (tmp_path / "ftm-2000-s7.delta.json").open("rb"))
    assert figures["baseline"]["networkx"]["nodes"] > 1000
    assert "ratio to the floor" in proc.stdout and "delta 1% apply" in proc.stdout


def test_bench_load_reports_the_memory_of_a_file_restating_the_same_entities(tmp_path: Path) -> None:
    out = tmp_path / "restated.json"
    proc = subprocess.run(
        [sys.executable, "-m", "bench.bench_load", "--restated", "60", "600", "--corpus-dir", str(tmp_path),
         "--json", str(out)],
        capture_output=True, text=True, cwd=ROOT, check=True, timeout=600,
    )  # fmt: skip
    [figures] = json.loads(out.read_text(encoding="utf-8"))  # the restated files only: no corpus load
    for row, lines in zip(figures["restated"], (60, 600), strict=True):
        assert row["lines"] == lines
        assert row["restated"]["records"] == lines + 1  # every line, and the program's list
        assert row["restated"]["peak_rss_mib"] >= row["restated"]["rss_before_load_mib"] > 0
        assert row["restated-traced"]["tracemalloc_peak_mib"] > 0
    assert "tracemalloc peak, 600 / 60 lines:" in proc.stdout and "peak RSS, 600 / 60 lines:" in proc.stdout
