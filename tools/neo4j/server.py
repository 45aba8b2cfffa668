"""Fetch, configure, start and stop a real Neo4j Community server, from Maven Central jars: the
public face of the modules that do each (what other code imports is re-exported here), and its command.

The jars come from ``pom.xml`` (beside this file) through ``mvn dependency:copy-dependencies`` into a
git-ignored cache that is reused when present (:mod:`tools.neo4j.jars`; Browser's jar, checked and
patched: :mod:`tools.neo4j.browser`). A server lives in a *home* folder: ``conf/neo4j.conf`` written
here (:mod:`tools.neo4j.config`), ``data/`` and ``logs/`` written by Neo4j, and ``run/ordergraph.json``
(pid and ports) written here (:mod:`tools.neo4j.state`), so ``status`` and ``stop`` find it again.
A start (:mod:`tools.neo4j.starting`; for an owner, through :mod:`tools.neo4j.watched`), a stop
(:mod:`tools.neo4j.stopping`) and a bulk sync take a home's start lock (:mod:`tools.neo4j.locks`);
:mod:`tools.neo4j.connection` says which server the commands use.

Command line (the ``ordergraph neo4j`` commands call the same functions)::

    python -m tools.neo4j.server fetch|start|stop|status [--home DIR]
"""

from __future__ import annotations

import sys
from pathlib import Path

from tools.neo4j.browser import (
    BROWSER_PATCHES,
    BROWSER_STYLE,
    browser_jar,
    browser_style_command,
    local_browser,
)
from tools.neo4j.config import (
    ENTRY_POINT,
    HEAP,
    HOST,
    JVM_FLAGS,
    JVM_FLAGS_ENV,
    PAGE_CACHE,
    classpath,
    config_text,
    free_port,
    jvm_flags,
    port_in_use,
    preferred_ports,
)
from tools.neo4j.connection import BOLT_SCHEMES, Connection, connection, local_home, open_driver
from tools.neo4j.errors import BrowserUnavailable, ExitedDuringStart, OwnerGone, ServerError
from tools.neo4j.jars import (
    BROWSER_JAR,
    FETCH_RETRY_DELAYS,
    MARKER,
    POM,
    browser_sha256,
    browser_version,
    cache_dir,
    fetch_jars,
    fetched_browser,
    java,
    neo4j_version,
)
from tools.neo4j.locks import START_LOCK, start_lock, waiting_line
from tools.neo4j.owner import STOP_WITH_ENV, owner_gone, owner_note, stop_with_from_env
from tools.neo4j.starting import (
    ENDING_SIGNALS,
    LaunchOptions,
    Started,
    start,
    start_locked,
    start_or_find,
    wait_for_bolt,
)
from tools.neo4j.state import STATE, Server, is_server, read_state, write_state
from tools.neo4j.stopping import Stopped, request_stop, stop, stop_locked
from tools.neo4j.watched import HANDSHAKE_TIMEOUT, TEST_HOOK_ENV, test_hook, watchdog_command

# Re-exported: a patch of one of these (a test's monkeypatch) reaches only this module's name, not the
# module that reads it; patch that one (tools.neo4j.jars.POM, tools.neo4j.watched.HANDSHAKE_TIMEOUT…).
__all__ = [
    "BOLT_SCHEMES",
    "BROWSER_JAR",
    "BROWSER_PATCHES",
    "BROWSER_STYLE",
    "ENDING_SIGNALS",
    "ENTRY_POINT",
    "FETCH_RETRY_DELAYS",
    "HANDSHAKE_TIMEOUT",
    "HEAP",
    "HOST",
    "JVM_FLAGS",
    "JVM_FLAGS_ENV",
    "MARKER",
    "PAGE_CACHE",
    "POM",
    "START_LOCK",
    "STATE",
    "STOP_WITH_ENV",
    "TEST_HOOK_ENV",
    "BrowserUnavailable",
    "Connection",
    "ExitedDuringStart",
    "LaunchOptions",
    "OwnerGone",
    "Server",
    "ServerError",
    "Started",
    "Stopped",
    "browser_jar",
    "browser_sha256",
    "browser_style_command",
    "browser_version",
    "cache_dir",
    "classpath",
    "config_text",
    "connection",
    "fetch_jars",
    "fetched_browser",
    "free_port",
    "is_server",
    "java",
    "jvm_flags",
    "local_browser",
    "local_home",
    "main",
    "neo4j_version",
    "open_driver",
    "owner_gone",
    "owner_note",
    "port_in_use",
    "preferred_ports",
    "read_state",
    "request_stop",
    "start",
    "start_lock",
    "start_locked",
    "start_or_find",
    "stop",
    "stop_locked",
    "stop_with_from_env",
    "test_hook",
    "wait_for_bolt",
    "waiting_line",
    "watchdog_command",
    "write_state",
]


def main(argv: list[str] | None = None) -> int:
    import argparse

    parser = argparse.ArgumentParser(prog="python -m tools.neo4j.server", description=__doc__.split("\n")[0])
    parser.add_argument("action", choices=["fetch", "start", "stop", "status"])
    parser.add_argument("--home", type=Path, default=Path(".ordergraph/neo4j"))
    parser.add_argument("--bolt-port", type=int)
    parser.add_argument("--http-port", type=int)
    args = parser.parse_args(argv)
    try:
        if args.action == "fetch":
            print(fetch_jars(quiet=False))
        elif args.action == "start":
            stop_with = stop_with_from_env()
            started = start_or_find(
                args.home, LaunchOptions(args.bolt_port, args.http_port, stop_with=stop_with)
            )
            server, already = started.server, not started.launched
            print(
                f"Neo4j {server.version} {'already ' if already else ''}running (pid {server.pid}): "
                f"{server.bolt_uri}  Browser: {server.browser_line()}"
            )
            note = owner_note(server, stop_with)
            if note:
                print(note)
        elif args.action == "stop":
            stopped = stop(args.home)
            if stopped is None:
                print(f"no server recorded in {args.home}")
            elif stopped.was_running:
                print(f"stopped (pid {stopped.server.pid})")
            else:
                print(f"the server recorded (pid {stopped.server.pid}) was not running; record removed")
        else:
            found = read_state(args.home)
            if found is None or not found.running():
                print(f"no server running in {args.home}")
                return 1
            server = found
            print(
                f"Neo4j {server.version} running (pid {server.pid}): {server.bolt_uri}  "
                f"Browser: {server.browser_line()}"
            )
    except ServerError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
