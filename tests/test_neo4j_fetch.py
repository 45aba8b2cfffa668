"""Fetching the Neo4j jars on a fresh machine: a registry that fails for a moment is tried again."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from tools.neo4j import server

# A stand-in for Maven: fails the first ``FAILS`` calls (as a registry answering 502 would), then
# writes a jar into the -DoutputDirectory it is given. Each call is counted in calls.txt.
FAKE_MVN = """#!/bin/sh
here=$(dirname "$0")
echo call >> "$here/calls.txt"
if [ "$(wc -l < "$here/calls.txt")" -le {fails} ]; then
  echo "Could not transfer artifact org.neo4j:neo4j: status code: 502" >&2
  exit 1
fi
for arg in "$@"; do
  case "$arg" in -DoutputDirectory=*) out="${{arg#-DoutputDirectory=}}";; esac
done
mkdir -p "$out" && echo jar > "$out/neo4j-kernel-5.jar"
"""


def _fake_mvn(folder: Path, fails: int, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder.mkdir()
    mvn = folder / "mvn"
    mvn.write_text(FAKE_MVN.format(fails=fails))
    mvn.chmod(mvn.stat().st_mode | stat.S_IEXEC)
    monkeypatch.setenv("PATH", f"{folder}{os.pathsep}{os.environ['PATH']}")
    monkeypatch.setenv("ORDERGRAPH_NEO4J_CACHE", str(folder.parent / "cache"))
    monkeypatch.setattr(server, "FETCH_RETRY_DELAYS", (0.0, 0.0))
    return folder / "calls.txt"


def test_a_fetch_that_fails_twice_is_tried_again(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    calls = _fake_mvn(tmp_path / "bin", fails=2, monkeypatch=monkeypatch)
    lib = server.fetch_jars()
    assert [p.name for p in lib.iterdir()] == ["neo4j-kernel-5.jar"]
    assert len(calls.read_text().splitlines()) == 3


def test_a_fetch_that_keeps_failing_says_so(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    calls = _fake_mvn(tmp_path / "bin", fails=99, monkeypatch=monkeypatch)
    with pytest.raises(server.ServerError, match=r"failed \(3 tries\):\n.*status code: 502"):
        server.fetch_jars()
    assert len(calls.read_text().splitlines()) == 3
    assert not (tmp_path / "cache" / f"neo4j-{server.neo4j_version()}" / "complete").exists()
