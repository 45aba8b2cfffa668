"""Fetching the Neo4j jars on a fresh machine: a registry that fails for a moment is tried again."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from tools.neo4j import jars, server

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
    monkeypatch.setattr(jars, "FETCH_RETRY_DELAYS", (0.0, 0.0))
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


# A stand-in for Maven that writes what pom.xml's copy-dependencies would: every jar, or (asked for
# neo4j-browser alone) that jar only, of the release the pom it is given names. Calls go to calls.txt.
FAKE_MVN_BROWSER = """#!/bin/sh
here=$(dirname "$0")
echo "$@" >> "$here/calls.txt"
only=no
for arg in "$@"; do
  case "$arg" in
    -DoutputDirectory=*) out="${arg#-DoutputDirectory=}";;
    -DincludeArtifactIds=neo4j-browser) only=yes;;
    -f) pom_next=yes; continue;;
  esac
  if [ "$pom_next" = yes ]; then pom="$arg"; pom_next=no; fi
done
browser=$(sed -n 's:.*<neo4j.browser.version>\\(.*\\)</neo4j.browser.version>.*:\\1:p' "$pom")
mkdir -p "$out"
echo "browser $browser" > "$out/neo4j-browser-$browser.jar"
[ "$only" = yes ] || echo jar > "$out/neo4j-kernel-5.jar"
"""


def test_a_bumped_browser_release_fetches_the_browser_jar_alone(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "bin"
    folder.mkdir()
    mvn = folder / "mvn"
    mvn.write_text(FAKE_MVN_BROWSER)
    mvn.chmod(mvn.stat().st_mode | stat.S_IEXEC)
    monkeypatch.setenv("PATH", f"{folder}{os.pathsep}{os.environ['PATH']}")
    monkeypatch.setenv("ORDERGRAPH_NEO4J_CACHE", str(tmp_path / "cache"))
    calls = folder / "calls.txt"
    lib = server.fetch_jars()  # a cold cache: everything
    assert sorted(p.name for p in lib.iterdir()) == ["neo4j-browser-5.24.0.jar", "neo4j-kernel-5.jar"]
    kernel = (lib / "neo4j-kernel-5.jar").stat()
    assert server.fetched_browser(lib) == "5.24.0" and len(calls.read_text().splitlines()) == 1
    assert server.fetch_jars() == lib and len(calls.read_text().splitlines()) == 1, "cached: no Maven"

    pom = tmp_path / "pom.xml"
    pom.write_text(server.POM.read_text("utf-8").replace(">5.24.0</neo4j.browser", ">5.26.1</neo4j.browser"))
    monkeypatch.setattr(jars, "POM", pom)
    assert server.fetch_jars() == lib
    last = calls.read_text().splitlines()[-1]
    assert len(calls.read_text().splitlines()) == 2
    assert "-DincludeArtifactIds=neo4j-browser" in last and "-DexcludeTransitive=true" in last
    assert sorted(p.name for p in lib.iterdir()) == ["neo4j-browser-5.26.1.jar", "neo4j-kernel-5.jar"]
    assert (lib / "neo4j-kernel-5.jar").stat().st_ino == kernel.st_ino, "the server's jars stay as they were"
    assert server.fetched_browser(lib) == "5.26.1"
    assert server.browser_jar(lib).name == "neo4j-browser-5.26.1.jar"
    assert server.fetch_jars() == lib and len(calls.read_text().splitlines()) == 2, "recorded: no Maven"


def test_a_marker_written_before_it_named_the_browser_reads_the_jar_there(tmp_path: Path) -> None:
    lib = tmp_path / "neo4j-5" / "lib"
    lib.mkdir(parents=True)
    (lib.parent / server.MARKER).write_text("5.26.30\n")
    assert server.fetched_browser(lib) is None
    (lib / f"neo4j-browser-{server.browser_version()}.jar").write_bytes(b"jar")
    assert server.fetched_browser(lib) == server.browser_version()
