"""The whole graph: ``audit`` (what to check before publishing) and ``export`` (to other tools)."""

from __future__ import annotations

from pathlib import Path

import click

from cli import render
from cli.errors import WriteError
from cli.group import cli
from cli.options import answers
from cli.session import Answer, Session

EXPORT_FORMATS = ("graphml", "gexf", "json", "csv", "cypher")  # graph.export.FORMATS, checked by a test


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
    return Answer(report, render.audit(report))


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
