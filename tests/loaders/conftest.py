"""Fixtures shared by the loader tests."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner

import ordergraph
from cli.session import Session
from loaders.workspace import Workspace


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh workspace (the curated data only), made once per test module and copied for each test."""
    folder = tmp_path_factory.mktemp("template")
    Workspace(folder).store()
    return folder


@pytest.fixture
def run(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, template: Path
) -> Callable[..., tuple[int, str, str]]:
    """The CLI on a copy of the template workspace (ORDERGRAPH_HOME): exit code, stdout, stderr."""
    home = tmp_path / "home"
    shutil.copytree(template, home)
    monkeypatch.setenv("ORDERGRAPH_HOME", str(home))

    def invoke(*args: str) -> tuple[int, str, str]:
        result = CliRunner().invoke(ordergraph.cli, list(args), obj=Session())
        return result.exit_code, result.stdout, result.stderr

    return invoke
