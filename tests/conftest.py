"""Shared fixtures: the curated store, the mini fixture store, and a CLI runner."""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

import ordergraph
from graph.store.memory import MemoryStore
from loaders.cache import CACHE_ENV
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


@pytest.fixture(scope="session", autouse=True)
def dataset_cache(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """The dataset cache of the whole run (and of the commands it starts), away from the user's own."""
    folder = tmp_path_factory.mktemp("dataset-cache")
    before = os.environ.get(CACHE_ENV)
    os.environ[CACHE_ENV] = str(folder)
    yield folder
    if before is None:
        os.environ.pop(CACHE_ENV, None)
    else:
        os.environ[CACHE_ENV] = before


@pytest.fixture(scope="session")
def store() -> MemoryStore:
    """The curated corpus in data/, loaded once."""
    return load_memory_store(PROJECT_DATA)


@pytest.fixture(scope="session")
def mini() -> MemoryStore:
    """The small engine fixture in tests/fixtures/mini."""
    return load_memory_store(FIXTURES / "mini")


@pytest.fixture
def cli(store: MemoryStore) -> Callable[..., CliResult]:
    """Run `ordergraph ARGS…` in-process with click's CliRunner; the curated store is loaded once.

    Other data folders (``--data``, ``$ORDERGRAPH_DATA``) are read afresh on every call.
    """
    runner = CliRunner()

    def run(*args: str) -> CliResult:
        session = ordergraph.Session(stores={PROJECT_DATA.resolve(): store})
        result = runner.invoke(ordergraph.cli, list(args), obj=session, catch_exceptions=False)
        return CliResult(result.exit_code, result.stdout, result.stderr)

    return run
