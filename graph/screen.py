"""Screening a portfolio: which holdings an order restricts on a day.

Every line the user gave comes back: affected (one row per order), clear, or
unresolved with suggestions — a holding is never silently dropped.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from datetime import date

from graph.affects import affects
from graph.errors import AmbiguousEntity, OrdergraphError, UnknownEntity
from graph.listed import listed_securities
from graph.plain import plain_sentence, restriction_label, status_word
from graph.query import resolve
from graph.store.base import GraphStore
from graph.views import ClearHolding, NodeRef, ScreenAnswer, ScreenRow, Unresolved, effect_cells

# Column names that hold the ticker in a portfolio file, most specific first.
TICKER_COLUMNS = ("ticker", "symbol", "security", "isin", "code", "holding", "name")
MAX_HOLDINGS = 5000


def parse_tickers(text: str) -> list[str]:
    """The tickers in a pasted list or a CSV file, in order, blanks and repeats dropped.

    A header naming a ticker column (``ticker``, ``symbol``, …) picks that
    column; otherwise the first column is read and a first line ``ticker`` is
    taken as a header.

    Examples
    --------
    >>> parse_tickers("ticker,shares\\n1810.HK,100\\nNYSE:CHL,5\\n\\n1810.HK,1\\n")
    ['1810.HK', 'NYSE:CHL']
    >>> parse_tickers("0728.HK\\nCHL")
    ['0728.HK', 'CHL']
    """
    rows = [r for r in csv.reader(io.StringIO(text.lstrip("\ufeff"))) if any(c.strip() for c in r)]
    if not rows:
        return []
    header = [c.strip().lower() for c in rows[0]]
    column = 0
    named = [c for c in TICKER_COLUMNS if c in header]
    if named:
        column = header.index(named[0])
        rows = rows[1:]
    found: dict[str, None] = {}
    for row in rows:
        if column < len(row) and row[column].strip():
            found.setdefault(row[column].strip(), None)
    if len(found) > MAX_HOLDINGS:
        raise OrdergraphError(f"{len(found)} holdings: screen at most {MAX_HOLDINGS} at once")
    return list(found)


def _security_ids(store: GraphStore, text: str) -> list[str] | Unresolved:
    """The securities one holding means: a security, or a company's listed securities."""
    try:
        node_id = resolve(store, text)
    except AmbiguousEntity as exc:
        return Unresolved(input=text, problem="ambiguous", message=str(exc), suggestions=list(exc.candidates))
    except UnknownEntity as exc:
        return Unresolved(input=text, problem="unknown", message=str(exc), suggestions=list(exc.suggestions))
    node = store.get_node(node_id)
    if node is not None and node.kind == "Security":
        return [node.id]
    listed = [s.security.id for s in listed_securities(store, node_id)]
    if listed:
        return listed
    kind = node.kind if node else "entity"
    return Unresolved(
        input=text,
        problem="not_a_security",
        message=f"{text!r} is a {kind} ({node_id}) with no listed securities",
        suggestions=[],
    )


def screen(store: GraphStore, tickers: Iterable[str], as_of: date) -> ScreenAnswer:
    """Which of ``tickers`` an order restricts at the end of ``as_of``.

    Parameters
    ----------
    store : GraphStore
    tickers : iterable of str
        Tickers in any spelling (``1810.HK``, ``HKEX:1810``, ``CHL``), ids or
        company names (a company stands for its listed securities).
    as_of : date

    Returns
    -------
    ScreenAnswer
        ``affected`` (one row per security and order, with the plain sentence),
        ``clear`` and ``unresolved`` (unknown or ambiguous, with suggestions).

    Examples
    --------
    >>> from graph.store.memory import MemoryStore
    >>> from graph.model import Node
    >>> store = MemoryStore.from_parts([Node(id="SEC:HKEX:1810", kind="Security",
    ...     name="Xiaomi (HKEX 1810)", properties={"exchange": "EXCH:HKEX", "code": "1810"})], [])
    >>> answer = screen(store, ["1810.HK", "ZZZZ.HK"], date(2021, 3, 10))
    >>> [c.security.id for c in answer.clear], [u.input for u in answer.unresolved]
    (['SEC:HKEX:1810'], ['ZZZZ.HK'])
    """
    holdings = list(tickers)
    affected: list[ScreenRow] = []
    clear: list[ClearHolding] = []
    unresolved: list[Unresolved] = []
    for text in holdings:
        found = _security_ids(store, text)
        if isinstance(found, Unresolved):
            unresolved.append(found)
            continue
        for security_id in found:
            answer = affects(store, security_id, as_of)
            if not answer.orders:
                clear.append(ClearHolding(input=text, security=answer.security))
            for effect in answer.orders:
                order = store.get_node(effect.id)
                if order is None:
                    raise OrdergraphError(f"dangling id {effect.id!r}")
                affected.append(
                    ScreenRow(
                        input=text,
                        security=answer.security,
                        order=NodeRef.of(order),
                        restriction=effect.restriction,
                        **effect_cells(effect),
                        sentence=plain_sentence(effect),
                    )
                )
    return ScreenAnswer(
        as_of=as_of.isoformat(), holdings=len(holdings), affected=affected, clear=clear, unresolved=unresolved
    )


SCREEN_COLUMNS = (
    "input",
    "security_id",
    "security",
    "order_id",
    "order",
    "restriction",
    "status",
    "applies_from",
    "security_applies_from",
    "divest_until",
    "divest_time",
    "disputed",
    "sentence",
)


def screen_csv(answer: ScreenAnswer) -> str:
    """The screen as a CSV a spreadsheet opens: affected rows, then clear and unresolved holdings.

    A reporter reads it beside the app's table, so its restriction and status are the table's words
    (:func:`graph.plain.restriction_label`, :func:`graph.plain.status_word`: "in force", "never put
    into effect"), "yes"/"no" where the sources disagree; the JSON keeps the codes for machines."""
    buf = io.StringIO()
    # By column name: a row leaves out what it has not (a clear holding has no order), and a cell
    # never slides into its neighbour's column (an unresolved holding's message is its "sentence").
    writer = csv.DictWriter(buf, SCREEN_COLUMNS, restval="", lineterminator="\n")
    writer.writeheader()
    for row in answer.affected:
        writer.writerow(
            {
                "input": row.input,
                "security_id": row.security.id,
                "security": row.security.name,
                "order_id": row.order.id,
                "order": row.order.name,
                "restriction": restriction_label(row.restriction),
                "status": status_word(row),
                "applies_from": row.applies_from or "",
                "security_applies_from": row.security_applies_from or "",
                "divest_until": row.divest_until or "",
                "divest_time": row.divest_time or "",
                "disputed": "yes" if row.disputed else "no",
                "sentence": row.sentence,
            }
        )
    for held in answer.clear:
        security = {"security_id": held.security.id, "security": held.security.name}
        writer.writerow({"input": held.input, **security, "status": "clear"})
    for bad in answer.unresolved:
        hint = "; ".join(bad.suggestions)
        writer.writerow(
            {
                "input": bad.input,
                "status": bad.problem.replace("_", " "),
                "sentence": f"{bad.message} {hint}".strip(),
            }
        )
    return buf.getvalue()
