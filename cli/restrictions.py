"""Which orders restrict what: ``affects`` (a security), ``reaches`` (an order), ``screen`` (a portfolio)."""

from __future__ import annotations

import sys
from dataclasses import asdict
from datetime import date
from pathlib import Path

import click

from cli import render
from cli.errors import CompanyWithListings
from cli.group import cli
from cli.options import MAX_NAME, Name, answers, as_of_option
from cli.session import Answer, Reading, Session
from graph.errors import OrdergraphError


def _security_id(session: Session, reading: Reading, as_of: date | None = None) -> str:
    """The security a ticker, a security id, or a company with exactly one listed security names.

    Given a company, what was read is said in one message: a note (a loose reading, the company
    and its one security), or the error listing its securities with the command for each and, when
    the text names other entities as closely, each of those with its own (or why not).
    """
    from graph.errors import OrdergraphError
    from graph.listed import listed_securities

    resolved, node = reading.resolved, reading.node
    text, found = resolved.input, resolved.id
    if node is None:
        raise OrdergraphError(f"{found}: resolved to an id the store does not hold")
    if node.kind == "Security":
        for line in reading.notes():
            session.note(line)
        return found
    others = _others(session, reading, as_of)
    loosely = None if resolved.exact else resolved.score
    if node.kind == "Company":
        listed = listed_securities(session.store, found)
        if len(listed) == 1:
            read = reading.loosely() or f"{text!r} is {node.name} [{found}]"
            only = f"{read}; answering for its one listed security, {listed[0].security.id}"
            session.note("\n".join([only, *others]))
            return listed[0].security.id
        if listed:
            raise CompanyWithListings(text, node.name, found, listed, as_of, loosely, others)
        which = " has" if text.strip() == found else ", which has"
        head = f"{_is(reading)}{which} no listed security in this graph; try `ordergraph show {found}`"
        raise OrdergraphError("\n".join([head, *others]))
    # An order is asked about the other way round: what it reaches.
    hint = f"ordergraph reaches {found}" if node.kind == "ExecutiveOrder" else f"ordergraph show {found}"
    head = f"{_is(reading)} ({node.kind}), not a listed security; try `{hint}`"
    raise OrdergraphError("\n".join([head, *others]))


def _is(reading: Reading) -> str:
    """``'TikTok' is TikTok [APP:tiktok]`` (``read loosely, score 95.0`` when it was); for an id
    typed, the name and the id."""
    r = reading.resolved
    if r.input.strip() == r.id:
        return f"{reading.name} [{r.id}]"
    loosely = "" if r.exact else f" (read loosely, score {r.score})"
    return f"{r.input!r}{loosely} is {reading.name} [{r.id}]"


def _others(session: Session, reading: Reading, as_of: date | None) -> list[str]:
    """The other entities the text names as closely (a company SMIC and SMIC Holdings Limited): each
    with the command for each of its listed securities, or why it has none."""
    from graph.listed import listed_securities

    day = f" --as-of {as_of.isoformat()}" if as_of else ""
    lines = []
    for hit in reading.alike:
        listed = listed_securities(session.store, hit.id) if hit.kind != "Security" else []
        named = f"{reading.resolved.input!r} also names {hit.name} [{hit.id}] ({hit.kind})"
        if hit.kind == "Security":
            lines += [f"{named}:", f"  ordergraph affects {hit.id}{day}    # {hit.name}"]
        elif listed:
            lines.append(
                f"{named}, with {len(listed)} listed {'security' if len(listed) == 1 else 'securities'}:"
            )
            lines += [f"  ordergraph affects {i.security.id}{day}    # {i.security.name}" for i in listed]
        else:
            lines.append(f"{named}: no listed security")
    return lines


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

    reading = session.reading(security)
    answer = query.affects(session.store, _security_id(session, reading, as_of), session.day(as_of))
    data = {**answer.model_dump(mode="json"), "resolved": asdict(reading.resolved)}
    return Answer(data, render.affects(answer, explain, today=as_of is None))


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
    return Answer(answer, render.reaches(answer, today=as_of is None))


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
    return Answer(answer, render.screen(answer, today=as_of is None))
