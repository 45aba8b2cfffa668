"""One plain sentence per order in an ``affects`` answer, for readers who are not lawyers.

Both faces print it first and keep the details (basis, paths, sources) one step
away. The sentence is rendered from the answer's fields — status, restriction,
dates, injunctions and the claims of sources that disagree — never parsed from
its English ``basis``.

>>> from graph.views import Claim, OrderEffect
>>> from graph.model import Source
>>> ofac = Source(url="https://ofac.example/faq", title="FAQ", publisher="OFAC", date="2021-01-05",
...              kind="official")
>>> effect = OrderEffect(id="EO:13959", number="13959", title="t", restriction="securities",
...     status="in_force", applies_from="2021-03-09", basis="b", paths=[], sources=[],
...     claims=[Claim(status="in_force", applies_from="2021-03-09", basis="b", sources=[]),
...             Claim(status="in_force", applies_from="2021-01-11", basis="c", sources=[ofac],
...                   stated_by=[ofac]),
...             Claim(status="pending", applies_from="2021-06-01", basis="d", sources=[ofac])])
>>> print(plain_sentence(effect))
Under EO 13959 US persons may not buy this security from 2021-03-09;
OFAC of 2021-01-05 gave 2021-01-11 as the start;
another reading gave 2021-06-01 as the start — sources disagree.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Protocol

from graph.labels import status_label, trading_suspended
from graph.model import Source, add_days, first_day, is_act, precision, time_bound
from graph.views import (
    Claim,
    EdgeRef,
    EdgeView,
    ExchangeStatus,
    Injunction,
    OrderEffect,
    OrderEnded,
    OrderRef,
    Path,
    SecurityRef,
)


def span(start: str | None, end: str | None, *, compact: bool = False, kind: str | None = None) -> str:
    """When an edge holds, in the words both faces (and the README) print. A side no source gives is
    said to be not recorded: an edge with no end holds on every later day for the engine, but no
    source is claimed to say it still holds. ``compact``: the known side alone, for a label drawn on
    the graph (its tooltip gives the whole). ``kind``: an act done on one day
    (:func:`graph.model.is_act`: an order amended, revoked) is said to happen on its start, and an
    end recorded for it is when its effect ended.

    >>> span("2021-01-14", "2021-05-25"), span("2004-03-18", None)
    ('2021-01-14 → 2021-05-25', 'from 2004-03-18, no end recorded')
    >>> span(None, "2021-05-25"), span(None, None), span("2004-03-18", None, compact=True)
    ('ended 2021-05-25, no start recorded', 'undated', 'from 2004-03-18')
    >>> span("2021-06-03", None, kind="REVOKES"), span("2021-01-13", "2021-06-03", kind="AMENDS")
    ('on 2021-06-03', 'on 2021-01-13, in effect until 2021-06-03')
    >>> span("2021-01-13", "2021-06-03", kind="AMENDS", compact=True)
    'on 2021-01-13'
    """
    if start is not None and is_act(kind):
        return f"on {start}" + ("" if end is None or compact else f", in effect until {end}")
    if start is None and end is None:
        return "undated"
    if end is None:
        return f"from {start}" + ("" if compact else ", no end recorded")
    if start is None:
        return f"ended {end}" + ("" if compact else ", no start recorded")
    return f"{start} → {end}"


def edge_span(edge: EdgeView) -> str:
    """:func:`span` of an edge as ``show`` and the entity page give it, and what its end left out: a
    security's trading that ended (its delisting) under the exchange's suspension in force says
    since when trading there had been suspended
    (:attr:`graph.views.EdgeView.trading_suspended_since`)."""
    when = span(edge.start, edge.end, kind=edge.kind)
    since = edge.trading_suspended_since
    return f"{when} ({trading_suspended(since)})" if since else when


_VERB = {
    "securities": "may not buy this security",
    # Transaction bans differ in reach (EO 13943 bars only WeChat-related transactions with
    # Tencent): the sentence says no more than "what the order prohibits"; the details name its scope.
    "transactions": "may not engage in the transactions the order prohibits with this company or its app",
}


# What a holder may do once the divest-only window has closed, where the rule's data says:
# EO 14032 lets it keep the security (OFAC FAQ 1046); EO 13959 as amended by EO 13974 barred
# possession after its deadlines.
_HOLDING = {
    "allowed": "; holding it is not prohibited",
    "prohibited": "; holding it is prohibited too",
}


def unsure(confidence: str | None) -> str:
    """What a line adds after a fact resting on an edge that is not ``verified``: `` (likely)``,
    `` (unverified)``; nothing for a verified one, or a line resting on no edge (an order signed).

    >>> unsure("likely"), unsure("verified"), unsure(None)
    (' (likely)', '', '')
    """
    return f" ({confidence})" if confidence not in (None, "verified") else ""


def exchange_cell(status: ExchangeStatus | None, *, full: bool = False) -> str:
    """What the exchange had done by the day, short for a table cell: "delisted 2021-03-18",
    "suspended since 2020-05-29"; nothing when the listing trades on. ``full``: as ``affects`` says
    it on a line of its own, with the exchange that acted and the hour where one is recorded.

    >>> from graph.views import NodeRef
    >>> by = NodeRef(id="EXCH:NYSE", kind="Exchange", name="NYSE")
    >>> delisted = ExchangeStatus(state="delisted", since="2021-03-18", by=by, time=None,
    ...     edge_id="e", confidence="likely", sources=[])
    >>> exchange_cell(delisted), exchange_cell(delisted, full=True)
    ('delisted 2021-03-18 (likely)', 'delisted by NYSE since 2021-03-18 (likely)')
    >>> suspended = ExchangeStatus(state="suspended", since="2021-01-11", by=by, time="04:00 EST",
    ...     edge_id="e", confidence="verified", sources=[])
    >>> exchange_cell(suspended), exchange_cell(suspended, full=True)
    ('suspended since 2021-01-11', 'suspended by NYSE since 2021-01-11 04:00 EST')
    >>> exchange_cell(suspended.model_copy(update={"since": None, "time": None}))
    'suspended (date not recorded)'
    >>> exchange_cell(None)
    ''
    """
    if status is None:
        return ""
    state = status.state.replace("_", " ") + (f" by {status.by.name}" if full else "")
    when = " ".join(p for p in (status.since, status.time if full else None) if p)
    if not when:
        word = f"{state} (date not recorded)"
    elif status.state == "delisted" and not full:  # a cell's delisting: the day it took effect
        word = f"{state} {when}"
    else:
        word = f"{state} since {when}"
    return word + unsure(status.confidence)


# Beside what a securities order reaches (eyes36 P1): the graph holds listings (shares, depositary
# shares), while EO 13959 and 14032 cover every publicly traded security of a listed company.
HELD_ONLY = (
    "(listed shares and depositary shares held in this graph; the order also covers the companies'"
    " other publicly traded securities, such as bonds, which are not held here)"
)


# What a transaction ban is about, said beside it: EO 13943 barred WeChat-related dealings with
# Tencent, never buying or selling Tencent's shares (review 34 H2). DESIGN.md: a security's issuer
# reached by such a ban is reported, with ``restriction: transactions``, so users can filter.
_NOT_SECURITIES = "dealings with the company or its app, not trading in its securities"


def restriction_label(restriction: str, short: bool = False) -> str:
    """A restriction as both faces label it: ``securities``, or ``transactions`` with what they are;
    ``short``: the part a table column has room for (the CLI's ``screen``; its sentence says all).

    >>> restriction_label("securities")
    'securities'
    >>> restriction_label("transactions")
    'transactions (dealings with the company or its app, not trading in its securities)'
    >>> restriction_label("transactions", short=True)
    'transactions (not trading in its securities)'
    """
    if restriction != "transactions":
        return restriction
    return f"{restriction} ({_NOT_SECURITIES.split(', ')[-1] if short else _NOT_SECURITIES})"


class _OwnDay(Protocol):
    """A row of a table of securities under one order: ``reaches``' rows."""

    @property
    def security(self) -> SecurityRef: ...
    @property
    def applies_from(self) -> str | None: ...
    @property
    def security_applies_from(self) -> str | None: ...


class _Status(Protocol):
    """What says whether an order's prohibitions ever came: an answer's order, a screen's row."""

    @property
    def status(self) -> str: ...
    @property
    def applies_from(self) -> str | None: ...


def status_word(effect: _Status) -> str:
    """The status as a table cell says it: in words (:func:`graph.labels.status_label`), and "never
    put into effect" for a pending order whose prohibitions never came (:func:`never_in_effect`),
    which "pending" would make read as coming.

    >>> effect = OrderEffect(id="EO:1", number="1", title="t", restriction="transactions",
    ...     status="pending", applies_from=None, basis="b", paths=[], sources=[])
    >>> status_word(effect), status_word(effect.model_copy(update={"applies_from": "2021-03-09"}))
    ('never put into effect', 'pending')
    """
    return "never put into effect" if never_in_effect(effect) else status_label(effect.status)


def never_in_effect(effect: _Status) -> bool:
    """Whether ``effect`` is pending under an order whose prohibitions were never put into effect
    (no day they apply from: EO 13971, whose transactions Commerce never identified), which a face
    must not let read as "coming"."""
    return effect.status == "pending" and effect.applies_from is None


def status_text(effect: OrderEffect) -> str:
    """The status as both faces print it beside the restriction: its code, and for a pending one
    whose prohibitions never came, that they never did.

    >>> effect = OrderEffect(id="EO:1", number="1", title="t", restriction="transactions",
    ...     status="pending", applies_from=None, basis="b", paths=[], sources=[])
    >>> status_text(effect)
    'pending (prohibitions never put into effect)'
    """
    return (
        f"{effect.status} (prohibitions never put into effect)" if never_in_effect(effect) else effect.status
    )


def _label_and_address(source: Source) -> str:
    return f"{source_label(source)} ({source.url})"


def announced_ahead(sources: list[Source], name: Callable[[Source], str] = _label_and_address) -> str | None:
    """What a face prints beside a day that only sources announcing it ahead give (a row's, an
    exchange status's or a citation's ``announced_by``, :func:`graph.evidence.announced_by`): who
    announced it (``name``: its label and address in plain text; the app passes a link to it),
    and that no source cited confirms that day; None when there are none.

    >>> nyse = Source(url="https://example.org/n", title="n", publisher="NYSE", date="2021-02-26",
    ...     kind="press")
    >>> print(announced_ahead([nyse]))
    day announced ahead by NYSE of 2021-02-26 (https://example.org/n); no source cited confirms that day
    """
    if not sources:
        return None
    who = ", ".join(name(s) for s in sources)
    return f"day announced ahead by {who}; no source cited confirms that day"


def day_note(
    announced_by: list[Source],
    dated_by: Source | None,
    where: Callable[[Source], str],
    name: Callable[[Source], str] = _label_and_address,
) -> str | None:
    """What a row says of its day beside its first source: who announced it ahead
    (:func:`announced_ahead`, each announcer named by ``name``: its label and address in plain
    text, a link in the app) when no source states it, else "date as given by …" (``where`` names
    the source: its address in the CLI, its site in a table, a link in the app's exchange line)
    when the first source gives no date; None when the first source gives the day.

    >>> nyse = Source(url="https://example.org/n", title="n", publisher="NYSE", date="2021-02-26",
    ...     kind="press")
    >>> day_note([], nyse, lambda source: source.url)
    'date as given by https://example.org/n'
    >>> day_note([nyse], None, str, name=lambda source: source.publisher)
    'day announced ahead by NYSE; no source cited confirms that day'
    """
    ahead = announced_ahead(announced_by, name)
    if ahead:
        return ahead
    return f"date as given by {where(dated_by)}" if dated_by else None


def order_label(effect: OrderEffect) -> str:
    """``EO 13959`` when the order has a number, else its title or id."""
    return f"EO {effect.number}" if effect.number else effect.title or effect.id


def order_ref_label(order: OrderRef) -> str:
    """An order named as every row names one, its title and signing day after it, where known.

    >>> order_ref_label(OrderRef(id="EO:2", kind="ExecutiveOrder", name="Executive Order 2: Amending 1",
    ...                          number="2", title="Amending 1", signed="2021-01-13"))
    'EO 2 — Amending 1 (signed 2021-01-13)'
    >>> order_ref_label(OrderRef(id="EO:X", kind="ExecutiveOrder", name="An order"))
    'An order'
    """
    label = f"EO {order.number}" if order.number else order.name
    title = f" — {order.title}" if order.number and order.title else ""
    signed = f" (signed {order.signed})" if order.signed else ""
    return label + title + signed


def source_label(source: Source) -> str:
    """A short name for who said it: the publisher, and the date when there is one."""
    return f"{source.publisher} of {source.date}" if source.date else source.publisher


def on_date(value: str) -> str:
    """``on 2021-05-05`` for a day, ``in 2020-09`` when a source gives only a month or a year."""
    return f"on {value}" if precision(value) == "day" else f"in {value}"


def _clock(hour: int, minute: int) -> str:
    return f"{(hour % 12) or 12}:{minute:02d} {'a.m.' if hour < 12 else 'p.m.'}"


def _divest_clock(day: str, time: str | None) -> tuple[str, str, str] | None:
    """("until" or "before", the order's hour with its zone, what that says of the day), or None
    without an hour."""
    bound = time_bound(time)
    if bound is None or precision(day) != "day":
        return None
    hour = f"{_clock(bound.hour, bound.minute)} {bound.zone}"
    if bound.inclusive:
        return "until", hour, "that day included"
    return "before", hour, f"the last full day is {add_days(day, -1)}"


def divest_window(day: str, time: str | None) -> str:
    """When divest-only sales end, in words: the order's hour where the rule gives one, saying
    whether the day itself is in; a bare ``until D`` where only the day is known (a later listing).

    The one wording both faces use after "selling to divest is allowed".

    >>> divest_window("2021-11-11", "through 23:59 EST")
    'until 11:59 p.m. EST on 2021-11-11 (that day included)'
    >>> divest_window("2022-06-03", "before 00:01 EDT")
    'before 12:01 a.m. EDT on 2022-06-03 (the last full day is 2022-06-02)'
    >>> divest_window("2022-01-14", None)
    'until 2022-01-14'
    """
    clock = _divest_clock(day, time)
    if clock is None:
        return f"until {day}"
    word, hour, said = clock
    return f"{word} {hour} on {day} ({said})"


def divest_hour(day: str, time: str | None) -> str:
    """The order's hour on a divest-only deadline's day, for a line already dated that day:
    ``" at 11:59 p.m. EST (that day included)"``, or ``""`` without an hour.

    >>> divest_hour("2022-06-03", "before 00:01 EDT")
    ' at 12:01 a.m. EDT (the last full day is 2022-06-02)'
    """
    clock = _divest_clock(day, time)
    return f" at {clock[1]} ({clock[2]})" if clock else ""


def divest_cell(day: str | None, time: str | None) -> str:
    """A divest-only deadline in a table cell: ``2021-11-11 23:59 EST`` where the rule gives the
    hour, else the day (``""`` when there is none). Read with :func:`divest_window` for the words.

    >>> divest_cell("2022-06-03", "before 00:01 EDT"), divest_cell("2022-01-14", None)
    ('2022-06-03 00:01 EDT', '2022-01-14')
    """
    if day is None:
        return ""
    bound = time_bound(time)
    if bound is None or precision(day) != "day":
        return day
    return f"{day} {bound.hour:02d}:{bound.minute:02d} {bound.zone}"


def _whom(injunction: Injunction) -> str:
    return "nationwide" if injunction.nationwide else "for this company"


def injunction_label(injunction: Injunction) -> str:
    """Which court blocked the order, when, and for whom: ``Luokung … v. … (D.D.C.) on 2021-05-05, for
    this company`` — or ``…, nationwide`` when the injunction protects everyone."""
    court = f" ({injunction.court})" if injunction.court else ""
    when = f" {on_date(injunction.since)}" if injunction.since else " (date not recorded)"
    return f"{injunction.case.name}{court}{when}, {_whom(injunction)}"


def _claim_text(claim: Claim, own_status: str, own_from: str | None = None) -> str:
    # Credit only a source that itself states the reading; a date derived from a listing and
    # a rule has no single author.
    who = source_label(claim.stated_by[0]) if claim.stated_by else "another reading"
    if claim.condition and own_from:
        # The sources give the answer's own day too, and this one only in the case they name.
        return f"{who} gave {own_from}, or {claim.applies_from} {claim.condition}"
    if claim.status == "not_covered":
        return f"{who} says it does not apply that day"
    if claim.status == "enjoined" and own_status != "enjoined":
        return f"{who} has it blocked by a court"
    if own_status == "enjoined" and claim.status != "enjoined":
        # The sentence says a court blocked it; this reading dates the court's order later.
        return f"{who} has no court blocking it that day"
    # Enjoined either way, the reading differs on the date: a filing that gives another date did
    # not block anything.
    if not claim.applies_from:
        return f"{who} gave no start date"
    if claim.given:
        # A filing dating the listing, not the prohibitions: it is credited with what it said.
        return f"{who} gave {claim.given} (so prohibitions from {claim.applies_from})"
    return f"{who} gave {claim.applies_from} as the start"  # not the divest date the clause before gives


def _blocked_by(effect: OrderEffect) -> str:
    """``it has been blocked for this company by X (D.D.C.) since 2021-05-05`` — or ``nationwide by``
    when the injunction protects everyone — each court with its own reach and date."""
    if not effect.injunctions:
        courts = ", ".join(c.name for c in effect.enjoined_by) or "a court"
        return f"{courts} has blocked it"
    clauses = []
    for injunction in effect.injunctions:
        court = f" ({injunction.court})" if injunction.court else ""
        since = f"since {injunction.since}" if injunction.since else "(date not recorded)"
        clauses.append(f"{_whom(injunction)} by {injunction.case.name}{court} {since}")
    return "it has been blocked " + " and ".join(clauses)


def issued_on(paths: Iterable[Path]) -> str | None:
    """The day the security began to be issued on ``paths``, the routes by which an order reaches it:
    the earliest start of their ``ISSUES`` steps; None where one has no start (an old listing no
    source dates) or there is none (an example: :func:`security_applies_from`)."""
    starts = [s.start for path in paths for s in path if isinstance(s, EdgeRef) and s.kind == "ISSUES"]
    if not starts or None in starts:
        return None
    return min((s for s in starts if s is not None), key=first_day)


def security_applies_from(applies_from: str | None, paths: Iterable[Path]) -> str | None:
    """The day an order's prohibitions apply to the security it reaches by ``paths``: the rule's day
    (``applies_from``, the issuer's), or the day the security was issued on those routes
    (:func:`issued_on`) where that came later; None where the rule gives no day. ``affects`` carries
    it as :attr:`graph.views.OrderEffect.security_applies_from`, beside ``applies_from``.

    >>> from graph.views import NodeRef
    >>> issues = EdgeRef(id="i", kind="ISSUES", source="ORG:a", target="SEC:X:1", start="2021-08-20",
    ...     end=None, confidence="likely", sources=[])
    >>> paths = [[NodeRef(id="SEC:X:1", kind="Security", name="X"), issues]]
    >>> issued_on(paths), security_applies_from("2021-08-02", paths)
    ('2021-08-20', '2021-08-20')
    >>> security_applies_from("2021-09-01", paths)
    '2021-09-01'
    """
    issued = issued_on(paths)
    if applies_from is None or issued is None or first_day(issued) <= first_day(applies_from):
        return applies_from
    return issued


def from_day(effect: OrderEffect) -> str:
    """From when the order bars the security, in words: the rule's day, or the day the security was
    issued where that came later (China Telecom's Shanghai A-share, issued 2021-08-20 under a rule
    applying to the company from 2021-08-02: :func:`security_applies_from`, which ``affects`` keeps in
    :attr:`~graph.views.OrderEffect.security_applies_from`), saying the issuer's day beside it. The
    short answer and the details line of every face say it so."""
    due = str(effect.applies_from)
    own = effect.security_applies_from
    if own is None or own == due:
        return due
    return f"{own}, {_ISSUED_LATER.format(due=due)}"


_ISSUED_LATER = "when it was issued (for its issuer from {due})"


def issued_later(rows: Sequence[_OwnDay]) -> str | None:
    """What a table of securities says beneath it of the rows whose order applies from the day the
    security was issued, later than it did for its issuer (``reaches``: China Telecom's Shanghai
    A-share, issued 2021-08-20); None when there are none. The cells give the security's own day.

    >>> from graph.views import ReachedSecurity
    >>> row = ReachedSecurity(security=SecurityRef(id="SEC:X:1", name="X (SSE 1)", exchange=None,
    ...     code=None), issuer=None, status="in_force", applies_from="2021-08-02",
    ...     security_applies_from="2021-08-20", divest_until=None, disputed=False, basis="b")
    >>> said = issued_later([row])
    >>> said.startswith("Applying from the day each was issued, after the order reached its issuer: ")
    True
    >>> said.removeprefix(said[: said.index("X ")])
    'X (SSE 1), issued 2021-08-20 (for its issuer from 2021-08-02).'
    >>> issued_later([row.model_copy(update={"security_applies_from": "2021-08-02"})]) is None
    True
    """
    later = [
        f"{r.security.name}, issued {r.security_applies_from} (for its issuer from {r.applies_from})"
        for r in rows
        if r.security_applies_from != r.applies_from
    ]
    if not later:
        return None
    return f"Applying from the day each was issued, after the order reached its issuer: {'; '.join(later)}."


def plain_sentence(effect: OrderEffect) -> str:
    """The one-sentence answer for one order: what is barred, from when (the rule's day, or the day
    the security was issued where later: :func:`from_day`), and whether sources disagree."""
    label = order_label(effect)
    verb = _VERB[effect.restriction]
    if effect.status == "enjoined":
        due = f" from {from_day(effect)}" if effect.applies_from else ""
        text = f"{label} would mean US persons {verb}{due}, but {_blocked_by(effect)}"
    elif effect.applies_from is None:
        # EO 13971 names apps, not their developers: "names this company" would be wrong.
        text = f"{label} reaches this company or its app, but its prohibitions were never put into effect"
    elif effect.status == "pending":
        text = f"Under {label} US persons {verb} from {from_day(effect)} (not yet in force)"
    else:
        text = f"Under {label} US persons {verb} from {from_day(effect)}"
    if effect.restriction == "transactions":
        # A reader must not take an app ban on the issuer for a ban on its shares.
        text += f"; it concerns {_NOT_SECURITIES}"
    if effect.divest_until and effect.status != "enjoined":
        window = divest_window(effect.divest_until, effect.divest_time)
        if effect.divest_closed and effect.restriction == "securities":
            # The window has closed: sales are barred too (EO 14032 bars "the purchase or sale").
            text += (
                f"; selling to divest was allowed {window}, and since then they may neither buy nor sell it"
            )
            text += _HOLDING.get(effect.holding_after_divest or "", "")
        else:
            text += f"; selling to divest is allowed {window}"
    own = (effect.status, effect.applies_from)
    # One clause per other reading; a source that states it is credited before a derived one.
    others: dict[tuple[str, str | None], Claim] = {}
    for claim in sorted(effect.claims, key=lambda c: not c.stated_by):
        others.setdefault((claim.status, claim.applies_from), claim)
    others.pop(own, None)
    if others:
        readings = "; ".join(_claim_text(c, effect.status, effect.applies_from) for c in others.values())
        # A source giving another day only in a case it names, and the answer's day otherwise, does
        # not disagree with it (Luokung's 6-K on General License 1A).
        disagree = any(not (c.condition and effect.applies_from) for c in others.values())
        text += f"; {readings}" + (" — sources disagree" if disagree else "")
    return text + "."


def short_name(name: str) -> str:
    """An order's name before its title: ``Executive Order 14032`` of ``Executive Order 14032: Addr…``."""
    return name.split(": ", 1)[0]


def last_day_label(ended: OrderEnded) -> str:
    """What ``ended.last_day`` was the last day of, no more than the ending edge says: ``its last day
    in force`` for a revoked order; for a superseded one, the last day its superseded parts applied."""
    if ended.how == "revoked":
        return "its last day in force"
    return (
        f"the last day its {ended.scope} applied" if ended.scope else "the last day it applied unsuperseded"
    )


def ended_sentences(ended: OrderEnded) -> list[str]:
    """How an order ended and what it reached on its last day, as both faces print it.

    >>> from graph.views import NodeRef, EdgeRef
    >>> eo = NodeRef(id="EO:2", kind="ExecutiveOrder", name="EO 2: New rules")
    >>> edge = EdgeRef(id="e", kind="SUPERSEDES", source="EO:2", target="EO:1", start="2021-06-03",
    ...                end=None, confidence="verified", sources=[])
    >>> ended = OrderEnded(how="superseded", on="2021-06-03", last_day="2021-06-02", by=eo,
    ...     scope="§§1–5", edge=edge, restricts_securities=True, securities=[],
    ...     counts={"in_force": 19, "enjoined": 1})
    >>> for line in ended_sentences(ended):
    ...     print(line)
    EO 2 superseded its §§1–5 on 2021-06-03.
    On 2021-06-02, the last day its §§1–5 applied, it reached 20 securities: 19 in force, 1 enjoined.
    """
    by = short_name(ended.by.name)
    if ended.how == "revoked":
        said = [f"{by} revoked it {on_date(ended.on)}."]
    else:
        said = [f"{by} superseded {'its ' + ended.scope if ended.scope else 'it'} {on_date(ended.on)}."]
    day = f"On {ended.last_day}, {last_day_label(ended)}"
    if not ended.restricts_securities:
        said.append("It governed no list of securities of its own.")
    elif ended.counts:
        total = sum(ended.counts.values())
        counts = ", ".join(f"{n} {status_label(s)}" for s, n in ended.counts.items())
        said.append(f"{day}, it reached {total} securit{'y' if total == 1 else 'ies'}: {counts}.")
    else:
        said.append(f"{day}, it reached no listed security.")
    if ended.injunctions:
        courts = "; ".join(
            f"{'a nationwide injunction' if i.nationwide else 'an injunction'} in {i.case.name}"
            + (f" ({i.court})" if i.court else "")
            + (f" since {i.since}" if i.since else "")
            + ("" if i.nationwide else ", as applied to those it names")
            for i in ended.injunctions
        )
        said.append(f"In force against it on {ended.last_day}: {courts}.")
    return said
