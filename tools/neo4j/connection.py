"""Which Neo4j server the commands use (``NEO4J_URI``, else the local one), and a driver checked to
reach it."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tools.neo4j.errors import ServerError
from tools.neo4j.state import read_state

if TYPE_CHECKING:
    from neo4j import Driver


def local_home() -> Path:
    """Where `ordergraph neo4j start` keeps its server: $ORDERGRAPH_HOME/neo4j, else .ordergraph/neo4j."""
    return Path(os.environ.get("ORDERGRAPH_HOME") or ".ordergraph") / "neo4j"


@dataclass(frozen=True)
class Connection:
    """How to reach the Neo4j server the commands use, and where that choice came from."""

    uri: str
    auth: tuple[str, str] | None
    origin: str
    browser_url: str | None = None
    # The local server's: why it serves no Browser (None: it does, or the server is external).
    browser_missing: str | None = None


def connection(home: Path | None = None) -> Connection:
    """``NEO4J_URI`` (with ``NEO4J_USER``/``NEO4J_PASSWORD``) when set, else the local server in ``home``.

    Raises ServerError saying what to do when neither is there.
    """
    uri = os.environ.get("NEO4J_URI")
    if uri:
        user, password = os.environ.get("NEO4J_USER"), os.environ.get("NEO4J_PASSWORD")
        return Connection(uri, (user or "neo4j", password) if password else None, "NEO4J_URI")
    home = home or local_home()
    server = read_state(home)
    if server is not None and not server.running():
        raise ServerError(
            f"the Neo4j server recorded in {home} (pid {server.pid}) is not running (stopped by a reboot, "
            "or killed): start it again with `ordergraph neo4j start`, "
            "or point NEO4J_URI (and NEO4J_USER, NEO4J_PASSWORD) at yours"
        )
    if server is None:
        raise ServerError(
            f"no Neo4j server: start one with `ordergraph neo4j start` (it lives in {home}), "
            "or point NEO4J_URI (and NEO4J_USER, NEO4J_PASSWORD) at yours"
        )
    return Connection(
        server.bolt_uri, None, f"local server in {home}", server.browser_url, server.browser_missing
    )


# What NEO4J_URI may name: a server (bolt), a cluster or Aura (neo4j), each also over TLS.
BOLT_SCHEMES = ("bolt", "bolt+s", "bolt+ssc", "neo4j", "neo4j+s", "neo4j+ssc")


def open_driver(found: Connection, **config: Any) -> Driver:
    """A driver for ``found``, checked with one handshake: an address that is not Bolt, a server
    that does not answer and refused credentials fail here, saying what to check, instead of
    midway through a command (or after the driver's ~30 s of retries).

    ``config`` goes to ``GraphDatabase.driver`` (``notifications_min_severity``…).
    """
    from neo4j import GraphDatabase
    from neo4j.exceptions import DriverError, Neo4jError

    where = f"Neo4j at {found.uri} ({found.origin})"
    if found.uri.partition("://")[0].lower() not in BOLT_SCHEMES or "://" not in found.uri:
        setting = f"NEO4J_URI={found.uri}" if found.origin == "NEO4J_URI" else found.uri
        raise ServerError(
            f"{setting} is not a Bolt address: use bolt://host:7687, neo4j://host:7687, or "
            "neo4j+s://… for Aura (http://…:7474 is Neo4j Browser's address, not the database's)"
        )
    driver = GraphDatabase.driver(found.uri, auth=found.auth, **config)
    try:
        driver.verify_connectivity()
    except Neo4jError as exc:
        driver.close()
        if not (exc.code or "").startswith("Neo.ClientError.Security."):
            raise ServerError(f"{where} cannot be used: {exc.message}") from exc
        if found.auth is None:
            asks = "asks for a user and password: set NEO4J_USER and NEO4J_PASSWORD"
            raise ServerError(f"{where} {asks}") from exc
        raise ServerError(
            f"{where} refused the credentials of user {found.auth[0]!r} ({exc.message}): "
            "check NEO4J_USER and NEO4J_PASSWORD"
        ) from exc
    except (DriverError, OSError) as exc:
        driver.close()
        what = "check NEO4J_URI" if found.origin == "NEO4J_URI" else "see `ordergraph neo4j status`"
        raise ServerError(f"{where} cannot be reached ({exc}): is it running? {what}") from exc
    return driver
