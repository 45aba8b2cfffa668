"""Neo4j: a server of our own (``neo4j start/stop/status``), the sync, and a read-only Cypher console."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from typing import Any

import click

from cli import render
from cli.group import cli
from cli.options import JsonValue, Positive, answers, data_option, json_option
from cli.session import Answer, Session
from graph.errors import OrdergraphError


@cli.group(name="neo4j", params=[json_option, data_option])
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
    stop_with = server.stop_with_from_env()
    before = server.read_state(home)
    if before is None or not before.running():
        click.echo("starting Neo4j (a first start fetches its jars from Maven Central: ~2 minutes)", err=True)
    # Ports asked of a server already running must be its own (else an error names them); none asked:
    # Neo4j's usual ones when free. A start, stop or bulk sync going on in this home is waited for.
    started = server.start_or_find(
        home, server.LaunchOptions(bolt_port, http_port, stop_with=stop_with, usual_ports=True)
    )
    running, already = started.server, not started.launched  # decided under the lock: after any wait
    note = server.owner_note(running, stop_with)
    data = {
        "bolt": running.bolt_uri,
        "browser": running.browser_url,
        "browser_missing": running.browser_missing,
        "pid": running.pid,
        "version": running.version,
        "home": str(home),
        "already_running": already,
        "owner": running.owner,
        "note": note,
    }
    text = (
        f"Neo4j {running.version} {'already ' if already else ''}running (pid {running.pid}, home {home})\n"
        f"  Bolt:    {running.bolt_uri}\n  Browser: {running.browser_line()}\n"
        + (f"  Note:    {note}\n" if note else "")
        + "next: ordergraph neo4j sync"
    )
    return Answer(data, text)


@neo4j_group.command(name="stop")
@answers
def neo4j_stop(session: Session) -> Answer:
    """Stop the local Neo4j server (SIGTERM, then wait until it has shut down)."""
    from tools.neo4j import server

    home = server.local_home()
    # Decided under the start lock: a stop that waited for a start (or a bulk sync's restart) stops,
    # and says so, the server that start left.
    stopped = server.stop(home)
    if stopped is None:
        return Answer({"stopped": False, "home": str(home)}, f"no local Neo4j server recorded in {home}")
    pid = stopped.server.pid
    data = {"stopped": stopped.was_running, "pid": pid, "home": str(home)}
    if not stopped.was_running:  # its JVM gone (a reboot, a kill), its pid maybe another's: not signalled
        text = f"the Neo4j server recorded in {home} (pid {pid}) was not running; record removed"
        return Answer(data, text)
    return Answer(data, f"stopped Neo4j (pid {pid})")


@neo4j_group.command(name="status")
@answers
def neo4j_status(session: Session) -> Answer:
    """Which server it is (version, edition; Bolt and Browser URLs), what it holds (counts by kind)
    and the last sync."""
    from graph.neo4j_sync import graph_counts, last_sync, server_version
    from tools.neo4j.server import connection

    found = connection()
    driver = session.neo4j_driver()
    version, edition = server_version(driver)
    counts = graph_counts(driver)
    synced = last_sync(driver)
    sync_info = None
    if synced is not None:
        sync_info = {k: _plain_value(v) for k, v in sorted(synced.items())}
    data = {
        "bolt": found.uri,
        "browser": found.browser_url,
        "browser_missing": found.browser_missing,
        "origin": found.origin,
        "version": version,
        "edition": edition,
        "nodes": counts["node"],
        "edges": counts["edge"],
        "last_sync": sync_info,
    }
    lines = [f"Neo4j {version} {edition} at {found.uri} ({found.origin})"]
    if found.browser_url:
        lines.append(f"  Browser: {found.browser_url}")
    elif found.browser_missing:
        lines.append(f"  Browser: not served ({found.browser_missing})")
    lines.append(f"  nodes: {sum(counts['node'].values())}  " + render.kinds_line(counts["node"]))
    lines.append(f"  edges: {sum(counts['edge'].values())}  " + render.kinds_line(counts["edge"]))
    lines.append("  " + render.sync_line(sync_info))
    return Answer(data, "\n".join(lines))


def _plain_value(value: Any) -> Any:
    return value.iso_format() if hasattr(value, "iso_format") else value


@neo4j_group.command(name="sync")
@click.option(
    "--batch-size", type=Positive(), default=20_000, show_default=True, help="Rows per transaction."
)
@click.option(
    "--bulk/--no-bulk",
    default=None,
    help="Write a first sync with Neo4j's offline importer (the local server only, its database empty: "
    "it is stopped, imported into and started again). Default: so when the graph has over "
    "200,000 nodes and edges and the local server's database is empty; else through Bolt.",
)
@answers
def neo4j_sync(session: Session, batch_size: int, bulk: bool | None) -> Answer:
    """Write the data folder's graph into Neo4j: idempotent, and stale nodes and edges are removed.

    \b
    Examples:
      ordergraph neo4j sync
      ordergraph neo4j sync --bulk   # a first sync of a large graph into the local server
      ordergraph --data tests/fixtures/mini neo4j sync --json
    """
    from graph.neo4j_sync import SyncReport, sync
    from tools.neo4j import bulk as bulk_import
    from tools.neo4j.server import connection

    store = session.local_store
    nodes, edges = list(store.nodes()), list(store.edges())
    driver = session.neo4j_driver()
    found = connection()
    if bulk and found.origin == "NEO4J_URI":
        raise OrdergraphError(
            "--bulk stops the server to import into it: only the local server `ordergraph neo4j start` "
            f"runs, not {found.uri} (NEO4J_URI); sync without --bulk"
        )
    if bulk is None:
        bulk = (
            found.origin != "NEO4J_URI"
            and len(nodes) + len(edges) >= bulk_import.AUTO_MIN_ITEMS
            and bulk_import.is_empty(driver)
        )
    report: SyncReport
    with click.progressbar(length=len(nodes) + len(edges), label="syncing", file=sys.stderr) as bar:
        if bulk:
            from tools.neo4j.server import local_home

            session.close_neo4j()  # the server restarts: its connections end

            def announce() -> None:  # said before it happens: a Browser or an app on the server loses it
                click.echo(
                    f"\nbulk first sync: the local Neo4j server ({found.uri}) stops for the import and "
                    "starts again on the same ports; its Browser and queries are unavailable until then",
                    err=True,
                )

            report = bulk_import.bulk_sync(
                local_home(), nodes, edges, progress=bar.update, announce=announce
            ).report
        else:
            report = sync(driver, nodes, edges, batch_size=batch_size, progress=bar.update)
    data: dict[str, Any] = {**report.counts(), "generation": report.generation, "complete": report.complete}
    data["bulk"] = bool(bulk)
    data["missing_endpoints"] = [
        {"edge": m.edge_id, "kind": m.kind, "missing": list(m.missing)} for m in report.missing_endpoints
    ]
    if report.missing_endpoints:
        listed = "; ".join(f"{m.edge_id} (no {', '.join(m.missing)})" for m in report.missing_endpoints[:20])
        raise OrdergraphError(f"{report.summary()}: {listed}")
    return Answer(data, report.summary())


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
    return Answer(data, render.cypher_table(result.columns, result.rows, result.truncated))
