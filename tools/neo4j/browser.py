"""Neo4j Browser as the local server serves it: the pinned release's jar, checked and patched so that
it tells no third party it runs, and the style it captions nodes with."""

from __future__ import annotations

import hashlib
import json
import re
import zipfile
from pathlib import Path

from tools.neo4j import jars
from tools.neo4j.errors import BrowserUnavailable
from tools.neo4j.jars import BROWSER_JAR, browser_sha256, browser_version, cache_dir
from tools.neo4j.locks import locked

# Neo4j Browser captions a node with its `name` (the first of name, title, label… it finds): an
# order's is its whole title ("Executive Order 13959: Addressing the Threat…"), which a node's circle
# cuts to "Executive 13…", a security's "Xiaomi Corporation (HKEX 1810)". This Graph Style Sheet
# captions them "EO 13959" and "HKEX:1810" from properties the sync writes on every one of them
# (tests/test_neo4j_browser_style.py); `name` stays every other node's caption (a rule of its own, first:
# Browser would add one for `:Entity` after these, and the last rule matching wins).
BROWSER_STYLE: dict[str, dict[str, str]] = {
    "node.Entity": {"caption": "{name}"},
    "node.ExecutiveOrder": {"caption": "EO {number}"},
    "node.Security": {"caption": "{ticker}", "diameter": "65px"},  # "HKEX:1810" fits on one line
}


def browser_style_command() -> str:
    """The Browser command applying :data:`BROWSER_STYLE`: GraSS as JSON, which Browser reads as
    is, and with no ``;`` (which would split it as a post-connect command).

    >>> browser_style_command()[:44]
    ':style {"node.Entity": {"caption": "{name}"}'
    """
    return ":style " + json.dumps(BROWSER_STYLE)


def _version_key(jar: Path) -> tuple[tuple[int, int | str], ...]:
    """A jar's version as numbers where it has them: 5.9.0 before 5.24.0 (text order puts it after).

    >>> sorted(["neo4j-browser-5.24.0.jar", "neo4j-browser-5.9.0.jar"], key=lambda n: _version_key(Path(n)))
    ['neo4j-browser-5.9.0.jar', 'neo4j-browser-5.24.0.jar']
    """
    version = jar.name.removeprefix("neo4j-browser-").removesuffix(".jar")
    return tuple((0, int(part)) if part.isdigit() else (1, part) for part in re.split(r"[.-]", version))


def browser_jar(lib: Path) -> Path:
    """The fetched Browser jar of the release pom.xml asks for.

    After ``<neo4j.browser.version>`` is bumped :func:`fetch_jars` fetches the new jar alone, at the
    next start; until it has, :class:`BrowserUnavailable` says the cache holds another and how to
    fetch it.
    """
    want = browser_version()
    fetched = sorted(lib.glob(BROWSER_JAR), key=_version_key)
    for jar in fetched:
        if jar.name == f"neo4j-browser-{want}.jar":
            return jar
    held = ", ".join(j.name for j in fetched) or f"no {BROWSER_JAR}"
    raise BrowserUnavailable(
        f"the jar cache {lib} holds {held}, not neo4j-browser-{want}.jar that {jars.POM.name} asks for "
        f"(a fetch of it failed?): run `python -m tools.neo4j.server fetch`, which fetches that jar alone"
    )


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


BROWSER_PATCHES: tuple[tuple[str, str], ...] = (
    (r"@import url\(https://fonts\.googleapis\.com/[^)]*\);", ""),
    (
        r'allowOutgoingConnections:!\w+\.isConfigValFalsy\(e\["browser\.allow_outgoing_connections"\]\)',
        "allowOutgoingConnections:!1",
    ),
    # Community's Browser allows them whatever the setting says: allowed only when the setting is.
    (
        r"t\.shouldAllowOutgoingConnections=e=>t\.hasEdition\(e\)&&!t\.isEnterprise\(e\)\|\|",
        "t.shouldAllowOutgoingConnections=e=>",
    ),
    # Sentry: its crash reports wait for consent, its performance traces (a fifth of page loads)
    # do not; with no DSN the SDK sends nothing.
    (r'dsn:"https://[0-9a-f]+@[0-9a-z.]+\.ingest\.sentry\.io/[0-9]+"', 'dsn:""'),
)


def local_browser(lib: Path) -> Path:
    """The Browser jar the local server serves: :data:`BROWSER_PATCHES` applied to the fetched one,
    once its SHA-256 is checked against the pinned one (:func:`browser_sha256`), written once next to
    ``lib`` (atomically, under the cache's lock).

    Raises :class:`BrowserUnavailable` saying why when there is no Browser jar, when its SHA-256 is
    not the pinned one, or when the patches do not each match once.
    """
    jar = browser_jar(lib)
    pinned = browser_sha256()
    # Checked at each start (~0.05 s): a jar replaced in the cache is never patched nor served.
    found_sha = _sha256(jar)
    if found_sha != pinned:
        raise BrowserUnavailable(
            f"{jar.name} has SHA-256 {found_sha}, not the {pinned} pinned in {jars.POM.name}: "
            "its privacy patches are checked against that jar only"
        )
    # Named by the patches and the jar: a server still running on an earlier copy keeps its file.
    key = repr((BROWSER_PATCHES, pinned)).encode("utf-8")
    local = lib.parent / f"browser-local-{hashlib.blake2b(key, digest_size=6).hexdigest()}" / jar.name
    if local.exists():
        return local
    with locked(cache_dir() / ".lock"):
        if local.exists():
            return local
        local.parent.mkdir(parents=True, exist_ok=True)
        scratch = local.with_suffix(".partial")
        found = [0] * len(BROWSER_PATCHES)
        with zipfile.ZipFile(jar) as source, zipfile.ZipFile(scratch, "w") as out:
            for info in source.infolist():
                data = source.read(info)
                if info.filename.startswith("browser/") and info.filename.endswith(".js"):
                    text = data.decode("utf-8")
                    for i, (pattern, replacement) in enumerate(BROWSER_PATCHES):
                        text, n = re.subn(pattern, replacement, text)
                        found[i] += n
                    data = text.encode("utf-8")
                out.writestr(info, data)
        if found != [1] * len(BROWSER_PATCHES):
            scratch.unlink()
            missed = [p for (p, _), n in zip(BROWSER_PATCHES, found, strict=True) if n != 1]
            raise BrowserUnavailable(
                f"{jar.name}: its privacy patches do not fit (patterns not found once each: {missed})"
            )
        scratch.rename(local)
    return local
