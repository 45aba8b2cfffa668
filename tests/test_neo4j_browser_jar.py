"""The Browser jar the local server serves: the fetched one only when its SHA-256 is the one pom.xml
pins and the privacy patches (tools.neo4j.server.BROWSER_PATCHES) each fit once. Any other jar is
not served: the server still starts (Bolt and Cypher work) and ``start``/``status`` say why."""

from __future__ import annotations

import hashlib
import json
import urllib.error
import urllib.request
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from neo4j import GraphDatabase

from tests.conftest import CliResult
from tools.neo4j import jars, server

pytestmark = pytest.mark.neo4j

PINNED = "064b3291c4236002c9ea04c89592ebebc80fe1f790eda36642599c9a1ee80bb8"


def _fake_browser(lib: Path) -> Path:
    """A Browser jar of the right name whose scripts hold none of the patch points."""
    lib.mkdir(parents=True, exist_ok=True)
    jar = lib / "neo4j-browser-5.24.0.jar"
    with zipfile.ZipFile(jar, "w") as out:
        out.writestr("browser/index.html", "<html></html>")
        out.writestr("browser/assets/app.js", 'const fonts = "@import url(https://example.org/x.css)";\n')
    return jar


def _pin(tmp_path: Path, sha: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """pom.xml as it is, but pinning ``sha``."""
    pom = tmp_path / "pom.xml"
    pom.write_text(server.POM.read_text("utf-8").replace(PINNED, sha), "utf-8")
    monkeypatch.setattr(jars, "POM", pom)


def test_the_pin_is_recorded_once_and_matches_the_fetched_jar() -> None:
    assert server.browser_sha256() == PINNED
    lib = server.fetch_jars()
    (fetched,) = lib.glob(server.BROWSER_JAR)
    assert hashlib.sha256(fetched.read_bytes()).hexdigest() == PINNED
    local = server.local_browser(lib)
    assert local.name == fetched.name and local.parent.parent == lib.parent
    jars, missing = server.classpath(lib)
    assert missing is None and jars.split(":")[-1] == str(local)
    assert str(fetched) not in jars.split(":"), "the fetched, unpatched jar is never on the classpath"


def test_a_jar_of_another_sha256_is_neither_patched_nor_served(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ORDERGRAPH_NEO4J_CACHE", str(tmp_path / "cache"))
    lib = tmp_path / "cache" / "neo4j-x" / "lib"
    jar = _fake_browser(lib)
    (lib / "neo4j-kernel-5.jar").write_bytes(b"jar")
    with pytest.raises(server.BrowserUnavailable, match=f"SHA-256 [0-9a-f]{{64}}, not the {PINNED} pinned"):
        server.local_browser(lib)
    jars, missing = server.classpath(lib)
    assert jars.split(":") == [str(lib / "neo4j-kernel-5.jar")] and str(jar) not in jars
    assert missing is not None and "pinned in pom.xml" in missing
    assert not list(lib.parent.glob("browser-local-*/*")), "nothing patched"


def test_the_jar_served_is_the_release_pom_xml_asks_for_compared_as_numbers(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ORDERGRAPH_NEO4J_CACHE", str(tmp_path / "cache"))
    lib = tmp_path / "cache" / "neo4j-x" / "lib"
    asked = _fake_browser(lib)  # neo4j-browser-5.24.0.jar, the pom's release
    (lib / "neo4j-browser-5.9.0.jar").write_bytes(b"older")  # text order would take this one
    (lib / "neo4j-browser-5.100.0.jar").write_bytes(b"newer")
    assert server.browser_jar(lib) == asked
    asked.unlink()
    with pytest.raises(server.BrowserUnavailable) as missing:
        server.browser_jar(lib)
    said = str(missing.value)
    assert "holds neo4j-browser-5.9.0.jar, neo4j-browser-5.100.0.jar, not neo4j-browser-5.24.0.jar" in said
    assert "run `python -m tools.neo4j.server fetch`, which fetches that jar alone" in said
    _, why = server.classpath(lib)
    assert why == said, "the server starts without Browser and start/status say why"


def test_a_bumped_browser_release_in_an_old_cache_says_how_to_fetch_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ORDERGRAPH_NEO4J_CACHE", str(tmp_path / "cache"))
    lib = tmp_path / "cache" / "neo4j-x" / "lib"
    _fake_browser(lib)
    pom = tmp_path / "pom.xml"
    pom.write_text(
        server.POM.read_text("utf-8").replace(
            "<neo4j.browser.version>5.24.0<", "<neo4j.browser.version>5.26.1<"
        ),
        "utf-8",
    )
    monkeypatch.setattr(jars, "POM", pom)
    assert server.browser_version() == "5.26.1"
    bumped = r"holds neo4j-browser-5\.24\.0\.jar, not neo4j-browser-5\.26\.1"
    with pytest.raises(server.BrowserUnavailable, match=bumped):
        server.local_browser(lib)


def test_the_importer_classpath_has_every_server_jar_and_no_browser(tmp_path: Path) -> None:
    lib = tmp_path / "lib"
    _fake_browser(lib)
    (lib / "neo4j-kernel-5.jar").write_bytes(b"jar")
    jars, why = server.classpath(lib, browser=False)
    assert jars.split(":") == [str(lib / "neo4j-kernel-5.jar")] and why == "not wanted"


def test_a_pinned_jar_the_patches_do_not_fit_is_not_served(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ORDERGRAPH_NEO4J_CACHE", str(tmp_path / "cache"))
    lib = tmp_path / "cache" / "neo4j-x" / "lib"
    jar = _fake_browser(lib)
    _pin(tmp_path, hashlib.sha256(jar.read_bytes()).hexdigest(), monkeypatch)
    with pytest.raises(server.BrowserUnavailable, match="privacy patches do not fit") as raised:
        server.local_browser(lib)
    assert "fonts" in str(raised.value), "names the patterns that did not fit"
    _, missing = server.classpath(lib)
    assert missing is not None and "do not fit" in missing
    assert not list(lib.parent.glob("browser-local-*/*")), "no half-patched copy left behind"


@pytest.fixture
def bad_browser_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A jar cache holding the real server jars and a Browser jar the patches do not fit (pinned)."""
    real = server.fetch_jars()
    lib = tmp_path / "cache" / f"neo4j-{server.neo4j_version()}" / "lib"
    lib.mkdir(parents=True)
    for jar in real.glob("*.jar"):
        if not jar.match(server.BROWSER_JAR):
            (lib / jar.name).symlink_to(jar)
    fake = _fake_browser(lib)
    (lib.parent / "complete").write_text(server.neo4j_version())
    _pin(tmp_path, hashlib.sha256(fake.read_bytes()).hexdigest(), monkeypatch)
    monkeypatch.setenv("ORDERGRAPH_NEO4J_CACHE", str(tmp_path / "cache"))
    monkeypatch.delenv("NEO4J_URI", raising=False)
    monkeypatch.setenv("ORDERGRAPH_HOME", str(tmp_path))
    yield tmp_path / "neo4j"
    server.stop(tmp_path / "neo4j")  # also when the test failed midway


def test_a_server_whose_browser_cannot_be_served_starts_without_it_and_says_why(
    cli: Callable[..., CliResult], bad_browser_cache: Path
) -> None:
    bolt, http = server.free_port(), server.free_port()
    started = cli("neo4j", "start", "--bolt-port", str(bolt), "--http-port", str(http), "--json")
    assert started.code == 0, started.err
    info = started.json()
    assert info["bolt"] == f"bolt://127.0.0.1:{bolt}" and info["browser"] is None
    assert "privacy patches do not fit" in info["browser_missing"]
    text = cli("neo4j", "start").out
    assert "Browser: not served (neo4j-browser-5.24.0.jar: its privacy patches do not fit" in text
    # Bolt and Cypher work; the HTTP port is open, with no Browser behind it.
    with GraphDatabase.driver(info["bolt"], auth=None) as driver:
        assert driver.execute_query("RETURN 1 AS one").records[0]["one"] == 1
    with urllib.request.urlopen(f"http://127.0.0.1:{http}/", timeout=60) as page:
        assert json.load(page)["bolt_direct"] == f"bolt://127.0.0.1:{bolt}"
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(f"http://127.0.0.1:{http}/browser/", timeout=60)
    assert refused.value.code == 404
    status = cli("neo4j", "status")
    assert status.code == 0, status.err
    assert "Browser: not served (neo4j-browser-5.24.0.jar: its privacy patches do not fit" in status.out
    assert cli("neo4j", "status", "--json").json()["browser"] is None
    assert cli("neo4j", "stop").code == 0
