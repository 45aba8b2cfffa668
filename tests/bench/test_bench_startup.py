"""bench/bench_startup.py reads the environment when it runs, not when it is imported."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from bench import bench_startup


def test_the_environment_is_read_when_the_bench_runs_not_at_import(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ORDERGRAPH_BENCH_SET_AFTER_IMPORT", "1")
    monkeypatch.setenv("PYTHONDONTWRITEBYTECODE", "1")
    plain = bench_startup.environment(bytecode=False)
    assert plain["ORDERGRAPH_BENCH_SET_AFTER_IMPORT"] == "1" and plain["PYTHONDONTWRITEBYTECODE"] == "1"
    assert plain is not os.environ and "PYTHONPYCACHEPREFIX" not in plain
    cached = bench_startup.environment(bytecode=True)
    try:
        assert "PYTHONDONTWRITEBYTECODE" not in cached
        assert Path(cached["PYTHONPYCACHEPREFIX"]).is_dir()
        assert os.environ.get("PYTHONPYCACHEPREFIX") != cached["PYTHONPYCACHEPREFIX"]
    finally:
        Path(cached["PYTHONPYCACHEPREFIX"]).rmdir()
