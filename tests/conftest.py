"""Shared fixtures: the curated store, the mini fixture store, and a CLI runner."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

import ordergraph
from graph.store.memory import MemoryStore
from loaders.workspace import PROJECT_DATA, load_memory_store

FIXTURES = Path(__file__).parent / "fixtures"
SHARED = Path(__file__).resolve().parents[2] / "shared"


@dataclass
class CliResult:
    code: int
    out: str
    err: str

    def json(self) -> Any:
        return json.loads(self.out)


@pytest.fixture(scope="session")
def store() -> MemoryStore:
    """The curated corpus in data/, loaded once."""
    return load_memory_store(PROJECT_DATA)


@pytest.fixture(scope="session")
def mini() -> MemoryStore:
    """The small engine fixture in tests/fixtures/mini."""
    return load_memory_store(FIXTURES / "mini")


@pytest.fixture
def cli(capsys: pytest.CaptureFixture[str]) -> Callable[..., CliResult]:
    """Run `ordergraph ARGS…` in-process and capture its exit code and output."""

    def run(*args: str) -> CliResult:
        try:
            code = ordergraph.main(list(args))
        except SystemExit as exc:  # argparse refusing an option exits 2 itself
            code = exc.code if isinstance(exc.code, int) else 1
        captured = capsys.readouterr()
        return CliResult(code, captured.out, captured.err)

    return run
