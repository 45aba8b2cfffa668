"""A read-only, time-limited Cypher console over a driver (the CLI's ``cypher`` and the app's console).

Three guards, so no console query can change the graph or run away:

1. the server plans the query first (``EXPLAIN``, nothing runs) and anything
   but a read-only query — a write clause, a schema command, a write or
   admin procedure — is refused with a message naming the clauses that write,
   as are ``LOAD CSV`` (it reads the server's files and fetches URLs) and
   ``TERMINATE TRANSACTIONS`` (a read to the server, it stops others' queries:
   a running sync too);
2. it then runs in a read transaction of a session opened in READ access
   mode, which the server itself enforces;
3. with a transaction timeout (``begin_transaction(timeout=…)``), and at most
   ``max_rows`` rows are kept. The transaction is explicit, not managed
   (``execute_read``), so the driver never retries it past its time limit.

Values come back as plain JSON-ready data: a node as ``{"id", "labels",
"properties"}``, a relationship as ``{"type", "start", "end", "properties"}``,
a path as its alternating list, dates and durations as ISO strings. The
server's warnings on the plan (a label, relationship type or property that is
not in the database: a misspelling, most often) come back with the rows, as
Neo4j Browser shows them; errors and warnings give positions in the query as
written.
"""

from __future__ import annotations

import contextlib
import json
import logging
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from neo4j import READ_ACCESS, Driver, Transaction
from neo4j.exceptions import ClientError, DriverError, Neo4jError, ServiceUnavailable
from neo4j.graph import Node, Path, Relationship

from graph.errors import OrdergraphError, StoreUnavailable

TIMEOUT = 10.0
MAX_ROWS = 1000
# What EXPLAIN is put in front of the query with; positions the server gives are moved back by it.
_EXPLAIN = "EXPLAIN "
# Clauses that write, as a reader names them; found in the query's text once its plan says it writes.
_WRITE_CLAUSES = (
    ("CALL { … } IN TRANSACTIONS", r"\bIN\s+(?:\d+\s+CONCURRENT\s+)?TRANSACTIONS\b"),
    ("CREATE", r"(?<!\bON\s)\bCREATE\b"),
    ("MERGE", r"\bMERGE\b"),
    ("SET", r"\bSET\b"),
    ("DETACH DELETE", r"\bDETACH\s+DELETE\b"),
    ("DELETE", r"(?<!DETACH\s)\bDELETE\b"),
    ("REMOVE", r"\bREMOVE\b"),
    ("FOREACH", r"\bFOREACH\b"),
)
# Strings, quoted names and comments: their words are not clauses.
_NOT_CLAUSES = re.compile(r"'(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\"|`[^`]*`|//[^\n]*|/\*.*?\*/", re.S)


class CypherRefused(OrdergraphError):
    """A console query that would change the graph or its schema."""


class CypherFailed(OrdergraphError):
    """A console query the server rejected (syntax, timeout, unknown procedure…)."""


@dataclass
class CypherResult:
    """Columns, rows (plain values) and whether rows were cut at ``max_rows``."""

    columns: list[str]
    rows: list[list[Any]]
    truncated: bool
    warnings: list[str] = field(default_factory=list)

    def records(self) -> list[dict[str, Any]]:
        """Rows as ``{column: value}`` maps (the JSON form)."""
        return [dict(zip(self.columns, row, strict=True)) for row in self.rows]


def params_from_json(text: str) -> dict[str, Any]:
    """The query's parameters from a JSON object (``{"ticker": "HKEX:1810", "n": 5}``): the app's
    form of the CLI's ``-p NAME VALUE`` and ``--param-json NAME JSON``; blank text is none. Raises
    CypherFailed saying what is wrong, and where, when it is not a JSON object.

    >>> params_from_json('{"n": 5, "t": "NYSE:CHL"}'), params_from_json("  ")
    ({'n': 5, 't': 'NYSE:CHL'}, {})
    >>> params_from_json('[5]')
    Traceback (most recent call last):
    graph.neo4j_console.CypherFailed: parameters: give a JSON object such as {"n": 5}, not a list
    >>> params_from_json('{"n": }')  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    graph.neo4j_console.CypherFailed: parameters: not JSON (Expecting value: line 1 column 7 ...)
    """
    if not text.strip():
        return {}
    try:
        value = json.loads(text)
    except ValueError as exc:
        raise CypherFailed(f"parameters: not JSON ({exc})") from exc
    if not isinstance(value, dict):
        kind = {list: "a list", str: "a string", bool: "true or false"}.get(type(value), "a number")
        raise CypherFailed(
            f'parameters: give a JSON object such as {{"n": 5}}, not {"null" if value is None else kind}'
        )
    return value


def plain(value: Any) -> Any:
    """A driver value as JSON-ready data.

    >>> plain([1, {"a": True}])
    [1, {'a': True}]
    """
    if isinstance(value, Node):
        props = {k: plain(v) for k, v in value.items()}
        return {"id": props.get("id"), "labels": sorted(value.labels), "properties": props}
    if isinstance(value, Relationship):
        start = value.start_node.get("id") if value.start_node is not None else None
        end = value.end_node.get("id") if value.end_node is not None else None
        props = {k: plain(v) for k, v in value.items()}
        return {"type": value.type, "start": start, "end": end, "properties": props}
    if isinstance(value, Path):
        out: list[Any] = [plain(value.start_node)]
        for rel in value.relationships:
            out += [plain(rel), plain(rel.end_node)]
        return out
    if hasattr(value, "iso_format"):  # neo4j.time Date, DateTime, Time, Duration (a tuple: first)
        return value.iso_format()
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    if isinstance(value, Mapping):
        return {str(k): plain(v) for k, v in value.items()}
    return value


@dataclass(frozen=True)
class _Plan:
    """What EXPLAIN says of a query: its kind (``r``, ``rw``, ``w``, ``s``), its operators with their
    details, and the server's warnings (already in the query's own positions)."""

    kind: str
    operators: list[tuple[str, str]]
    warnings: list[str]

    def has(self, operator: str) -> bool:
        return any(name == operator for name, _ in self.operators)


def _operators(plan: Any) -> list[tuple[str, str]]:
    """Every operator in a plan tree (``summary.plan``: nested dicts) as (name, details)."""
    if not isinstance(plan, Mapping):
        return []
    details = str((plan.get("args") or {}).get("Details", ""))
    found = [(str(plan.get("operatorType", "")).split("@")[0], details)]
    for child in plan.get("children") or []:
        found += _operators(child)
    return found


def _explain(tx: Transaction, text: str, params: Mapping[str, Any]) -> _Plan:
    summary = tx.run(_EXPLAIN + text, dict(params)).consume()
    warnings = [
        _warning(status.status_description, status.position)
        for status in summary.gql_status_objects
        if status.is_notification and str(status.raw_severity) == "WARNING"
    ]
    return _Plan(str(summary.query_type or ""), _operators(summary.plan), warnings)


def _warning(description: str, position: Any) -> str:
    """``warn: label does not exist. The label `X` does not exist. …`` → ``line 1, column 10: The label…``"""
    text = re.sub(r"^warn: [^.]*\.\s*", "", description.strip())
    if position is None:
        return text
    column = position.column - (len(_EXPLAIN) if position.line == 1 else 0)
    return f"line {position.line}, column {column}: {text}"


def _written_with(text: str) -> list[str]:
    """The write clauses a query's text uses, in the order they first appear.

    >>> _written_with("FOREACH (x IN [1] | MERGE (n {name: 'SET'}) ON CREATE SET n.x = 1) // DELETE")
    ['FOREACH', 'MERGE', 'SET']
    """
    bare = _NOT_CLAUSES.sub(" ", text)
    found = {name: hit.start() for name, pattern in _WRITE_CLAUSES if (hit := re.search(pattern, bare, re.I))}
    return sorted(found, key=found.__getitem__)


def _refusal(plan: _Plan, text: str) -> str | None:
    """Why the console refuses the query, naming what in it writes; None when it only reads."""
    if plan.has("LoadCSV"):
        return "refused: this console does not run LOAD CSV (it reads the server's files, fetches URLs)"
    if plan.has("TerminateTransactions"):
        return "refused: this console only reads; TERMINATE TRANSACTIONS stops others' queries (a sync too)"
    if plan.kind == "r":
        return None
    read_only = "refused: this console is read-only"
    procedures = [d.split("(")[0] for name, d in plan.operators if name == "ProcedureCall"]
    if plan.kind == "s" and procedures:
        return f"{read_only}, and {', '.join(procedures)} is not a read-only procedure"
    if plan.has("AdministrationCommand"):
        return f"{read_only}, and the query is an administration command (users, roles, databases)"
    if plan.kind == "s":
        return (
            f"{read_only}, and the query changes the schema (indexes, constraints): "
            "`ordergraph neo4j sync` creates the ones the graph needs"
        )
    clauses = _written_with(text)
    if procedures and not clauses:
        return f"{read_only}, and {', '.join(procedures)} is a procedure that writes"
    what = f" with {', '.join(clauses)}" if clauses else ""
    return (
        f"{read_only}, and the query writes to the graph{what}: "
        "the graph is written by `ordergraph neo4j sync` from the data folder"
    )


@contextlib.contextmanager
def _notifications_unlogged() -> Iterator[None]:
    """The driver logs each server notification as a warning: the console returns them instead."""
    log = logging.getLogger("neo4j.notifications")
    before = log.disabled
    log.disabled = True
    try:
        yield
    finally:
        log.disabled = before


def _fetch(tx: Transaction, text: str, params: Mapping[str, Any], max_rows: int) -> CypherResult:
    result = tx.run(text, dict(params))
    columns = list(result.keys())
    rows: list[list[Any]] = []
    truncated = False
    for record in result:
        if len(rows) == max_rows:
            truncated = True
            break
        rows.append([plain(v) for v in record.values()])
    return CypherResult(columns, rows, truncated)


def run_read_only(
    driver: Driver,
    text: str,
    params: Mapping[str, Any] | None = None,
    *,
    timeout: float = TIMEOUT,
    max_rows: int = MAX_ROWS,
    database: str | None = None,
    params_hint: str = "--param NAME VALUE",
) -> CypherResult:
    """Run one read-only Cypher query; refuse anything that writes. See the module docstring.

    ``params_hint`` is how the reader gives a parameter the query lacks (the CLI's option, the
    app's box), named in the error."""
    text = text.strip().rstrip(";").strip()
    if not text:
        raise CypherFailed(
            "empty query: write a Cypher query such as MATCH (n:Company) RETURN n.name LIMIT 5"
        )
    params = params or {}
    planned = False  # an error while planning has the EXPLAIN's positions: moved back in messages
    try:
        with (
            _notifications_unlogged(),
            driver.session(
                database=database, default_access_mode=READ_ACCESS, notifications_min_severity="WARNING"
            ) as session,
        ):
            # Explicit transactions, never execute_read: the driver retries a managed one on a
            # transient error (a query the server terminated included) for up to the driver's
            # max_transaction_retry_time, so a console query could run past its time limit.
            with session.begin_transaction() as tx:
                plan = _explain(tx, text, params)
            planned = True
            refused = _refusal(plan, text)
            if refused is not None:
                raise CypherRefused(refused)
            # The server stops the transaction at the timeout.
            with session.begin_transaction(timeout=timeout) as tx:
                result = _fetch(tx, text, params, max_rows)
            result.warnings = plan.warnings
            return result
    except ServiceUnavailable as exc:
        raise StoreUnavailable(f"Neo4j is unreachable: {exc}") from exc
    except ClientError as exc:
        code = exc.code or ""
        if "AccessMode" in code or "ForbiddenOnReadOnlyDatabase" in code:
            raise CypherRefused(f"refused: this console is read-only ({exc.message})") from exc
        if "Timeout" in code or "TransactionTimedOut" in code or "Terminated" in code:
            raise CypherFailed(f"the query took longer than {timeout:g} s and was stopped") from exc
        message = (exc.message or "") if planned else _unprefixed(exc.message)
        if "ParameterMissing" in code:
            raise CypherFailed(f"{message}: give each with {params_hint}") from exc
        raise CypherFailed(f"Neo4j refused the query: {message}") from exc
    except (Neo4jError, DriverError) as exc:
        message = getattr(exc, "message", None) or str(exc)
        if "timeout" in message.lower() or "terminated" in message.lower():
            raise CypherFailed(f"the query took longer than {timeout:g} s and was stopped") from exc
        raise CypherFailed(f"Neo4j could not run the query: {message}") from exc


def _unprefixed(message: str | None) -> str:
    r"""A server message on planning the query, as the user wrote it: without the ``EXPLAIN`` this
    module put in front, its position moved back to match (column and caret on line 1, offsets).

    >>> print(_unprefixed('Invalid input (line 1, column 9 (offset: 8))\n"EXPLAIN MATC (n)"\n         ^'))
    Invalid input (line 1, column 1 (offset: 0))
    "MATC (n)"
     ^
    """
    text = message or ""
    shift = len(_EXPLAIN)

    def position(match: re.Match[str]) -> str:
        line, column, offset = (int(g) for g in match.groups())
        column -= shift if line == 1 else 0
        return f"line {line}, column {column} (offset: {offset - shift})"

    text = re.sub(r"line (\d+), column (\d+) \(offset: (\d+)\)", position, text)
    lines = text.split("\n")
    for i, line in enumerate(lines):
        if line.startswith('"' + _EXPLAIN):
            lines[i] = '"' + line[1 + shift :]
            caret = i + 1
            if caret < len(lines) and lines[caret].strip() == "^" and len(lines[caret]) > shift:
                lines[caret] = lines[caret][shift:]
    return "\n".join(lines)
