"""What one run of ``ordergraph`` shares (:class:`Session`) and what a command answers (:class:`Answer`)."""

from __future__ import annotations

import json
import logging
import os
import sys
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

import click

from cli.errors import EXIT_BROKEN_PIPE
from cli.progress import RemergeNotice
from graph.errors import OrdergraphError
from graph.store.backends import BACKEND_ENV, BACKENDS, EMBEDDED

if TYPE_CHECKING:
    from graph.model import Node
    from graph.store.base import GraphStore
    from graph.views import SearchHit
    from loaders.workspace import Workspace


@dataclass
class Answer:
    """What a command found: ``data`` is printed by ``--json``, ``text`` for people."""

    data: Any
    text: str


@dataclass
class Resolved:
    """What the user typed, the id it was read as, how closely it matched (100: exactly), and the
    other entities it matches as closely (``others``: a name several bear alike)."""

    input: str
    id: str
    score: float
    exact: bool
    others: list[str] = field(default_factory=list)


@dataclass
class Reading:
    """How a session read what the user typed: the :class:`Resolved`, its node, and the other
    entities the text names as closely (``alike``, best first)."""

    resolved: Resolved
    node: Node | None
    alike: list[SearchHit]

    @property
    def name(self) -> str:
        return self.node.name if self.node else self.resolved.id

    def loosely(self) -> str | None:
        """``'Xiomi' read as ORG:xiaomi (Xiaomi Corporation), score 93.3`` when the text was read
        loosely, else None."""
        r = self.resolved
        return None if r.exact else f"{r.input!r} read as {r.id} ({self.name}), score {r.score}"

    def notes(self) -> list[str]:
        """What :meth:`Session.resolution` says on stderr: a loose reading, or the others named alike."""
        loose = self.loosely()
        if loose is not None:
            return [loose]
        if not self.alike:
            return []
        r = self.resolved
        kind = f", {self.node.kind}" if self.node else ""
        lines = [
            f"{r.input!r} names more than one entity: answering for {r.id} ({self.name}{kind}), named"
            " exactly so; for another, give its id:",
            *(f"  {h.id}  {h.name} ({h.kind})" for h in self.alike),
        ]
        return ["\n".join(lines)]


class Session:
    """What one run of ``ordergraph`` shares: the data folder, the stores loaded, the output.

    ``stores`` maps a resolved data folder to a store already loaded from it, so
    tests (and ``tour``) do not parse the dataset again for every command.
    """

    def __init__(self, stores: Mapping[Path, GraphStore] | None = None, out: TextIO | None = None) -> None:
        self.stores: dict[Path, GraphStore] = dict(stores or {})
        self.out = out
        self.data: str | None = None
        self.json = False
        self.backend = os.environ.get(BACKEND_ENV) or EMBEDDED
        self._driver: Any = None

    @property
    def store(self) -> GraphStore:
        """The store the queries read: the local graph (loaded on first use), or Neo4j's."""
        if self.backend not in BACKENDS:
            known = " or ".join(BACKENDS)
            raise OrdergraphError(f"unknown backend {self.backend!r} (${BACKEND_ENV}): use {known}")
        if self.backend == "neo4j":
            from graph.store.neo4j import Neo4jStore

            return Neo4jStore(self.neo4j_driver())
        return self.local_store

    @property
    def local_store(self) -> GraphStore:
        """The workspace, or the data folder's graph, loaded on first use (what ``neo4j sync`` reads)."""
        from loaders.workspace import (
            DATABASE,
            Workspace,
            data_dir,
            load_memory_store,
            workspace_dir,
            workspace_exists,
        )

        if self.data is None and workspace_exists():
            # A workspace (sources a user loaded, merged with the curated data) is the graph to show.
            database = (workspace_dir() / DATABASE).resolve()
            if database not in self.stores:
                opened = Workspace(remerging=RemergeNotice(quiet=self.json), waiting=self.note)
                self.stores[database] = opened.store()
            return self.stores[database]
        folder = data_dir(self.data).resolve()
        if folder not in self.stores:
            self.stores[folder] = load_memory_store(folder)
        return self.stores[folder]

    def workspace(self) -> Workspace:
        """The workspace (``ORDERGRAPH_HOME``) on this session's data folder; opening it says on
        stderr when every loaded dataset is merged again (see :class:`RemergeNotice`), and it
        says when it waits for another process holding the workspace lock, and what that process does
        (:meth:`note`: not under --json)."""
        from loaders.workspace import Workspace

        return Workspace(data=self.data, remerging=RemergeNotice(quiet=self.json), waiting=self.note)

    def neo4j_driver(self) -> Any:
        """A driver for ``NEO4J_URI``, else for the local server (``ordergraph neo4j start``)."""
        if self._driver is None:
            from tools.neo4j.server import connection, open_driver

            # A server lost midway is reported once, as an error: not each of the driver's retries on
            # stderr (its log had no handler, so Python printed them), nor retried for 30 s a transaction.
            logging.getLogger("neo4j").addHandler(logging.NullHandler())
            self._driver = open_driver(
                connection(), notifications_min_severity="OFF", max_transaction_retry_time=10.0
            )
        return self._driver

    def close_neo4j(self) -> None:
        """Close the Neo4j driver (a server about to restart); the next use opens a new one."""
        if self._driver is not None:
            self._driver.close()
            self._driver = None

    def resolution(self, text: str) -> Resolved:
        """What ``text`` names (``query.resolve``) and how closely; a loose match is named on stderr,
        and so are the others a name matches as closely (``query.resolve`` answers for the one whose
        name it is exactly: `TikTok` the app, not TikTok Inc.), never chosen between silently."""
        reading = self.reading(text)
        for line in reading.notes():
            self.note(line)
        return reading.resolved

    def reading(self, text: str) -> Reading:
        """:meth:`resolution` without its notes: for a command that says how it read ``text`` in
        its own words (``affects``, given a company, says it in the one message it prints)."""
        from graph import query
        from graph.names import parse_ticker

        store = self.store
        found = query.resolve(store, text)
        node = store.get_node(found)
        score = query.EXACT
        alike: list[SearchHit] = []
        by_code = parse_ticker(text) is not None and node is not None and node.kind == "Security"
        if found != text.strip() and not by_code:  # a name: how closely did it match?
            hits = query.search(store, text, limit=10)
            mine = [h for h in hits if h.id == found]
            score = mine[0].score if mine else query.EXACT  # no hit: an id or ticker read exactly
            # An identifier typed names the one entity of its kind (an ISIN: the security): no tie.
            if score >= query.EXACT - 1 and not (mine and mine[0].why == "identifier"):
                alike = [h for h in hits if h.id != found and h.score >= query.EXACT - 1]
        resolved = Resolved(text, found, score, score >= query.EXACT - 1, [h.id for h in alike])
        return Reading(resolved, node, alike)

    def note(self, message: str) -> None:
        """Tell a person on stderr how their input was read, or what the command waits for; under --json
        stderr is kept for one error."""
        if not self.json:
            click.echo(f"note: {message}", err=True)

    def note_warning(self, message: str) -> None:
        """A warning for a person on stderr (under --json it goes in the answer instead)."""
        if not self.json:
            click.echo(f"warning: {message}", err=True)

    def resolve(self, text: str) -> str:
        """The id ``text`` names (see :meth:`resolution`)."""
        return self.resolution(text).id

    def day(self, as_of: date | None) -> date:
        """``--as-of``, or today when it was not given."""
        return as_of or date.today()

    def printing_to(self, out: TextIO) -> Session:
        """A session sharing this one's data folder and loaded stores (loaded once), printing to ``out``."""
        other = Session(out=out)
        other.stores = self.stores
        other.data = self.data
        other.backend = self.backend
        other._driver = self._driver
        return other

    def emit(self, answer: Answer) -> None:
        data = json.dumps(dump(answer.data), ensure_ascii=False, indent=2) if self.json else None
        try:
            click.echo(answer.text if data is None else data, file=self.out)
        except BrokenPipeError:  # `ordergraph … | head` stopped reading: nothing more to say
            _silence_stdout()
            raise click.exceptions.Exit(EXIT_BROKEN_PIPE) from None


def _silence_stdout() -> None:
    """Point stdout at /dev/null so the interpreter's last flush cannot complain about the pipe."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):  # no real file descriptor (a test runner's buffer)
        pass


def dump(value: Any) -> Any:
    from pydantic import BaseModel

    if isinstance(value, BaseModel):
        return value.model_dump(mode="json")
    if isinstance(value, list | tuple):
        return [dump(v) for v in value]
    if isinstance(value, dict):
        return {k: dump(v) for k, v in value.items()}
    return value
