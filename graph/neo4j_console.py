"""A read-only, time-limited Cypher console over a driver (the CLI's ``cypher`` and the app's console).

Three guards, so no console query can change the graph or run away:

1. the server plans the query first (``EXPLAIN``, nothing runs) and anything
   but a read-only query — a write clause, a schema command, a write or
   admin procedure — is refused with a message saying so, as is ``LOAD CSV``
   (it reads the server's files and fetches URLs);
2. it then runs in a read transaction (``execute_read``) of a session opened
   in READ access mode, which the server itself enforces;
3. with a transaction timeout (``unit_of_work(timeout=…)``, the managed
   transaction's form of ``neo4j.Query(..., timeout=…)``), and at most
   ``max_rows`` rows are kept.

Values come back as plain JSON-ready data: a node as ``{"id", "labels",
"properties"}``, a relationship as ``{"type", "start", "end", "properties"}``,
a path as its alternating list, dates as ISO strings.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from neo4j import READ_ACCESS, Driver, ManagedTransaction, unit_of_work
from neo4j.exceptions import ClientError, DriverError, Neo4jError, ServiceUnavailable
from neo4j.graph import Node, Path, Relationship

from graph.errors import OrdergraphError, StoreUnavailable

TIMEOUT = 10.0
MAX_ROWS = 1000
_KINDS = {"r": "read", "rw": "read/write", "w": "write", "s": "schema"}


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

    def records(self) -> list[dict[str, Any]]:
        """Rows as ``{column: value}`` maps (the JSON form)."""
        return [dict(zip(self.columns, row, strict=True)) for row in self.rows]


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
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    if isinstance(value, Mapping):
        return {str(k): plain(v) for k, v in value.items()}
    if hasattr(value, "iso_format"):  # neo4j.time Date, DateTime, Time, Duration
        return value.iso_format()
    return value


def _operators(plan: Any) -> set[str]:
    """Every operator name in a plan tree (``summary.plan``: nested dicts)."""
    if not isinstance(plan, Mapping):
        return set()
    found = {str(plan.get("operatorType", "")).split("@")[0]}
    for child in plan.get("children") or []:
        found |= _operators(child)
    return found


def _explain(tx: ManagedTransaction, text: str, params: Mapping[str, Any]) -> tuple[str, set[str]]:
    summary = tx.run("EXPLAIN " + text, dict(params)).consume()
    return str(summary.query_type or ""), _operators(summary.plan)


def _fetch(tx: ManagedTransaction, text: str, params: Mapping[str, Any], max_rows: int) -> CypherResult:
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
) -> CypherResult:
    """Run one read-only Cypher query; refuse anything that writes. See the module docstring."""
    text = text.strip().rstrip(";").strip()
    if not text:
        raise CypherFailed(
            "empty query: write a Cypher query such as MATCH (n:Company) RETURN n.name LIMIT 5"
        )
    params = params or {}
    try:
        with driver.session(database=database, default_access_mode=READ_ACCESS) as session:
            kind, operators = session.execute_read(_explain, text, params)
            if "LoadCSV" in operators:
                # It reads files on the server, or fetches URLs: neither belongs in a graph console.
                raise CypherRefused("refused: LOAD CSV is not allowed in this console")
            if kind != "r":
                raise CypherRefused(
                    f"refused: this console is read-only and the query is a {_KINDS.get(kind, kind)} query "
                    "(CREATE, MERGE, SET, DELETE, REMOVE, schema commands, write procedures: not allowed)"
                )
            # The server stops the transaction at the timeout (unit_of_work: execute_read's Query(timeout=)).
            fetch = unit_of_work(timeout=timeout)(_fetch)
            return session.execute_read(fetch, text, params, max_rows)
    except ServiceUnavailable as exc:
        raise StoreUnavailable(f"Neo4j is unreachable: {exc}") from exc
    except ClientError as exc:
        code = exc.code or ""
        if "AccessMode" in code or "ForbiddenOnReadOnlyDatabase" in code:
            raise CypherRefused(f"refused: this console is read-only ({exc.message})") from exc
        if "Timeout" in code or "TransactionTimedOut" in code or "Terminated" in code:
            raise CypherFailed(f"the query took longer than {timeout:g} s and was stopped") from exc
        raise CypherFailed(f"Neo4j refused the query: {_unprefixed(exc.message)}") from exc
    except (Neo4jError, DriverError) as exc:
        message = getattr(exc, "message", None) or str(exc)
        if "timeout" in message.lower() or "terminated" in message.lower():
            raise CypherFailed(f"the query took longer than {timeout:g} s and was stopped") from exc
        raise CypherFailed(f"Neo4j could not run the query: {message}") from exc


def _unprefixed(message: str | None) -> str:
    """A server message about the query, without the ``EXPLAIN`` this module put in front."""
    return (message or "").replace('"EXPLAIN ', '"')
