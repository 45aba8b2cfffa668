"""The graph, opened once per process (not per rerun, not per visitor): embedded, or a Neo4j server."""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from typing import Any

import streamlit as st

from graph.store.backends import BACKEND_ENV, BACKENDS, EMBEDDED
from graph.store.base import GraphStore
from loaders.workspace import RemergeLines, open_store
from ui.assets import install_static


@st.cache_resource(show_spinner="Opening the graph…")
def get_store() -> GraphStore:
    """The workspace's graph when one exists (``ORDERGRAPH_HOME``, else ./.ordergraph), as the CLI reads it;
    else the embedded graph of the curated data (``ORDERGRAPH_DATA`` picks another folder)."""
    install_static()
    return open_store(remerging=RemergeLog(), waiting=server_log)


def server_log(said: str) -> None:
    """A line on the server's stderr, where its operator reads why it is slow to answer."""
    print(f"ordergraph: {said}", file=sys.stderr, flush=True)


class RemergeLog(RemergeLines):
    """Says on the server's stderr why opening the workspace takes long: every loaded dataset is
    merged again (the curated data changed), how far it is (a line every tenth), and how long it
    took; :func:`server_log` says when it waits for another process holding the workspace lock (what
    that process does: recording a decision, merging every dataset again)."""

    def __init__(self) -> None:
        super().__init__(server_log)


@st.cache_resource(show_spinner="Connecting to Neo4j…")
def _neo4j_driver(uri: str, auth: tuple[str, str] | None, origin: str) -> Any:
    """The driver the CLI's commands open (``tools.neo4j.server.open_driver``: one handshake, a clear
    error for a non-Bolt address or refused credentials), once per server for the process."""
    from tools.neo4j.server import Connection, open_driver

    return open_driver(
        Connection(uri, auth, origin),
        connection_timeout=3,
        notifications_min_severity="OFF",  # the console's session asks for the warnings it shows
        max_transaction_retry_time=10.0,
    )


@dataclass
class Opened:
    """The store the page reads, the Neo4j driver when that is it, and why Neo4j was not used."""

    store: GraphStore
    driver: Any = None
    problem: str | None = None


def default_backend() -> str:
    chosen = os.environ.get(BACKEND_ENV, EMBEDDED)
    return chosen if chosen in BACKENDS else EMBEDDED


def open_backend(backend: str) -> Opened:
    """``neo4j``: the server of ``NEO4J_URI`` or of ``ordergraph neo4j start``; if it cannot be
    reached, the embedded graph, with the reason to show in a banner."""
    if backend != "neo4j":
        return Opened(get_store())
    from graph.store.neo4j import Neo4jStore
    from tools.neo4j.server import ServerError, connection

    try:
        found = connection()
        driver = _neo4j_driver(found.uri, found.auth, found.origin)
        driver.verify_connectivity()  # a driver kept from an earlier run: is its server still there?
    except ServerError as exc:
        return Opened(get_store(), problem=str(exc))
    except Exception as exc:  # the driver's many ways of saying "not there"
        return Opened(
            get_store(), problem=f"Neo4j at {found.uri} cannot be reached ({type(exc).__name__}: {exc})"
        )
    return Opened(Neo4jStore(driver), driver)
