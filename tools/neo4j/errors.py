"""The errors of the local Neo4j server's tools (:mod:`tools.neo4j.server`): each message says what to do."""

from __future__ import annotations

from graph.errors import StoreUnavailable


class ServerError(StoreUnavailable):
    """The server cannot be fetched, started, reached or stopped; the message says what to do."""


class BrowserUnavailable(ServerError):
    """The local server cannot serve Neo4j Browser (no jar, another jar than the pinned one, or one the
    patches do not fit): it starts without it, and ``start``/``status`` say why."""


class OwnerGone(ServerError):
    """The process a server is to be started for (``stop_with``) has ended: its pid is gone, or is
    another process's (reused), whose start time is not the one recorded."""


class ExitedDuringStart(ServerError):
    """The server process ended before Bolt answered (a port taken meanwhile, a bad setting…)."""
