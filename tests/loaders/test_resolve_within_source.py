"""A source's own entities are not merged by name: the source already tells them apart.

Names still match against the graph as it was before the source (the curated
data, earlier datasets); and because a load never compares its names with each
other, its cost grows with the file, not with the square of it.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import graph.names
import loaders.resolve
from loaders.workspace import Workspace, load_path


def _company(ftm_id: str, name: str, country: str = "cn") -> dict[str, object]:
    return {
        "id": ftm_id,
        "schema": "Company",
        "properties": {"name": [name], "country": [country]},
        "datasets": ["test"],
        "first_seen": "2024-01-01T00:00:00",
        "last_seen": "2024-02-01T00:00:00",
    }


def _write(path: Path, entities: list[dict[str, object]]) -> Path:
    path.write_text("".join(json.dumps(e) + "\n" for e in entities), encoding="utf-8")
    return path


def test_two_entities_of_one_source_with_one_name_stay_two(tmp_path: Path) -> None:
    workspace = Workspace(tmp_path / "ws")
    path = _write(
        tmp_path / "two.json",
        [
            _company("NK-a", "Hualong Electronics Co., Ltd."),
            _company("NK-b", "Hualong Electronics Co., Ltd."),
        ],
    )
    load_path(workspace, path, "ftm", "two")
    store = workspace.store()
    assert {n.id for n in store.nodes("Company") if n.name.startswith("Hualong")} == {"ORG:NK-a", "ORG:NK-b"}


def test_a_name_from_before_the_source_still_merges(tmp_path: Path) -> None:
    workspace = Workspace(tmp_path / "ws")
    curated = next(n for n in workspace.store().nodes("Company") if n.id == "ORG:xiaomi")
    load_path(workspace, _write(tmp_path / "x.json", [_company("NK-x", curated.name)]), "ftm", "first")
    assert workspace.store().get_node("ORG:NK-x") is None
    assert "first" in workspace.store().get_node("ORG:xiaomi").datasets  # type: ignore[union-attr]
    # A later dataset matches the names an earlier one brought.
    later = (("a", "NK-c", "Zyxq Bronze Works Ltd."), ("b", "NK-d", "Zyxq Bronze Works"))
    for dataset, ftm_id, name in later:
        load_path(workspace, _write(tmp_path / f"{dataset}.json", [_company(ftm_id, name)]), "ftm", dataset)
    assert workspace.store().get_node("ORG:NK-d") is None
    assert set(workspace.store().get_node("ORG:NK-c").datasets) == {"a", "b"}  # type: ignore[union-attr]


def test_a_source_never_compares_its_names_with_each_other(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[tuple[str, str]] = []
    real = graph.names.similarity

    def counted(a: str, b: str) -> float:
        calls.append((a, b))
        return real(a, b)

    monkeypatch.setattr(loaders.resolve, "similarity", counted)
    workspace = Workspace(tmp_path / "ws")
    # 200 names sharing their first word (the resolver's block) and no curated name.
    entities = [_company(f"NK-{i}", f"Zyxq Trading {i} Company") for i in range(200)]
    load_path(workspace, _write(tmp_path / "many.json", entities), "ftm", "many")
    assert calls == []
    assert sum(1 for n in workspace.store().nodes("Company") if n.name.startswith("Zyxq")) == 200
