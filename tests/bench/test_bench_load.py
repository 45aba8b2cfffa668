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
