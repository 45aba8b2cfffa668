"""The dataset cache: a hit gives what parsing gives; any change to data or entry is a miss."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from graph.errors import LoadErrors
from graph.model import Node, NodeDisputed
from loaders.cache import CACHE_ENV, dataset_key, read_dataset_cached, write_entry
from loaders.curated import Dataset, data_files, read_dataset
from loaders.workspace import PROJECT_DATA
from tests.conftest import FIXTURES

MINI = FIXTURES / "mini"
ROOT = Path(__file__).resolve().parents[2]


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
    dataset = read_dataset(data)
    renamed = dataset.nodes[0].model_copy(update={"name": "Renamed in the cache"})
    write_entry(_entry(cache, data), Dataset(nodes=[renamed, *dataset.nodes[1:]], edges=dataset.edges))
    assert read_dataset_cached(data).nodes[0].name == "Renamed in the cache"


def test_every_nested_model_comes_back(cache: Path, data: Path) -> None:
    """Node and edge disputes, their sources, provenance: rebuilt as the models validation made."""
    read_dataset_cached(data)
    dataset = read_dataset(data)
    source = dataset.edges[0].sources[0]
    disputed = NodeDisputed(field="website", value="https://b.example", datasets=["os"], sources=[source])
    node = Node.model_validate({**dataset.nodes[0].model_dump(), "disputed": [disputed.model_dump()]})
    changed = Dataset(nodes=[node, *dataset.nodes[1:]], edges=dataset.edges)
    write_entry(_entry(cache, data), changed)
    again = read_dataset_cached(data)
    assert again.nodes == changed.nodes and again.edges == changed.edges
    assert isinstance(again.nodes[0].disputed[0], NodeDisputed)
    assert again.nodes[0].disputed[0].sources == [source]


def test_equal_sources_are_written_once(cache: Path) -> None:
    dataset = read_dataset_cached(PROJECT_DATA)
    body = json.loads(_entry(cache, PROJECT_DATA).read_bytes().partition(b"\n")[2])
    cited = [s for node in dataset.nodes for s in node.sources]
    cited += [s for node in dataset.nodes for disputed in node.disputed for s in disputed.sources]
    cited += [s for edge in dataset.edges for s in edge.sources]
    cited += [s for edge in dataset.edges for disputed in edge.disputed for s in disputed.sources]
    assert len(body["tables"]["Source"]) == len(set(cited)) < len(cited)
    assert body["tables"]["Provenance"] == [{"dataset": "curated", "first_seen": None, "last_seen": None}]


def test_a_hit_builds_no_model_schema(cache: Path) -> None:
    """Most of a command's start-up was pydantic building validators; the cached path needs none."""
    read_dataset_cached(PROJECT_DATA)
    script = (
        "from datetime import date\n"
        "from graph import model, query\n"
        "from loaders.workspace import PROJECT_DATA, load_memory_store\n"
        "store = load_memory_store(PROJECT_DATA)\n"
        "answer = query.affects(store, query.resolve(store, '1810.HK'), date(2021, 2, 1))\n"
        "assert answer.orders, 'Xiaomi is affected on 2021-02-01'\n"
        "built = [m.__name__ for m in (model.Node, model.Edge, model.Source, model.Disputed,\n"
        "         model.Provenance, model.Period) if m.__pydantic_complete__]\n"
        "print(built)\n"
    )
    run = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True, cwd=ROOT)
    assert run.stdout.strip() == "[]"


def test_a_changed_data_file_misses(cache: Path, data: Path) -> None:
    read_dataset_cached(data)
    old = _entry(cache, data)
    edges = data / "edges.yaml"
    edges.write_text(edges.read_text() + "\n# one more byte\n")
    assert _entry(cache, data) != old
    assert read_dataset_cached(data).edges == read_dataset(data).edges
    assert _entry(cache, data).exists()


@pytest.mark.parametrize("damage", ["not json", '{"format": 1, "nodes": [{"id": 3}], "edges": []}', "[]", ""])
def test_a_damaged_entry_is_refused(cache: Path, data: Path, damage: str) -> None:
    read_dataset_cached(data)
    _entry(cache, data).write_text(damage)
    assert read_dataset_cached(data).nodes == read_dataset(data).nodes


@pytest.mark.parametrize("edit", [("ISSUES", "BLACKLISTED_BY"), ('"nodes"', '"n"'), ("]", "")])
def test_an_edited_body_is_refused(cache: Path, data: Path, edit: tuple[str, str]) -> None:
    """The body is not validated again on a hit: its hash, in the header, is what guards it."""
    read_dataset_cached(data)
    entry = _entry(cache, data)
    text = entry.read_text(encoding="utf-8")
    assert edit[0] in text.partition("\n")[2]
    entry.write_text(text.replace(edit[0], edit[1], 1), encoding="utf-8")
    assert read_dataset_cached(data).edges == read_dataset(data).edges
    assert "BLACKLISTED_BY" not in {e.kind for e in read_dataset_cached(data).edges}


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


def test_a_new_opencc_table_is_a_miss(monkeypatch: pytest.MonkeyPatch, data: Path) -> None:
    """Names fold to simplified characters by OpenCC's table (graph.hanzi): another edition of it
    (a new opencc-purepy) must not answer from entries folded by the old one."""
    from graph import hanzi

    files = data_files(data)
    before = dataset_key(files)
    text = hanzi.table_text()
    monkeypatch.setattr(hanzi, "table_text", lambda: text + "䶵\t䶶\n")
    hanzi.table_version.cache_clear()  # as a new process reads them: the version is kept a process
    try:
        assert dataset_key(files) != before
    finally:
        hanzi.table_version.cache_clear()
    monkeypatch.setattr(hanzi, "table_text", lambda: text)
    assert dataset_key(files) == before


def test_the_key_reads_the_table_version_through_graph_hanzi(
    monkeypatch: pytest.MonkeyPatch, data: Path
) -> None:
    """The cache asks ``graph.hanzi`` for the table's version when it makes a key (not a copy of the
    function taken at import): patching the module's function reaches it."""
    from graph import hanzi

    files = data_files(data)
    before = dataset_key(files)
    monkeypatch.setattr(hanzi, "table_version", lambda: "another-edition")
    assert dataset_key(files) != before
