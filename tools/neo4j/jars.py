"""The server's jars: the releases ``pom.xml`` (beside this file) asks for, fetched with
``mvn dependency:copy-dependencies`` into a git-ignored cache that is reused when present, and the
java that runs them."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

from tools.neo4j.errors import ServerError
from tools.neo4j.locks import locked

HERE = Path(__file__).resolve().parent


POM = HERE / "pom.xml"


# Seconds to wait before each new try of a failed Maven fetch.
FETCH_RETRY_DELAYS: tuple[float, ...] = (5.0, 20.0)


def neo4j_version(pom: Path = POM) -> str:
    """The Neo4j release the pom asks for (one place to bump it)."""
    match = re.search(r"<neo4j\.version>([^<]+)</neo4j\.version>", pom.read_text(encoding="utf-8"))
    if match is None:
        raise ServerError(f"{pom}: no <neo4j.version> property")
    return match.group(1).strip()


def browser_sha256(pom: Path | None = None) -> str:
    """The SHA-256 the fetched Browser jar must have before it is patched (``<neo4j.browser.sha256>``
    in ``pom``, default :data:`POM`)."""
    pom = pom or POM
    match = re.search(
        r"<neo4j\.browser\.sha256>([0-9a-f]{64})</neo4j\.browser\.sha256>", pom.read_text("utf-8")
    )
    if match is None:
        raise ServerError(f"{pom}: no <neo4j.browser.sha256> property (64 lowercase hex digits)")
    return match.group(1)


def browser_version(pom: Path | None = None) -> str:
    """The Neo4j Browser release the pom asks for (``<neo4j.browser.version>``)."""
    pom = pom or POM
    match = re.search(r"<neo4j\.browser\.version>([^<]+)</neo4j\.browser\.version>", pom.read_text("utf-8"))
    if match is None:
        raise ServerError(f"{pom}: no <neo4j.browser.version> property")
    return match.group(1).strip()


def cache_dir() -> Path:
    """Where fetched jars are kept: ``ORDERGRAPH_NEO4J_CACHE`` or ``tools/neo4j/cache`` (git-ignored)."""
    return Path(os.environ.get("ORDERGRAPH_NEO4J_CACHE") or HERE / "cache")


def _require(program: str, why: str) -> str:
    found = shutil.which(program)
    if found is None:
        raise ServerError(f"{program} not found on PATH: {why}")
    return found


def java() -> str:
    """The java executable (Neo4j 5 needs Java 17 or 21)."""
    home = os.environ.get("JAVA_HOME")
    if home and (Path(home) / "bin" / "java").exists():
        return str(Path(home) / "bin" / "java")
    return _require("java", "Neo4j needs Java 17 or 21 (Debian: apt-get install -y openjdk-17-jre-headless)")


MARKER = "complete"  # in the cache's version folder: the Neo4j release, then "browser <release>"


# Neo4j Browser 5.24 reaches out of the machine on its own: its stylesheet imports its fonts from
# fonts.googleapis.com when it loads, and once connected it loads Segment's analytics script and
# Canny's feedback widget (cdn.segment.com, canny.io) unless the server says
# browser.allow_outgoing_connections=false, a setting Community 5.26 does not have (it refuses to
# start with it; and Browser ignores it on Community); a fifth of its page loads send Sentry a
# performance trace whatever the settings say. A reporter's Browser must not tell third
# parties it is running: the local server serves a copy of the Browser jar with the font import
# dropped (its system fallback fonts are used), outgoing connections off, as that setting turns
# them off on Enterprise, and Sentry given no address (tests/test_neo4j_browser.py checks no
# request leaves 127.0.0.1). Each (pattern, replacement) must match exactly once, in the jar whose
# SHA-256 pom.xml pins; any other jar, or one they do not fit, is not served (the server starts
# without Browser, and says why).
BROWSER_JAR = "neo4j-browser-*.jar"


def fetch_jars(quiet: bool = True) -> Path:
    """The folder of server jars, fetched with Maven when not cached yet.

    A fetch goes into a scratch folder that is renamed into place only when
    complete, under a lock, so concurrent runs never see half a classpath. The
    marker it leaves names the Browser release fetched: when pom.xml asks for
    another, only the Browser jar is fetched again (not the server's ~214).
    """
    version, browser = neo4j_version(), browser_version()
    lib = cache_dir() / f"neo4j-{version}" / "lib"
    if (lib.parent / MARKER).exists() and fetched_browser(lib) == browser:
        return lib
    with locked(cache_dir() / ".lock"):
        if (lib.parent / MARKER).exists():
            if fetched_browser(lib) != browser:
                _fetch_browser(lib, browser, quiet)
            return lib
        scratch = Path(tempfile.mkdtemp(prefix="fetch-", dir=cache_dir()))
        try:
            _maven(scratch / "lib", [], quiet, f"Neo4j {version} jars")
            if not any((scratch / "lib").glob("neo4j-*.jar")):
                raise ServerError(f"Maven wrote no Neo4j jars into {scratch / 'lib'}")
            if lib.parent.exists():
                shutil.rmtree(lib.parent)
            lib.parent.mkdir(parents=True)
            (scratch / "lib").rename(lib)
            _write_marker(lib, version, browser)
        finally:
            shutil.rmtree(scratch, ignore_errors=True)
    return lib


def fetched_browser(lib: Path) -> str | None:
    """The Browser release the cache's marker records; a marker written before it recorded one: the
    pom's release if its jar is in ``lib``, else None."""
    lines = (lib.parent / MARKER).read_text(encoding="utf-8").splitlines()
    for line in lines[1:]:
        if line.startswith("browser "):
            return line.removeprefix("browser ").strip()
    want = browser_version()
    return want if (lib / f"neo4j-browser-{want}.jar").exists() else None


def _write_marker(lib: Path, version: str, browser: str) -> None:
    (lib.parent / MARKER).write_text(f"{version}\nbrowser {browser}\n", encoding="utf-8")


def _fetch_browser(lib: Path, browser: str, quiet: bool) -> None:
    """Only the Browser jar of ``browser`` into ``lib`` (under the cache's lock), in place of the one
    fetched before; the marker then records it. Its SHA-256 is checked when it is patched
    (:func:`local_browser`), as a full fetch's is."""
    scratch = Path(tempfile.mkdtemp(prefix="fetch-browser-", dir=cache_dir()))
    try:
        only = ["-DincludeArtifactIds=neo4j-browser", "-DexcludeTransitive=true"]
        _maven(scratch, only, quiet, f"Neo4j Browser {browser}")
        jar = scratch / f"neo4j-browser-{browser}.jar"
        if not jar.exists():
            raise ServerError(f"Maven wrote no {jar.name} into {scratch}")
        for old in lib.glob(BROWSER_JAR):
            old.unlink()
        jar.rename(lib / jar.name)
        _write_marker(lib, (lib.parent / MARKER).read_text(encoding="utf-8").splitlines()[0], browser)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def _maven(out: Path, options: list[str], quiet: bool, what: str) -> None:
    """``mvn dependency:copy-dependencies`` of pom.xml into ``out`` (``options`` added), tried again
    when a registry fails for a moment (a reset connection, a 502)."""
    mvn = _require("mvn", "the Neo4j jars are fetched from Maven Central (apt-get install -y maven)")
    cmd = [mvn, "-B", "-f", str(POM), "dependency:copy-dependencies", "-DincludeScope=runtime"]
    cmd += [f"-DoutputDirectory={out}", *options]
    if quiet:
        cmd.insert(2, "-q")
    for delay in (*FETCH_RETRY_DELAYS, None):
        done = subprocess.run(cmd, capture_output=quiet, text=True, check=False)  # noqa: S603 - mvn, fixed args
        if done.returncode == 0 or delay is None:
            break
        time.sleep(delay)
    if done.returncode != 0:
        tail = (done.stdout or "")[-2000:] + (done.stderr or "")[-2000:] if quiet else ""
        tries = len(FETCH_RETRY_DELAYS) + 1
        raise ServerError(f"fetching {what} with Maven failed ({tries} tries):\n{tail}")
