"""bench/delta_ab.py applies a delta to a copy of a workspace, leaves the workspace as it was, and
counts the log's pages by b-tree (no timing asserts: the figures are only checked to be there)."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from bench import delta_ab
from bench.engine import load
from bench.gen_corpus import write_corpus
from bench.run import ROOT


@pytest.fixture(scope="module")
def loaded(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    folder = tmp_path_factory.mktemp("delta-ab")
    full, delta = write_corpus(2000, folder / "corpus")
    home = folder / "ws"
    load(full, home)
    return home, delta


def _digest(folder: Path) -> str:
    files = sorted(p for p in folder.rglob("*") if p.is_file())
    return hashlib.sha256(b"".join(p.name.encode() + p.read_bytes() for p in files)).hexdigest()


def test_a_run_applies_the_delta_to_a_copy_and_leaves_the_workspace(
    loaded: tuple[Path, Path], tmp_path: Path
) -> None:
    home, delta = loaded
    before = _digest(home)
    figures = delta_ab.run_one(ROOT, home, delta, tmp_path)
    assert "failed" not in figures, figures
    assert figures["cpu_s"] > 0 and figures["log_mb"] > 0 and figures["minor_faults"] > 0
    assert _digest(home) == before
    assert list(tmp_path.iterdir()) == []  # the copy is gone


def test_pages_are_counted_by_btree(loaded: tuple[Path, Path], tmp_path: Path) -> None:
    home, delta = loaded
    figures = delta_ab.run_one(ROOT, home, delta, tmp_path, pages=True)
    assert "failed" not in figures, figures
    by_btree = figures["pages_by_btree"]
    # The delta changes and adds nodes and edges: their tables are among the pages written.
    assert {"nodes", "edges"} <= set(by_btree)
    assert 0 < sum(by_btree.values()) <= figures["log_frames"]


def test_rounds_alternate_the_engines_in_order(loaded: tuple[Path, Path], tmp_path: Path) -> None:
    home, delta = loaded
    seen = [(n, label) for n, label, _ in delta_ab.rounds({"a": ROOT, "b": ROOT}, home, delta, 2, tmp_path)]
    assert seen == [(1, "a"), (1, "b"), (2, "a"), (2, "b")]


def test_an_engine_is_label_and_an_existing_folder(tmp_path: Path) -> None:
    assert delta_ab._engines([f"x={tmp_path}"]) == {"x": tmp_path.resolve()}
    with pytest.raises(SystemExit, match="LABEL=CODE_DIR"):
        delta_ab._engines([str(tmp_path)])
    with pytest.raises(SystemExit, match="LABEL=CODE_DIR"):
        delta_ab._engines([f"x={tmp_path / 'missing'}"])


def test_log_pages_reads_each_whole_frame_in_order() -> None:
    page = 512
    header = b"\x37\x7f\x06\x82" + (3007000).to_bytes(4, "big") + page.to_bytes(4, "big") + bytes(20)

    def frame(number: int) -> bytes:
        return number.to_bytes(4, "big") + bytes(20) + bytes(page)

    assert delta_ab.log_pages(header + frame(7) + frame(3) + frame(7) + frame(9)[:100]) == [7, 3, 7]
    assert delta_ab.log_pages(header) == [] and delta_ab.log_pages(b"") == []
