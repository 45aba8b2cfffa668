"""A delta applied to a loaded dataset tells its progress, as a load does: a long one shows a bar."""

from __future__ import annotations

import io
import json
import shutil
import sys
from pathlib import Path

import pytest

from cli import progress
from cli.session import Session
from loaders.workspace import Workspace, load_path
from tests.loaders.workspaces import BASE, CHANGES, delta_line, write_lines


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def _loaded(template: Path, tmp_path: Path) -> tuple[Workspace, Path]:
    """A workspace with the dataset ``os`` loaded, and a delta to it (ADD, MOD and DEL lines; a DEL,
    which gives no row, last)."""
    shutil.copytree(template, tmp_path / "ws")
    workspace = Workspace(tmp_path / "ws")
    load_path(workspace, write_lines(tmp_path / "base.json", BASE), "ftm", "os")
    changes = [*CHANGES, ("DEL", json.dumps({"id": "d-1"}))]
    delta = write_lines(tmp_path / "delta.json", [delta_line(op, entity) for op, entity in changes])
    return workspace, delta


def test_a_delta_tells_the_lines_it_reached_up_to_its_last(template: Path, tmp_path: Path) -> None:
    workspace, delta = _loaded(template, tmp_path)
    lines = len(delta.read_text(encoding="utf-8").splitlines())
    reached: list[int] = []
    load_path(workspace, delta, "ftm-delta", "os", reached.append)
    assert len(reached) > 1 and all(1 <= line <= lines for line in reached)
    assert reached[-1] == lines  # the bar ends full, though the last line (a DEL) gives no row
    workspace.close()


def test_a_long_delta_shows_a_progress_bar_on_a_terminal(
    template: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    workspace, delta = _loaded(template, tmp_path)
    monkeypatch.setattr(progress, "PROGRESS_MIN_BYTES", 0)  # the fixture's delta is small
    terminal = _Terminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    with progress.load_progress(Session(), delta) as advance:
        assert advance is not None
        load_path(workspace, delta, "ftm-delta", "os", advance)
    assert "loading delta.json" in terminal.getvalue() and "100%" in terminal.getvalue()
    workspace.close()
