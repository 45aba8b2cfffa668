"""The dataset cache: a hit gives what parsing gives; any change to data or entry is a miss."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from graph.errors import LoadErrors
from loaders.cache import CACHE_ENV, dataset_key, read_dataset_cached
from loaders.curated import data_files, read_dataset
from loaders.workspace import PROJECT_DATA
from tests.conftest import FIXTURES

MINI = FIXTURES / "mini"


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv(CACHE_ENV, str(folder))
    return folder


@pytest.fixture
def data(tmp_path: Path) -> Path:
    folder = tmp_path / "data"
    shutil.copytree(MINI, folder)
    return folder


def _entry(cache: Path, data: Path) -> Path:
    return cache / f"{dataset_key(data_files(data))}.json"


def test_the_curated_dataset_reads_back_from_the_cache_unchanged(cache: Path) -> None:
    fresh = read_dataset(PROJECT_DATA)
    first = read_dataset_cached(PROJECT_DATA)
    assert _entry(cache, PROJECT_DATA).exists()
    again = read_dataset_cached(PROJECT_DATA)
    assert first.nodes == fresh.nodes == again.nodes
    assert first.edges == fresh.edges == again.edges


def test_a_hit_is_read_from_the_entry(cache: Path, data: Path) -> None:
    read_dataset_cached(data)
    entry = _entry(cache, data)
    raw = json.loads(entry.read_text())
    raw["nodes"][0]["name"] = "Renamed in the cache"
    entry.write_text(json.dumps(raw))
    assert read_dataset_cached(data).nodes[0].name == "Renamed in the cache"


def test_a_changed_data_file_misses(cache: Path, data: Path) -> None:
    read_dataset_cached(data)
    old = _entry(cache, data)
    edges = data / "edges.yaml"
    edges.write_text(edges.read_text() + "\n# one more byte\n")
    assert _entry(cache, data) != old
    assert read_dataset_cached(data).edges == read_dataset(data).edges
    assert _entry(cache, data).exists()


@pytest.mark.parametrize("damage", ["not json", '{"format": 1, "nodes": [{"id": 3}], "edges": []}', "[]"])
def test_a_damaged_entry_is_refused(cache: Path, data: Path, damage: str) -> None:
    read_dataset_cached(data)
    _entry(cache, data).write_text(damage)
    assert read_dataset_cached(data).nodes == read_dataset(data).nodes


def test_bad_data_is_never_cached(cache: Path, data: Path) -> None:
    edges = data / "edges.yaml"
    edges.write_text(edges.read_text().replace("kind: ISSUES", "kind: BLACKLISTED_BY", 1))
    for _ in range(2):
        with pytest.raises(LoadErrors, match="BLACKLISTED_BY"):
            read_dataset_cached(data)
    assert not cache.exists() or not list(cache.glob("*.json"))


def test_off_writes_nothing(tmp_path: Path, data: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(CACHE_ENV, "off")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert read_dataset_cached(data).nodes == read_dataset(data).nodes
    assert not (tmp_path / "xdg").exists() and not (tmp_path / "home").exists()


def test_an_unwritable_cache_is_skipped(tmp_path: Path, data: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    monkeypatch.setenv(CACHE_ENV, str(blocker / "cache"))
    assert read_dataset_cached(data).nodes == read_dataset(data).nodes
