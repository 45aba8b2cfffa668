"""The ``ordergraph`` command: the graph's second face, beside the web app.

Every command prints text for people, or JSON with ``--json``. Examples::

    ordergraph affects 1810.HK --as-of 2021-02-01
    ordergraph affects NYSE:CHL --as-of 2021-02-01 --json
    ordergraph search Luokong
    ordergraph path ORG:tencent EO:14034
    ordergraph export --format graphml out/graph.graphml
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from graph import query
from graph.errors import AmbiguousEntity, LoadErrors, OrdergraphError
from graph.export import FORMATS, export
from graph.model import EDGE_KINDS, parse_day
from graph.store.base import GraphStore
from graph.views import AffectsAnswer, EntityView, NodeRef, SearchHit, Stats, Subgraph, Timeline
from graph.views import Path as GraphPath
from loaders.workspace import load_memory_store

EXIT_USAGE = 2
# Hubs that join everything trivially: an article names many entities, one
# president issues every order, one body designates a list, an exchange lists hundreds.
PATH_SKIPS = ("MENTIONS", "ISSUED_BY", "DESIGNATES", "TRADES_ON")


def _positive(text: str) -> int:
    """An argparse type: a whole number of at least 1."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"{value} is less than 1")
    return value


def _dump(value: Any) -> Any:
    if isinstance(value, BaseModel):
        return value.model_dump(mode="json")
    if isinstance(value, list):
        return [_dump(v) for v in value]
    if isinstance(value, dict):
        return {k: _dump(v) for k, v in value.items()}
    return value


def _day(text: str | None) -> date | None:
    if text is None:
        return None
    try:
        return parse_day(text)
    except ValueError as exc:
        raise OrdergraphError(f"--as-of: {exc}") from None


# ---- text rendering -------------------------------------------------------------------------


def _span(start: str | None, end: str | None) -> str:
    if start is None and end is None:
        return "undated"
    return f"{start or '…'} → {end or 'open'}"


def _first_url(sources: Sequence[Any]) -> str:
    return sources[0].url if sources else "(no source)"


def _render_path(path: GraphPath) -> str:
    parts = []
    for step in path:
        if isinstance(step, NodeRef):
            parts.append(f"{step.name} [{step.id}]")
        else:
            when = _span(step.start, step.end)
            parts.append(f"  —{step.kind} ({when}; {step.confidence}; {_first_url(step.sources)})—")
    return "\n      ".join(parts)


def _text_affects(answer: AffectsAnswer, explain: bool) -> str:
    sec = answer.security
    out = [f"{sec.name} [{sec.id}] as of {answer.as_of}"]
    ex = answer.exchange_status
    if ex:
        when = f"{ex.since} {ex.time}" if ex.time else f"{ex.since}"
        out.append(f"exchange: {ex.state} by {ex.by.name} since {when} ({_first_url(ex.sources)})")
    if not answer.orders:
        out.append("no order restricts it on that day")
    for order in answer.orders:
        since = f"; prohibitions apply from {order.applies_from}" if order.applies_from else ""
        out.append(f"\nEO {order.number} — {order.title}")
        out.append(f"  restriction: {order.restriction}; status: {order.status}{since}")
        out.append(f"  basis: {order.basis}")
        if order.divest_until:
            out.append(f"  divest-only transactions allowed until {order.divest_until}")
        if order.enjoined_by:
            out.append("  enjoined by: " + ", ".join(c.name for c in order.enjoined_by))
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


def _text_show(view: EntityView) -> str:
    out = [f"{view.name} [{view.id}] ({view.kind})"]
    if view.aliases:
        out.append("aka: " + "; ".join(view.aliases))
    for key, value in view.properties.items():
        out.append(f"{key}: {value}")
    for edge in view.edges:
        arrow = "→" if edge.direction == "out" else "←"
        out.append(
            f"  {edge.kind} {arrow} {edge.other.name} [{edge.other.id}] {_span(edge.start, edge.end)}"
            f" {edge.confidence} {_first_url(edge.sources)}"
        )
    return "\n".join(out)


def _text_timeline(tl: Timeline) -> str:
    return "\n".join(f"{e.date:<10}  {e.description}  ({_first_url(e.sources)})" for e in tl.events)


def _text_search(hits: list[SearchHit]) -> str:
    return "\n".join(f"{h.score:5.1f}  {h.id:<40} {h.kind:<15} {h.name}" for h in hits) or "no match"


def _text_subgraph(sub: Subgraph) -> str:
    names = {n.id: n.name for n in sub.nodes}
    return (
        "\n".join(
            f"{names[e.source]} —{e.kind} ({_span(e.start, e.end)})→ {names[e.target]}" for e in sub.edges
        )
        or "no edges"
    )


def _text_paths(found: list[GraphPath]) -> str:
    return "\n".join(f"({i}) {_render_path(p)}" for i, p in enumerate(found, 1)) or "no path"


def _text_stats(st: Stats) -> str:
    lines = [f"{st.nodes} nodes, {st.edges} edges, {st.unsourced_edges} unsourced", "nodes by kind:"]
    lines += [f"  {k:<16} {v}" for k, v in st.by_kind.items()]
    lines += ["edges by kind:"]
    lines += [f"  {k:<16} {v}" for k, v in st.by_edge_kind.items()]
    return "\n".join(lines)


# ---- commands -------------------------------------------------------------------------------


def _resolve(store: GraphStore, text: str) -> str:
    """``query.resolve``, saying on stderr when a name was matched loosely rather than exactly."""
    found = query.resolve(store, text)
    if found != text:
        hits = query.search(store, text, limit=1)
        if hits and hits[0].id == found and hits[0].score < query.EXACT - 1:
            node = store.get_node(found)
            name = node.name if node else found
            print(f"note: {text!r} read as {found} ({name}), score {hits[0].score}", file=sys.stderr)
    return found


def _security_id(store: GraphStore, text: str) -> str:
    """Resolve a ticker, security id, or a company with exactly one security."""
    found = _resolve(store, text)
    node = store.get_node(found)
    assert node is not None
    if node.kind == "Security":
        return found
    if node.kind == "Company":
        securities = sorted(e.target for e in store.edges_of(found, "out", ["ISSUES"]))
        if len(securities) == 1:
            return securities[0]
        if securities:
            raise AmbiguousEntity(text, securities)
    raise OrdergraphError(f"{found} ({node.kind}) is not a listed security; try `ordergraph show {found}`")


def cmd_affects(store: GraphStore, args: argparse.Namespace) -> tuple[Any, str]:
    day = _day(args.as_of) or date.today()
    answer = query.affects(store, _security_id(store, args.security), day)
    return answer, _text_affects(answer, args.explain)


def cmd_search(store: GraphStore, args: argparse.Namespace) -> tuple[Any, str]:
    hits = query.search(store, args.text, limit=args.limit)
    return [{"id": h.id, "kind": h.kind, "name": h.name, "score": h.score} for h in hits], _text_search(hits)


def cmd_show(store: GraphStore, args: argparse.Namespace) -> tuple[Any, str]:
    view = query.show(store, _resolve(store, args.entity))
    return view, _text_show(view)


def cmd_timeline(store: GraphStore, args: argparse.Namespace) -> tuple[Any, str]:
    tl = query.timeline(store, _resolve(store, args.entity))
    return tl, _text_timeline(tl)


def _edge_kinds(text: str | None) -> list[str] | None:
    """``--kinds listed_on,governs`` → ["LISTED_ON", "GOVERNS"]; an unknown kind is an error."""
    if not text:
        return None
    kinds = [k.strip().upper() for k in text.split(",") if k.strip()]
    if not kinds:
        raise OrdergraphError(f"--kinds: no edge kind in {text!r}")
    unknown = [k for k in kinds if k not in EDGE_KINDS]
    if unknown:
        raise OrdergraphError(f"--kinds: unknown edge kind {', '.join(unknown)}; use {', '.join(EDGE_KINDS)}")
    return kinds


def cmd_neighbours(store: GraphStore, args: argparse.Namespace) -> tuple[Any, str]:
    kinds = _edge_kinds(args.kinds)
    sub = query.neighbours(store, _resolve(store, args.entity), args.depth, kinds, _day(args.as_of))
    return sub, _text_subgraph(sub)


def cmd_path(store: GraphStore, args: argparse.Namespace) -> tuple[Any, str]:
    a, b = _resolve(store, args.a), _resolve(store, args.b)
    exclude = () if args.all_kinds else PATH_SKIPS
    found = query.paths(store, a, b, args.max_len, _day(args.as_of), exclude=exclude)
    return {"paths": found}, _text_paths(found)


def cmd_stats(store: GraphStore, args: argparse.Namespace) -> tuple[Any, str]:
    st = query.stats(store)
    return st, _text_stats(st)


def cmd_export(store: GraphStore, args: argparse.Namespace) -> tuple[Any, str]:
    written = export(store, args.format, Path(args.out))
    return {"format": args.format, "written": [str(p) for p in written]}, "wrote " + ", ".join(
        map(str, written)
    )


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


def cmd_tour(store: GraphStore, args: argparse.Namespace) -> tuple[Any, str]:
    out = []
    for argv in TOUR:
        out.append("$ ordergraph " + " ".join(argv))
        sub = build_parser().parse_args(argv)
        _, text = sub.func(store, sub)
        out.append(text + "\n")
    return {"commands": [" ".join(a) for a in TOUR]}, "\n".join(out)


Command = Callable[[GraphStore, argparse.Namespace], tuple[Any, str]]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="ordergraph",
        description="Explore government actions against companies: who was listed, under which order, "
        "from when, and which court or exchange acted. Every answer carries its sources.",
    )
    parser.add_argument(
        "--data", help="curated data folder (default: $ORDERGRAPH_DATA or the project's data/)"
    )
    sub = parser.add_subparsers(dest="command", required=True)

    def command(name: str, func: Command, help_text: str, as_of: bool = False) -> argparse.ArgumentParser:
        p = sub.add_parser(name, help=help_text, description=help_text)
        p.add_argument("--json", action="store_true", help="print JSON")
        if as_of:
            p.add_argument("--as-of", metavar="YYYY-MM-DD", help="the day to answer for (end of that day)")
        p.set_defaults(func=func)
        return p

    p = command("affects", cmd_affects, "which orders restrict a security on a day, and why", as_of=True)
    p.add_argument("security", help="ticker in any spelling (1810.HK, HKEX:1810, NYSE:CHL) or security id")
    p.add_argument("--explain", action="store_true", help="also say why other routes do not hold")
    p = command("search", cmd_search, "find entities by name, alias or ticker (typos allowed)")
    p.add_argument("text")
    p.add_argument("--limit", type=_positive, default=10)
    p = command("show", cmd_show, "an entity, its identifiers and every edge with dates and sources")
    p.add_argument("entity")
    p = command("timeline", cmd_timeline, "every dated event touching an entity, sorted")
    p.add_argument("entity")
    p = command("neighbours", cmd_neighbours, "the subgraph around an entity", as_of=True)
    p.add_argument("entity")
    p.add_argument("--depth", type=_positive, default=1)
    p.add_argument("--kinds", help="comma-separated edge kinds to follow")
    p = command("path", cmd_path, "shortest typed paths between two entities", as_of=True)
    p.add_argument("a")
    p.add_argument("b")
    p.add_argument("--max-len", type=_positive, default=5)
    p.add_argument(
        "--all-kinds",
        action="store_true",
        help=f"also walk {', '.join(PATH_SKIPS)} edges (skipped by default)",
    )
    command("stats", cmd_stats, "counts of nodes and edges by kind")
    p = command("export", cmd_export, "write the graph as GraphML, GEXF, JSON, CSV or a Cypher script")
    p.add_argument("--format", choices=FORMATS, required=True)
    p.add_argument("out", help="output file (a folder for csv)")
    command("tour", cmd_tour, "a short tour of the commands on the curated data")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        store = load_memory_store(args.data)
        data, text = args.func(store, args)
    except LoadErrors as exc:
        for err in exc.errors:
            print(f"error: {err}", file=sys.stderr)
        return EXIT_USAGE
    except OrdergraphError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except OSError as exc:  # export to a path that cannot be written
        print(f"error: {exc.filename or ''}: {exc.strerror or exc}", file=sys.stderr)
        return EXIT_USAGE
    if args.json:
        print(json.dumps(_dump(data), ensure_ascii=False, indent=2))
    else:
        print(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
