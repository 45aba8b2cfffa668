"""Which orders restrict what: ``affects`` (a security), ``reaches`` (an order), ``screen`` (a portfolio)."""

from __future__ import annotations

import sys
from dataclasses import asdict
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

import click

from cli import render
from cli.errors import CompanyWithListings
from cli.group import cli
from cli.options import MAX_NAME, Name, answers, as_of_option
from cli.session import Answer, Resolved, Session
from graph.errors import OrdergraphError

if TYPE_CHECKING:
    from graph.views import OrderEnded, ReachedSecurity


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
    return Answer(data, render.affects(answer, explain, today=as_of is None))


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
        return Answer(answer, "\n".join([head, *why, *_ended(answer.ended)]))
    table = _reached_table(answer.securities)
    text = "\n".join([f"{head}: {len(answer.securities)} securities", *table])
    return Answer(answer, text)


def _ended(ended: OrderEnded | None) -> list[str]:
    """How an ended order ended (the app's box), and what it reached on its last day when it
    restricted securities: a transaction ban's or an amending order's last day is not counted."""
    from graph.plain import ended_sentences

    if ended is None:
        return []
    lines = ["", *ended_sentences(ended)]
    lines += [
        f"  source: {i.edge_id}: {'; '.join(s.url for s in i.sources) or 'no source'}"
        for i in ended.injunctions
    ]
    if ended.restricts_securities and ended.securities:
        lines += _reached_table(ended.securities)
    return lines


def _reached_table(securities: list[ReachedSecurity]) -> list[str]:
    rows = [
        [
            r.status,
            r.applies_from or "—",
            r.divest_until or "—",
            "yes" if r.disputed else "",
            r.security.id,
            r.security.name,
        ]
        for r in securities
    ]
    return render.table(["status", "applies from", "divest until", "disputed", "security", "name"], rows)


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
        header, *lines = render.table(headers, rows)
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
