"""A delta that deletes an entity its dataset's other entities still link to is refused, as the final file is.

Loading a full FtM file whose Sanction, Security, Ownership or Directorship names an entity the
file does not give is refused ("refers to unknown entity", exit 2). A delta deleting only that
entity leaves the dataset in the same state, so it is refused the same way: a ``LoadError`` naming
the delta file, the DEL line and ``entity.id``, and the workspace as it was. (It used to load,
leaving the dataset's links to the entity in the graph with an end no record gave, and the next
``resolve`` crashed merging them again: ``KeyError`` in ``loaders/bulk.py``.) A delta whose final
file loads gives the graph that file gives, before and after a judgement.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from graph.errors import LoadError
from loaders.resolve import Judgement
from loaders.workspace import DATABASE, Workspace, load_path
from tests.loaders.workspaces import TABLE_NAMES, table_rows

FIXTURES = Path(__file__).parents[1] / "fixtures"
ENTITIES = FIXTURES / "ftm" / "entities.ftm.json"
LINES = [line for line in ENTITIES.read_text(encoding="utf-8").splitlines() if line.strip()]
IDS = [json.loads(line)["id"] for line in LINES]
SMIC = "NK-9Fq2smicCmicOfac"  # merged into the curated ORG:smic
# The entities of the fixture that link to SMIC's company.
SMIC_LINKS = [
    "ofac-30951-sanction",
    "NK-9Fq2smicSec688981",
    "ownership-smic-beijing",
    "directorship-zhou-smic",
]
# A company only this dataset gives, and its listing.
ONLY = [
    {"id": "q-1", "schema": "Company", "properties": {"name": ["Zyqx Mqzt Robotics"], "country": ["cn"]}},
    {"id": "q-s", "schema": "Sanction", "properties": {"entity": ["q-1"], "program": ["CMIC-EO13959"]}},
]
# Any entity, the listing that gave the NS-CMIC list node its codes ("CMIC-EO13959", "US-CMIC") too:
# without it, a delta leaves the list node a full file without it makes, from CNOOC's listing
# ("CMIC-EO13959" only) (loaders/workspace/lists.py).
DELETABLE = IDS
EVERY = ["SELECT type, name, sql FROM sqlite_master", *(f"SELECT * FROM {t}" for t in TABLE_NAMES)]  # noqa: S608


def _write(path: Path, lines: list[str]) -> Path:
    path.write_text("".join(line + "\n" for line in lines), encoding="utf-8")
    return path


def _dels(path: Path, ids: list[str]) -> Path:
    return _write(path, [json.dumps({"op": "DEL", "entity": {"id": i}}) for i in ids])


def _graph(workspace: Workspace) -> tuple[list[str], list[str]]:
    store = workspace.store()
    return (
        sorted(n.model_dump_json() for n in store.nodes()),
        sorted(e.model_dump_json() for e in store.edges()),
    )


def _snapshot(folder: Path) -> tuple[list[object], str]:
    return (
        [table_rows(folder, sql) for sql in EVERY],
        hashlib.sha256((folder / DATABASE).read_bytes()).hexdigest(),
    )


def _loaded(template: Path, folder: Path, lines: list[str]) -> Workspace:
    shutil.copytree(template, folder)
    workspace = Workspace(folder)
    load_path(workspace, _write(folder.parent / f"{folder.name}.ftm.json", lines), "ftm", "os")
    workspace.close()
    return workspace


def _judge(workspace: Workspace) -> None:
    workspace.judge(Judgement("ORG:smic", "ORG:smic-beijing", "different", "a test", "tester", "2026-01-01"))


@pytest.mark.parametrize(
    ("base", "deleted", "links"),
    [
        (LINES, SMIC, SMIC_LINKS),  # its node stays (the curated data gives it too)
        ([json.dumps(e) for e in ONLY], "q-1", ["q-s"]),  # its node goes with it
    ],
    ids=["merged-company", "own-company"],
)
def test_a_delta_deleting_an_entity_still_linked_to_is_refused_as_the_final_file_is(
    template: Path, tmp_path: Path, base: list[str], deleted: str, links: list[str]
) -> None:
    workspace = _loaded(template, tmp_path / "ws", base)
    before = _snapshot(workspace.folder)
    delta = _dels(tmp_path / "delta.json", [deleted])
    with pytest.raises(LoadError) as caught:
        load_path(workspace, delta, "ftm-delta", "os")
    error = caught.value
    assert (error.file, error.line, error.field) == (str(delta), 1, "entity.id")
    assert deleted in error.message and all(link in error.message for link in links)
    workspace.close()
    assert _snapshot(workspace.folder) == before
    # The final full file is refused too.
    final = [line for line in base if json.loads(line)["id"] != deleted]
    fresh = Workspace(tmp_path / "fresh")
    shutil.copytree(template, fresh.folder)
    with pytest.raises(LoadError, match="refers to unknown entity"):
        load_path(fresh, _write(tmp_path / "final.json", final), "ftm", "os")
    # The workspace goes on: a judgement merges it again, a delta deleting the links too applies,
    # a delta giving the entity back applies, and the dataset unloads.
    _judge(workspace)
    load_path(workspace, _dels(tmp_path / "all.json", [deleted, *links]), "ftm-delta", "os")
    assert workspace.set_aside() == []
    _judge(workspace)
    back = [json.dumps({"op": "ADD", "entity": json.loads(line)}) for line in base]
    load_path(workspace, _write(tmp_path / "back.json", back), "ftm-delta", "os")
    # The final file: the entities given back after the others (a delta's new entities come last).
    gone = {deleted, *links}
    final = [line for line in base if json.loads(line)["id"] not in gone]
    final += [line for line in base if json.loads(line)["id"] in gone]
    whole = Workspace(tmp_path / "whole")
    shutil.copytree(template, whole.folder)
    load_path(whole, _write(tmp_path / "whole.json", final), "ftm", "os")
    _judge(whole)
    assert _graph(Workspace(workspace.folder)) == _graph(whole)
    workspace.unload("os")
    empty = Workspace(tmp_path / "empty")
    shutil.copytree(template, empty.folder)
    assert _graph(Workspace(workspace.folder)) == _graph(empty)


def test_the_cli_refuses_such_a_delta_with_exit_2_and_resolve_then_works(
    tmp_path: Path, run: Callable[..., tuple[int, str, str]]
) -> None:
    assert run("load", str(ENTITIES), "--format", "ftm", "--dataset", "opensanctions")[0] == 0
    _, sources, _ = run("sources", "--json")
    delta = _dels(tmp_path / "delete-smic.json", [SMIC])
    code, out, err = run("load", str(delta), "--format", "ftm-delta", "--dataset", "opensanctions")
    assert code == 2, (out, err)
    assert f"{delta}:1: entity.id:" in err and SMIC in err and "ofac-30951-sanction" in err
    assert "Traceback" not in err + out
    assert run("sources", "--json")[1] == sources
    code, out, err = run("resolve", "ORG:NK-cnoocLtdOfac", "ORG:cnooc-ltd", "--different", "--reason", "x")
    assert code == 0 and "Traceback" not in err + out, err
    code, out, err = run("show", "ORG:smic", "--json")
    assert code == 0 and "opensanctions" in out


@pytest.fixture(scope="module")
def loaded(template: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """The fixture loaded once (a copy for each example)."""
    folder = tmp_path_factory.mktemp("loaded")
    _loaded(template, folder / "ws", LINES)
    yield folder / "ws"


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(deleted=st.lists(st.sampled_from(DELETABLE), min_size=1, max_size=len(DELETABLE), unique=True))
def test_deleting_any_entities_then_judging_gives_the_final_files_graph_or_is_refused_as_it_is(
    template: Path, loaded: Path, deleted: list[str]
) -> None:
    with tempfile.TemporaryDirectory(dir=loaded.parent) as scratch:
        tmp = Path(scratch)
        final = [line for line in LINES if json.loads(line)["id"] not in deleted]
        fresh = Workspace(tmp / "fresh")
        shutil.copytree(template, fresh.folder)
        try:
            load_path(fresh, _write(tmp / "final.json", final), "ftm", "os")
            valid = True
        except LoadError:
            valid = False
        shutil.copytree(loaded, tmp / "ws")
        workspace = Workspace(tmp / "ws")
        delta = _dels(tmp / "delta.json", deleted)
        if not valid:
            before = _snapshot(workspace.folder)
            with pytest.raises(LoadError, match=rf"{delta}:\d+: entity.id: "):
                load_path(workspace, delta, "ftm-delta", "os")
            workspace.close()
            assert _snapshot(workspace.folder) == before
            return
        load_path(workspace, delta, "ftm-delta", "os")
        assert _graph(Workspace(workspace.folder)) == _graph(fresh)
        _judge(workspace)
        _judge(fresh)
        assert _graph(Workspace(workspace.folder)) == _graph(Workspace(fresh.folder))
        workspace.close()
        fresh.close()
