"""Fixtures shared by the loader tests."""

from __future__ import annotations

from pathlib import Path

import pytest

from loaders.workspace import Workspace


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh workspace (the curated data only), made once per test module and copied for each test."""
    folder = tmp_path_factory.mktemp("template")
    Workspace(folder).store()
    return folder
