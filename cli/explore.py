"""Exploring the graph: search, show, timeline, neighbours, path, stats, cite, changes, and the tour."""

from __future__ import annotations

import io
from dataclasses import asdict
from datetime import date

import click

from cli import render
from cli.group import cli
from cli.options import Day, Name, Positive, answers, as_of_option
from cli.session import Answer, Session, dump

# Hubs that join everything trivially: an article names many entities, one
# president issues every order, one body designates a list, an exchange lists hundreds.
PATH_SKIPS = ("MENTIONS", "ISSUED_BY", "DESIGNATES", "TRADES_ON")


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
      ordergraph search 01810 --json     # "exact": true for a hit by id, ticker or identifier
    """
    from graph import query

    hits = query.search(session.store, text, limit=limit)
    data = [
        {"id": h.id, "kind": h.kind, "name": h.name, "score": h.score, "exact": query.is_exact(h)}
        for h in hits
    ]
    return Answer(data, render.search(hits))


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
    return Answer(view, render.show(view, names))


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

    resolved = session.resolution(entity)
    tl = query.timeline(session.store, resolved.id)
    node = session.store.get_node(resolved.id)
    heading = f"{node.name} [{node.id}] ({node.kind})" if node is not None else None
    return Answer({**dump(tl), "resolved": asdict(resolved)}, render.timeline(tl, heading))


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

    edge_kinds = _edge_kinds(kinds)
    centre = session.resolve(entity)
    sub = query.neighbours(session.store, centre, depth, edge_kinds, as_of)
    # Centred on a list, the members drawn are not the list: how many of each edition's are drawn.
    is_list = any(n.id == centre and n.kind == "SanctionsList" for n in sub.nodes)
    counts = query.membership(session.store, centre, sub, as_of) if is_list else []
    return Answer({**dump(sub), "membership": dump(counts)}, render.neighbours(sub, counts))


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
    if found:
        return Answer({"paths": found}, render.paths(found))
    # None that day: say whether there are some without it (a revoked order's path ends with it).
    undated = (
        len(query.paths(session.store, start, end, max_len, None, exclude=exclude, hub=hub)) if as_of else 0
    )
    return Answer({"paths": found}, render.no_path(max_len, as_of, undated, exclude))


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
    return Answer(st, render.stats(st))


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
    note = [f"  note: {citation.note}"] if citation.note else []
    text = "\n".join([citation.text, *(f"  source: {s}" for s in citation.sources), *note])
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
    return Answer(found, render.changes(found, today=end is None))


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
