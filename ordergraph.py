"""The ``ordergraph`` command: the graph's second face, beside the web app.

Every command prints text for people, or JSON with ``--json``. Examples::

    ordergraph affects 1810.HK --as-of 2021-02-01
    ordergraph affects NYSE:CHL --as-of 2021-02-01 --json
    ordergraph search Luokong
    ordergraph path ORG:tencent EO:14034
    ordergraph --data tests/fixtures/mini stats     # --data goes before or after the command
    ordergraph export --format graphml out/graph.graphml

Adding a command takes a graph-level function (in ``graph/``) and a few lines here::

    @cli.command()
    @click.argument("order")
    @as_of_option
    @answers
    def reaches(session: Session, order: str, as_of: date | None) -> Answer:
        \"\"\"Every security an order reaches on a day.

        \\b
        Example:
          ordergraph reaches EO:14032 --as-of 2021-09-01
        \"\"\"
        from graph.reaches import reaches  # imported here: start-up stays fast

        found = reaches(session.store, session.resolve(order), session.day(as_of))
        return Answer(found, render_reaches(found))

``@answers`` (always the decorator nearest the function) is the one output
decorator: it adds ``--json`` and ``--data``, hands the function the
:class:`Session` (the store, loaded once, and how to resolve what the user
typed), prints the :class:`Answer` as text or JSON, and turns an
``OrdergraphError`` into exit status 2 with a message (a JSON object on
stderr under ``--json``). Tests pass a Session holding already-loaded stores
as click's ``obj`` (``CliRunner().invoke(cli, args, obj=Session(...))``).
"""

from __future__ import annotations

import contextlib
import functools
import io
import json
import logging
import os
import re
import shlex
import sys
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import asdict, dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

import click

from graph.errors import OrdergraphError

if TYPE_CHECKING:
    from graph.audit import AuditReport, NameBacking
    from graph.store.base import GraphStore
    from graph.views import AffectsAnswer, EdgeRef, EntityView, SearchHit, Stats, Subgraph, Timeline
    from graph.views import Path as GraphPath
    from loaders.workspace import Remerge, Workspace

EXIT_USAGE = 2
EXIT_INTERRUPTED = 130  # 128 + SIGINT, as a shell reports a process stopped by Ctrl-C
EXIT_BROKEN_PIPE = 141  # 128 + SIGPIPE, as a shell reports `… | head` closing early
# Hubs that join everything trivially: an article names many entities, one
# president issues every order, one body designates a list, an exchange lists hundreds.
PATH_SKIPS = ("MENTIONS", "ISSUED_BY", "DESIGNATES", "TRADES_ON")
EXPORT_FORMATS = ("graphml", "gexf", "json", "csv", "cypher")  # graph.export.FORMATS, checked by a test
BACKEND_ENV = "ORDERGRAPH_BACKEND"
BACKENDS = ("embedded", "neo4j")


class WriteError(OrdergraphError):
    """An output file that cannot be written; the message names its path."""


@dataclass
class Answer:
    """What a command found: ``data`` is printed by ``--json``, ``text`` for people."""

    data: Any
    text: str


@dataclass
class Resolved:
    """What the user typed, the id it was read as, and how closely it matched (100: exactly)."""

    input: str
    id: str
    score: float
    exact: bool


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
        self.backend = os.environ.get(BACKEND_ENV) or "embedded"
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

    def resolution(self, text: str) -> Resolved:
        """What ``text`` names (``query.resolve``) and how closely; a loose match is named on stderr."""
        from graph import query
        from graph.names import parse_ticker

        store = self.store
        found = query.resolve(store, text)
        node = store.get_node(found)
        score = query.EXACT
        by_code = parse_ticker(text) is not None and node is not None and node.kind == "Security"
        if found != text.strip() and not by_code:  # a name: how closely did it match?
            hits = [h for h in query.search(store, text, limit=10) if h.id == found]
            score = hits[0].score if hits else query.EXACT  # no hit: an id or ticker read exactly
        resolved = Resolved(input=text, id=found, score=score, exact=score >= query.EXACT - 1)
        if not resolved.exact:
            name = node.name if node else found
            self.note(f"{text!r} read as {found} ({name}), score {score}")
        return resolved

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
        data = json.dumps(_dump(answer.data), ensure_ascii=False, indent=2) if self.json else None
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


def _session() -> Session:
    return click.get_current_context().ensure_object(Session)


def _dump(value: Any) -> Any:
    from pydantic import BaseModel

    if isinstance(value, BaseModel):
        return value.model_dump(mode="json")
    if isinstance(value, list | tuple):
        return [_dump(v) for v in value]
    if isinstance(value, dict):
        return {k: _dump(v) for k, v in value.items()}
    return value


# ---- options every command shares -----------------------------------------------------------


def _set_json(ctx: click.Context, _param: click.Parameter, value: bool) -> None:
    if value:
        ctx.ensure_object(Session).json = True


def _set_data(ctx: click.Context, _param: click.Parameter, value: str | None) -> None:
    if value is None:
        return
    if not value.strip():
        raise click.BadParameter("empty path; give a curated data folder such as data/")
    ctx.ensure_object(Session).data = value


def _set_backend(ctx: click.Context, _param: click.Parameter, value: str | None) -> None:
    if value is not None:
        ctx.ensure_object(Session).backend = value


_backend_option = click.Option(
    ["--backend"],
    type=click.Choice(BACKENDS),
    expose_value=False,
    callback=_set_backend,
    help=f"Where queries read the graph: embedded (workspace or data folder) or neo4j (${BACKEND_ENV}).",
)
_json_option = click.Option(
    ["--json"], is_flag=True, is_eager=True, expose_value=False, callback=_set_json, help="Print JSON."
)
_data_option = click.Option(
    ["--data"],
    metavar="DIR",
    expose_value=False,
    callback=_set_data,
    help="Curated data folder (default: $ORDERGRAPH_DATA, else the project's data/).",
)


def answers(func: Callable[..., Answer]) -> Callable[..., None]:
    """The output decorator: ``--json`` and ``--data`` on a command that returns an Answer."""

    @functools.wraps(func)
    def command(**params: Any) -> None:
        session = _session()
        session.emit(func(session, **params))

    # Click reverses the parameters decorators collect: put these first so they list last in --help.
    command.__click_params__ = [_json_option, _data_option, _backend_option]  # type: ignore[attr-defined]
    return command


if TYPE_CHECKING:  # generic in newer click only
    _ParamType = click.ParamType[Any]
else:
    _ParamType = click.ParamType


class Day(_ParamType):
    """A full day, ``YYYY-MM-DD``, meaning the end of that day."""

    name = "YYYY-MM-DD"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> date:
        if isinstance(value, date):
            return value
        from graph.model import parse_day

        try:
            return parse_day(str(value).strip())
        except ValueError as exc:
            self.fail(str(exc), param, ctx)


class Positive(_ParamType):
    """A whole number of at least 1."""

    name = "N"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> int:
        try:
            number = int(value)
        except (TypeError, ValueError):
            self.fail(f"{value!r} is not a whole number", param, ctx)
        if number < 1:
            self.fail(f"{number} is less than 1", param, ctx)
        return number


MAX_NAME = 300  # the longest name or alias in the curated data is 137 characters


class Name(_ParamType):
    """What a user types to name an entity: a name, alias, ticker or id; not empty, not absurdly long."""

    name = "NAME"

    def __init__(self, wanted: str = "a name, alias, ticker or id (e.g. Xiaomi, 1810.HK, EO:13959)") -> None:
        self.wanted = wanted

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> str:
        text = str(value)
        if not text.strip():
            self.fail(f"empty; give {self.wanted}", param, ctx)
        if len(text) > MAX_NAME:
            self.fail(f"{len(text):,} characters is too long for a name (at most {MAX_NAME})", param, ctx)
        return text


as_of_option = click.option(
    "--as-of",
    "--on",
    "as_of",
    type=Day(),
    help="The day to answer for (the end of that day), e.g. 2021-02-01; `--on` says the same.",
)


# ---- the command group and its error handling -----------------------------------------------


def _error_json(kind: str, message: str, suggestions: Sequence[str] = ()) -> str:
    error = {"error": kind, "message": message, "suggestions": list(suggestions)}
    return json.dumps(error, ensure_ascii=False)


class OrdergraphGroup(click.Group):
    """The ``ordergraph`` group: every failure becomes a message and an exit status, never a traceback."""

    def main(
        self,
        args: Sequence[str] | None = None,
        prog_name: str | None = None,
        complete_var: str | None = None,
        standalone_mode: bool = True,
        **extra: Any,
    ) -> Any:
        argv = list(sys.argv[1:] if args is None else args)
        session = extra.pop("obj", None) or Session()
        code = self._run(argv, prog_name or "ordergraph", complete_var, session, **extra)
        if standalone_mode:
            sys.exit(code)
        return code

    def _run(
        self, argv: list[str], prog_name: str, complete_var: str | None, session: Session, **extra: Any
    ) -> int:
        from graph.errors import AmbiguousEntity, LoadError, LoadErrors, UnknownEntity

        wants_json = session.json or "--json" in argv
        try:
            result = super().main(argv, prog_name, complete_var, standalone_mode=False, obj=session, **extra)
        except click.exceptions.Abort as exc:  # Ctrl-C: click has already ended the ^C line
            return EXIT_INTERRUPTED if isinstance(exc.__cause__, KeyboardInterrupt) else 1
        except KeyboardInterrupt:
            return EXIT_INTERRUPTED
        except click.ClickException as exc:
            if wants_json or session.json:
                suggestions = sorted(getattr(exc, "possibilities", None) or [])
                click.echo(_error_json("usage", exc.format_message(), suggestions), err=True)
            else:
                exc.show()
            return exc.exit_code
        except LoadErrors as exc:
            self._report(session, "load_error", [str(e) for e in exc.errors])
            return EXIT_USAGE
        except LoadError as exc:
            self._report(session, "load_error", [str(exc)])
            return EXIT_USAGE
        except WriteError as exc:
            self._report(session, "write_error", [str(exc)])
            return EXIT_USAGE
        except UnknownEntity as exc:
            self._report(session, "unknown_entity", [str(exc)], exc.suggestions)
            return EXIT_USAGE
        except AmbiguousEntity as exc:
            self._report(session, "ambiguous_entity", [str(exc)], exc.candidates)
            return EXIT_USAGE
        except CompanyWithListings as exc:
            self._report(session, "company_not_security", [str(exc)], exc.suggestions)
            return EXIT_USAGE
        except OrdergraphError as exc:
            self._report(session, "error", [str(exc)])
            return EXIT_USAGE
        return result if isinstance(result, int) else 0

    @staticmethod
    def _report(session: Session, kind: str, messages: list[str], suggestions: Sequence[str] = ()) -> None:
        if session.json:
            click.echo(_error_json(kind, "\n".join(messages), suggestions), err=True)
        else:
            for message in messages:
                click.echo(f"error: {message}", err=True)


@click.group(cls=OrdergraphGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--data",
    metavar="DIR",
    expose_value=False,
    callback=_set_data,
    help="Curated data folder (default: $ORDERGRAPH_DATA, else the project's data/).",
)
@click.option(
    "--backend",
    type=click.Choice(BACKENDS),
    expose_value=False,
    callback=_set_backend,
    help=f"Where queries read the graph: embedded (workspace or data folder) or neo4j (${BACKEND_ENV}).",
)
def cli() -> None:
    """Explore government actions against companies: who was listed, under which
    order, from when, and which court or exchange acted. Every answer carries its
    sources; every command takes --json.

    \b
    Examples:
      ordergraph affects 1810.HK --as-of 2021-02-01
      ordergraph search "Grand China Aie"
      ordergraph show ORG:xiaomi --json
      ordergraph path ORG:tencent EO:14034
      ordergraph --data tests/fixtures/mini stats
    """


# ---- text rendering -------------------------------------------------------------------------


def _span(start: str | None, end: str | None) -> str:
    from graph.plain import span

    return span(start, end)


def _first_url(sources: Sequence[Any], note: str | None = None) -> str:
    return sources[0].url if sources else note or "(no source)"


def _render_path(path: GraphPath) -> str:
    """A path's nodes, each edge between them by its label, the arrow the way the edge reads."""
    from graph.labels import edge_step
    from graph.views import NodeRef, walked

    parts = []
    for step, along in walked(path):
        if isinstance(step, NodeRef):
            parts.append(f"{step.name} [{step.id}]")
        else:
            when = _span(step.start, step.end)
            detail = f"{when}; {step.confidence}; {_first_url(step.sources)}"
            parts.append("  " + edge_step(step.kind, along=along, detail=detail))
    return "\n      ".join(parts)


def _text_affects(answer: AffectsAnswer, explain: bool, today: bool = False) -> str:
    from graph.plain import injunction_label, plain_sentence

    sec = answer.security
    when_asked = " (today: no --as-of given)" if today else ""
    out = [f"{sec.name} [{sec.id}] as of {answer.as_of}{when_asked}"]
    ex = answer.exchange_status
    if ex:
        when = " ".join(p for p in (ex.since, ex.time) if p)
        since = f" since {when}" if when else " (date not recorded)"
        state = ex.state.replace("_", " ")
        out.append(f"exchange: {state} by {ex.by.name}{since} ({_first_url(ex.sources)})")
    if not answer.orders:
        out.append("no order restricts it on that day")
    for order in answer.orders:
        since = f"; prohibitions apply from {order.applies_from}" if order.applies_from else ""
        label = f"EO {order.number}" if order.number else order.id
        out.append(f"\n{label} — {order.title}" if order.title else f"\n{label}")
        out.append(f"  in short: {plain_sentence(order)}")
        out.append(f"  restriction: {order.restriction}; status: {order.status}{since}")
        out.append(f"  basis: {order.basis}")
        if order.divest_until:
            out.append(f"  divest-only transactions allowed until {order.divest_until}")
        for injunction in order.injunctions:
            out.append(f"  enjoined by: {injunction_label(injunction)} ({_first_url(injunction.sources)})")
        if order.amended_by:
            out.append("  amended by: " + ", ".join(a.name for a in order.amended_by))
        for claim in order.claims:
            out.append(
                f"  claim: {claim.status}{f' from {claim.applies_from}' if claim.applies_from else ''}"
                f" — {claim.basis}"
                f" ({'; '.join(s.url for s in claim.sources)})"
            )
        for i, path in enumerate(order.paths, 1):
            out.append(f"  why ({i}): {_render_path(path)}")
    if explain or not answer.orders:
        for item in answer.explanations:
            out.append(f"  not: {item.reason}")
    return "\n".join(out)


def _text_show(view: EntityView, names: dict[str, str]) -> str:
    """The entity: its identifiers, properties (those only repeating an identifier shown once, as
    identifiers) and the datasets that gave it; then each edge: its label (``enjoins``), other end,
    dates, confidence and first source; other readings; its identifiers and properties, labelled
    (ids by ``names``); its datasets, where they are not the entity's own; its cite command."""
    from graph.labels import (
        datasets_text,
        edge_label,
        edges_share_its_datasets,
        identifier_text,
        membership_text,
        property_label,
        property_text,
        property_url,
        property_value_text,
        repeats_identifier,
    )

    out = [f"{view.name} [{view.id}] ({view.kind})"]
    if view.aliases:
        out.append("aka: " + "; ".join(view.aliases))
    out += [identifier_text(scheme, values) for scheme, values in view.identifiers.items()]
    disputed = {d.field: d for d in view.disputed}
    for key, value in view.properties.items():
        if key in disputed:
            # Every value with the datasets giving it and their first source, the kept one first.
            values = " / ".join(
                f"{property_text(v.value)} ({', '.join(v.datasets)}; {_first_url(v.sources)})"
                for v in disputed[key].values
            )
            out.append(f"{property_label(key)} (datasets disagree): {values}")
        elif not repeats_identifier(key, value, view.identifiers):
            url = property_url(key, value)
            where = f" ({url})" if url and url != value else ""
            out.append(f"{property_label(key)}: {property_value_text(key, value, names)}{where}")
    for count in view.membership:
        out.append(membership_text(count))
    out.append(f"Datasets: {datasets_text(view.provenance)}")
    each_edge = not edges_share_its_datasets(view)
    for edge in view.edges:
        arrow = "→" if edge.direction == "out" else "←"
        end = f"{edge.other.name} [{edge.other.id}]"
        out.append(
            f"  {edge_label(edge.kind)} {arrow} {end} {_span(edge.start, edge.end)}"
            f" {edge.confidence} {_first_url(edge.sources)}"
        )
        for other in edge.disputed:
            said = f"{other.note}; " if other.note else ""
            value = property_text(other.value)
            field = property_label(other.field)
            out.append(f"      sources disagree — {field}: {value} ({said}{_first_url(other.sources)})")
        out += [f"      {identifier_text(scheme, values)}" for scheme, values in edge.identifiers.items()]
        for key, value in edge.properties.items():
            if not repeats_identifier(key, value, edge.identifiers):
                out.append(f"      {property_label(key)}: {property_value_text(key, value, names)}")
        if each_edge:
            out.append(f"      datasets: {datasets_text(edge.provenance)}")
        out.append(f"      ordergraph cite {shlex.quote(edge.id)}")
    return "\n".join(out)


def _text_timeline(tl: Timeline) -> str:
    return "\n".join(
        f"{e.date:<10}  {e.description}  ({_first_url(e.sources, e.sources_note)})" for e in tl.events
    )


def _text_search(hits: list[SearchHit]) -> str:
    return "\n".join(f"{h.score:5.1f}  {h.id:<40} {h.kind:<15} {h.name}" for h in hits) or "no match"


def _text_subgraph(sub: Subgraph) -> str:
    from graph.labels import edge_label

    names = {n.id: n.name for n in sub.nodes}
    lines = [
        f"{names[e.source]} —{edge_label(e.kind)} ({_span(e.start, e.end)})→ {names[e.target]}"
        for e in sub.edges
    ]
    lines += [f"{names[h]}: {n:,} more edges not shown (a hub)" for h, n in sub.more.items() if n]
    return "\n".join(lines) or "no edges"


def _text_paths(found: list[GraphPath]) -> str:
    return "\n".join(f"({i}) {_render_path(p)}" for i, p in enumerate(found, 1)) or "no path"


def _text_stats(st: Stats) -> str:
    """The counts, each edge kind by its label (``listed on``) as every face names it, in the labels'
    alphabetical order; --json keeps the kinds."""
    from graph.labels import edge_label

    lines = [f"{st.nodes} nodes, {st.edges} edges, {st.unsourced_edges} unsourced", "nodes by kind:"]
    lines += [f"  {k:<16} {v}" for k, v in st.by_kind.items()]
    lines += ["edges by kind:"]
    labelled = sorted((edge_label(k), v) for k, v in st.by_edge_kind.items())
    lines += [f"  {label:<16} {v}" for label, v in labelled]
    return "\n".join(lines)


# ---- commands -------------------------------------------------------------------------------


class CompanyWithListings(OrdergraphError):
    """A company named where a security is needed: its listed securities are the suggestions."""

    def __init__(self, text: str, name: str, company_id: str, listed: list[Any], as_of: date | None) -> None:
        self.suggestions = [item.security.id for item in listed]
        day = f" --as-of {as_of.isoformat()}" if as_of else ""
        several = f"with {len(listed)} listed securities; which one?"
        lines = [f"{text!r} is the company {name} [{company_id}], {several}"]
        for item in listed:
            via = f", via {item.via.name}" if item.via else ""
            lines.append(f"  ordergraph affects {item.security.id}{day}    # {item.security.name}{via}")
        super().__init__("\n".join(lines))


def _security_id(session: Session, resolved: Resolved, as_of: date | None = None) -> str:
    """The security a resolved ticker, security id, or company with exactly one security names."""
    from graph.errors import OrdergraphError

    store = session.store
    text, found = resolved.input, resolved.id
    node = store.get_node(found)
    if node is None:
        raise OrdergraphError(f"{found}: resolved to an id the store does not hold")
    if node.kind == "Security":
        return found
    if node.kind == "Company":
        from graph.listed import listed_securities

        listed = listed_securities(store, found)
        if len(listed) == 1:
            session.note(f"{text!r} is {node.name} [{found}]; answering for its one listed security")
            return listed[0].security.id
        if listed:
            raise CompanyWithListings(text, node.name, found, listed, as_of)
        raise OrdergraphError(
            f"{node.name} [{found}] has no listed security in this graph; try `ordergraph show {found}`"
        )
    raise OrdergraphError(f"{found} ({node.kind}) is not a listed security; try `ordergraph show {found}`")


@cli.command()
@click.argument("security", type=Name())
@as_of_option
@click.option("--explain", is_flag=True, help="Also say why other routes do not hold.")
@answers
def affects(session: Session, security: str, as_of: date | None, explain: bool) -> Answer:
    """Which orders restrict a SECURITY on a day, and why.

    SECURITY is a ticker in any spelling (1810.HK, HKEX:1810, 01810, NYSE:CHL,
    CHL) or a security id. A company with one listed security stands for it; a
    company with several lists them (its own and its listed subsidiaries').

    \b
    Examples:
      ordergraph affects 1810.HK --as-of 2021-02-01
      ordergraph affects NYSE:CHL --as-of 2021-02-01 --json
      ordergraph affects 1810.HK --as-of 2021-06-01 --explain
      ordergraph affects "China Unicom" --as-of 2021-02-01   # exits 2, listing its securities
    """
    from graph import query

    resolved = session.resolution(security)
    answer = query.affects(session.store, _security_id(session, resolved, as_of), session.day(as_of))
    data = {**answer.model_dump(mode="json"), "resolved": asdict(resolved)}
    return Answer(data, _text_affects(answer, explain, today=as_of is None))


@cli.command()
@click.argument("text", type=Name())
@click.option("--limit", type=Positive(), default=10, show_default=True, help="At most this many hits.")
@answers
def search(session: Session, text: str, limit: int) -> Answer:
    """Find entities by name, alias or ticker (typos allowed).

    \b
    Examples:
      ordergraph search Luokong
      ordergraph search "Grand China Aie"
      ordergraph search 01810 --json
    """
    from graph import query

    hits = query.search(session.store, text, limit=limit)
    data = [{"id": h.id, "kind": h.kind, "name": h.name, "score": h.score} for h in hits]
    return Answer(data, _text_search(hits))


@cli.command()
@click.argument("entity", type=Name())
@answers
def show(session: Session, entity: str) -> Answer:
    """An entity: identifiers and every edge, dated and sourced.

    \b
    Examples:
      ordergraph show ORG:xiaomi
      ordergraph show "EO 13959" --json
    """
    from graph import query
    from graph.labels import view_names

    view = query.show(session.store, session.resolve(entity))
    names = view_names(session.store, view)
    return Answer(view, _text_show(view, names))


@cli.command()
@click.argument("entity", type=Name())
@answers
def timeline(session: Session, entity: str) -> Answer:
    """Every dated event touching an ENTITY, sorted.

    \b
    Example:
      ordergraph timeline ORG:luokung
    """
    from graph import query

    tl = query.timeline(session.store, session.resolve(entity))
    return Answer(tl, _text_timeline(tl))


def _edge_kinds(text: str | None) -> list[str] | None:
    """``--kinds listed_on,governs`` → ["LISTED_ON", "GOVERNS"]: each a kind (any case) or its label as
    ``show`` prints it (``acts on`` → EXCHANGE_ACTION); an unknown one is an error."""
    from graph.model import edge_kinds, vocabulary

    if not text:
        return None
    by_label = {label.lower(): kind for kind, label in vocabulary().edge_labels.items()}
    words = [k.strip() for k in text.split(",") if k.strip()]
    if not words:
        raise click.BadParameter(f"no edge kind in {text!r}", param_hint="'--kinds'")
    kinds = [
        w.upper() if w.upper() in edge_kinds() else by_label.get(" ".join(w.lower().split()), w.upper())
        for w in words
    ]
    unknown = [k for k in kinds if k not in edge_kinds()]
    if unknown:
        raise click.BadParameter(
            f"unknown edge kind {', '.join(unknown)}; use {', '.join(edge_kinds())}"
            f" (or their labels: {', '.join(by_label)})",
            param_hint="'--kinds'",
        )
    return kinds


@cli.command()
@click.argument("entity", type=Name())
@click.option("--depth", type=Positive(), default=1, show_default=True, help="How many hops out.")
@click.option(
    "--kinds",
    metavar="KIND,…",
    help="Comma-separated edge kinds to follow: the kind (LISTED_ON, any case) or its label as the"
    " output prints it ('listed on', 'acts on').",
)
@as_of_option
@answers
def neighbours(session: Session, entity: str, depth: int, kinds: str | None, as_of: date | None) -> Answer:
    """The subgraph around an ENTITY, optionally as of a day.

    \b
    Examples:
      ordergraph neighbours ORG:xiaomi --depth 2 --as-of 2021-03-01
      ordergraph neighbours ORG:xiaomi --kinds listed_on --json
      ordergraph neighbours EXCH:NYSE --kinds "acts on"
    """
    from graph import query
    from graph.labels import membership_text

    edge_kinds = _edge_kinds(kinds)
    centre = session.resolve(entity)
    sub = query.neighbours(session.store, centre, depth, edge_kinds, as_of)
    # Centred on a list, the members drawn are not the list: say how many of each edition's are
    # shown, as `show` does, first, so nobody reads the lines below as the whole list.
    is_list = any(n.id == centre and n.kind == "SanctionsList" for n in sub.nodes)
    counts = query.membership(session.store, centre) if is_list else []
    text = "\n".join([*(membership_text(c) for c in counts), _text_subgraph(sub)])
    return Answer({**_dump(sub), "membership": _dump(counts)}, text)


@cli.command()
@click.argument("a", type=Name())
@click.argument("b", type=Name())
@click.option("--max-len", type=Positive(), default=5, show_default=True, help="Longest path, in edges.")
@click.option(
    "--all-kinds",
    is_flag=True,
    help=f"Also walk {', '.join(PATH_SKIPS)} edges, and through hubs (skipped by default).",
)
@as_of_option
@answers
def path(session: Session, a: str, b: str, max_len: int, all_kinds: bool, as_of: date | None) -> Answer:
    """Shortest typed paths between two entities A and B.

    \b
    Examples:
      ordergraph path ORG:tencent EO:14034
      ordergraph path 1810.HK EO:14032 --as-of 2021-03-01 --json
    """
    from graph import query
    from graph.store.base import HUB

    start, end = session.resolve(a), session.resolve(b)
    exclude = () if all_kinds else PATH_SKIPS
    hub = None if all_kinds else HUB
    found = query.paths(session.store, start, end, max_len, as_of, exclude=exclude, hub=hub)
    return Answer({"paths": found}, _text_paths(found))


@cli.command()
@answers
def stats(session: Session) -> Answer:
    """Counts of nodes and edges by kind.

    \b
    Example:
      ordergraph stats --json
    """
    from graph import query

    st = query.stats(session.store)
    return Answer(st, _text_stats(st))


def _known_from(edge: EdgeRef) -> str:
    """The audit's note on an undated relation a cited source shows holding by a day, else nothing."""
    known = edge.properties.get("known_from") if edge.start is None else None
    return f"  (known to hold by {known})" if known else ""


def _text_audit(report: AuditReport) -> str:
    def edges(title: str, refs: Sequence[EdgeRef]) -> list[str]:
        rows = [f"{title}: {len(refs)}"]
        rows += [f"  {e.id}  [{e.confidence}]{_known_from(e)}  {_first_url(e.sources)}" for e in refs]
        return rows

    lines = [f"{report.edges} edges", "source kinds (citations, most authoritative first):"]
    lines += [f"  {kind:<9} {count}" for kind, count in report.source_kinds.items()]
    lines += ["hosts (edges citing it; edges citing nothing else):"]
    lines += [f"  {h.edges:>4} {h.only_source:>4}  {h.host}  ({', '.join(h.kinds)})" for h in report.hosts]
    lines += edges(
        "legal facts without an official, court, filing or exchange source", report.legal_without_primary
    )
    lines += edges("edges only the press or other sources back", report.secondary_only)
    lines += edges("edges with no start date", report.undated)
    lines += edges("edges marked likely or unverified", report.not_verified)
    missing = report.chinese_names_missing
    lines += [f"companies on a list or issuing a security with no Chinese name: {len(missing)}"]
    lines += [f"  {g.id}  {g.name}  ({_shortened(g.note or 'no note', 100)})" for g in missing]
    lines += [
        "companies whose Chinese names only the press or other sources quote: "
        f"{len(report.chinese_names_secondary_only)}"
    ]
    lines += [
        f"  {g.id}  {', '.join(g.aliases)}  ({', '.join(g.kinds) or 'no source quotes them'})"
        for g in report.chinese_names_secondary_only
    ]
    counts = report.chinese_name_counts
    lines += ["Chinese names (full / short), per name: quoted by a primary source; only by lesser ones:"]
    lines += [f"  {form:<5} {c.primary:>4} {c.secondary_only:>4}" for form, c in counts.forms()]
    full_gaps = report.chinese_full_names_without_primary
    lines += [
        "companies whose full Chinese name no official, court, filing or exchange source quotes: "
        f"{len(full_gaps)}"
    ]
    lines += [f"  {g.id}  {_backed_names(g.names)}" for g in full_gaps]
    return "\n".join(lines)


def _backed_names(names: Sequence[NameBacking]) -> str:
    """Each name with the kinds quoting it: ``丁科技股份有限公司 (full: other); 丁股份 (short: filing)``."""
    return "; ".join(
        f"{n.name} ({'full' if n.full else 'short'}: {', '.join(n.kinds) or 'no source quotes it'})"
        for n in names
    )


def _shortened(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


@cli.command()
@answers
def audit(session: Session) -> Answer:
    """What a maintainer reads before publishing the data: source kinds and hosts with
    counts, legal facts without a primary source, edges only the press or lesser
    sources back, undated edges, edges not verified, and the companies on a list or
    issuing a security whose Chinese name is missing or only the press or lesser
    sources quote.

    \b
    Example:
      ordergraph audit
      ordergraph audit --json
    """
    from graph.audit import audit as audit_store

    report = audit_store(session.store)
    return Answer(report, _text_audit(report))


def _check_output(out: Path, fmt: str) -> None:
    """Refuse an export path that cannot be what the format writes, before writing anything."""
    if fmt == "csv" and out.exists() and not out.is_dir():
        raise WriteError(f"cannot write {out}: csv writes a folder (nodes.csv, edges.csv); this is a file")
    if fmt != "csv" and out.is_dir():
        example = out / f"ordergraph.{fmt}"
        raise WriteError(f"cannot write {out}: a folder; give a file name such as {example}")


def _output_path(value: str) -> Path:
    if not value.strip():
        raise click.BadParameter("empty path; give a file name such as out/ordergraph.graphml")
    return Path(value)


@cli.command()
@click.option("--format", "fmt", type=click.Choice(EXPORT_FORMATS), required=True, help="Output format.")
@click.argument("out", callback=lambda _ctx, _param, value: _output_path(value))
@answers
def export(session: Session, fmt: str, out: Path) -> Answer:
    """Write the graph as GraphML, GEXF, JSON, CSV or Cypher.

    OUT is a file, or a folder for csv (nodes.csv and edges.csv).

    \b
    Examples:
      ordergraph export --format graphml out/ordergraph.graphml
      ordergraph export --format csv out/csv
    """
    from graph.export import export as write

    store = session.store
    _check_output(out, fmt)
    folder = out if fmt == "csv" else out.parent
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        reason = exc.strerror or exc
        raise WriteError(f"cannot write {out}: cannot create folder {folder}: {reason}") from None
    try:
        written = write(store, fmt, out)
    except OSError as exc:
        raise WriteError(f"cannot write {exc.filename or out}: {exc.strerror or exc}") from None
    names = [str(p) for p in written]
    return Answer({"format": fmt, "written": names}, "wrote " + ", ".join(names))


def _table(headers: Sequence[str], rows: Sequence[Sequence[str]]) -> list[str]:
    """Left-aligned columns, the last one free to run long."""
    widths = [max(len(h), *(len(r[i]) for r in rows)) for i, h in enumerate(headers[:-1])] if rows else []
    lines = []
    for row in [headers, *rows]:
        cells = [c.ljust(w) for c, w in zip(row[:-1], widths, strict=False)] + [row[-1]]
        lines.append("  ".join(cells).rstrip())
    return lines


def _today_note(as_of: date | None) -> str:
    return " (today: no --as-of given)" if as_of is None else ""


@cli.command()
@click.argument("order", type=Name("an executive order (e.g. EO:14032, 14032)"))
@as_of_option
@answers
def reaches(session: Session, order: str, as_of: date | None) -> Answer:
    """Every security an ORDER affects on a day, with status and dates.

    ORDER is an executive order: EO:14032, "EO 14032", 14032 or its Federal
    Register citation.

    \b
    Examples:
      ordergraph reaches EO:14032 --as-of 2021-09-01
      ordergraph reaches 13959 --as-of 2021-03-10 --json
    """
    from graph.reaches import reaches as reached

    answer = reached(session.store, session.resolve(order), session.day(as_of))
    head = f"{answer.order.name} [{answer.order.id}] as of {answer.as_of}{_today_note(as_of)}"
    if not answer.securities:
        inactive = answer.inactive
        why = [f"it reaches no security on that day{f': {inactive.reason}' if inactive else ''}"]
        for edge in inactive.edges if inactive else []:
            why.append(f"  source: {edge.id}: {'; '.join(s.url for s in edge.sources) or 'no source'}")
        if inactive and inactive.sources:  # a reason no edge carries (not yet signed): the order's own
            why.append(f"  source: {answer.order.id}: {'; '.join(s.url for s in inactive.sources)}")
        return Answer(answer, "\n".join([head, *why]))
    rows = [
        [
            r.status,
            r.applies_from or "—",
            r.divest_until or "—",
            "yes" if r.disputed else "",
            r.security.id,
            r.security.name,
        ]
        for r in answer.securities
    ]
    table = _table(["status", "applies from", "divest until", "disputed", "security", "name"], rows)
    text = "\n".join([f"{head}: {len(rows)} securities", *table])
    return Answer(answer, text)


def _holdings(file: str) -> list[str]:
    """The tickers of a portfolio file (``-`` reads stdin); problems name the file."""
    from graph.screen import parse_tickers

    if not file.strip():
        raise click.BadParameter("empty path; give a CSV of tickers, or - for stdin", param_hint="FILE")
    where = "stdin" if file == "-" else file
    try:
        raw = sys.stdin.buffer.read() if file == "-" else Path(file).read_bytes()
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise OrdergraphError(f"{where}: not UTF-8 text ({exc.reason} at byte {exc.start})") from None
    except OSError as exc:
        raise OrdergraphError(f"{where}: cannot read: {exc.strerror or exc}") from None
    tickers = parse_tickers(text)
    if not tickers:
        raise OrdergraphError(f"{where}: no tickers; give one per line, or a CSV with a ticker column")
    too_long = [t for t in tickers if len(t) > MAX_NAME]
    if too_long:
        size = f"{len(too_long[0]):,} characters"
        raise OrdergraphError(f"{where}: a holding of {size} is too long for a ticker (at most {MAX_NAME})")
    return tickers


@cli.command()
@click.argument("file", type=click.Path(dir_okay=False, allow_dash=True))
@as_of_option
@click.option("--csv", "as_csv", is_flag=True, help="Print the screen as CSV (as the app's download).")
@answers
def screen(session: Session, file: str, as_of: date | None, as_csv: bool) -> Answer:
    """Screen a portfolio FILE: which holdings an order restricts on a day.

    FILE is a CSV with a ticker column (ticker, symbol, …) or one ticker per
    line, in any spelling; - reads stdin. Unknown and ambiguous holdings are
    listed with suggestions, never dropped.

    \b
    Examples:
      ordergraph screen portfolio.csv --as-of 2021-03-10
      printf '0728.HK\\nCHL\\n' | ordergraph screen - --as-of 2021-03-10 --json
    """
    from graph.screen import screen as screened
    from graph.screen import screen_csv

    answer = screened(session.store, _holdings(file), session.day(as_of))
    if as_csv:
        return Answer(answer, screen_csv(answer).rstrip("\n"))
    counts = [f"{len(answer.affected)} restrictions", f"{len(answer.clear)} clear"]
    counts.append(f"{len(answer.unresolved)} not found")
    out = [f"{answer.holdings} holdings as of {answer.as_of}{_today_note(as_of)}: {', '.join(counts)}"]
    if answer.affected:
        headers = ["holding", "security", "order", "status", "from", "divest until", ""]
        rows = [
            [r.input, r.security.id, r.order.id, r.status, r.applies_from or "—", r.divest_until or "—", ""]
            for r in answer.affected
        ]
        header, *lines = _table(headers, rows)
        out += ["", "affected:", f"  {header}"]
        for line, row in zip(lines, answer.affected, strict=True):
            out += [f"  {line}", f"      {row.sentence}"]
    if answer.clear:
        out += ["", "clear (no order restricts them that day):"]
        out += [f"  {c.input}  {c.security.id}  {c.security.name}" for c in answer.clear]
    if answer.unresolved:
        out += ["", "not found (fix and screen again):"]
        for u in answer.unresolved:
            hint = f" — did you mean {', '.join(u.suggestions)}?" if u.suggestions else ""
            out.append(f"  {u.input}: {u.problem}{hint}")
    return Answer(answer, "\n".join(out))


@cli.command()
@click.argument("edge_id", metavar="EDGE_ID", type=Name("an edge id, as `ordergraph show` prints it"))
@answers
def cite(session: Session, edge_id: str) -> Answer:
    """The citation of one relationship, in the form reporters use.

    EDGE_ID is printed by `ordergraph show` (quote it: ids contain |).

    \b
    Examples:
      ordergraph cite 'GOVERNS|EO:13959|LIST:DOD-1237|2020-11-12'
      ordergraph show ORG:xiaomi      # each edge ends with its cite command
    """
    from graph.cite import cite as cited

    citation = cited(session.store, edge_id.strip())
    text = "\n".join([citation.text, *(f"  source: {s}" for s in citation.sources)])
    return Answer(citation, text)


@cli.command()
@click.option("--from", "start", type=Day(), required=True, help="First day of the window, YYYY-MM-DD.")
@click.option("--to", "end", type=Day(), help="Last day of the window (default: today).")
@answers
def changes(session: Session, start: date, end: date | None) -> Answer:
    """What began or ended between two days: listings, orders, exchange actions, rulings.

    \b
    Examples:
      ordergraph changes --from 2021-01-01 --to 2021-01-31
      ordergraph changes --from 2021-06-01 --to 2021-06-30 --json
    """
    from graph.changes import changes as changed

    found = changed(session.store, start, session.day(end))
    note = " (today: no --to given)" if end is None else ""
    out = [f"changes from {found.start} to {found.end}{note}"]
    if not found.days:
        out.append("nothing began or ended in that window")
    for day in found.days:
        out.append(f"\n{day.date}")
        for change in day.changes:
            cited = _first_url(change.sources, change.sources_note)
            out.append(f"  {change.what:<6} {change.description}  ({cited})")
    return Answer(found, "\n".join(out))


TOUR = (
    ["stats"],
    ["search", "Luokong"],
    ["affects", "0728.HK", "--as-of", "2021-03-10"],
    ["affects", "NYSE:CHL", "--as-of", "2021-02-01"],
    ["affects", "1810.HK", "--as-of", "2021-02-01"],
    ["affects", "1810.HK", "--as-of", "2021-06-01", "--explain"],
    ["affects", "0700.HK", "--as-of", "2021-03-01"],
    ["timeline", "ORG:xiaomi"],
)


# ---- the workspace: sources a user loads --------------------------------------------------


# A file smaller than this loads in a moment: no bar.
PROGRESS_MIN_BYTES = 1 << 20
PROGRESS_MIN_ROWS = 50_000  # a re-merge shorter than this (a few seconds) gets no progress


def _count_lines(path: Path) -> int:
    with path.open("rb") as handle:
        return sum(chunk.count(b"\n") for chunk in iter(lambda: handle.read(1 << 20), b""))


@contextlib.contextmanager
def _progress(session: Session, path: Path) -> Iterator[Callable[[int], None] | None]:
    """A progress bar on stderr over the lines of a long load, when stderr is a terminal.

    Nothing under ``--json`` or when stderr is a pipe or a file, and nothing for a small file.
    """
    if session.json or not sys.stderr.isatty() or not path.is_file():
        yield None
        return
    if path.stat().st_size < PROGRESS_MIN_BYTES:
        yield None
        return
    total = max(_count_lines(path), 1)
    with click.progressbar(length=total, label=f"loading {path.name}", file=sys.stderr) as bar:
        done = 0

        def advance(line: int) -> None:
            nonlocal done
            if line > done:
                bar.update(min(line, total) - done)
                done = min(line, total)

        yield advance


class RemergeNotice:
    """Tells a person on stderr that opening the workspace merges every loaded dataset again, and why.

    The sentence when it begins; then, for a long run, a progress bar on a terminal or a line every
    tenth of the rows elsewhere (a log); and how long it took (:class:`loaders.workspace.RemergeLines`).
    Nothing under ``--json`` (stderr is kept for one error there).
    """

    def __init__(self, quiet: bool = False) -> None:
        from loaders.workspace import RemergeLines

        self.quiet = quiet
        self.lines = RemergeLines(lambda said: click.echo(f"note: {said}", err=True), PROGRESS_MIN_ROWS)
        self.bar: Any = None
        self.shown = 0  # rows the bar shows as merged

    def __call__(self, event: Remerge) -> None:
        if self.quiet:
            return
        if self.bar is not None and event.stage in ("done", "failed"):
            if event.stage == "done":
                self.bar.update(event.rows - self.shown)
            self.bar.render_finish()  # ends the bar's line: what follows starts on its own
            self.bar = None
        elif event.stage == "merging" and event.rows >= PROGRESS_MIN_ROWS and sys.stderr.isatty():
            if self.bar is None:
                self.bar = click.progressbar(length=event.rows, label="re-merging", file=sys.stderr)
                self.bar.render_progress()
            self.bar.update(event.done - self.shown)
            self.shown = event.done
            return
        self.lines(event)


def _text_sources(found: Sequence[Any]) -> str:
    if not found:
        return "no sources loaded: the graph is the curated data (see `ordergraph load --help`)"
    lines = [f"{'dataset':24} {'format':9} {'records':>7} {'nodes':>6} {'edges':>6}  seen            loaded"]
    for d in found:
        seen = f"{d.first_seen or '?'}..{d.last_seen or '?'}" if d.first_seen or d.last_seen else "-"
        lines.append(
            f"{d.name:24} {d.format:9} {d.records:>7} {d.nodes:>6} {d.edges:>6}  {seen:15} {d.loaded_at}"
        )
    aside = sum(d.set_aside for d in found)
    if aside:
        links = "link waits" if aside == 1 else "links wait"
        lines.append(
            f"{aside} {links} out of the graph for an end no dataset gives: ordergraph sources --set-aside"
        )
    return "\n".join(lines)


@cli.command()
@click.argument("path", type=click.Path(path_type=Path))
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["ftm", "ftm-delta", "fedreg", "ofac", "article"]),
    required=True,
    help="ftm (FollowTheMoney JSON lines), ftm-delta, fedreg (Federal Register API JSON), "
    "ofac (cons_prim.csv, consolidated.xml or their folder), article (text or HTML).",
)
@click.option("--dataset", metavar="NAME", help="Name the source (default: from the file name).")
@click.option("--url", help="article: where it was published.")
@click.option("--title", help="article: its headline (default: the first line, or the HTML title).")
@click.option("--published", metavar="DATE", help="article: publication date, YYYY[-MM[-DD]].")
@click.option("--publisher", help="article: who published it (default: the web site).")
@answers
def load(
    session: Session,
    path: Path,
    fmt: str,
    dataset: str | None,
    url: str | None,
    title: str | None,
    published: str | None,
    publisher: str | None,
) -> Answer:
    """Load a source into the workspace (./.ordergraph, or $ORDERGRAPH_HOME), all or nothing.

    A bad file changes nothing: the error names the file, line and field (exit 2).

    \b
    Examples:
      ordergraph load entities.ftm.json --format ftm --dataset opensanctions
      ordergraph load delta.json --format ftm-delta --dataset opensanctions
      ordergraph load cons_prim.csv --format ofac
      ordergraph load eo-13959.json --format fedreg
      ordergraph load article.txt --format article --url https://www.zdnet.com/article/...
    """
    from loaders.workspace import load_path

    options = {"url": url, "title": title, "published": published, "publisher": publisher}
    given = {k: v for k, v in options.items() if v is not None}
    if given and fmt != "article":
        raise click.BadParameter(f"only for --format article: {', '.join(given)}")
    workspace = session.workspace()
    try:
        with _progress(session, path) as progress:
            info = load_path(workspace, path, fmt, dataset, progress, **given)
    finally:
        workspace.close()
    session.stores.clear()
    text = f"loaded {info.name} ({info.format}): {info.records} records"
    text += f"; the graph has {info.nodes} nodes and {info.edges} edges from it"
    if info.skipped or info.skipped_links:
        text += (
            f"; skipped {info.skipped} entities of schemata the graph does not model (vessels, "
            f"addresses…) and {info.skipped_links} links to them"
        )
    return Answer(info.__dict__, text)


@cli.command()
@click.option(
    "--set-aside", "aside", is_flag=True, help="List the links set aside (ends no dataset gives now)."
)
@answers
def sources(session: Session, aside: bool) -> Answer:
    """The datasets loaded into the workspace, with counts and dates.

    \b
    Examples:
      ordergraph sources --json
      ordergraph sources --set-aside
    """
    from loaders.workspace import workspace_exists

    if not workspace_exists():
        return Answer([], "no links set aside" if aside else _text_sources([]))
    workspace = session.workspace()
    try:
        if aside:
            links = workspace.set_aside()
            text = "\n".join(
                [f"{a.dataset:24} {a.edge}  (waits for {a.node})" for a in links] or ["no links set aside"]
            )
            return Answer([asdict(a) for a in links], text)
        found = workspace.datasets()
    finally:
        workspace.close()
    return Answer([d.__dict__ for d in found], _text_sources(found))


@cli.command()
@click.argument("name")
@answers
def unload(session: Session, name: str) -> Answer:
    """Remove a dataset and everything only it gave (a row others gave too loses only it).

    \b
    Example:
      ordergraph unload opensanctions
    """
    from graph.errors import OrdergraphError
    from loaders.workspace import workspace_exists

    if not workspace_exists():
        raise OrdergraphError("no workspace here: nothing is loaded (see `ordergraph load --help`)")
    workspace = session.workspace()
    try:
        aside = workspace.unload(name)
    finally:
        workspace.close()
    session.stores.clear()
    lines = [f"unloaded {name}", *_text_set_aside(aside, f"(load {name} again, say)")]
    data = {"unloaded": name, "set_aside": [asdict(a) for a in aside]}
    return Answer(data, "\n".join(lines))


@cli.command()
@click.argument("a", required=False)
@click.argument("b", required=False)
@click.option("--review", is_flag=True, help="List candidate pairs with scores, a page of entities at once.")
@click.option(
    "--offset",
    type=click.IntRange(min=0),
    default=0,
    show_default=True,
    help="--review: skip this many entities.",
)
@click.option(
    "--limit", type=Positive(), default=None, help="--review: compare this many entities (default 200)."
)
@click.option("--same", "decision", flag_value="same", help="A and B are the same entity.")
@click.option("--different", "decision", flag_value="different", help="A and B are not the same.")
@click.option("--reason", help="Why (required with --same/--different).")
@click.option("--by", "decided_by", default=None, help="Who decided (default: $USER).")
@answers
def resolve(
    session: Session,
    a: str | None,
    b: str | None,
    review: bool,
    offset: int,
    limit: int | None,
    decision: str | None,
    reason: str | None,
    decided_by: str | None,
) -> Answer:
    """Review candidate duplicates, or record that A and B are (not) the same entity.

    A review compares a page of entities (the loaded datasets', newest first) with the graph
    and ends saying which entities it compared and how to see the next page.

    \b
    Examples:
      ordergraph resolve --review
      ordergraph resolve --review --offset 200 --limit 200
      ordergraph resolve ORG:smic ORG:ofac-30951 --same --reason "same OFAC uid"
    """
    import os

    from loaders.resolve import REVIEW_SUBJECTS, Judgement, review_page
    from loaders.workspace import Workspace

    if review:
        size = limit or REVIEW_SUBJECTS
        subjects, total = _review_subjects(session, offset, size)
        judgements = Workspace(data=session.data).judgements()  # reads the decision files only
        page = review_page(session.store, judgements, subjects, offset, total)
        return Answer(_review_data(page, size), _text_review(page, size))
    if not (a and b and decision):
        raise click.UsageError("give --review, or A B with --same or --different and --reason")
    if not reason:
        raise click.BadParameter("say why", param_hint="'--reason'")
    who = decided_by or os.environ.get("USER") or "unknown"
    workspace = session.workspace()
    try:
        aside = workspace.judge(Judgement(a, b, "same" if decision == "same" else "different", reason, who))
    finally:
        workspace.close()
    session.stores.clear()
    data: dict[str, Any] = {"a": a, "b": b, "decision": decision, "reason": reason, "by": who}
    data["set_aside"] = [asdict(x) for x in aside]
    lines = [f"{a} {decision} {b}", *_text_set_aside(aside, "(or this decision is undone)")]
    return Answer(data, "\n".join(lines))


def _text_set_aside(aside: Sequence[Any], how: str) -> list[str]:
    """What a command set aside, a line per dataset and missing node, and how to see it."""
    by_link: dict[tuple[str, str], int] = {}
    for item in aside:
        by_link[(item.dataset, item.node)] = by_link.get((item.dataset, item.node), 0) + 1
    lines = []
    for (dataset, node), count in by_link.items():
        links = "link" if count == 1 else "links"
        lines.append(f"  {count} {links} of {dataset} to {node} set aside: no dataset describes {node} now")
    if aside:
        lines.append(f"  they come back when a dataset gives those nodes again {how}")
        lines.append("  see them: ordergraph sources --set-aside")
    return lines


def _review_data(page: Any, size: int) -> dict[str, Any]:
    return {
        "pairs": [{"score": round(s, 1), "a": x, "b": y} for s, x, y in page.pairs],
        "offset": page.offset,
        "limit": size,
        "entities": page.subjects,
        "total_entities": page.total,
        "next_offset": page.next_offset,
    }


def _text_review(page: Any, size: int) -> str:
    lines = [f"{s:5.1f}  {x}  {y}" for s, x, y in page.pairs] or ["no candidate pairs"]
    pairs = "pair" if len(page.pairs) == 1 else "pairs"
    if page.subjects:
        shown = f"entities {page.offset + 1}–{page.offset + page.subjects} of {page.total:,} compared"
    else:
        shown = f"no entities from {page.offset + 1} (there are {page.total:,})"
    if page.next_offset is None:
        follow = "the last page"
    else:
        follow = f"next: ordergraph resolve --review --offset {page.next_offset} --limit {size}"
    lines.append(f"{len(page.pairs)} {pairs}; {shown}; {follow}")
    return "\n".join(lines)


def _review_subjects(session: Session, offset: int, limit: int) -> tuple[list[Any], int]:
    """What a page of a review compares with the graph, and how many entities a review compares
    in all: the entities the loaded datasets gave (the newest dataset's first), or, with nothing
    loaded, the graph's own companies, people and bodies; read in a few calls whatever the
    size of the graph or the page's offset."""
    from loaders.resolve import graph_review_subjects
    from loaders.workspace import workspace_exists

    store = session.store
    if workspace_exists() and session.backend != "neo4j":
        workspace = session.workspace()
        try:
            ids, total = workspace.review_subjects(offset, limit)
        finally:
            workspace.close()
        found = store.get_nodes(ids)
        return [found[i] for i in ids if i in found], total
    return graph_review_subjects(store, offset, limit)


@cli.command()
@answers
def tour(session: Session) -> Answer:
    """A short tour of the commands on the curated data."""
    out = []
    for argv in TOUR:
        out.append("$ ordergraph " + " ".join(argv))
        printed = io.StringIO()
        cli.main(list(argv), "ordergraph", obj=session.printing_to(printed), standalone_mode=False)
        out.append(printed.getvalue())
    return Answer({"commands": [" ".join(a) for a in TOUR]}, "\n".join(out))


# ---- Neo4j: a server of our own, the sync, and a read-only Cypher console -------------------


@cli.group(name="neo4j", params=[_json_option, _data_option])
def neo4j_group() -> None:
    """A Neo4j server for the graph: start one here, sync the graph into it, see its state.

    \b
    Examples:
      ordergraph neo4j start        # the first start fetches Neo4j 5.26 from Maven Central
      ordergraph neo4j sync         # writes the data folder's graph into it (idempotent)
      ordergraph neo4j status
      ordergraph --backend neo4j affects 1810.HK --as-of 2021-02-01
      ordergraph cypher "MATCH (c:Company)-[:LISTED_ON]->(l) RETURN l.name, count(c)"
      ordergraph neo4j stop

    \b
    NEO4J_URI, NEO4J_USER and NEO4J_PASSWORD point every command at your own
    server or cluster (Aura, self-hosted) instead of the local one.
    """


@neo4j_group.command(name="start")
@click.option("--bolt-port", type=Positive(), help="Bolt port (default 7687 when free, else a free one).")
@click.option("--http-port", type=Positive(), help="Browser port (default 7474 when free, else a free one).")
@answers
def neo4j_start(session: Session, bolt_port: int | None, http_port: int | None) -> Answer:
    """Start a local Neo4j Community server (127.0.0.1 only, no auth) in the background."""
    from tools.neo4j import server

    home = server.local_home()
    running = server.read_state(home)
    if running is None or not running.running():
        usual_bolt, usual_http = server.preferred_ports()
        click.echo("starting Neo4j (a first start fetches its jars from Maven Central: ~2 minutes)", err=True)
        running = server.start(home, bolt_port or usual_bolt, http_port or usual_http)
    data = {
        "bolt": running.bolt_uri,
        "browser": running.browser_url,
        "pid": running.pid,
        "version": running.version,
        "home": str(home),
    }
    text = (
        f"Neo4j {running.version} running (pid {running.pid}, home {home})\n"
        f"  Bolt:    {running.bolt_uri}\n  Browser: {running.browser_url}\n"
        "next: ordergraph neo4j sync"
    )
    return Answer(data, text)


@neo4j_group.command(name="stop")
@answers
def neo4j_stop(session: Session) -> Answer:
    """Stop the local Neo4j server (SIGTERM, then wait until it has shut down)."""
    from tools.neo4j import server

    home = server.local_home()
    stopped = server.stop(home)
    if stopped is None:
        return Answer({"stopped": False, "home": str(home)}, f"no local Neo4j server recorded in {home}")
    data = {"stopped": True, "pid": stopped.pid, "home": str(home)}
    return Answer(data, f"stopped Neo4j (pid {stopped.pid})")


@neo4j_group.command(name="status")
@answers
def neo4j_status(session: Session) -> Answer:
    """Where the server is (Bolt and Browser URLs), what it holds (counts by kind) and the last sync."""
    from graph.neo4j_sync import graph_counts, last_sync
    from tools.neo4j.server import connection

    found = connection()
    driver = session.neo4j_driver()
    counts = graph_counts(driver)
    synced = last_sync(driver)
    sync_info = None
    if synced is not None:
        sync_info = {k: _plain_value(v) for k, v in sorted(synced.items())}
    data = {
        "bolt": found.uri,
        "browser": found.browser_url,
        "origin": found.origin,
        "nodes": counts["node"],
        "edges": counts["edge"],
        "last_sync": sync_info,
    }
    lines = [f"Neo4j at {found.uri} ({found.origin})"]
    if found.browser_url:
        lines.append(f"  Browser: {found.browser_url}")
    lines.append(f"  nodes: {sum(counts['node'].values())}  " + _kinds_line(counts["node"]))
    lines.append(f"  edges: {sum(counts['edge'].values())}  " + _kinds_line(counts["edge"]))
    lines.append("  " + _sync_line(sync_info))
    return Answer(data, "\n".join(lines))


def _sync_line(info: Mapping[str, Any] | None) -> str:
    """The last sync run in a line, with what to do when it did not complete."""
    if info is None:
        return "never synced: run `ordergraph neo4j sync`"
    run = f"last sync: #{info.get('generation')}"
    again = "run `ordergraph neo4j sync` again"
    if info.get("status") == "complete":
        return f"{run} complete, finished {_when(info.get('finished'))}"
    if info.get("status") == "running":
        return (
            f"{run} started {_when(info.get('started'))} and has not finished: it is running, "
            f"or it stopped with its server ({again})"
        )
    return f"{run} {info.get('status')}, at {_when(info.get('finished'))}: {again} (it converges)"


def _when(stamp: Any) -> str:
    """A time the server recorded (ISO, UTC) as ``2026-11-27 11:19:13 UTC``."""
    text = str(stamp or "")
    if re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|\+00:00)", text):
        return text[:19].replace("T", " ") + " UTC"
    return text or "—"


def _kinds_line(counts: Mapping[str, int]) -> str:
    return ", ".join(f"{kind} {n}" for kind, n in sorted(counts.items())) or "(empty)"


def _plain_value(value: Any) -> Any:
    return value.iso_format() if hasattr(value, "iso_format") else value


@neo4j_group.command(name="sync")
@click.option(
    "--batch-size", type=Positive(), default=20_000, show_default=True, help="Rows per transaction."
)
@answers
def neo4j_sync(session: Session, batch_size: int) -> Answer:
    """Write the data folder's graph into Neo4j: idempotent, and stale nodes and edges are removed.

    \b
    Examples:
      ordergraph neo4j sync
      ordergraph --data tests/fixtures/mini neo4j sync --json
    """
    from graph.neo4j_sync import sync

    store = session.local_store
    nodes, edges = list(store.nodes()), list(store.edges())
    with click.progressbar(length=len(nodes) + len(edges), label="syncing", file=sys.stderr) as bar:
        report = sync(session.neo4j_driver(), nodes, edges, batch_size=batch_size, progress=bar.update)
    data: dict[str, Any] = {**report.counts(), "generation": report.generation, "complete": report.complete}
    data["missing_endpoints"] = [
        {"edge": m.edge_id, "kind": m.kind, "missing": list(m.missing)} for m in report.missing_endpoints
    ]
    if report.missing_endpoints:
        listed = "; ".join(f"{m.edge_id} (no {', '.join(m.missing)})" for m in report.missing_endpoints[:20])
        raise OrdergraphError(f"{report.summary()}: {listed}")
    return Answer(data, report.summary())


class JsonValue(_ParamType):
    """A JSON value: a number, true/false, null, a list, an object, or a quoted string."""

    name = "JSON"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        if not isinstance(value, str):
            return value
        try:
            return json.loads(value)
        except ValueError as exc:
            self.fail(f"{value!r} is not JSON ({exc}); text goes in --param", param, ctx)


@cli.command()
@click.argument("query")
@click.option(
    "-p",
    "--param",
    "params",
    nargs=2,
    multiple=True,
    metavar="NAME VALUE",
    help="A $NAME in the query, as text (repeatable): -p ticker HKEX:1810.",
)
@click.option(
    "--param-json",
    "json_params",
    type=(str, JsonValue()),
    multiple=True,
    metavar="NAME JSON",
    help="A $NAME as a JSON value (a number, a list…): --param-json n 5.",
)
@click.option("--timeout", type=click.FloatRange(min=0.1), default=10.0, show_default=True, help="Seconds.")
@click.option("--limit", type=Positive(), default=1000, show_default=True, help="At most this many rows.")
@answers
def cypher(
    session: Session,
    query: str,
    params: Sequence[tuple[str, str]],
    json_params: Sequence[tuple[str, Any]],
    timeout: float,
    limit: int,
) -> Answer:
    """Run a read-only Cypher query against Neo4j (writes are refused; a timeout stops it).

    Values go in as parameters ($name), never pasted into the query. The server's
    warnings (a label or property not in the database: a misspelling?) are printed
    on stderr, and under --json listed in "warnings".

    \b
    Examples:
      ordergraph cypher "MATCH (o:ExecutiveOrder) RETURN o.number, o.signed ORDER BY o.signed"
      ordergraph cypher "MATCH (s:Security {ticker: 'HKEX:1810'})<-[:ISSUES]-(c) RETURN c.name" --json
      ordergraph cypher 'MATCH (s:Security {ticker: $t})<-[:ISSUES]-(c) RETURN c.name' -p t NYSE:CHL
      ordergraph cypher 'MATCH (c:Company) RETURN c.name LIMIT $n' --param-json n 3
    See docs/cypher.md for a cookbook.
    """
    from graph.neo4j_console import run_read_only

    values: dict[str, Any] = dict(params)
    values.update(dict(json_params))
    result = run_read_only(session.neo4j_driver(), query, values, timeout=timeout, max_rows=limit)
    for warning in result.warnings:
        session.note_warning(warning)
    data = {"columns": result.columns, "rows": result.records(), "truncated": result.truncated}
    data["warnings"] = result.warnings
    return Answer(data, _cypher_table(result.columns, result.rows, result.truncated))


def _cell(value: Any, width: int = 60) -> str:
    text = value if isinstance(value, str) else _shown_value(value)
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


_NODE_KEYS = {"id", "labels", "properties"}
_RELATIONSHIP_KEYS = {"type", "start", "end", "properties"}


def _shown_value(value: Any) -> str:
    """A value in a table cell: a node as ``(:Company ORG:xiaomi "Xiaomi Corporation")``, a
    relationship as ``(ORG:xiaomi)-[:LISTED_ON 2021-01-14]->(LIST:DOD-1237)``, a path as its steps;
    anything else as JSON (``--json`` has every value whole)."""
    if isinstance(value, dict) and set(value) == _NODE_KEYS:
        labels = "".join(f":{label}" for label in value["labels"] if label != "Entity")
        name = value["properties"].get("name")
        return f"({labels} {value['id']}" + (f" {json.dumps(name, ensure_ascii=False)})" if name else ")")
    if isinstance(value, dict) and set(value) == _RELATIONSHIP_KEYS:
        start = value["properties"].get("start")
        return f"({value['start']})-[:{value['type']}{' ' + start if start else ''}]->({value['end']})"
    if isinstance(value, list) and len(value) % 2 == 1 and value and _is_path(value):
        steps = [_shown_value(value[0])]
        for rel, node in zip(value[1::2], value[2::2], strict=True):
            start = rel["properties"].get("start")
            arrow = f"-[:{rel['type']}{' ' + start if start else ''}]-"
            steps.append((arrow + ">" if rel["end"] == node["id"] else "<" + arrow) + _shown_value(node))
        return "".join(steps)
    return json.dumps(value, ensure_ascii=False)


def _is_path(items: list[Any]) -> bool:
    nodes, relationships = items[0::2], items[1::2]
    return all(isinstance(n, dict) and set(n) == _NODE_KEYS for n in nodes) and all(
        isinstance(r, dict) and set(r) == _RELATIONSHIP_KEYS for r in relationships
    )


def _cypher_table(columns: Sequence[str], rows: Sequence[Sequence[Any]], truncated: bool) -> str:
    """Rows as an aligned text table; long cells are cut (``--json`` has them whole)."""
    cells = [[_cell(v) for v in row] for row in rows]
    widths = [max([len(c)] + [len(r[i]) for r in cells]) for i, c in enumerate(columns)]
    lines = [" | ".join(c.ljust(w) for c, w in zip(columns, widths, strict=True)).rstrip()]
    lines.append("-+-".join("-" * w for w in widths))
    lines += [" | ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip() for r in cells]
    lines.append(f"({len(rows)} row{'s' if len(rows) != 1 else ''}{', cut at --limit' if truncated else ''})")
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    """Run ``ordergraph ARGS``; returns the exit status (0, or 2 for a bad input)."""
    # pydantic looks for plugins in every installed distribution's entry points the first
    # time a model is built; the command uses none, and the scan is a tenth of its start-up.
    os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
    code: int = cli.main(argv, "ordergraph", standalone_mode=False)
    return code


if __name__ == "__main__":
    raise SystemExit(main())
