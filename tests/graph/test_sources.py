"""Sources are listed most authoritative first, wherever an answer lists them."""

from __future__ import annotations

from datetime import date

from graph.cite import cite
from graph.model import PRIMARY_SOURCE_KINDS, SOURCE_KINDS, Edge, Node, Source, authority_order, by_authority
from graph.query import affects, show, timeline
from graph.store.memory import MemoryStore
from graph.views import Change, Claim, EdgeRef, TimelineEvent


def _source(kind: str, n: int = 0) -> Source:
    return Source(url=f"https://example.org/{kind}/{n}", title=kind, publisher="p", kind=kind)


def _ranks(
    sources: list[Source], fact: str | None = None, not_named: list[str] | None = None
) -> list[tuple[bool, int]]:
    """Each source's rank: by kind; on a listing's row, a secondary source that does not name the
    company (``not_named``) after the others."""
    order, silent = authority_order(fact), not_named or []
    return [(s.url in silent and s.kind not in PRIMARY_SOURCE_KINDS, order.index(s.kind)) for s in sources]


def test_the_vocabulary_runs_from_official_texts_to_the_rest() -> None:
    assert SOURCE_KINDS == ("official", "court", "filing", "exchange", "law_firm", "press", "other")


def test_by_authority_is_stable_within_a_kind() -> None:
    given = [
        _source("press", 1),
        _source("other"),
        _source("official"),
        _source("press", 2),
        _source("court"),
    ]
    assert [(s.kind, s.url[-1]) for s in by_authority(given)] == [
        ("official", "0"),
        ("court", "0"),
        ("press", "1"),
        ("press", "2"),
        ("other", "0"),
    ]


def test_an_edge_and_every_view_keep_the_order_whatever_they_are_given() -> None:
    given = [_source("other"), _source("press"), _source("filing"), _source("official")]
    edge = Edge(
        id="e", kind="ISSUES", source="ORG:a", target="SEC:NYSE:A", confidence="verified", sources=given
    )
    claim = Claim(status="in_force", applies_from=None, basis="b", sources=[*given, _source("court")])
    event = TimelineEvent(date="2021", kind="k", description="d", other=None, edge_id=None, sources=given)
    assert _ranks(edge.sources, edge.kind) == sorted(_ranks(edge.sources, edge.kind))
    for sources in (claim.sources, event.sources):
        assert _ranks(sources) == sorted(_ranks(sources))
    assert claim.sources[:2] == [_source("official"), _source("court")]


def test_china_mobile_delisting_shows_the_filings_before_the_press(store: MemoryStore) -> None:
    status = affects(store, "SEC:NYSE:CHL", date(2021, 6, 1)).exchange_status
    assert status is not None and status.state == "delisted"
    kinds = [s.kind for s in status.sources]
    assert kinds[0] in ("official", "filing", "exchange"), kinds
    assert kinds.index("press") > max(i for i, k in enumerate(kinds) if k in ("filing", "exchange"))


def test_every_source_an_answer_lists_is_in_authority_order(store: MemoryStore) -> None:
    answer = affects(store, "SEC:NYSE:CHA", date(2021, 3, 10))
    assert answer.orders, "China Telecom's ADSs were restricted on 2021-03-10"
    for order in answer.orders:
        assert _ranks(order.sources) == sorted(_ranks(order.sources)), order.id
        assert "sanctions.org" not in order.sources[0].url
        for claim in order.claims:
            # A reading resting on a listing ranks its sources as the listing does (``not_named_by``).
            ranks = _ranks(claim.sources, claim.kind, claim.not_named_by)
            assert ranks == sorted(ranks)
    for event in timeline(store, "ORG:china-telecom-corp-ltd").events:
        # Most authoritative first (a listing's secondary sources that name the company before those that
        # do not); within a kind, the sources that state the row's date lead.
        ranks = _ranks(event.sources, event.fact or event.kind, event.not_named_by)
        assert ranks == sorted(ranks), event.description
        for rank in set(ranks):
            kind = [s for s, r in zip(event.sources, ranks, strict=True) if r == rank]
            stating = [s in event.stated_by for s in kind]
            assert stating == sorted(stating, reverse=True), event.description


def test_a_court_fact_ranks_the_courts_text_before_an_agencys() -> None:
    given = [_source("press"), _source("official"), _source("court"), _source("filing")]
    ruling = Edge(
        id="r",
        kind="ENJOINS",
        source="CASE:DDC:1:21-cv-00583",
        target="EO:13959",
        confidence="verified",
        sources=given,
        disputed=[{"field": "end", "value": "2021-06-04", "sources": given}],
    )
    listing = Edge(
        id="l", kind="LISTED_ON", source="ORG:a", target="LIST:x", confidence="verified", sources=given
    )
    assert [s.kind for s in ruling.sources] == ["court", "official", "filing", "press"]
    assert [s.kind for s in ruling.disputed[0].sources] == ["court", "official", "filing", "press"]
    assert [s.kind for s in listing.sources] == ["official", "court", "filing", "press"]
    assert [s.kind for s in EdgeRef.of(ruling).sources] == [s.kind for s in ruling.sources]
    other_date = Claim(status="enjoined", applies_from=None, basis="b", kind="ENJOINS", sources=given)
    assert other_date.sources[0].kind == "court" and "kind" not in other_date.model_dump()


def test_every_face_cites_luokungs_injunction_from_the_docket_first(store: MemoryStore) -> None:
    (edge,) = store.edges_of("CASE:DDC:1:21-cv-00583", "out", ["ENJOINS"])
    kinds = {s.kind for s in edge.sources}
    assert {"court", "official"} <= kinds, "the edge cites the ruling and the White House's EO 14032"
    docket = edge.sources[0]
    assert docket.kind == "court" and "justia.com" in docket.url
    shown = [e for e in show(store, "EO:13959").edges if e.id == edge.id]
    assert shown and all(e.sources[0] == docket for e in shown)
    rows = [e for e in timeline(store, "ORG:luokung").events if e.edge_id == edge.id]
    rows += [e for e in timeline(store, "EO:13959").events if e.edge_id == edge.id]
    # The injunction's start rows cite the docket first; its end (EO 14032 of 2021-06-03 replaced
    # the enjoined order) cites what states the end, never the ruling that began it.
    # (Its end row reads "overtaken: …", no court having acted that day: told apart by its day.)
    starts = [e for e in rows if e.date == edge.start]
    ends = [e for e in rows if e.date == edge.end]
    assert len(starts) + len(ends) == len(rows) and all("overtaken: " in e.description for e in ends)
    assert starts and all(e.sources[0] == docket for e in starts)
    assert ends and all(e.sources[0].kind == "official" and docket not in e.sources for e in ends)
    assert docket.url in cite(store, edge.id).sources[0]


def test_an_exchanges_own_action_ranks_the_exchanges_notice_first(store: MemoryStore) -> None:
    # The NYSE's notice is the act itself; an issuer's 6-K only reports it. On 2021-01-08 China
    # Mobile's ADSs were under the delisting NYSE announced on 2021-01-06: its notice is shown first.
    given = [_source("press"), _source("filing"), _source("official"), _source("exchange")]
    action = Edge(
        id="x",
        kind="EXCHANGE_ACTION",
        source="EXCH:NYSE",
        target="SEC:NYSE:CHL",
        confidence="verified",
        sources=given,
    )
    assert [s.kind for s in action.sources] == ["exchange", "official", "filing", "press"]
    status = affects(store, "SEC:NYSE:CHL", date(2021, 1, 8)).exchange_status
    assert status is not None and status.state == "delisting_announced"
    assert "ir.theice.com" in status.sources[0].url, [s.url for s in status.sources]


def test_a_listing_ranks_the_exchanges_notice_and_the_issuers_filing_first(store: MemoryStore) -> None:
    # Who issues a security and where it trades, from when: the exchange's notice and the issuer's
    # listing announcement make and date it; OFAC's list file only records the ticker, with no day.
    given = [_source("press"), _source("official"), _source("filing"), _source("exchange")]
    for kind in ("ISSUES", "TRADES_ON"):
        edge = Edge(
            id="i", kind=kind, source="ORG:a", target="SEC:SSE:600000", confidence="verified", sources=given
        )
        assert [s.kind for s in edge.sources] == ["exchange", "filing", "official", "press"]
    # SMIC's STAR Market shares: its listing announcement (printed in Securities Daily, a disclosure
    # newspaper) gives the first trading day and is cited first, before OFAC's ticker.
    for edge in [
        *store.edges_of("SEC:SSE:688981", "in", ["ISSUES"]),
        *store.edges_of("SEC:SSE:688981", "out", ["TRADES_ON"]),
    ]:
        first = edge.sources[0]
        assert first.kind == "filing" and "2020年7月16日" in (first.quote or ""), (edge.id, first.url)
        assert any("cons_prim" in s.url for s in edge.sources), edge.id


def test_the_sources_that_show_an_undated_relation_lead_wherever_its_sources_are_listed(
    store: MemoryStore,
) -> None:
    """A relation no source dates names, in ``known_from_stated_by``, the sources that show it holding;
    the others (a bond report naming the parent as guarantor only) do not show it, so they follow,
    whatever their kind: Proven Glory's SUBSIDIARY_OF edge leads with Huawei Investment & Holding's
    annual report, not GlobalCapital's bond report. Each group keeps authority order."""
    shown = _source("other")
    edge = Edge(
        id="e", kind="SUBSIDIARY_OF", source="ORG:a", target="ORG:b", confidence="verified",
        sources=[_source("press"), _source("official"), shown, _source("other", 1)],
        properties={"known_from": "2020", "known_from_stated_by": [shown.url]},
    )  # fmt: skip
    expected = [shown, _source("official"), _source("press"), _source("other", 1)]
    assert edge.sources == expected
    assert EdgeRef.of(edge).sources == expected
    glory = "SUBSIDIARY_OF|ORG:proven-glory-capital|ORG:huawei-investment-holding|-"
    annual_report = "https://issuhub.com/view/index/29418?pageIndex=134"
    found = store.get_edge(glory)
    assert found is not None and found.sources[0].url == annual_report
    (row,) = [e for e in show(store, "ORG:proven-glory-capital").edges if e.id == glory]
    assert row.sources[0].url == annual_report


def _named(kind: str, n: int, quote: str) -> Source:
    return _source(kind, n).model_copy(update={"quote": quote})


def test_a_listings_secondary_sources_that_name_the_company_come_before_those_that_do_not() -> None:
    """Issue 7 (M6): a law firm's write-up of a whole list edition that does not name the company (DeHeng's
    of 2022-10-05) led the listing's rows, because kinds alone ordered them. On a listing the primary
    sources lead in authority order, then the secondary ones that name the company, then the rest: the
    loader records the latter by address (``not_named_by``), so every store ranks alike without reading
    any source's words again. A primary source the property names anyway is never moved down."""
    silent_firm, silent_press = _source("law_firm"), _source("press")
    naming_press, naming_other = _named("press", 1, "Xiaomi was added"), _named("other", 1, "XIAOMI CORP")
    official = _source("official")
    given = [silent_firm, silent_press, naming_other, official, naming_press]
    silent = [silent_firm.url, silent_press.url, official.url]
    expected = [official, naming_press, naming_other, silent_firm, silent_press]
    edge = Edge(
        id="l", kind="LISTED_ON", source="ORG:a", target="LIST:x", confidence="likely", sources=given,
        properties={"not_named_by": silent},
    )  # fmt: skip
    assert edge.sources == expected
    assert EdgeRef.of(edge).sources == expected
    event = TimelineEvent(
        date="2021", kind="LISTED_ON", description="d", other=None, edge_id="l", not_named_by=silent,
        stated_by=[naming_other], sources=given,
    )  # fmt: skip
    # Within each group the sources that state the row's date lead their kind, as before.
    assert event.sources == expected
    change = Change(
        date="2021", what="began", kind="LISTED_ON", description="d", edge_id="l", entities=[],
        not_named_by=silent, sources=given,
    )  # fmt: skip
    assert change.sources == expected
    # Without the property a listing's sources rank by kind alone, as every other fact's do.
    plain = Edge(
        id="p", kind="LISTED_ON", source="ORG:a", target="LIST:x", confidence="likely", sources=given
    )
    assert [s.kind for s in plain.sources] == ["official", "law_firm", "press", "press", "other"]


def test_a_copy_never_ranks_before_the_document_it_copies() -> None:
    """A registry entry that is a copy of an official file says what it copies (``copy_of``, the original's
    address): where the original stands on the same edge, the copy follows it, whatever their kinds and
    the data's order."""
    original = _source("other", 1)
    copy = _source("other", 2).model_copy(update={"copy_of": original.url})
    press = _source("press")
    edge = Edge(
        id="l", kind="LISTED_ON", source="ORG:a", target="LIST:x", confidence="likely",
        sources=[copy, press, original],
    )  # fmt: skip
    assert edge.sources == [press, original, copy]
    # Alone, a copy ranks as its kind does; its marker is left out of the JSON where it is not set.
    alone = Edge(
        id="m", kind="LISTED_ON", source="ORG:a", target="LIST:x", confidence="likely", sources=[press, copy]
    )
    assert alone.sources == [press, copy]
    assert "copy_of" not in press.model_dump() and copy.model_dump()["copy_of"] == original.url


def test_affects_ranks_a_claims_sources_as_the_listing_it_rests_on_ranks_them() -> None:
    """Issue 7: a reading of ``affects`` cites the listing's sources (and the rule's), but ranked them by
    kind alone, so a law firm's alert on the whole list edition that never names the company led the
    report that does, as it no longer does on the listing itself. Every reading resting on a listing now
    ranks as the listing does (``not_named_by``, then copies after their originals): the one ranking
    function, :func:`graph.model.ranked_sources`."""
    silent_firm, restating_firm = _source("law_firm"), _source("law_firm", 1)
    naming_press = _named("press", 1, "Acme was added to the list")
    original = _source("other", 1)
    copy = _source("other", 2).model_copy(update={"copy_of": original.url})
    order = _source("official")
    other_day = _named("press", 2, "Acme was listed on 2020-06-02")
    nodes = [
        Node(id="SEC:NYSE:ACME", kind="Security", name="Acme ADS"),
        Node(id="ORG:acme", kind="Company", name="Acme Holdings Limited"),
        Node(id="LIST:L", kind="SanctionsList", name="The list"),
        Node(id="EO:1", kind="ExecutiveOrder", name="EO 1", sources=[order]),
    ]
    listing = Edge(
        id="l", kind="LISTED_ON", source="ORG:acme", target="LIST:L", start="2020-06-01", confidence="likely",
        sources=[copy, silent_firm, naming_press, restating_firm, original],
        properties={"not_named_by": [silent_firm.url, restating_firm.url]},
        disputed=[{"field": "start", "value": "2020-06-02", "sources": [restating_firm, other_day]}],
    )  # fmt: skip
    edges = [
        Edge(id="i", kind="ISSUES", source="ORG:acme", target="SEC:NYSE:ACME", confidence="verified",
             sources=[naming_press]),
        listing,
        Edge(id="g", kind="GOVERNS", source="EO:1", target="LIST:L", start="2020-01-01",
             confidence="verified", sources=[order],
             properties={"restriction": "securities", "later_delay_days": 60}),
    ]  # fmt: skip
    assert listing.sources == [naming_press, original, copy, silent_firm, restating_firm]
    store = MemoryStore.from_parts(nodes, edges)
    (effect,) = affects(store, "SEC:NYSE:ACME", date(2020, 7, 31)).orders
    by_day = {c.applies_from: c.sources for c in effect.claims}
    assert by_day == {
        "2020-07-31": [order, naming_press, original, copy, silent_firm],
        # The firm that states the other day is cited by that reading only (one_side_each).
        "2020-08-01": [other_day, restating_firm],
    }
    # So does the timeline's row of the day prohibitions apply, which rests on the rule and the listing.
    (due,) = [e for e in timeline(store, "ORG:acme").events if e.date == "2020-07-31"]
    assert due.edge_id == "g"
    assert due.sources == [order, naming_press, original, copy, silent_firm, restating_firm]
    claim = Claim(
        status="pending", applies_from=None, basis="b", not_named_by=[silent_firm.url],
        sources=[copy, silent_firm, original, naming_press],
    )  # fmt: skip
    assert claim.sources == [naming_press, original, copy, silent_firm]
    assert "not_named_by" not in claim.model_dump()


def test_a_disputed_readings_sources_rank_as_the_listings_own_do() -> None:
    """Issue 7: where the sources disagree, a listing keeps both claims with their sources; the other
    reading's sources ranked by kind alone, so a law firm's alert on the whole list edition that never
    names the company led the report that does, as it no longer does on the listing itself. The
    judgement of which sources name the company (graph.naming) reads the disputed readings' sources too,
    and every face lists them in the listing's order: the edge, ``show``, the timeline's row of the other
    day and its words."""
    from graph.naming import with_not_named_by

    acme = Node(id="ORG:acme", kind="Company", name="Acme Holdings Limited")
    alert = Source(
        url="https://example.org/alert",
        title="DoD adds 13 companies",
        publisher="Firm LLP",
        kind="law_firm",
        quote="DoD added 13 companies on June 2",
    )
    report = Source(
        url="https://example.org/report",
        title="Acme listed",
        publisher="Daily",
        kind="press",
        quote="Acme Holdings was listed on 2020-06-02",
    )
    entry = Source(url="https://example.gov/list", title="The list", publisher="DoD", kind="official",
        quote="Acme Holdings Limited")  # fmt: skip
    listing = Edge(
        id="l", kind="LISTED_ON", source="ORG:acme", target="LIST:L", start="2020-06-01", confidence="likely",
        sources=[entry], disputed=[{"field": "start", "value": "2020-06-02", "sources": [alert, report]}],
    )  # fmt: skip
    assert listing.disputed[0].sources == [alert, report]  # by kind: no judgement recorded yet
    judged = with_not_named_by(listing, acme)
    assert judged.properties["not_named_by"] == [alert.url]
    assert judged.disputed[0].sources == [report, alert]
    # The model ranks them so wherever the edge is read again (a store's rows are validated).
    assert Edge.model_validate_json(judged.model_dump_json()).disputed[0].sources == [report, alert]
    store = MemoryStore.from_parts([acme, Node(id="LIST:L", kind="SanctionsList", name="The list")], [judged])
    (shown,) = show(store, "ORG:acme").edges
    assert shown.disputed[0].sources == [report, alert]
    (other_day,) = [e for e in timeline(store, "ORG:acme").events if e.date == "2020-06-02"]
    assert other_day.sources == [report, alert]
    assert "(Daily; Firm LLP)" in other_day.description, other_day.description
