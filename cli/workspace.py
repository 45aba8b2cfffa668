"""The workspace: sources a user loads (``load``, ``sources``, ``unload``) and merges (``resolve``)."""

from __future__ import annotations

from dataclasses import asdict
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from cli import render
from cli.group import cli
from cli.options import Positive, answers
from cli.progress import load_progress
from cli.session import Answer, Session

if TYPE_CHECKING:
    from loaders.workspace import DatasetInfo


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
        with load_progress(session, path) as progress:
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
    """Every dataset the answers draw on: the curated data built in (and the folder it comes from),
    then each dataset loaded into the workspace, with counts and dates.

    \b
    Examples:
      ordergraph sources --json
      ordergraph sources --set-aside
    """
    from loaders.workspace import workspace_exists

    if not workspace_exists():
        if aside:
            return Answer([], "no links set aside")
        base, found = _built_in(session), []
    else:
        workspace = session.workspace()
        try:
            if aside:
                links = workspace.set_aside()
                lines = [f"{a.dataset:24} {a.edge}  (waits for {a.node})" for a in links]
                return Answer([asdict(a) for a in links], "\n".join(lines or ["no links set aside"]))
            base, found = workspace.base(), workspace.datasets()
        finally:
            workspace.close()
    data = [{**asdict(base), "loaded_at": base.loaded_at or None, "built_in": True}]
    data += [{**asdict(d), "built_in": False} for d in found]
    return Answer(data, render.sources(base, found))


def _built_in(session: Session) -> DatasetInfo:
    """The curated data when no workspace exists: the graph's every node and edge (none loaded)."""
    from graph.model import CURATED
    from loaders.workspace import DatasetInfo, data_dir

    store = session.local_store
    nodes, edges = store.node_count(), store.edge_count()
    folder = str(data_dir(session.data).resolve())
    return DatasetInfo(CURATED, "curated", folder, "", nodes + edges, nodes, edges, None, None)


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
    lines = [f"unloaded {name}", *render.set_aside(aside, f"(load {name} again, say)")]
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
        return Answer(_review_data(page, size), render.review(page, size))
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
    lines = [f"{a} {decision} {b}", *render.set_aside(aside, "(or this decision is undone)")]
    return Answer(data, "\n".join(lines))


def _review_data(page: Any, size: int) -> dict[str, Any]:
    return {
        "pairs": [{"score": round(s, 1), "a": x, "b": y} for s, x, y in page.pairs],
        "offset": page.offset,
        "limit": size,
        "entities": page.subjects,
        "total_entities": page.total,
        "next_offset": page.next_offset,
    }


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
