"""A local server's settings: its address and ports, its JVM's flags and memory, its ``neo4j.conf``
and its classpath.

>>> config_text(7687, 7474).splitlines()[0]
'# Written by ordergraph (tools/neo4j/config.py): a local, single-user server.'
>>> "server.bolt.advertised_address=127.0.0.1:7687" in config_text(7687, 7474)
True
>>> jvm_flags({"ORDERGRAPH_NEO4J_JVM_FLAGS": " -XX:TieredStopAtLevel=1 "})[-2:]
('-XX:+UseSerialGC', '-XX:TieredStopAtLevel=1')
"""

from __future__ import annotations

import os
import socket
from collections.abc import Mapping
from pathlib import Path

from tools.neo4j.browser import browser_style_command, local_browser
from tools.neo4j.errors import BrowserUnavailable
from tools.neo4j.jars import BROWSER_JAR

ENTRY_POINT = "org.neo4j.server.CommunityEntryPoint"


HOST = "127.0.0.1"


# Java 17 needs these for Neo4j's off-heap and Netty internals (the launcher adds them itself).
JVM_FLAGS = (
    "--add-opens=java.base/java.nio=ALL-UNNAMED",
    "--add-opens=java.base/java.io=ALL-UNNAMED",
    "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
    "-Dio.netty.tryReflectionSetAccessible=true",
    "-XX:+UseSerialGC",
)


# Flags added to JVM_FLAGS for every JVM this project starts (the server and the bulk importer),
# separated by spaces. The test suite sets "-XX:TieredStopAtLevel=1" (C1 only): its servers start
# (~19 s → ~12 s a start on this 2-core machine) and its imports run (~11 s → ~7 s) a third faster.
# Not the default: C1 code makes the Bolt workers of a warm 100k sync about twice as slow
# (bench/RESULTS.md), and a user's server runs for long.
JVM_FLAGS_ENV = "ORDERGRAPH_NEO4J_JVM_FLAGS"


def jvm_flags(environ: Mapping[str, str] = os.environ) -> tuple[str, ...]:
    """:data:`JVM_FLAGS` and those ``$ORDERGRAPH_NEO4J_JVM_FLAGS`` adds (see the module's example)."""
    return (*JVM_FLAGS, *environ.get(JVM_FLAGS_ENV, "").split())


# Modest: several test runs share a machine. ORDERGRAPH_NEO4J_HEAP, _PAGECACHE ("2g") override them.
# 1g/512m against 384m/64m: ~15% less server CPU per warm 100k sync (bench/RESULTS.md, 13:2x UTC).
HEAP = "1g"


PAGE_CACHE = "512m"


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((HOST, 0))
        return int(sock.getsockname()[1])


def port_in_use(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.settimeout(0.5)
        return sock.connect_ex((HOST, port)) == 0


def preferred_ports() -> tuple[int, int]:
    """Neo4j's usual ports (Bolt 7687, HTTP 7474) when free, so Browser finds the server; else free ones."""
    bolt = 7687 if not port_in_use(7687) else free_port()
    http = 7474 if not port_in_use(7474) else free_port()
    return bolt, http


def config_text(bolt_port: int, http_port: int, auth: bool = False) -> str:
    """A neo4j.conf for a local server: loopback only, no auth (``auth``: on), small memory, no telemetry."""
    lines = [
        "# Written by ordergraph (tools/neo4j/config.py): a local, single-user server.",
        f"server.default_listen_address={HOST}",
        f"server.default_advertised_address={HOST}",
        f"server.bolt.listen_address={HOST}:{bolt_port}",
        # Neo4j Browser connects to what the discovery document at / advertises.
        f"server.bolt.advertised_address={HOST}:{bolt_port}",
        "server.http.enabled=true",
        f"server.http.listen_address={HOST}:{http_port}",
        f"server.http.advertised_address={HOST}:{http_port}",
        "server.https.enabled=false",
        f"dbms.security.auth_enabled={'true' if auth else 'false'}",
        f"server.memory.pagecache.size={os.environ.get('ORDERGRAPH_NEO4J_PAGECACHE') or PAGE_CACHE}",
        "dbms.usage_report.enabled=false",
        # Neo4j Browser asks the server (dbms.clientConfig) whether to send product analytics: no.
        "client.allow_telemetry=false",
        # Short captions for orders and securities, applied each time Browser connects (docs/cypher.md).
        f"browser.post_connect_cmd={browser_style_command().removeprefix(':')}",
        # A local dev server: no 256 MiB log files filled ahead, no logs kept past a checkpoint.
        "db.tx_log.preallocate=false",
        "db.tx_log.rotation.retention_policy=keep_none",
        # Its Bolt connections closed, the server's network threads wait a quiet period each (Netty's,
        # 5 s, two groups: 10 s of every stop, and a bulk sync stops the server) for tasks no one sends.
        "internal.dbms.bolt.netty_server_shutdown_quiet_period=0",
        # Nothing reads the server's files or fetches URLs through Cypher (LOAD CSV).
        "dbms.security.allow_csv_import_from_file_urls=false",
        "",
    ]
    return "\n".join(lines)


def classpath(lib: Path, browser: bool = True) -> tuple[str, str | None]:
    """The server's classpath and why Browser is not on it (None: it is).

    Every fetched jar but the Browser's, and the Browser's as :func:`local_browser` serves it
    when it can (``browser``: tried at all; the bulk importer needs none).
    """
    jars = [j for j in sorted(lib.glob("*.jar")) if not j.match(BROWSER_JAR)]
    missing: str | None = "not wanted"
    if browser:
        try:
            jars.append(local_browser(lib))
            missing = None
        except BrowserUnavailable as exc:
            missing = str(exc)
    return os.pathsep.join(str(j) for j in jars), missing
