"""Fixtures shared by the loader tests."""

from __future__ import annotations

from pathlib import Path

import pytest

from loaders.workspace import Workspace
from tests.loaders.workspaces import Run, cli_on_copy


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh workspace (the curated data only), made once per test module and copied for each test."""
    folder = tmp_path_factory.mktemp("template")
    Workspace(folder).store()
    return folder


@pytest.fixture
def run(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, template: Path) -> Run:
    """The CLI on a copy of the template workspace (ORDERGRAPH_HOME): exit code, stdout, stderr."""
    return cli_on_copy(template, tmp_path, monkeypatch)
