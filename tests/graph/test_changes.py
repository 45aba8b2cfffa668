import re
from datetime import date

import pytest

from graph.changes import changes
from graph.document_days import names_act
from graph.errors import OrdergraphError
from graph.model import Node
from graph.query import timeline
from graph.store.memory import MemoryStore
from graph.timeline import same_listed_name
from graph.views import Change


def test_mid_january_2021(store: MemoryStore) -> None:
    answer = changes(store, date(2021, 1, 11), date(2021, 1, 14))
    days = {d.date: d.changes for d in answer.days}
    assert [d.date for d in answer.days] == sorted(days)
    assert all(date(2021, 1, 11) <= date.fromisoformat(d) <= date(2021, 1, 14) for d in days)
    listed = [c for c in days["2021-01-14"] if c.kind == "LISTED_ON" and c.what == "began"]
    assert any(c.entities[0].id == "ORG:xiaomi" for c in listed)
    assert any(c.kind == "EXCHANGE_ACTION" for c in days["2021-01-11"])


def test_endings_are_changes_too(store: MemoryStore) -> None:
    answer = changes(store, date(2021, 5, 25), date(2021, 5, 25))
    assert any(c.what == "ended" and c.entities[0].id == "ORG:xiaomi" for d in answer.days for c in d.changes)


def test_a_window_backwards_is_an_error(store: MemoryStore) -> None:
    with pytest.raises(OrdergraphError):
        changes(store, date(2021, 2, 1), date(2021, 1, 1))


def test_the_telcos_first_week_reads_as_the_nyse_acted_with_its_sources(store: MemoryStore) -> None:
    # 2020-12-31 NYSE announced it would delist CHA, CHL, CHU; 2021-01-04 it said it no longer
    # intended to; 2021-01-06 it went ahead; 2021-01-11 04:00 trading was suspended.
    answer = changes(store, date(2020, 12, 31), date(2021, 1, 11))
    chl = {
        (d.date, c.what, c.description): c
        for d in answer.days
        for c in d.changes
        if c.kind == "EXCHANGE_ACTION" and c.entities[1].id == "SEC:NYSE:CHL"
    }
    # An exchange's action is an event of its day, not a period beginning: no "began".
    began = sorted(k[::2] for k in chl if k[1] == "event")
    assert began == [
        (
            "2020-12-31",
            "New York Stock Exchange announces it will delist China Mobile Limited (NYSE CHL ADS) (likely)",
        ),
        (
            "2021-01-04",
            "New York Stock Exchange withdraws its delisting announcement of 2020-12-31 for "
            "China Mobile Limited (NYSE CHL ADS) (likely)",
        ),
        (
            "2021-01-06",
            "New York Stock Exchange announces again that it will delist China Mobile Limited "
            "(NYSE CHL ADS), reversing its withdrawal of 2021-01-04",
        ),
        ("2021-01-11", "New York Stock Exchange suspends trading in China Mobile Limited (NYSE CHL ADS)"),
    ]
    # Every row can be checked, or says it cannot: the announced delisting's end is stated by no
    # source of its own (its only source, of 2020-12-31, announced it).
    assert all(c.sources or (c.what == "ended" and c.sources_note) for c in chl.values())
    suspended = chl["2021-01-11", "event", began[-1][1]]
    assert "ir.theice.com" in suspended.sources[0].url


def test_an_order_signed_in_the_window_carries_its_sources(store: MemoryStore) -> None:
    answer = changes(store, date(2021, 1, 5), date(2021, 1, 5))
    [signed] = [c for d in answer.days for c in d.changes if " — signed" in c.description]
    assert signed.entities[0].id == "EO:13971" and signed.sources
    assert signed.sources[0].url == "https://www.federalregister.gov/d/2021-00305"


def _ended(store: MemoryStore, day: date, edge_id: str) -> Change:
    [row] = [
        c
        for d in changes(store, day, day).days
        for c in d.changes
        if c.what == "ended" and c.edge_id == edge_id
    ]
    return row


def test_an_ending_cites_what_states_the_end_not_what_began_it(store: MemoryStore) -> None:
    # DoD's release of 2021-01-14 added Xiaomi; a reporter checking "removed" must not land on it.
    removed = _ended(store, date(2021, 5, 25), "LISTED_ON|ORG:xiaomi|LIST:DOD-1237|2021-01-14")
    assert removed.sources and removed.sources_note is None
    assert all(s.date and s.date[:7] >= "2021-05" for s in removed.sources)
    assert not any("2021-01-14" in (s.quote or "") or s.date == "2021-01-14" for s in removed.sources)
    assert any("caixinglobal.com/2021-05-26" in s.url for s in removed.sources)


def test_an_injunctions_end_does_not_cite_the_faq_about_its_start(store: MemoryStore) -> None:
    ended = _ended(store, date(2021, 5, 25), "ENJOINS|CASE:DDC:1:21-cv-00280|EO:13959|2021-03-12")
    urls = [s.url for s in ended.sources]
    assert urls and not any("faqs/880" in u or "justia.com" in u for u in urls)
    assert all(s.date and s.date[:7] >= "2021-05" for s in ended.sources)


def test_an_ending_made_by_a_later_action_cites_that_action(store: MemoryStore) -> None:
    # NYSE's 2020-12-31 announcement is the edge's only dated source and cannot state the end; NYSE's
    # withdrawal of 2021-01-04 made the end, and its sources state it: its row says the end.
    withdrawal = next(
        e for e in store.edges_of("SEC:NYSE:CHL", "in", ["EXCHANGE_ACTION"]) if e.start == "2021-01-04"
    )
    [row] = [c for d in changes(store, date(2021, 1, 4), date(2021, 1, 4)).days for c in d.changes
             if c.edge_id == withdrawal.id]  # fmt: skip
    assert "withdraws its delisting announcement of 2020-12-31 for" in row.description
    assert row.sources and row.sources_note is None
    assert {s.url for s in row.sources} <= {s.url for s in withdrawal.sources}


def test_a_beginning_keeps_the_sources_of_its_start(store: MemoryStore) -> None:
    [added] = [
        c
        for d in changes(store, date(2021, 1, 14), date(2021, 1, 14)).days
        for c in d.changes
        if c.what == "began" and c.edge_id == "LISTED_ON|ORG:xiaomi|LIST:DOD-1237|2021-01-14"
    ]
    # DoD's release itself was not seen here (review 34, M10): OFAC's FAQ 880, which states the day
    # ("On January 14, 2021, the Secretary of Defense listed Xiaomi Corporation"), leads the law firm's
    # alert; the copies and reports of the release (Mr Watchlist, UrduPoint) are not cited beside it.
    assert added.sources[0].url.endswith("/faqs/880") and added.sources_note is None
    assert "thompsonhinesmartrade.com/2021/03/" in added.sources[1].url
    assert not any("urdupoint.com" in s.url or "mrwatchlist.com" in s.url for s in added.sources)
    assert not any("2472464" in s.url for s in added.sources)
    assert not any("caixinglobal" in s.url for s in added.sources)  # reports the removal


def test_a_notice_that_gives_the_end_day_ahead_states_the_end(store: MemoryStore) -> None:
    # 航天通's notice of 2021-03-12 gives 摘牌日期:2021年3月18日; the undated OFAC list entry does not.
    # The delisting of that day ended the listing, whose trading the suspension (暂停上市) of 2020-05-29
    # had already stopped: its row says so, never that trading ended that day (review eyes35 N4), and
    # cites the notice besides its own sources; no "ended" row repeats it.
    (delisting,) = [
        e for e in store.edges_of("SEC:SSE:600677", "in", ["EXCHANGE_ACTION"]) if e.start == "2021-03-18"
    ]
    found = [c for d in changes(store, date(2021, 3, 18), date(2021, 3, 18)).days for c in d.changes]
    assert not [c for c in found if c.edge_id == "TRADES_ON|SEC:SSE:600677|EXCH:SSE|-"]
    (row,) = [c for c in found if c.edge_id == delisting.id]
    # Read from the exchange's own notice in a copy only: likely.
    assert row.description.endswith(", suspended from trading there since 2020-05-29 (likely)"), (
        row.description
    )
    assert row.sources_note is None
    assert "2021-03-12" in [s.date for s in row.sources]
    assert {s.url for s in row.sources if s.date != "2021-03-12"} <= {s.url for s in delisting.sources}


def test_an_injunction_says_whether_it_is_nationwide(store: MemoryStore) -> None:
    began = {
        c.entities[0].id: c.description
        for d in changes(store, date(2020, 9, 19), date(2021, 3, 12)).days
        for c in d.changes
        if c.kind == "ENJOINS"
    }
    # Under the order, as its end row: "nationwide" a word of its own, the scope what was blocked.
    assert began["CASE:EDPA:2:20-cv-04597"] == (
        "EO 13942 — enjoined nationwide by Marland v. Trump (E.D. Pa.) (as to: Commerce Identification "
        "under EO 13942 (the prohibitions due 2020-11-12))"
    )
    assert began["CASE:NDCAL:3:20-cv-05910"].startswith(
        "EO 13943 — enjoined nationwide by U.S. WeChat Users Alliance v. Trump (N.D. Cal.)"
    )
    assert "nationwide" not in began["CASE:DDC:1:21-cv-00280"]
    assert "(as to: DoD's 2021-01-14 §1237 designation of Xiaomi" in began["CASE:DDC:1:21-cv-00280"]
    ended = [
        c.description
        for d in changes(store, date(2021, 6, 9), date(2021, 6, 9)).days
        for c in d.changes
        if c.kind == "ENJOINS" and c.entities[0].id == "CASE:EDPA:2:20-cv-04597"
    ]
    # Its end reads as on the timeline: under the order, what ended, then the act that ended it.
    assert ended == [
        "EO 13942 — nationwide injunction in Marland v. Trump (E.D. Pa.) left with nothing to bar: EO 13942 "
        "revoked by EO 14034 (as to: Commerce Identification under EO 13942 "
        "(the prohibitions due 2020-11-12))"
    ]


def test_a_row_names_the_source_that_gives_its_day_as_the_timeline_does(store: MemoryStore) -> None:
    """A row whose first source (OFAC's list file, an exchange's notice) does not give its day credits
    the day to the source that does, as the same row on the entity's timeline does; a row whose
    first source gives its day credits none."""
    from cli import render
    from graph.query import timeline

    answer = changes(store, date(2020, 1, 1), date(2022, 12, 31))
    credited = [c for d in answer.days for c in d.changes if c.dated_by is not None]
    assert credited
    for change in credited:
        assert change.dated_by is not None and change.dated_by != change.sources[0]
        events = [
            e
            for ref in change.entities
            for e in timeline(store, ref.id).events
            if e.edge_id == change.edge_id and e.date == change.date
        ]
        assert events and all((e.sources, e.dated_by) == (change.sources, change.dated_by) for e in events)
        assert f"; date as given by {change.dated_by.url})" in render.changes(answer)
    signed = changes(store, date(2020, 11, 12), date(2020, 11, 12)).days[0].changes
    assert all(c.dated_by is None for c in signed)


def test_events_read_as_events_and_only_periods_begin(store: MemoryStore) -> None:
    """An order signed or taking effect, an exchange's action, an amendment happen on a day: such a row
    is an event ("Executive Order 14032 … signed"), never "began"; a listing, a targeting, a rule begin."""
    answer = changes(store, date(2021, 6, 1), date(2021, 6, 10))
    rows = [c for d in answer.days for c in d.changes]
    signed = [c for c in rows if " — signed" in c.description or c.description.endswith(" — takes effect")]
    assert signed and all(c.what == "event" for c in signed)
    acts = {"EXCHANGE_ACTION", "AMENDS", "REVOKES", "SUPERSEDES"}
    assert all(c.what == "event" for c in rows if c.kind in acts)
    assert any(c.what == "began" and c.kind in {"TARGETS", "GOVERNS"} for c in rows)
    assert all(c.what in {"began", "ended"} for c in rows if c.kind in {"LISTED_ON", "TARGETS", "GOVERNS"})


def test_an_end_reads_as_the_timeline_says_it(store: MemoryStore) -> None:
    """An end row says what ended and the act that ended it, in the timeline's words (one function
    builds both): EO 13942's targeting of TikTok ended with its revocation by EO 14034, not a bare
    "no longer targets"; each order's end row is the row its own timeline has that day."""
    from graph.query import timeline

    answer = changes(store, date(2021, 6, 1), date(2021, 6, 10))
    ended = [c for d in answer.days for c in d.changes if c.what == "ended"]
    words = {c.description for c in ended}
    assert "EO 13942 — targeting of TikTok ends: EO 13942 revoked by EO 14034" in words
    assert (
        "EO 13959 — rule for OFAC Non-SDN Communist Chinese Military Companies List (NS-CCMC List) ends: "
        in {w[: w.index(": ") + 2] for w in words if w.startswith("EO 13959 — rule for")}
    )
    by_order = [c for c in ended if c.kind in ("TARGETS", "GOVERNS", "ENJOINS")]
    assert len(by_order) >= 10
    for change in by_order:
        order = change.entities[1] if change.kind == "ENJOINS" else change.entities[0]
        rows = {(e.date, e.description) for e in timeline(store, order.id).events}
        assert (change.date, change.description) in rows, change.description
    # A listing's end names its member, under the order that governed the list.
    assert any(w.startswith("EO 13959 — listing of CNOOC Limited on OFAC Non-SDN Communist") for w in words)
    # An exchange's action its next one ended has no end row of its own: the next one's row says it
    # (tests/graph/test_timeline.py); nor is the withdrawal's day a repeat.
    day = [c for d in changes(store, date(2021, 1, 4), date(2021, 1, 4)).days for c in d.changes]
    assert [c.what for c in day if c.kind == "EXCHANGE_ACTION"] == ["event"] * 3


def test_a_start_names_its_order_as_its_end_does(store: MemoryStore) -> None:
    """A row about an order names it by its number, start and end alike ("EO 13971 — targets
    Alipay", then "EO 13971 — targeting of Alipay ends: …"), as the order's own timeline says it that
    day; the order's title is spelt once, on the day it was signed (the start rows spelt it in full
    on every row, the end rows "EO 13971 —")."""
    from graph.query import timeline

    answer = changes(store, date(2020, 1, 1), date(2022, 12, 31))
    rows = [c for d in answer.days for c in d.changes]
    kinds = ("TARGETS", "GOVERNS", "AMENDS", "REVOKES", "SUPERSEDES", "ENJOINS")
    about = [c for c in rows if c.kind in kinds]
    assert len(about) >= 20
    for change in about:
        assert re.match(r"EO \d+ — ", change.description), change.description
        assert "Executive Order" not in change.description, change.description
        order = change.entities[1] if change.kind == "ENJOINS" else change.entities[0]
        own = {(e.date, e.description) for e in timeline(store, order.id).events}
        assert (change.date, change.description) in own, change.description
    days = {d.date: [c.description for c in d.changes] for d in answer.days}
    assert days["2021-06-09"][:3] == [
        "EO 14034 — signed: Protecting Americans' Sensitive Data From Foreign Adversaries",
        "EO 14034 — takes effect",
        "EO 14034 — revokes EO 13942",
    ]
    assert "EO 13974 — amends EO 13959" in days["2021-01-13"]
    signed = [c for c in rows if c.kind == "ExecutiveOrder" and "signed" in c.description]
    assert signed and all(re.fullmatch(r"EO \d+ — signed: [^:]+", c.description) for c in signed)


def test_the_days_a_ban_began_for_later_listings_are_changes(store: MemoryStore) -> None:
    """EO 13959's prohibitions began 60 days after a later listing (SMIC, listed 2020-12-03: on
    2021-02-01; the four NS-CCMC subsidiaries of 2021-01-08: on 2021-03-09; tranche 4: on 2021-03-15,
    Xiaomi's enjoined since 2021-03-12): `changes` lists each, as the company's timeline says it, the
    company named, instead of "nothing began or ended in that window"."""
    february = changes(store, date(2021, 1, 30), date(2021, 2, 2))
    rows = [c for d in february.days for c in d.changes]
    smic = [c for c in rows if c.entities[0].id == "ORG:smic"]
    assert [(c.date, c.what, c.kind) for c in smic] == [("2021-02-01", "event", "PROHIBITIONS")]
    assert smic[0].description == (
        "EO 13959 — prohibitions apply: Semiconductor Manufacturing International Corporation listed on "
        "DoD list of Communist Chinese military companies (NDAA FY1999 §1237)"
    )  # DoD's “… Corp. (SMIC)” differs only by a short form and a short name: not repeated (note 36)
    assert smic[0].entities[1].id == "EO:13959" and smic[0].sources
    march = {
        c.entities[0].id: c
        for d in changes(store, date(2021, 3, 9), date(2021, 3, 9)).days
        for c in d.changes
    }
    for company in (
        "ORG:china-mobile-ltd",
        "ORG:china-telecom-corp-ltd",
        "ORG:china-unicom-hk-ltd",
        "ORG:cnooc-ltd",
    ):
        assert company in march and "EO 13959 — prohibitions apply: " in march[company].description
    (xiaomi,) = [
        c
        for d in changes(store, date(2021, 3, 15), date(2021, 3, 15)).days
        for c in d.changes
        if c.entities[0].id == "ORG:xiaomi"
    ]
    assert xiaomi.description.startswith(
        "EO 13959 — prohibitions due, but enjoined since 2021-03-12 by Xiaomi"
    )
    # An app ban's day too: WeChat's prohibitions were due 2020-09-20, enjoined nationwide the day before.
    september = [c for d in changes(store, date(2020, 9, 20), date(2020, 9, 20)).days for c in d.changes]
    (wechat,) = [c for c in september if c.entities[0].id == "APP:wechat"]
    assert (wechat.kind, wechat.entities[1].id) == ("PROHIBITIONS", "EO:13943")
    assert wechat.description == (
        "EO 13943 — prohibitions due, but enjoined nationwide since 2020-09-19 by U.S. WeChat Users "
        "Alliance v. Trump: targets WeChat"
    )
    assert wechat.sources[0].kind == "court"


def test_every_rule_row_of_a_listed_companys_timeline_is_a_change_that_day(store: MemoryStore) -> None:
    """`changes` and `timeline` tell one story: each row an order's rule gives a company's listing
    (prohibitions due, a divest-only window's last day, the rule reaching or leaving the listing) is
    in `changes` for its day, for the same edge, under the same order, with the same sources."""
    from graph.timeline import timeline_of

    window = changes(store, date(2020, 1, 1), date(2026, 12, 31))
    listed = {(c.date, c.edge_id, c.kind, c.entities[0].id): c for d in window.days for c in d.changes}
    kinds = {"PROHIBITIONS", "DIVEST_WINDOW", "RULE_BEGINS", "RULE_ENDS"}
    seen = 0
    for edge in store.edges("LISTED_ON"):
        company = store.get_node(edge.source)
        assert company is not None
        for row in timeline_of(store, company).events:
            if row.kind in kinds and row.edge_id is not None and row.date[:4] <= "2026":
                key = (row.date, row.edge_id, row.kind, company.id)
                assert key in listed, (company.id, row.date, row.description)
                assert listed[key].description.endswith(row.description.split(": ", 1)[1]), row.description
                assert [s.url for s in listed[key].sources] == [s.url for s in row.sources], row.description
                seen += 1
    assert seen > 100


def test_a_listing_is_named_under_the_order_governing_its_list_as_the_timeline_names_it(
    store: MemoryStore,
) -> None:
    """``EO 13959 — CNOOC Limited listed on OFAC …``: the order that governs the list that day, as the
    listed company's and its security's timelines name it; a list no order governs (DoD's §1260H list
    of 2021-06-03), no order."""
    rows = {
        (d.date, c.what, c.description)
        for d in changes(store, date(2021, 1, 8), date(2021, 6, 3)).days
        for c in d.changes
        if c.kind == "LISTED_ON"
    }
    ccmc = "OFAC Non-SDN Communist Chinese Military Companies List (NS-CCMC List)"
    cmic = "OFAC Non-SDN Chinese Military-Industrial Complex Companies List (NS-CMIC List)"
    assert {
        ("2021-01-08", "began", f"EO 13959 — CNOOC Limited listed on {ccmc}"),
        ("2021-06-03", "began", f"EO 14032 — China Mobile Limited listed on {cmic}"),
        (
            "2021-06-03",
            "began",
            "China Mobile Limited listed on DoD list of Chinese military companies (NDAA FY2021 §1260H)"
            " (likely)",
        ),
        ("2021-06-03", "ended", f"EO 13959 — listing of China Mobile Limited on {ccmc} ends"),
    } <= rows
    # The same words as the security's timeline gives that row.
    said = {(e.date, e.description) for e in timeline(store, "SEC:NYSE:CHL").events}
    assert ("2021-01-08", f"EO 13959 — China Mobile Limited listed on {ccmc}") in said
    assert ("2021-06-03", f"EO 14032 — China Mobile Limited listed on {cmic}") in said


def _all(store: MemoryStore, start: date, end: date) -> list[Change]:
    return [c for d in changes(store, start, end).days for c in d.changes]


def test_the_dated_acts_of_documents_are_changes_too(store: MemoryStore) -> None:
    """Commerce's rescission of the TikTok and WeChat identifications (put on public inspection
    2021-06-21, published 2021-06-23), the Musical.ly order of 2020-08-14, the Ninth Circuit's stay
    denial of 2020-10-26 and 31 CFR part 586 (2022-02-15/16) are on the entities' timelines ("named
    in …"); ``changes`` left them out (review eyes35 N14). Each is a row of its day naming what the
    document names, with its sources; a document that is no act (a press report) is none."""
    june = _all(store, date(2021, 6, 1), date(2021, 6, 30))
    rescission = "DOC:commerce-rescission-2021-06-21"
    rows = {c.date: c for c in june if c.entities and c.entities[0].id == rescission}
    assert {"2021-06-21", "2021-06-23"} <= set(rows), sorted(rows)
    issued = rows["2021-06-21"]
    assert issued.description.startswith("Commerce: rescission of the TikTok and WeChat Identifications")
    assert "names TikTok" in issued.description and "WeChat" in issued.description, issued.description
    assert {"APP:tiktok", "APP:wechat"} <= {e.id for e in issued.entities}
    assert issued.sources
    autumn = {
        (c.entities[0].id, c.date) for c in _all(store, date(2020, 8, 1), date(2020, 12, 31)) if c.entities
    }
    assert {("DOC:2020-18360", "2020-08-14"), ("DOC:ca9-20-16908-stay-denied", "2020-10-26")} <= autumn
    # Taking effect before it was issued (retroactively, to 2021-06-16) says so on that day's row.
    (back,) = [c for c in june if c.date == "2021-06-16" and c.entities[0].id == rescission]
    assert back.description.endswith(
        "Prohibited Transactions takes effect retroactively (it was put on public inspection later, on"
        " 2021-06-21; names TikTok, WeChat, EO 14034)"
    ), back.description
    regs = [
        c for c in _all(store, date(2022, 2, 14), date(2022, 2, 17)) if c.entities[0].id == "DOC:2022-03378"
    ]
    assert {c.date for c in regs} == {"2022-02-15", "2022-02-16"}
    shown = {c.entities[0].id for c in _all(store, date(2020, 1, 1), date(2026, 12, 31)) if c.entities}
    documents = {d.id: d for d in store.nodes("Document")}
    acts = {"DOC:2020-18360", "DOC:ca9-20-16908-stay-denied", rescission, "DOC:2022-03378"}
    assert acts <= shown
    assert all(names_act(documents[d]) for d in shown if d in documents)
    assert any(not names_act(d) for d in documents.values())  # a press report: never a row


def test_every_change_resting_on_an_edge_not_verified_says_so_and_no_other_does(store: MemoryStore) -> None:
    # Review 34 M7: as the timeline's rows do; rule rows (prohibitions due) as sure as their listing.
    edges = {e.id: e for e in store.edges()}
    found = changes(store, date(1990, 1, 1), date(2030, 12, 31))
    rows = [c for day in found.days for c in day.changes]
    for row in rows:
        unsure = row.description.endswith((" (likely)", " (unverified)"))
        assert unsure == (row.confidence not in (None, "verified")), row
        if row.edge_id is None:
            assert row.confidence is None, row
        elif row.kind == edges[row.edge_id].kind:
            assert row.confidence == edges[row.edge_id].confidence, row
    end = [c for c in rows if c.date == "2026-06-08" and "CNOOC Limited" in c.description]
    assert [c.description for c in end] == [
        "listing of CNOOC Limited on DoD list of Chinese military companies (NDAA FY2021 §1260H) ends"
        " (likely)"
    ]
    xiaomi = "Xiaomi Corporation listed"
    xiaomi_due = [c for c in rows if c.kind == "PROHIBITIONS" and xiaomi in c.description]
    assert xiaomi_due and all(c.description.endswith(" (likely)") for c in xiaomi_due)


def test_a_targeting_whose_prohibitions_never_came_begins_saying_so(store: MemoryStore) -> None:
    # Review 34 L2: as `affects` and the order's timeline say it.
    found = changes(store, date(2021, 1, 1), date(2021, 1, 20))
    targets = [c.description for d in found.days for c in d.changes if c.kind == "TARGETS"]
    assert len(targets) == 8
    assert all(t.startswith("EO 13971 — targets ") for t in targets)
    assert all(t.endswith("; its prohibitions were never put into effect") for t in targets)
    wechat = changes(store, date(2020, 8, 6), date(2020, 8, 6))
    said = {c.description for d in wechat.days for c in d.changes if c.kind == "TARGETS"}
    assert "EO 13943 — targets WeChat" in said


def test_a_listing_begins_under_the_name_the_list_gave(store: MemoryStore) -> None:
    # Review 34 L5: DoD's list of 2021-01-14 read "Luokong Technology Corporation (LKCO)"; the row
    # named only the graph's "Luokung Technology Corp.", so a reporter quoting it misstated DoD.
    found = changes(store, date(2021, 1, 1), date(2021, 1, 20))
    (luokung,) = [
        c.description
        for d in found.days
        for c in d.changes
        if c.kind == "LISTED_ON" and c.entities[0].id == "ORG:luokung"
    ]
    assert luokung == (
        "EO 13959 — Luokung Technology Corp. listed on DoD list of Communist Chinese military companies "
        "(NDAA FY1999 §1237) as “Luokong Technology Corporation (LKCO)”"
    )
    # Every listing's start row gives the list's own name for the company where it is not the graph's.
    for day in changes(store, date(2020, 1, 1), date(2026, 12, 31)).days:
        for change in day.changes:
            edge = store.get_edge(change.edge_id) if change.edge_id else None
            if edge is None or edge.kind != "LISTED_ON" or change.what != "began":
                continue
            listed = str(edge.properties.get("listed_name", ""))
            if listed and not same_listed_name(listed, change.entities[0].name):
                assert f" as “{listed}”" in change.description, change.description
            else:
                assert " as “" not in change.description, change.description


def test_a_listings_end_and_rule_rows_give_the_name_the_list_gave(store: MemoryStore) -> None:
    """Review 34 L5, the rest: Luokung's misspelt §1237 entry ends on 2021-03-09, and its
    prohibitions never applied on 2021-03-15, under the name DoD gave, as its start row says."""
    as_listed = " as “Luokong Technology Corporation (LKCO)”"
    found = changes(store, date(2021, 3, 9), date(2022, 1, 14))
    misspelt = "LISTED_ON|ORG:luokung|LIST:DOD-1237|2021-01-14|misspelt"
    rows = {(d.date, c.what): c.description for d in found.days for c in d.changes if c.edge_id == misspelt}
    assert rows[("2021-03-09", "ended")].startswith(
        "EO 13959 — listing of Luokung Technology Corp. on DoD list of Communist Chinese military companies"
        f" (NDAA FY1999 §1237){as_listed} ends: "
    ), rows
    # The rule's rows (their edge is the rule's) of the listing that ended on 2021-03-09.
    rule = [
        c.description
        for d in found.days
        for c in d.changes
        if "the listing ended on 2021-03-09" in c.description
    ]
    assert len(rule) == 2 and all(d.endswith(f"(NDAA FY1999 §1237){as_listed}") for d in rule), rule


def test_the_ns_ccmc_entries_end_on_the_alert_saying_the_list_was_replaced(store: MemoryStore) -> None:
    """Review 35 N7: on 2021-06-03 every NS-CCMC entry's end (and OFAC's designation of the list) read
    "no source states the end"; Seward & Kissel's alert of 2021-06-04 says the new NS-CMIC List "replaces
    the prior Non-SDN Communist Chinese Military Companies List". ``changes`` and the timelines of China
    Mobile's ADS and Luokung cite it for those ends."""
    alert = "https://www.sewkis.com/publications/u-s-amends-the-chinese-military-companies-sanctions-program/"
    ccmc = "OFAC Non-SDN Communist Chinese Military Companies List (NS-CCMC List)"
    ended = [
        c
        for d in changes(store, date(2021, 6, 3), date(2021, 6, 3)).days
        for c in d.changes
        if c.what == "ended" and c.kind in ("LISTED_ON", "DESIGNATES") and ccmc in c.description
    ]
    assert len(ended) == 6
    for change in ended:
        assert [s.url for s in change.sources] == [alert] and change.sources_note is None, change.description
    for node in ("SEC:NYSE:CHL", "ORG:luokung"):
        [row] = [
            e
            for e in timeline(store, node).events
            if e.date == "2021-06-03"
            and ccmc in e.description
            and e.description.endswith(("ends", "ends (likely)"))
        ]
        assert [s.url for s in row.sources] == [alert] and row.sources_note is None, row.description


def test_a_listing_a_court_vacated_says_so_on_its_end_rows(store: MemoryStore) -> None:
    """Xiaomi, 2021-05-25: the D.D.C.'s final order vacated DoD's designation. Read alone, "injunction
    … ends" and "listing … ends" say Xiaomi lost its protection; both rows say the court vacated the
    designation, in ``changes`` and on the company's and the case's timelines."""
    answer = changes(store, date(2021, 5, 25), date(2021, 5, 25))
    rows = {c.kind: c.description for d in answer.days for c in d.changes}
    case = "Xiaomi Corporation v. U.S. Department of Defense (D.D.C.)"
    assert rows["LISTED_ON"] == (
        "EO 13959 — listing of Xiaomi Corporation on DoD list of Communist Chinese military companies "
        f"(NDAA FY1999 §1237) ends: designation vacated by the final order in {case} (likely)"
    )
    assert rows["ENJOINS"].startswith(
        f"EO 13959 — injunction in {case} ends: "
        "superseded by the court's final order vacating the designation"
    )
    for node_id in ("ORG:xiaomi", "CASE:DDC:1:21-cv-00280"):
        ends = [e.description for e in timeline(store, node_id).events if e.date == "2021-05-25"]
        assert ends and all("final order" in d for d in ends), node_id
    # Luokung's injunction ended when EO 14032 overtook EO 13959, not by a final order.
    luokung = [e.description for e in timeline(store, "ORG:luokung").events if e.date == "2021-06-03"]
    assert luokung and not any("final order" in d for d in luokung)


def test_a_company_listed_twice_on_one_list_is_said_to_stay_listed(store: MemoryStore) -> None:
    """China Telecommunications Corporation has two §1260H entries: its own name from 2021-06-03,
    and DoD's entry under its current name China Telecom Group Co., Ltd. from 2024-01-31. The 2024
    row is no new listing, and the 2021 entry's removal in 2025 (Reuters names it) leaves it listed."""
    parent = "China Telecommunications Corporation"

    def rows(day: date) -> list[str]:
        answer = changes(store, day, day)
        return [
            c.description
            for d in answer.days
            for c in d.changes
            if c.entities[0].id == "ORG:" + "china-telecommunications-corp"
        ]

    (began,) = rows(date(2024, 1, 31))
    assert began.endswith(f"(already listed since 2021-06-03 as “{parent}”) (likely)"), began
    (ended,) = rows(date(2025, 1, 6))
    assert ended.endswith(
        "ends (still listed as “China Telecom Group Co., Ltd. (China Telecom)” since 2024-01-31) (likely)"
    )
    on_timeline = [
        e for e in timeline(store, "ORG:china-telecommunications-corp").events if e.kind == "LISTED_ON"
    ]
    said = {e.date: e for e in on_timeline if "1260H" in e.description}
    assert "already listed since 2021-06-03" in said["2024-01-31"].description
    assert "still listed as" in said["2025-01-06"].description
    assert [s.url for s in said["2025-01-06"].sources] == ["https://euro.dayfr.com/business/2587294.html"]


def test_the_2025_removals_reuters_names_cite_it(store: MemoryStore) -> None:
    """Reuters (dayfr.com's copy) names Megvii and China Telecommunications Corporation among the six
    the Pentagon removed on 2025-01-06: their end rows cite it instead of "no source states the end"."""
    answer = changes(store, date(2025, 1, 6), date(2025, 1, 6))
    ended = {c.entities[0].id: c for d in answer.days for c in d.changes if c.what == "ended"}
    for company in ("ORG:beijing-megvii", "ORG:china-telecommunications-corp"):
        assert "https://euro.dayfr.com/business/2587294.html" in [s.url for s in ended[company].sources]


def test_no_tranche_4_listing_rests_on_a_partisan_outlet(store: MemoryStore) -> None:
    """The §1260H files decline to cite The Epoch Times (a partisan outlet); AMEC's, CNAH's, COMAC's
    and GOWIN's §1237 listings of 2021-01-14 were led by it. They cited UrduPoint's report for Sputnik
    quoting DoD's announcement instead, with the date as Mr Watchlist's copy of DoD's release gives
    it; where a report by an outlet that is no state's names the company, it leads and UrduPoint's is
    dropped (issue 7): Business Insider's on COMAC and Grand China Air, Formosa TV's on AMEC, Caixin
    Global's on CNAH, Inside Defense's (of the day itself) on GOWIN, Law Commentary's on the
    Zhongguancun Development Investment Center and GTCOM; no tranche-4 listing cites UrduPoint now.
    Xiaomi's is led by OFAC's FAQ 880, which states the listing and its day."""
    answer = changes(store, date(2021, 1, 14), date(2021, 1, 14))
    began = {c.entities[0].id: c for d in answer.days for c in d.changes if c.kind == "LISTED_ON"}
    leads = {
        "ORG:amec": "ftvnews.com.tw",
        "ORG:comac": "businessinsider",
        "ORG:grand-china-air": "businessinsider",
        "ORG:cnah": "caixinglobal.com",
        "ORG:gowin": "insidedefense.com",
        "ORG:zgc-development-investment-center": "lawcommentary.com",
        "ORG:gtcom": "lawcommentary.com",
        "ORG:xiaomi": "treasury.gov",
    }
    for company, host in leads.items():
        sources = began[company].sources
        assert not any("theepochtimes.com" in s.url for s in sources), company
        assert host in f"{sources[0].url} {sources[0].publisher}".lower().replace(" ", ""), company
        assert not any("urdupoint.com" in s.url for s in sources), company
    assert not any("theepochtimes.com" in s.url for e in store.edges() for s in e.sources)
    assert not any("urdupoint.com" in s.url for e in store.edges() for s in e.sources)


def test_eo_13971_takes_effect_with_the_45_days_its_prohibitions_wait(store: MemoryStore) -> None:
    """Review 34 L2: "EO 13971 — takes effect" did not say that §1(a) prohibits "beginning 45 days
    after the date of this order" (86 FR 1250); the 45 days were prose in a note. The order carries
    them typed (``prohibitions_after_days``), and its row in `changes` and on its timeline says them,
    with the day they count to, citing the Register's text that states them first."""
    order = store.get_node("EO:13971")
    assert order is not None and order.properties["prohibitions_after_days"] == 45
    words = "EO 13971 — takes effect; prohibitions set to start 45 days after the order (2021-02-19)"
    day = changes(store, date(2021, 1, 5), date(2021, 1, 5)).days[0].changes
    (row,) = [c for c in day if c.description.startswith("EO 13971 — takes effect")]
    assert row.description == words
    assert row.sources[0].url == "https://www.federalregister.gov/d/2021-00305"
    assert "beginning 45 days after the date of this order" in (row.sources[0].quote or "")
    (event,) = [e for e in timeline(store, "EO:13971").events if e.kind == "effective"]
    assert (event.date, event.description) == ("2021-01-05", words)
    # An order whose text sets no such wait reads as before.
    (other,) = [
        c
        for c in changes(store, date(2021, 6, 3), date(2021, 6, 3)).days[0].changes
        if c.description.startswith("EO 14032 — takes effect")
    ]
    assert other.description == "EO 14032 — takes effect"


def test_a_public_inspection_day_reads_as_one_not_as_the_documents_date(store: MemoryStore) -> None:
    """Review eyes36 P4/P10: 31 CFR part 586 was put on public inspection with the Federal Register on
    2022-02-15 and Commerce's rescission on 2021-06-21; ``changes`` called those days "dated", which a
    reader copies as the day the document bears. The day is the document's ``public_inspection``, and
    every face words it so: ``changes``, the document's timeline, and ``show`` (its property label)."""
    from graph.labels import property_label

    rows = {
        (c.date, c.entities[0].id): c.description
        for c in _all(store, date(2021, 6, 1), date(2022, 2, 28))
        if c.entities and c.entities[0].id in ("DOC:2022-03378", "DOC:commerce-rescission-2021-06-21")
    }
    for key in (("2022-02-15", "DOC:2022-03378"), ("2021-06-21", "DOC:commerce-rescission-2021-06-21")):
        assert " put on public inspection (names " in rows[key], rows[key]
    assert not [row for row in rows.values() if " dated" in row], rows
    for document, day in (
        ("DOC:2022-03378", "2022-02-15"),
        ("DOC:commerce-rescission-2021-06-21", "2021-06-21"),
    ):
        events = [
            e for e in timeline(store, document).events if e.date == day and e.kind == "public_inspection"
        ]
        assert [e.description.split(" (")[0] for e in events] == ["put on public inspection"], document
        assert events[0].stated_by, document
    assert property_label("public_inspection") == "Put on public inspection (Federal Register)"


def test_commerces_wechat_identification_and_its_tiktok_notice_of_november_are_changes(
    store: MemoryStore,
) -> None:
    """Review eyes36 P11: `changes` lacked Commerce's WeChat identification of 2020-09-18 (put on public
    inspection that day and withdrawn before publication, as the rescission's text says) and Commerce's
    notice of 2020-11-12 that the TikTok identification "HAS BEEN ENJOINED, and WILL NOT GO INTO EFFECT".
    Each is a row of its day naming what it names, credited to sources whose words give the day."""
    autumn = _all(store, date(2020, 9, 18), date(2020, 11, 12))
    rows = {(c.date, c.entities[0].id): c for c in autumn if c.entities}
    wechat = rows[("2020-09-18", "DOC:commerce-wechat-identification-2020-09-18")]
    assert " put on public inspection (names " in wechat.description and "WeChat" in wechat.description
    assert any("September 18, 2020" in (s.quote or "") for s in wechat.sources), wechat.sources
    notice = rows[("2020-11-12", "DOC:commerce-tiktok-enjoined-notice-2020-11-12")]
    assert " issued (names " in notice.description and "TikTok" in notice.description, notice.description
    assert {"APP:tiktok", "EO:13942", "CASE:EDPA:2:20-cv-04597"} <= {e.id for e in notice.entities}
    assert any("HAS BEEN ENJOINED" in (s.quote or "") for s in notice.sources), notice.sources


def test_ofacs_faqs_on_the_end_of_the_divest_window_are_a_change_of_their_day(store: MemoryStore) -> None:
    """Review eyes36 P11: OFAC's FAQs 1046–1048, released 2022-06-01 (OFAC's pages: 'Date Released June 1,
    2022'), say what holders may do once the divest-only window has closed; `changes` lacked them."""
    (row,) = [
        c
        for c in _all(store, date(2022, 6, 1), date(2022, 6, 1))
        if c.entities and c.entities[0].id == "DOC:ofac-faqs-1046-1048"
    ]
    assert (
        row.description.startswith("OFAC: FAQs 1046–1048") and " issued (names EO 13959)" in row.description
    )
    assert row.sources[0].kind == "official" and "June 1, 2022" in (row.sources[0].locator or "")


def test_an_orders_prohibitions_day_says_what_overtook_it_before_it_came(store: MemoryStore) -> None:
    """Review eyes36 P11 (and eyes35 N1): "2020-09-20 EO 13942 — prohibitions set to start" read as the
    day TikTok's prohibitions started, though Commerce had moved them (its identification of 2020-09-18
    set most for 2020-11-12, its delay of 2020-09-19 moved the app-store prohibition to 2020-09-27), and
    the same row for EO 13943 though a court had enjoined WeChat's nationwide on 2020-09-19. The order's
    day stays, as the order set it, with what overtook it: the acts with their days and sources (the
    order's typed ``prohibitions_moved_by``), the injunction with the court's text."""
    day = [c for c in _all(store, date(2020, 9, 20), date(2020, 9, 20)) if c.edge_id is None]
    (tiktok,) = [c for c in day if c.entities[0].id == "EO:13942"]
    assert tiktok.description == (
        "EO 13942 — prohibitions set to start, but moved before that day (Commerce: Identification of "
        "Prohibited Transactions To Implement Executive Order 13942 (TikTok), 2020-09-18; Commerce: delay "
        "of the TikTok app-store prohibition from 2020-09-20 to 2020-09-27, 2020-09-19)"
    )
    assert [e.id for e in tiktok.entities] == [
        "EO:13942",
        "DOC:2020-21193",
        "DOC:commerce-tiktok-delay-2020-09-19",
    ]
    urls = [s.url for s in tiktok.sources]
    assert urls[0] == "https://www.federalregister.gov/d/2020-17699"  # the order's own day
    assert "https://www.freepressjournal.in/world/us-postpones-tiktok-store-ban-until-september-27" in urls
    (wechat,) = [c for c in day if c.entities[0].id == "EO:13943"]
    assert wechat.description == (
        "EO 13943 — prohibitions set to start, but enjoined nationwide since 2020-09-19 by "
        "U.S. WeChat Users Alliance v. Trump"
    )
    assert "CASE:NDCAL:3:20-cv-05910" in {e.id for e in wechat.entities}
    assert any(s.kind == "court" for s in wechat.sources)
    # No order's day reads as a bare start any more.
    assert not [c for c in day if c.description.endswith("prohibitions set to start")]


def test_the_app_ban_appeals_dismissed_in_july_2021_are_changes_each_on_its_day(store: MemoryStore) -> None:
    """Review eyes36 P11: the government's appeals were dismissed after EO 14034 revoked the app orders,
    and the case timelines ended on 2021-06-09. Reuters (2021-07-15, a Thursday) dates each: the D.C.
    Circuit "on Thursday" (2021-07-15), the Third Circuit "on Wednesday" (2021-07-14); no source read
    dates the Ninth Circuit's (WeChat), so none is given."""
    july = [c for c in _all(store, date(2021, 7, 1), date(2021, 8, 31)) if c.entities]
    rows = {c.entities[0].id: c for c in july}
    marland = rows["DOC:ca3-marland-appeal-dismissed-2021-07-14"]
    assert marland.date == "2021-07-14"
    assert marland.description.startswith("Marland v. Trump (3d Cir.): dismissal of the government's appeal")
    assert {"CASE:EDPA:2:20-cv-04597", "APP:tiktok", "EO:13942"} <= {e.id for e in marland.entities}
    tiktok = rows["DOC:cadc-tiktok-appeals-dismissed-2021-07-15"]
    assert tiktok.date == "2021-07-15" and "CASE:DDC:1:20-cv-02658" in {e.id for e in tiktok.entities}
    for row, day in ((marland, "2021-07-14"), (tiktok, "2021-07-15")):
        # Its lead source's citation gives the day (Reuters' "on Wednesday"/"on Thursday" of 2021-07-15).
        assert day in (row.sources[0].locator or ""), row.sources[0]
    assert not [c for c in july if "WeChat Users Alliance" in c.description and "dismiss" in c.description]


def test_commerces_rescission_is_led_by_reuters_and_credits_each_day_to_the_source_that_gives_it(
    store: MemoryStore,
) -> None:
    """Review eyes36 P10: the rescission's rows were led by an unattributed repost. Reuters' wire (its
    dateline "WASHINGTON, June 21 (Reuters)") leads each row; the repost, the one source read that gives
    the retroactive effect (2021-06-16), is credited for that day, and for the publication of 2021-06-23
    it only announced ahead, as the row says."""
    rows = {
        c.date: c
        for c in _all(store, date(2021, 6, 16), date(2021, 6, 23))
        if c.entities and c.entities[0].id == "DOC:commerce-rescission-2021-06-21"
    }
    assert set(rows) == {"2021-06-16", "2021-06-21", "2021-06-23"}
    for row in rows.values():
        assert row.sources[0].publisher.startswith("Reuters"), row.sources[0]
    assert rows["2021-06-21"].dated_by is None  # Reuters gives the day itself
    effect = rows["2021-06-16"].dated_by
    assert effect is not None and effect.url == "http://sy3.dreamhosters.com/category/wechat-bans/"
    published = rows["2021-06-23"]
    assert not published.stated_by
    assert [s.url for s in published.announced_by] == ["http://sy3.dreamhosters.com/category/wechat-bans/"]


def test_a_documents_rows_read_as_plain_english(store: MemoryStore) -> None:
    """Issue 7: a document's own day read "<name> dated", clumsy for a court's order ("Marland v. Trump
    (3d Cir.): dismissal of the government's appeal dated"), and the rescission's retroactive day
    "takes effect (retroactively: put on public inspection on 2021-06-21) (names …)". A document's day
    now reads "issued" ("issued by the court" for a court's order on its docket or in an appeal), and
    the retroactive day says the document came out later, in the one parenthesis with what it names.
    The days, what each row names and its sources are those of before."""
    rows = [
        (c.date, c.description)
        for c in _all(store, date(2020, 1, 1), date(2026, 12, 31))
        if c.kind == "Document" and c.date < "2022"
    ]
    musically = "Order of August 14, 2020, Regarding the Acquisition of Musical.ly by ByteDance Ltd."
    tiktok = "Commerce: Identification of Prohibited Transactions To Implement Executive Order 13942 (TikTok)"
    delay = "Commerce: delay of the TikTok app-store prohibition from 2020-09-20 to 2020-09-27"
    stay = "U.S. WeChat Users Alliance v. Trump, No. {} order denying a stay pending appeal"
    stay += " issued by the court{}"
    alliance = " (names U.S. WeChat Users Alliance v. Trump"
    rescission = "Commerce: rescission of the TikTok and WeChat Identifications of Prohibited Transactions"
    rescinded = "(names TikTok, WeChat, EO 14034)"
    assert rows == [
        ("2020-08-14", f"{musically} issued (names ByteDance Ltd., TikTok)"),
        ("2020-08-19", f"{musically} published (names ByteDance Ltd., TikTok)"),
        ("2020-09-18", f"{tiktok} issued (names TikTok, ByteDance Ltd.)"),
        (
            "2020-09-18",
            "Commerce: Identification of Prohibited Transactions related to WeChat put on public inspection"
            " (names WeChat, EO 13943)",
        ),
        ("2020-09-19", f"{delay} issued (names TikTok, EO 13942)"),
        ("2020-09-19", f"{delay} takes effect (names TikTok, EO 13942)"),
        ("2020-09-24", f"{tiktok} published (names TikTok, ByteDance Ltd.)"),
        ("2020-10-23", stay.format("3:20-cv-05910-LB (N.D. Cal.):", f"{alliance})")),
        ("2020-10-26", stay.format("20-16908 (9th Cir.):", f"{alliance}, WeChat, EO 13943)")),
        (
            "2020-11-12",
            "Commerce: notice that the TikTok identification has been enjoined and will not go into effect"
            " issued (names TikTok, EO 13942, Marland v. Trump)",
        ),
        (
            "2021-06-16",
            f"{rescission} takes effect retroactively (it was put on public inspection later, on 2021-06-21;"
            f" {rescinded[1:]}",
        ),
        ("2021-06-21", f"{rescission} put on public inspection {rescinded}"),
        ("2021-06-23", f"{rescission} published {rescinded}"),
        (
            "2021-07-14",
            "Marland v. Trump (3d Cir.): dismissal of the government's appeal issued by the court"
            " (names Marland v. Trump, TikTok, EO 13942)",
        ),
        (
            "2021-07-15",
            "TikTok Inc. v. Trump (D.C. Cir.): dismissal of the government's appeals issued by the court"
            " (names TikTok Inc. v. Trump, TikTok, EO 13942)",
        ),
    ]


def test_a_documents_own_timeline_says_its_day_as_changes_does(store: MemoryStore) -> None:
    """Issue 7: after afd9fb4 ``changes`` said a document that is an act was "issued" on its day
    ("issued by the court" for a court's order), while the document's own timeline still read
    "dated (<name>)". Both now say it in the same words (graph.document_days.document_day_words); a
    document that is no act (ZDNet's article on Xiaomi, dated to the month) is still "dated"."""
    said: dict[tuple[str, str], set[str]] = {}  # what `changes` says a document did on a day
    for c in _all(store, date(2020, 1, 1), date(2026, 12, 31)):
        if c.kind == "Document" and c.entities:
            words = c.description.removeprefix(f"{c.entities[0].name} ").partition(" (names ")[0]
            said.setdefault((c.entities[0].id, c.date), set()).add(words)
    checked = []
    for document in store.nodes("Document"):
        day = document.properties.get("date")
        if not isinstance(day, str):
            continue
        (row,) = [e for e in timeline(store, document.id).events if e.kind == "date"]
        if names_act(document):
            words = row.description.removesuffix(f" ({document.name})")
            assert words in said[(document.id, day)] and words != row.description, row.description
            checked.append(words)
        else:
            assert row.description == f"dated ({document.name})"
    assert sorted(set(checked)) == ["issued", "issued by the court"]
    marland = timeline(store, "DOC:ca3-marland-appeal-dismissed-2021-07-14").events
    assert "issued by the court (Marland v. Trump (3d Cir.): dismissal of the government's appeal)" in [
        e.description for e in marland
    ]


@pytest.mark.parametrize(
    ("days", "out"),
    [
        (
            {"public_inspection": "2021-06-21", "published": "2021-06-23"},
            "put on public inspection later, on 2021-06-21",
        ),
        ({"issued": "2021-06-21"}, "issued later, on 2021-06-21"),
        ({"published": "2021-06-23"}, "published later, on 2021-06-23"),
        (
            {
                "date": "2021-06-21",
                "docket": "20-3322",
                "publisher": "U.S. Court of Appeals for the Third Circuit",
            },
            "issued by the court later, on 2021-06-21",
        ),
    ],
)
def test_a_document_taking_effect_before_it_was_out_says_its_first_day_out(
    days: dict[str, str], out: str
) -> None:
    """One reader gives a document's first day out (graph.document_days.document_day), which the order's row
    of moved prohibitions (graph.prohibitions_day) reads too: before it, ``changes`` read only the day
    a document bears or its public inspection, in words of its own, so a notice known only by the day
    it was issued or published took effect "retroactively" unsaid, and a court's order was only
    "issued" later. No curated document moves (each that takes effect bears its day or was put on
    public inspection, and none is a court's order)."""
    document = Node(id="DOC:x", kind="Document", name="X", properties={"effective": "2021-06-16", **days})
    store = MemoryStore.from_parts([document], [])
    (row,) = [c for c in _all(store, date(2021, 6, 16), date(2021, 6, 16))]
    # Known only by its publication, it may have been out before (a Federal Register document can take
    # effect when put on public inspection, a day or more before it is published): no "retroactively".
    said = "takes effect" if set(days) == {"published"} else "takes effect retroactively"
    assert row.description == f"X {said} (it was {out})"


@pytest.mark.parametrize(
    ("effective", "days"),
    [
        ("2021-06", {"public_inspection": "2021-06-21"}),  # in force some day of June: maybe not before
        ("2021", {"issued": "2021-06-21"}),
        ("2021-06-21", {"public_inspection": "2021-06-21"}),
    ],
)
def test_a_document_not_known_to_take_effect_before_it_was_out_is_not_said_to(
    effective: str, days: dict[str, str]
) -> None:
    document = Node(id="DOC:x", kind="Document", name="X", properties={"effective": effective, **days})
    store = MemoryStore.from_parts([document], [])
    rows = [c.description for c in _all(store, date(2021, 1, 1), date(2021, 12, 31)) if c.date == effective]
    assert [r for r in rows if "takes effect" in r] == ["X takes effect"]
