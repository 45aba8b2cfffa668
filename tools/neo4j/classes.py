"""A class-data-sharing archive of the local server's classes (Java's AppCDS), for a run that starts
many servers: a JVM that maps it starts about two seconds sooner (6.7 s → 4.6 s a start, measured on
this 2-core machine kind in session 37), and the test suite starts dozens.

The archive is written by a JVM as it ends (``-XX:ArchiveClassesAtExit``): :func:`build_archive`
starts a server in a scratch home, stops it, and keeps what its JVM wrote in the jar cache, named by
the Java, the jars and the flags it was made for. A JVM given an archive that does not fit it (another
Java under the same path, a damaged file) ignores it and loads its classes as usual: only the time is
lost, never a start.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from tools.neo4j.config import JVM_FLAGS_ENV, jvm_flags
from tools.neo4j.jars import cache_dir, fetch_jars, java
from tools.neo4j.locks import locked
from tools.neo4j.starting import LaunchOptions, start
from tools.neo4j.stopping import stop


def archive_path() -> Path:
    """Where the archive for this Java, these jars and these JVM flags is kept in the jar cache."""
    key = "\n".join([os.path.realpath(java()), str(fetch_jars()), *jvm_flags()])
    return cache_dir() / f"classes-{hashlib.sha256(key.encode()).hexdigest()[:16]}.jsa"


def sharing_flag(archive: Path) -> str:
    """The JVM flag that maps ``archive``."""
    return f"-XX:SharedArchiveFile={archive}"


def build_archive() -> Path | None:
    """The archive for the current JVM flags, built once (a server started and stopped, ~15 s) and
    then found in the jar cache; None when the JVM wrote none (the flags are kept as they were)."""
    target = archive_path()
    if target.exists():
        return target
    with locked(cache_dir() / ".classes.lock"):
        if target.exists():
            return target
        scratch = target.with_name(f"{target.name}.{os.getpid()}.part")
        dump = f"-XX:ArchiveClassesAtExit={scratch}"
        with tempfile.TemporaryDirectory(prefix="classes-", dir=cache_dir()) as home, _flags_added(dump):
            try:
                start(Path(home), LaunchOptions(stop_with=os.getpid(), timeout=300))
            finally:
                stop(Path(home))  # the JVM writes the archive as it ends
        if scratch.exists() and scratch.stat().st_size > 0:
            os.replace(scratch, target)
        scratch.unlink(missing_ok=True)
    return target if target.exists() else None


@contextmanager
def _flags_added(flag: str) -> Iterator[None]:
    """``$ORDERGRAPH_NEO4J_JVM_FLAGS`` with ``flag`` added, for the JVMs started meanwhile."""
    before = os.environ.get(JVM_FLAGS_ENV)
    os.environ[JVM_FLAGS_ENV] = f"{before or ''} {flag}".strip()
    try:
        yield
    finally:
        if before is None:
            os.environ.pop(JVM_FLAGS_ENV, None)
        else:
            os.environ[JVM_FLAGS_ENV] = before
