"""Timelines tell the whole story: injunctions that protected an app, the order each row is
about, and every divest-only deadline an order's rule set (with what cut it short)."""

from __future__ import annotations

import re
from datetime import date

import pytest

from graph.affects import affects
from graph.changes import changes
from graph.cite import cite
from graph.model import CONFIDENCES, Edge, Node, Source, by_authority, first_day
from graph.plain import announced_ahead, unsure
from graph.query import timeline
from graph.store.memory import MemoryStore
from graph.timeline import rule_rows, same_listed_name
from graph.views import TimelineEvent
from tests.graph.answers import affects_once

_ENDED = re.compile(
    r"(?<!window)( ends| no longer apply|ceases to be a subsidiary[^:]*| no longer (?!applies)[^:]*)"
    r"(: | \(|$)|^(EO [^—]+— )?ends: "
)


def _is_end(row: TimelineEvent) -> bool:
    """An edge's end row: it says what ended ("… ends", "… no longer apply", "… ceases to be …")."""
    return bool(_ENDED.search(row.description))


def _rows(store: MemoryStore, node_id: str, kind: str | None = None) -> list[TimelineEvent]:
    return [e for e in timeline(store, node_id).events if kind is None or e.kind == kind]


def test_an_apps_timeline_shows_the_injunctions_that_protected_it(store: MemoryStore) -> None:
    tiktok = {(e.date, e.other.id if e.other else None) for e in _rows(store, "APP:tiktok", "ENJOINS")}
    assert {
        ("2020-09-27", "CASE:DDC:1:20-cv-02658"),  # TikTok Inc. v. Trump, for ByteDance, its developer
        ("2020-12-07", "CASE:DDC:1:20-cv-02658"),
        ("2020-10-30", "CASE:EDPA:2:20-cv-04597"),  # Marland v. Trump, nationwide
        ("2021-06-09", "CASE:DDC:1:20-cv-02658"),
    } <= tiktok
    wechat = [e for e in _rows(store, "APP:wechat", "ENJOINS") if "enjoined" in e.description]
    assert [(e.date, e.order.id if e.order else None) for e in wechat] == [("2020-09-19", "EO:13943")]


def test_an_injunction_says_whether_it_is_nationwide(store: MemoryStore) -> None:
    # Marland v. Trump enjoined the Commerce identification for everyone; TikTok Inc. v. Trump's
    # first PI protected its plaintiffs (ByteDance, TikTok's developer) only.
    rows = [e for e in _rows(store, "APP:tiktok", "ENJOINS") if "enjoined" in e.description]
    by_case = {(e.date, e.other.id if e.other else ""): e.description for e in rows}
    assert by_case[("2020-10-30", "CASE:EDPA:2:20-cv-04597")] == (
        "EO 13942 — enjoined nationwide by Marland v. Trump (E.D. Pa.) (as to: Commerce "
        "Identification under EO 13942 (the prohibitions due 2020-11-12))"
    )
    assert (
        "as applied to TikTok (through its developer ByteDance Ltd.)"
        in by_case[("2020-09-27", "CASE:DDC:1:20-cv-02658")]
    )
    assert "nationwide" not in by_case[("2020-09-27", "CASE:DDC:1:20-cv-02658")]


def test_an_injunction_for_someone_else_stays_off_the_timeline(store: MemoryStore) -> None:
    # Xiaomi's and Luokung's injunctions name them; Hikvision's timeline has none.
    assert _rows(store, "ORG:hikvision", "ENJOINS") == []
    assert {e.other.id for e in _rows(store, "ORG:xiaomi", "ENJOINS") if e.other} == {
        "CASE:DDC:1:21-cv-00280"
    }


def test_every_row_about_an_order_names_it(store: MemoryStore) -> None:
    for event in _rows(store, "APP:tiktok"):
        if event.kind in ("TARGETS", "ENJOINS") or (
            event.kind == "DISPUTED" and "targeted" in event.description
        ):
            assert event.order is not None and event.order.id == "EO:13942", event.description
    cmic = [e for e in _rows(store, "ORG:hikvision", "LISTED_ON") if "NS-CMIC" in e.description]
    assert cmic and {e.order.id for e in cmic if e.order} == {"EO:14032"}
    assert all(e.order for e in cmic)
    assert all(e.order and e.order.id == "EO:13959" for e in _rows(store, "ORG:hikvision", "GOVERNS"))


def test_hikvisions_divest_deadline_under_eo_13959_appears_with_what_cut_it_short(store: MemoryStore) -> None:
    (row,) = [e for e in _rows(store, "ORG:hikvision") if e.date == "2021-11-11"]
    # The row is the divest-only window (its kind says so); its sources rank as the rule's.
    assert (row.kind, row.fact) == ("DIVEST_WINDOW", "GOVERNS")
    assert row.order is not None and row.order.id == "EO:13959"
    # An annex deadline: the order's own hour, and whether the day is in (EO 13974 §1); EO 14032
    # lifted EO 13959's restrictions on 2021-06-03, so the day is one the rule gave, not one that came.
    # Holders got more time, not less: the row says EO 14032's own window (review eyes35 N15).
    assert row.description.startswith(
        "EO 13959 — divest-only window was to end at 11:59 p.m. EST (that day included), but the rule "
        "stopped applying first (EO 13959 (§§1–5 and the Annex) superseded by EO 14032 on 2021-06-03); "
        "under EO 14032 divest-only sales are allowed before 12:01 a.m. EDT on 2022-06-03 (the last full "
        "day is 2022-06-02): "
    ), row.description
    assert "ended early" not in row.description
    assert "divest-only window ends" not in row.description
    assert row.sources and row.sources[0].kind == "official"


def test_luokungs_divest_deadline_never_applied(store: MemoryStore) -> None:
    """Luokung's EO 13959 prohibitions were due 2021-05-08, enjoined from 2021-05-05 until EO 14032
    superseded the order on 2021-06-03: its divest-only deadline of 2022-03-09 never applied."""
    rows = [e for e in _rows(store, "ORG:luokung") if e.date == "2022-03-09"]
    assert len(rows) == 2 and {e.order.id for e in rows if e.order} == {"EO:13959"}
    for row in rows:
        assert "divest-only window ends" not in row.description
        assert "never applied (enjoined on 2021-05-05 by Luokung Technology Corp. v." in row.description
        assert any("1:2021cv00583/228352/33" in s.url for s in row.sources)
    # The misspelt listing ended 2021-03-09, before its prohibitions were due (2021-03-15).
    (due,) = [e for e in _rows(store, "ORG:luokung") if e.date == "2021-03-15"]
    assert due.description.startswith(
        "EO 13959 — prohibitions never applied (due 2021-03-15; the listing ended on 2021-03-09)"
    )


def test_a_deadline_that_never_applied_says_so(store: MemoryStore) -> None:
    """Xiaomi: listed 2021-01-14, prohibitions due 2021-03-15, enjoined from 2021-03-12, removed
    2021-05-25: the divest-only deadline of 2022-01-14 never applied, and its row says why, citing
    the court and what states the removal."""
    rows = [e for e in _rows(store, "ORG:xiaomi") if "divest-only window" in e.description]
    (row,) = rows
    assert row.date == "2022-01-14"  # 365 days after the listing of 2021-01-14
    assert "divest-only window ends" not in row.description
    assert row.description.startswith(
        "EO 13959 — divest-only window would have ended, but never applied (enjoined on 2021-03-12 by "
        "Xiaomi Corporation v. U.S. Department of Defense; the listing ended on 2021-05-25)"
    )
    urls = " ".join(s.url for s in row.sources)
    assert "1:2021cv00280/226816/21" in urls  # the court's order
    assert "scmp.com" in urls or "news18.com" in urls  # what states the removal
    assert not [e for e in _rows(store, "ORG:xiaomi") if "prohibitions apply" in e.description]


def test_every_divest_only_deadline_affects_gives_is_on_the_timelines(store: MemoryStore) -> None:
    """Issue 7: every divest-only deadline that applied appears, under its order, on the security's
    timeline and on its issuer's. Read from ``affects`` itself on every day a row of the security's
    timeline dates (the days its answers can change), for every security."""
    missing, checked = [], set()
    for security in store.nodes("Security"):
        rows = timeline(store, security.id).events
        days = sorted({first_day(e.date) for e in rows if len(e.date) == 10})
        deadlines = {
            (effect.id, effect.divest_until, effect.paths[0][2].id)
            for day in days
            for effect in affects_once(store, security.id, day).orders
            if effect.divest_until and effect.status != "enjoined"
        }
        checked |= deadlines
        issuers: dict[str, set[tuple[str | None, str]]] = {}
        for order, until, issuer in deadlines:
            if issuer not in issuers:
                issuers[issuer] = _divest_rows(timeline(store, issuer).events)
            for where, shown in ((security.id, _divest_rows(rows)), (issuer, issuers[issuer])):
                if (order, until) not in shown:
                    missing.append((where, order, until))
    assert not missing
    # What it read includes the deadlines of issue 7: Hikvision's under EO 13959 (EO 13974 §1) and
    # under EO 14032 (365 days after its NS-CMIC listing of 2021-06-03).
    assert {
        ("EO:13959", "2021-11-11", "ORG:hikvision"),
        ("EO:14032", "2022-06-03", "ORG:hikvision"),
    } <= checked


def _divest_rows(events: list[TimelineEvent]) -> set[tuple[str | None, str]]:
    return {
        (e.order.id if e.order else None, e.date) for e in events if "divest-only window" in e.description
    }


def test_a_reading_of_one_security_stays_on_that_securitys_timeline(store: MemoryStore) -> None:
    """OFAC's guidance of 2021-01-05, as NYSE's notice of 2021-01-06 quotes it, gives 2021-01-11 as the
    start of prohibitions for China Telecom's NYSE ADSs (``about``): the ADS's timeline shows it, the
    Hong Kong shares' does not, and the company's names the ADSs. The reading is OFAC's, credited as
    such (review 34 M3), not the exchange's."""
    nyse = "ir.theice.com"

    def nyse_readings(node_id: str) -> list[TimelineEvent]:
        rows = _rows(store, node_id, "DISPUTED")
        return [e for e in rows if e.date == "2021-01-11" and any(nyse in s.url for s in e.sources)]

    assert nyse_readings("SEC:HKEX:0728") == []
    (ads,) = nyse_readings("SEC:NYSE:CHA")
    assert ads.description.startswith(
        "EO 13959 — other sources give 2021-01-11 as the start of prohibitions "
        "(OFAC (guidance to the NYSE, quoted in NYSE's notice)), "
    )
    (company,) = nyse_readings("ORG:china-telecom-corp-ltd")
    assert company.description.startswith(
        "EO 13959 — other sources give 2021-01-11 as the start of prohibitions for China Telecom "
        "Corporation Limited (NYSE CHA ADS) (OFAC (guidance to the NYSE, quoted in NYSE's notice)), "
    ), company.description


def test_a_row_that_says_a_court_blocked_the_order_cites_the_court_first(store: MemoryStore) -> None:
    """Rows whose words turn on an injunction ("prohibitions due, but enjoined since …", "never
    applied (enjoined on … by …)") cite the court's order first — it is what states the claim —
    then the rest most authoritative first; ``fact`` says they rank as an injunction's. Every other
    row ranks for its own kind (a divest-only deadline that applied: DoD or Treasury first)."""
    checked = 0
    for node_id in (
        "ORG:xiaomi",
        "ORG:luokung",
        "SEC:HKEX:1810",
        "SEC:NASDAQ:LKCO",
        "APP:tiktok",
        "APP:wechat",
    ):
        for row in _rows(store, node_id):
            court = [s for s in row.sources if s.kind == "court"]
            blocked = "but enjoined" in row.description or "never applied (enjoined" in row.description
            if blocked and court:
                checked += 1
                assert row.fact == "ENJOINS" and row.sources[0].kind == "court", (node_id, row.description)
            else:
                # Its own kind's, or (a row the rule makes: prohibitions due, the divest-only
                # window) the edge's it is made of.
                assert row.fact != "ENJOINS", (node_id, row.description)
    assert checked >= 6

    def kinds(node_id: str, day: str, kind: str, edge: str) -> tuple[TimelineEvent, list[str]]:
        """The row (of that kind, made of an ``edge`` kind's edge), and the kinds of its sources in the
        order it cites them (each kind once)."""
        (row,) = [
            e
            for e in _rows(store, node_id, kind)
            if e.date == day and (e.edge_id or "").startswith(f"{edge}|")
        ]
        return row, list(dict.fromkeys(s.kind for s in row.sources))

    # Luokung's deadline that never applied because the court blocked the order: the docket, then
    # Treasury (OFAC's FAQ), the Register and the White House, then the law firms' notes.
    row, order = kinds("ORG:luokung", "2022-03-09", "DIVEST_WINDOW", "GOVERNS")
    assert order == ["court", "official", "law_firm"], order
    assert "law.justia.com" in row.sources[0].url and "treasury.gov" in row.sources[1].url
    # Its prohibitions that never applied because the listing ended first: no court in the claim, so
    # the order's text first (DoD's release of 2021-01-14 was not seen here, review 34), then
    # Luokung's filings, then the law firms.
    row, order = kinds("ORG:luokung", "2021-03-15", "PROHIBITIONS", "GOVERNS")
    assert row.fact == "GOVERNS" and order == ["official", "filing", "law_firm"], order
    assert "federalregister.gov" in row.sources[0].url
    # WeChat's prohibitions due but enjoined nationwide: the court's order, then the Register.
    row, order = kinds("APP:wechat", "2020-09-20", "PROHIBITIONS", "TARGETS")
    assert order == ["court", "official", "law_firm"] and "federalregister.gov" in row.sources[1].url
    (never,) = [e for e in _rows(store, "ORG:xiaomi") if e.date == "2022-01-14"]
    assert "1:2021cv00280/226816/21" in never.sources[0].url  # the court's order, not DoD's list
    (applied,) = [e for e in _rows(store, "ORG:hikvision") if e.date == "2021-11-11"]
    assert applied.fact == "GOVERNS" and applied.sources[0].kind == "official"


def test_a_deadline_that_applied_and_was_cut_short_says_by_what(store: MemoryStore) -> None:
    # China Mobile Ltd: NS-CCMC 2021-01-08, prohibitions from 2021-03-09 (they applied), list replaced
    # 2021-06-03: its 2022-01-08 deadline applied and was cut short.
    (row,) = [e for e in _rows(store, "ORG:china-mobile-ltd") if e.date == "2022-01-08"]
    assert row.description.startswith(
        "EO 13959 — divest-only window was to end, but the rule stopped applying first (the listing ended "
        "on 2021-06-03); under EO 14032 divest-only sales are allowed before 12:01 a.m. EDT on 2022-06-03 "
        "(the last full day is 2022-06-02): "
    ), row.description
    assert "never applied" not in row.description


def test_a_cut_short_window_names_no_later_window_the_company_had_no_listing_for_yet(
    store: MemoryStore,
) -> None:
    """Dawning (Sugon), in EO 13959's Annex, was not in EO 14032's: its 2021-11-11 deadline fell before
    its NS-CMIC listing of 2021-12-16, so no EO 14032 window replaced it then (eyes35 N15)."""
    (row,) = [e for e in _rows(store, "ORG:sugon") if e.date == "2021-11-11"]
    assert "but the rule stopped applying first (EO 13959" in row.description, row.description
    assert "under EO 14032" not in row.description and "ended early" not in row.description


def test_an_exchanges_actions_read_as_words_not_codes(store: MemoryStore) -> None:
    # NYSE and CHL: announced 2020-12-31, withdrawn 2021-01-04, announced again 2021-01-06, trading
    # suspended 2021-01-11 04:00 (its notice of 2021-01-06), delisted 2021-05-18.
    rows = [(e.date, e.description) for e in _rows(store, "SEC:NYSE:CHL", "EXCHANGE_ACTION")]
    nyse = "New York Stock Exchange"
    # The announcement, its withdrawal and the delisting rest on edges marked likely: their rows say so.
    assert ("2020-12-31", f"delisting announced by {nyse} (likely)") in rows
    assert ("2021-01-04", f"delisting announcement of 2020-12-31 withdrawn by {nyse} (likely)") in rows
    again = f"delisting announced again by {nyse}, reversing its withdrawal of 2021-01-04"
    assert ("2021-01-06", again) in rows
    assert ("2021-01-11", f"trading suspended by {nyse}") in rows
    assert ("2021-05-18", f"delisted by {nyse} (trading there suspended since 2021-01-11) (likely)") in rows
    assert not [d for _, d in rows if d.split(" by ")[0].removeprefix("ends: ") in ("reverse", "suspend")]


def test_an_orders_own_dates_read_as_words(store: MemoryStore) -> None:
    rows = {e.description for e in _rows(store, "EO:13942")}
    # The order's own day, with what overtook it before it came (eyes36 P11): Commerce moved TikTok's
    # prohibitions; when each fell due, and that courts enjoined them, is on its targetings' rows.
    (day,) = [d for d in rows if d.startswith("EO 13942 — prohibitions set to start")]
    assert day.startswith("EO 13942 — prohibitions set to start, but moved before that day (Commerce: ")
    assert (
        "Commerce: delay of the TikTok app-store prohibition from 2020-09-20 to 2020-09-27, 2020-09-19)"
        in day
    )
    (wechat,) = [e for e in _rows(store, "EO:13943") if e.kind == "prohibitions_from"]
    assert wechat.description == (
        "EO 13943 — prohibitions set to start, but enjoined nationwide since 2020-09-19 by "
        "U.S. WeChat Users Alliance v. Trump"
    )
    assert wechat.sources[0].url == "https://www.federalregister.gov/d/2020-17700"
    assert any(s.kind == "court" for s in wechat.sources)
    assert not [d for d in rows if d.startswith(("prohibitions_from", "effective ("))]


def _due(store: MemoryStore, node_id: str, day: str) -> list[TimelineEvent]:
    return [e for e in _rows(store, node_id) if e.date == day and "prohibitions" in e.description]


def test_prohibitions_due_after_an_injunction_say_they_were_enjoined(store: MemoryStore) -> None:
    # Luokung's PI of 2021-05-05 came before the EO 13959 prohibitions due 2021-05-08.
    rows = _due(store, "ORG:luokung", "2021-05-08")
    assert len(rows) == 2  # one per list it was on
    for row in rows:
        court = "Luokung Technology Corp. v. U.S. Department of Defense"
        assert f"prohibitions due, but enjoined since 2021-05-05 by {court}" in row.description
        assert "prohibitions apply" not in row.description
        assert any("1:2021cv00583/228352/33" in s.url for s in row.sources)
    (xiaomi,) = _due(store, "ORG:xiaomi", "2021-03-15")
    assert "prohibitions due, but enjoined since 2021-03-12 by Xiaomi Corporation v." in xiaomi.description


def test_prohibitions_no_court_blocked_still_apply(store: MemoryStore) -> None:
    # Hikvision had no injunction: its EO 13959 prohibitions simply applied.
    rows = _due(store, "ORG:hikvision", "2021-01-11")
    assert rows and all("prohibitions apply" in r.description for r in rows)
    assert not any("enjoined" in r.description for r in rows)


def test_an_ends_row_cites_what_states_the_end(store: MemoryStore) -> None:
    rows = [e for e in _rows(store, "ORG:xiaomi") if e.date == "2021-05-25"]
    listing = [e for e in rows if e.kind == "LISTED_ON" and _is_end(e)]
    injunction = [e for e in rows if e.kind == "ENJOINS" and _is_end(e)]
    assert listing and injunction
    for row in listing + injunction:
        assert row.sources and all(s.date and s.date[:7] >= "2021-05" for s in row.sources)
        assert not any("2472464" in s.url or "faqs/880" in s.url for s in row.sources)
    started = [e for e in _rows(store, "ORG:xiaomi", "LISTED_ON") if e.date == "2021-01-14"]
    assert started and all(not any("caixinglobal" in s.url for s in e.sources) for e in started)


def test_an_ends_row_made_by_a_later_action_cites_that_action(store: MemoryStore) -> None:
    """NYSE's announcement of 2020-12-31 ended when NYSE withdrew it on 2021-01-04: the withdrawal's
    row, which says that end ("delisting announcement of 2020-12-31 withdrawn"), cites the
    withdrawal's sources, on the security's and on the exchange's timeline."""
    withdrawal = next(
        e for e in store.edges_of("SEC:NYSE:CHL", "in", ["EXCHANGE_ACTION"]) if e.start == "2021-01-04"
    )
    for node_id in ("SEC:NYSE:CHL", "EXCH:NYSE"):
        [row] = [
            e
            for e in _rows(store, node_id, "EXCHANGE_ACTION")
            if e.date == "2021-01-04"
            and "delisting announcement of 2020-12-31" in e.description
            and (node_id == "SEC:NYSE:CHL" or "China Mobile" in e.description)
        ]
        assert row.sources and row.sources_note is None
        assert {s.url for s in row.sources} <= {s.url for s in withdrawal.sources}
    nyse = [e for e in _rows(store, "EXCH:NYSE") if e.sources_note]
    assert nyse == [], [e.description for e in nyse]


def test_an_ends_row_without_a_source_for_the_end_says_so() -> None:
    from graph.model import Edge, Node, Source

    notice = Source(url="https://x.example/n", title="n", publisher="X", kind="exchange", date="2020-12-31")
    store = MemoryStore.from_parts(
        [Node(id="EXCH:X", kind="Exchange", name="X"), Node(id="SEC:X:A", kind="Security", name="A")],
        [
            Edge(
                id="a",
                kind="EXCHANGE_ACTION",
                source="EXCH:X",
                target="SEC:X:A",
                start="2020-12-31",
                end="2021-01-04",
                confidence="verified",
                sources=[notice],
                properties={"action": "announce_delisting"},
            )
        ],
    )
    [row] = [e for e in _rows(store, "SEC:X:A") if _is_end(e)]
    assert row.sources == [] and row.sources_note == "no source states the end"


def test_a_role_loaded_from_ftm_reads_on_both_timelines() -> None:
    """A Directorship from FtM (ROLE_IN) is dated: both ends' timelines read it (they raised KeyError)."""
    from graph.model import Edge, Node, Source

    src = [
        Source(
            url="https://www.opensanctions.org/entities/d/",
            title="d",
            publisher="OpenSanctions",
            kind="other",
        )
    ]
    people = [
        Node(id="PERSON:z", kind="Person", name="Zhou Zixue"),
        Node(id="ORG:s", kind="Company", name="SMIC"),
    ]
    role = dict(kind="ROLE_IN", source="PERSON:z", target="ORG:s", confidence="verified", sources=src)
    store = MemoryStore.from_parts(
        people,
        [
            Edge(id="r", start="2013", properties={"role": "Chairman"}, **role),
            Edge(id="r2", start="2014", **role),
        ],
    )
    assert [e.description for e in _rows(store, "PERSON:z")] == ["Chairman of SMIC", "has a role in SMIC"]
    assert [e.description for e in _rows(store, "ORG:s")] == [
        "Zhou Zixue, Chairman",
        "Zhou Zixue has a role in it",
    ]


SUBSIDIARIES_OF_JANUARY_8 = [
    "ORG:china-mobile-ltd",
    "ORG:china-telecom-corp-ltd",
    "ORG:china-unicom-hk-ltd",
    "ORG:cnooc-ltd",
]


def test_a_listing_with_its_own_start_still_shows_the_rules_divest_deadline(store: MemoryStore) -> None:
    """The four subsidiaries OFAC listed on 2021-01-08 have their own start of prohibitions
    (2021-03-09) and no divest date of their own: EO 13959's rule gives one (365 days: 2022-01-08),
    as affects() says ("selling to divest is allowed until 2022-01-08"), with what cut it short."""
    from datetime import date

    from graph.affects import affects

    for company in SUBSIDIARIES_OF_JANUARY_8:
        (row,) = [
            e
            for e in _rows(store, company)
            if "divest-only window was to end" in e.description and "13959" in e.description
        ]
        assert (row.date, row.kind, row.fact) == ("2022-01-08", "DIVEST_WINDOW", "GOVERNS")
        assert row.order is not None and row.order.id == "EO:13959"
        assert "NS-CCMC" in row.description and "the listing ended on 2021-06-03" in row.description
        assert row.sources and row.sources[0].kind == "official"
    effect = next(o for o in affects(store, "SEC:HKEX:0941", date(2021, 4, 1)).orders if o.id == "EO:13959")
    assert effect.divest_until == "2022-01-08"
    # Its own start stays the one row saying when prohibitions applied: no second one by the rule.
    applied = [e for e in _rows(store, "ORG:china-mobile-ltd") if e.date == "2021-03-09"]
    assert [(e.kind, e.fact) for e in applied] == [("PROHIBITIONS", "LISTED_ON")]
    assert "prohibitions apply" in applied[0].description


def test_a_securitys_timeline_shows_the_rule_rows_affects_reads(store: MemoryStore) -> None:
    """Hikvision's A-share: not only "issued by / trades on" but when each order reached it and when
    its prohibitions and deadlines ran, naming the issuer and the order first."""
    rows = [(e.date, e.description) for e in _rows(store, "SEC:SZSE:002415")]
    hik = "Hangzhou Hikvision Digital Technology Co., Ltd."
    # Its §1237 listing, read in copies of DoD's list only, is likely: so is the rule's row of it.
    # The rule's row gives the name DoD listed it under, as the listing's start row does (L5).
    # DoD's “… (Hikvision)” differs from the graph's name only by the short name it adds: not repeated.
    assert ("2021-01-11", f"EO 13959 — prohibitions apply: {hik} listed on DoD list of Communist Chinese "
            "military companies (NDAA FY1999 §1237) (likely)") in rows  # fmt: skip
    assert any(d == "2021-06-03" and t.startswith("EO 13959 — no longer applies (EO 13959") for d, t in rows)
    assert any(d == "2021-08-02" and t.startswith(f"EO 14032 — prohibitions apply: {hik}") for d, t in rows)
    early = "EO 13959 — divest-only window was to end"
    assert any(d == "2021-11-11" and t.startswith(early) for d, t in rows)
    assert any(d == "2022-06-03" and t.startswith("EO 14032 — divest-only window ends") for d, t in rows)
    xiaomi = [e.description for e in _rows(store, "SEC:HKEX:1810") if e.date == "2022-01-14"]
    assert xiaomi and all("never applied" in d for d in xiaomi)


def _rows_wherever_affects_changes(store: MemoryStore, security: str) -> int:
    """Across time the ticker's timeline tells what ``affects`` says day by day: each day an order's
    status for it turns (pending, in force, enjoined, gone), a row of that day names the order.
    Returns how many turns it checked."""
    from datetime import timedelta

    from tests.graph.snapshot_answers import boundary_days

    def states(day: date) -> dict[str, str]:
        return {o.id: o.status for o in affects_once(store, security, day).orders}

    rows = {(e.date, e.order.id) for e in _rows(store, security) if e.order is not None}
    checked = 0
    for day in boundary_days(store, security):
        before, after = states(day - timedelta(days=1)), states(day)
        for order in set(before) | set(after):
            if before.get(order) != after.get(order):
                checked += 1
                assert (day.isoformat(), order) in rows, (security, day, order, before, after)
    return checked


def test_every_securitys_timeline_has_a_row_wherever_affects_changes(store: MemoryStore) -> None:
    securities = sorted(n.id for n in store.nodes() if n.kind == "Security")
    assert {"SEC:SZSE:002415", "SEC:HKEX:1810", "SEC:NASDAQ:LKCO", "SEC:HKEX:0941"} <= set(securities)
    turns = {security: _rows_wherever_affects_changes(store, security) for security in securities}
    assert all(turns[s] for s in ("SEC:SZSE:002415", "SEC:HKEX:1810", "SEC:HKEX:0941", "SEC:HKEX:0700"))


def test_a_subsidiarys_security_shows_the_routes_through_its_parent(mini: MemoryStore) -> None:
    """Child Company's HKEX 0001 is reached only through its parent: Parent Holdings Group's listing
    on List One (EO 1's rule reaches subsidiaries) and EO 3's targeting of ParentChat, an app the
    parent develops (reaching subsidiaries). ``affects`` says so day by day; so must the timeline,
    naming the parent. EO 4 targets the parent alone: no row on the child's security."""
    assert _rows_wherever_affects_changes(mini, "SEC:HKEX:0001") >= 4
    rows = {(e.date, e.description) for e in _rows(mini, "SEC:HKEX:0001")}
    assert (
        "2020-03-01",
        "EO 1 — prohibitions apply: Parent Holdings Group (parent of Child Company Limited) listed on "
        "List One",
    ) in rows
    assert (
        "2020-04-01",
        "EO 3 — prohibitions apply: targets ParentChat (reaches Child Company Limited through its parent)",
    ) in rows
    assert not any(d.startswith("EO 4 ") for _, d in rows)
    # Each row names the order and cites its sources.
    assert all(e.order is not None and e.sources for e in _rows(mini, "SEC:HKEX:0001"))


def test_a_parents_orders_reach_the_security_only_while_its_issuer_is_a_subsidiary(mini: MemoryStore) -> None:
    """Child Company became the parent's subsidiary on 2020-06-01 (and left on 2020-11-01): EO 1 and
    EO 3 reach its security only between, and the timeline says so on both days, under each order."""
    edges = [
        e.model_copy(update={"start": "2020-06-01", "end": "2020-11-01"}) if e.kind == "SUBSIDIARY_OF" else e
        for e in mini.edges()
    ]
    dated = MemoryStore.from_parts(mini.nodes(), edges)
    assert _rows_wherever_affects_changes(dated, "SEC:HKEX:0001") >= 4
    rows = {(e.date, e.order.id if e.order else None, e.description) for e in _rows(dated, "SEC:HKEX:0001")}
    for order in ("EO:1", "EO:3"):
        number = order.removeprefix("EO:")
        assert (
            "2020-06-01",
            order,
            f"EO {number} — Child Company Limited subsidiary of Parent Holdings Group",
        ) in rows
        assert (
            "2020-11-01",
            order,
            f"EO {number} — Child Company Limited ceases to be a subsidiary of Parent Holdings Group",
        ) in rows


def test_every_row_about_an_order_names_it_first(store: MemoryStore) -> None:
    for node_id in ("ORG:xiaomi", "ORG:luokung", "SEC:SZSE:002415", "APP:tiktok", "EO:13959", "EXCH:NYSE"):
        for event in _rows(store, node_id):
            if event.order is not None:
                number = event.order.id.removeprefix("EO:")
                assert event.description.startswith(f"EO {number} — "), (node_id, event.description)
            assert "(under EO" not in event.description
            assert not event.description.startswith("Executive Order")


def test_a_source_dated_on_the_end_day_about_something_else_does_not_state_the_end() -> None:
    """A release of the end day about another company (or anything else) is not cited on the end
    row, nor dropped from the start's sources; one the data names in ``end_stated_by`` is, and so is
    the source of the action that ended the edge (an order revoking the one that targeted it)."""
    from graph.evidence import end_sources, ending_actions, start_sources
    from graph.model import Edge, Node, Source

    def source(name: str, day: str, kind: str = "official") -> Source:
        return Source(url=f"https://x.example/{name}", title=name, publisher="X", kind=kind, date=day)

    listed, other_news, removal = (
        source("listed", "2021-01-14"),
        source("other", "2021-05-25"),
        source("removal", "2021-05-26", "press"),
    )
    nodes = [Node(id="ORG:a", kind="Company", name="A"), Node(id="LIST:l", kind="SanctionsList", name="L")]
    listing = dict(kind="LISTED_ON", source="ORG:a", target="LIST:l", start="2021-01-14", end="2021-05-25")
    plain = Edge(id="p", confidence="verified", sources=[listed, other_news, removal], **listing)
    assert end_sources(plain) == []
    assert {s.url for s in start_sources(plain)} == {listed.url, other_news.url, removal.url}
    flagged = plain.model_copy(update={"properties": {"end_stated_by": [removal.url]}})
    assert end_sources(flagged) == [removal]
    assert removal not in start_sources(flagged) and other_news in start_sources(flagged)
    store = MemoryStore.from_parts(nodes, [flagged])
    (row,) = [e for e in _rows(store, "ORG:a") if _is_end(e)]
    assert row.sources == [removal]

    orders = [Node(id=f"EO:{n}", kind="ExecutiveOrder", name=f"Executive Order {n}", properties={"number": n})
              for n in ("1", "2")]  # fmt: skip
    targets = Edge(id="t", kind="TARGETS", source="EO:1", target="ORG:a", start="2020-08-06",
                   end="2021-06-09", confidence="verified", sources=[listed, other_news])  # fmt: skip
    revokes = Edge(id="r", kind="REVOKES", source="EO:2", target="EO:1", start="2021-06-09",
                   confidence="verified", sources=[source("revocation", "2021-06-09")])  # fmt: skip
    store = MemoryStore.from_parts([*nodes, *orders], [targets, revokes])
    assert ending_actions(store, targets) == [revokes]
    (ended,) = [e for e in _rows(store, "ORG:a") if _is_end(e)]
    assert ended.description == "EO 1 — targeting of A ends: EO 1 revoked by EO 2"
    assert [s.url for s in ended.sources] == ["https://x.example/revocation"]


def _mini_subsidiary(mini: MemoryStore, start: str | None, end: str | None = None) -> MemoryStore:
    """The mini fixture, Child Company a subsidiary of Parent Holdings from ``start`` until ``end``."""
    edges = [
        e.model_copy(update={"start": start, "end": end}) if e.kind == "SUBSIDIARY_OF" else e
        for e in mini.edges()
    ]
    return MemoryStore.from_parts(mini.nodes(), edges)


def _parent_rows_agree_with_affects(store: MemoryStore, security: str) -> int:
    """The converse of :func:`_rows_wherever_affects_changes`: every row of the security's timeline
    that reaches it through an issuer's parent (its words name the parent) and names an order on day
    D is a day ``affects`` gives that order for the security — on D, or on the day before when the
    row says it stopped (D is the boundary). A divest-only deadline is one ``affects`` gave for that
    order. Returns how many rows it checked."""
    from datetime import timedelta

    from tests.graph.snapshot_answers import boundary_days

    issuers = [e.source for e in store.edges_of(security, "in", ["ISSUES"])]
    parents = [store.get_node(e.target) for i in issuers for e in store.edges_of(i, "out", ["SUBSIDIARY_OF"])]
    names = [p.name for p in parents if p is not None]

    def orders(day: date) -> set[str]:
        return {o.id for o in affects_once(store, security, day).orders}

    deadlines = {
        (o.id, o.divest_until)
        for day in boundary_days(store, security)
        for o in affects_once(store, security, day).orders
    }
    checked = 0
    for row in _rows(store, security):
        if row.order is None or not any(name in row.description for name in names):
            continue
        checked += 1
        if "divest-only window" in row.description:
            assert (row.order.id, row.date) in deadlines, (security, row.date, row.description)
            continue
        day = date.fromisoformat(row.date)
        given = orders(day) | orders(day - timedelta(days=1))
        assert row.order.id in given, (security, row.date, row.description)
    return checked


def test_every_row_through_a_parent_is_a_day_affects_gives_its_order(
    store: MemoryStore, mini: MemoryStore
) -> None:
    """A reporter reads "prohibitions apply … (parent of Child)" only on a day ``affects`` says the
    order applies to the child's security: never before the child became a subsidiary, after it left,
    or before the order existed."""
    securities = sorted(n.id for n in store.nodes() if n.kind == "Security")
    for security in securities:
        _parent_rows_agree_with_affects(store, security)
    for start, end in (
        (None, None),
        ("2020-06-01", "2020-11-01"),
        ("2010-06-01", None),
        (None, "2020-03-15"),
    ):
        dated = _mini_subsidiary(mini, start, end)
        assert _parent_rows_agree_with_affects(dated, "SEC:HKEX:0001") >= 2, (start, end)
        assert _rows_wherever_affects_changes(dated, "SEC:HKEX:0001") >= 1, (start, end)


def _issued_from(store: MemoryStore, security: str, start: str | None) -> MemoryStore:
    """``store`` with the security's ``ISSUES`` edges starting on ``start``: a security that began
    to exist then (a later share listing), its issuer's history older."""
    edges = [
        e.model_copy(update={"start": start}) if e.kind == "ISSUES" and e.target == security else e
        for e in store.edges()
    ]
    return MemoryStore.from_parts(store.nodes(), edges)


def _order_rows_agree_with_affects(store: MemoryStore, security: str) -> int:
    """The converse of :func:`_rows_wherever_affects_changes` for every row naming an order: a
    reporter reads "EO N — …" on a security's timeline as the order bearing on that security then.
    So a row of day D is a day ``affects`` gives the order for the security (D, or the day before:
    D is the boundary); a divest-only deadline is one ``affects`` gave for that order; a row saying
    something ended (a listing, an injunction) or that prohibitions due never applied comes after
    ``affects`` gave the order on some day. Never a day before the security was issued. Returns how
    many rows it checked."""
    from datetime import timedelta

    from tests.graph.snapshot_answers import boundary_days

    days = boundary_days(store, security)

    def orders(day: date) -> set[str]:
        return {o.id for o in affects_once(store, security, day).orders}

    deadlines = {(o.id, o.divest_until) for day in days for o in affects_once(store, security, day).orders}
    checked = 0
    for row in _rows(store, security):
        if row.order is None:
            continue
        checked += 1
        day, where = first_day(row.date), (security, row.date, row.description)
        if "divest-only window" in row.description:
            assert (row.order.id, row.date) in deadlines, where
        elif _is_end(row) or "never applied" in row.description:
            assert any(row.order.id in orders(d) for d in days if d < day), where
        else:
            assert row.order.id in orders(day) | orders(day - timedelta(days=1)), where
    return checked


def test_every_order_row_on_a_securitys_timeline_is_a_day_affects_gives_the_order(
    store: MemoryStore, mini: MemoryStore
) -> None:
    """China Telecom's Shanghai A-share began trading on 2021-08-20: its timeline read "2021-03-09
    EO 13959 — prohibitions apply: …" while ``affects --as-of 2021-03-10`` says no order restricts
    it (it was not issued yet). Every security of the corpus, and the mini fixture's two issued
    late: each order row a day ``affects`` gives the order."""
    securities = sorted(n.id for n in store.nodes() if n.kind == "Security")
    checked = {security: _order_rows_agree_with_affects(store, security) for security in securities}
    assert all(checked[s] for s in ("SEC:SSE:601728", "SEC:SSE:600941", "SEC:SSE:600938", "SEC:HKEX:0020"))
    # ACME's issuer listed 2020-05-01 to 2020-10-01 (a court shielding it from 2020-07-01), relisted
    # 2020-11-01; EO 1 revoked 2020-12-01. Child's 0001 is reached through its parent from 2020-03-01.
    for security, start in [
        ("SEC:NYSE:ACME", "2020-09-15"),
        ("SEC:NYSE:ACME", "2020-12-15"),
        ("SEC:HKEX:0001", "2020-06-15"),
        ("SEC:HKEX:0001", "2020-12-15"),
    ]:
        _order_rows_agree_with_affects(mini, security)
        late = _issued_from(mini, security, start)
        _order_rows_agree_with_affects(late, security)
        _rows_wherever_affects_changes(late, security)
        assert not [e for e in _rows(late, security) if e.order is not None and e.date < start], start


@pytest.mark.parametrize(
    ("security", "issuer", "first", "words"),
    [
        ("SEC:SSE:601728", "China Telecom Corporation Limited", "2021-08-20",
         "EO 14032 — issued by China Telecom Corporation Limited: the order's prohibitions apply to it from "
         "this day (likely)"),
        ("SEC:SSE:600941", "China Mobile Limited", "2022-01-05",
         "EO 14032 — issued by China Mobile Limited: the order's prohibitions apply to it from this day"),
        ("SEC:SSE:600938", "CNOOC Limited", "2022-04-21",
         "EO 14032 — issued by CNOOC Limited: the order's prohibitions apply to it from this day (likely)"),
        ("SEC:HKEX:0020", "SenseTime Group Limited", "2021-12-30",
         "EO 14032 — issued by SenseTime Group Limited: the order reaches it from this day, its "
         "prohibitions due 2022-02-08 (likely)"),
    ],
)  # fmt: skip
def test_a_security_issued_after_its_issuers_listing_begins_its_orders_on_its_first_day(
    store: MemoryStore, security: str, issuer: str, first: str, words: str
) -> None:
    """The issuer's rows older than the security (its listings, the day their prohibitions applied,
    EO 13959's rule that had stopped before it existed) are not the security's: its first day has one
    row, under the order, saying the order reaches it from that day (no plain "issued by" beside it)."""
    rows = _rows(store, security)
    assert not [(e.date, e.description) for e in rows if e.order is not None and e.date < first]
    assert not [e.description for e in rows if e.order is not None and e.order.id == "EO:13959"]
    issued = [e.description for e in rows if e.date == first and e.kind == "ISSUES"]
    assert issued == [words]
    # The issuer's own timeline keeps its history.
    company = next(e.source for e in store.edges_of(security, "in", ["ISSUES"]))
    assert any(e.date < first and e.order is not None for e in _rows(store, company))
    assert store.get_node(company).name == issuer  # type: ignore[union-attr]


def test_a_parents_rows_keep_to_the_subsidiary_relations_dates(mini: MemoryStore) -> None:
    """Child Company a subsidiary only from 2020-06-01 until 2020-11-01: EO 1's prohibitions (due
    2020-03-01) and EO 3's (due 2020-04-01) reach its security on 2020-06-01, not before; EO 1's
    divest-only deadline (2020-12-31) falls after it left. A relation from 2010 does not bring EO 1,
    signed in 2020, into 2010."""
    dated = _mini_subsidiary(mini, "2020-06-01", "2020-11-01")
    rows = {(e.date, e.description) for e in _rows(dated, "SEC:HKEX:0001")}
    assert not [r for r in rows if r[0] < "2020-06-01" or r[0] > "2020-11-01"], sorted(rows)
    old = {(e.date, e.description) for e in _rows(_mini_subsidiary(mini, "2010-06-01"), "SEC:HKEX:0001")}
    assert not [r for r in old if r[0] < "2020-01-01"], sorted(old)
    assert (
        "2020-03-01",
        "EO 1 — prohibitions apply: Parent Holdings Group (parent of Child Company Limited) listed on "
        "List One",
    ) in old


def _enjoining(mini: MemoryStore, order: str, applies_to: list[str]) -> MemoryStore:
    """The mini fixture with one more injunction, of ``order`` from 2020-03-15, naming ``applies_to``."""
    from graph.model import Edge

    court = next(e for e in mini.edges() if e.kind == "ENJOINS")
    added = Edge(
        id=f"ENJOINS|CASE:XX:1:20-cv-00001|{order}|2020-03-15",
        kind="ENJOINS",
        source="CASE:XX:1:20-cv-00001",
        target=order,
        start="2020-03-15",
        confidence="verified",
        sources=list(court.sources),
        properties={"applies_to": applies_to},
    )
    return MemoryStore.from_parts(mini.nodes(), [*mini.edges(), added])


def test_an_injunction_protects_a_security_on_the_timeline_as_affects_says(mini: MemoryStore) -> None:
    """One rule for whom an injunction protects (graph.affects.injunction_protects): on a route through
    the parent, the security's issuer and every company or app the route runs through. Naming the
    child, the parent or the targeted app blocks EO 3 for the child's security; naming someone else
    does not — and the timeline says what ``affects`` says."""
    from graph.affects import affects

    for named, enjoined in (
        (["ORG:child"], True),
        (["ORG:parent"], True),
        (["APP:chat"], True),
        (["ORG:later"], False),
    ):
        store = _enjoining(mini, "EO:3", named)
        (effect,) = [o for o in affects(store, "SEC:HKEX:0001", date(2020, 5, 1)).orders if o.id == "EO:3"]
        assert effect.status == ("enjoined" if enjoined else "in_force"), named
        (due,) = [e for e in _rows(store, "SEC:HKEX:0001") if e.date == "2020-04-01"]
        assert ("but enjoined since 2020-03-15" in due.description) == enjoined, (named, due.description)
        shown = [e.description for e in _rows(store, "SEC:HKEX:0001", "ENJOINS") if e.date == "2020-03-15"]
        assert bool(shown) == enjoined, (named, shown)


def test_an_injunction_row_names_whom_it_was_applied_to_truly(mini: MemoryStore) -> None:
    """Naming the child: "as applied to Child Company Limited", not "Parent … (through its developer
    Child …)" — the child develops nothing. Naming the app: the parent, through the app it develops."""
    child = _enjoining(mini, "EO:3", ["ORG:child"])
    (row,) = [e for e in _rows(child, "SEC:HKEX:0001", "ENJOINS") if e.date == "2020-03-15"]
    assert row.description == "EO 3 — enjoined by Later v. Government, as applied to Child Company Limited"
    app = _enjoining(mini, "EO:3", ["APP:chat"])
    (row,) = [e for e in _rows(app, "SEC:HKEX:0001", "ENJOINS") if e.date == "2020-03-15"]
    assert row.description == (
        "EO 3 — enjoined by Later v. Government, as applied to ParentChat (developed by Parent Holdings "
        "Group, parent of Child Company Limited)"
    )


def test_a_quote_giving_the_end_day_states_the_end_only_when_it_names_the_entity() -> None:
    """A law firm's alert quoting the day of a list's update does not state that one company left
    the list unless it names the company (in its quote, locator or title); a transcription's row
    that names it and gives the day does."""
    from graph.evidence import edge_names, end_sources, ending_actions, start_sources
    from graph.model import Edge, Node, Source

    update = Source(url="https://x.example/alert", title="DoD updates its list", publisher="Law firm",
                    kind="law_firm", quote="On January 31, 2024, DoD updated its list")  # fmt: skip
    row = Source(url="https://x.example/rows", title="rows", publisher="Data", kind="other",
                 locator="row 'Torch Electron'", quote="Torch Electron,2021-06-03,2024-01-31")  # fmt: skip
    about = Source(url="https://x.example/torch", title="Torch Electron leaves the list", publisher="P",
                   kind="press", quote="it was removed on January 31, 2024")  # fmt: skip
    nodes = [Node(id="ORG:t", kind="Company", name="Fujian Torch Electron Technology Co., Ltd.",
                  aliases=["Torch Electron"]),
             Node(id="LIST:l", kind="SanctionsList", name="DoD list")]  # fmt: skip
    listing = Edge(id="l", kind="LISTED_ON", source="ORG:t", target="LIST:l", start="2021-06-03",
                   end="2024-01-31", confidence="likely", sources=[update, row, about])  # fmt: skip
    store = MemoryStore.from_parts(nodes, [listing])
    names = edge_names(store, listing)
    assert "Torch Electron" in names and "DoD list" not in names  # the list is every member's far end
    stated = end_sources(listing, ending_actions(store, listing), names)
    assert [s.url for s in stated] == [about.url, row.url]  # press before other
    assert update in start_sources(listing, (), names)
    (ended,) = [e for e in _rows(store, "ORG:t") if _is_end(e)]
    assert [s.url for s in ended.sources] == [about.url, row.url]

    # A release only about this listing, quoted once for the listing and once for the removal, which
    # the data names in end_stated_by: the removal's place states the end, the listing's the start.
    release = "https://x.example/release"
    listed = Source(
        url=release, title="r", publisher="DoD", kind="official", quote="Today DoD released the names"
    )
    removed = listed.model_copy(
        update={"quote": "As of January 31, 2024, DoD removed the entities listed here"}
    )
    flagged = listing.model_copy(
        update={"sources": [listed, removed], "properties": {"end_stated_by": [release]}}
    )
    assert end_sources(flagged, (), names) == [removed]
    assert start_sources(flagged, (), names) == [listed]
    # Neither place gives the day: the document still states the end, at each place (not at none).
    undated = flagged.model_copy(
        update={"sources": [listed, removed.model_copy(update={"quote": "DoD removed the entities"})]}
    )
    assert [s.quote for s in end_sources(undated, (), names)] == [s.quote for s in undated.sources]


def test_the_1260h_removals_of_2024_cite_no_alert_that_does_not_name_the_company(store: MemoryStore) -> None:
    """Akin Gump's alert quotes the day of the 2024-01-31 update, not Fujian Torch or SMIC HK: it is
    not cited on their end rows; OpenSanctions' rows, which name each and give the day, are."""
    akin = "https://www.akingump.com/en/insights/alerts/dod-updates-section-1260h-list-of-chinese-military-companies-operating-directly-or-indirectly-in-the-united-states"

    def ended(node_id: str) -> TimelineEvent:
        rows = _rows(store, node_id, "LISTED_ON")
        (row,) = [e for e in rows if e.date == "2024-01-31" and _is_end(e)]
        return row

    for node_id in ("ORG:fujian-torch-electron", "ORG:smic-hong-kong"):
        urls = [s.url for s in ended(node_id).sources]
        assert akin not in urls, (node_id, urls)
        assert any("opensanctions" in u for u in urls), (node_id, urls)
    # CIECC's row of the same update names it: still cited.
    assert any(s.quote and "CIECC" in s.quote for s in ended("ORG:ciecc").sources)


def test_an_annex_companys_deadlines_cite_the_orders_text_first(store: MemoryStore) -> None:
    # Hikvision was in EO 13959's Annex: its 2021-01-11 start and its 2021-11-11 divest-only deadline
    # are dates the Register's text of the order gives (85 FR 73185, §1), not DoD's list of 2020-06-24,
    # which names the company but says nothing of either date. A reporter opening the first link must
    # find the date there.
    for day in ("2021-01-11", "2021-11-11"):
        rows = _rows(store, "ORG:hikvision")
        (row,) = [e for e in rows if e.date == day and e.order and e.order.id == "EO:13959"]
        assert row.sources[0].url == "https://www.federalregister.gov/d/2020-25459", (day, row.sources[0].url)
        # The listing still cited (the law firms' and Reuters' copies of DoD's list: its PDF was not seen).
        (listing,) = [
            e for e in store.edges_of("ORG:hikvision", "out", ["LISTED_ON"]) if e.target == "LIST:DOD-1237"
        ]
        assert {s.url for s in listing.sources} & {s.url for s in row.sources[1:]}, day
    # A later listing's start is 60 days after DoD's own date: the list's release stays first.
    (xiaomi,) = [e for e in _rows(store, "ORG:xiaomi") if e.date == "2021-03-15"]
    assert "defense.gov" in xiaomi.sources[0].url or "justia" in xiaomi.sources[0].url


def test_an_orders_timeline_says_an_apps_prohibitions_were_enjoined_as_the_apps_own_does(
    store: MemoryStore,
) -> None:
    # TikTok Inc. v. Trump enjoined the app-store prohibition due 2020-09-27 for TikTok's developer
    # ByteDance. EO 13942's own timeline said "prohibitions apply: targets TikTok" that day, while
    # TikTok's timeline (rightly) says they were enjoined: the order's rows read an app's protection
    # through its developer too.
    def due(node_id: str) -> str:
        (row,) = [
            e.description
            for e in _rows(store, node_id, "PROHIBITIONS")
            if e.date == "2020-09-27" and e.other and e.other.id in ("APP:tiktok", "EO:13942")
        ]
        return row

    assert due("APP:tiktok").startswith("EO 13942 — prohibitions due, but enjoined since 2020-09-27")
    assert due("EO:13942").startswith("EO 13942 — prohibitions due, but enjoined since 2020-09-27"), due(
        "EO:13942"
    )


def test_a_quote_naming_a_securitys_issuer_states_the_end_of_its_listing_and_exchange_actions() -> None:
    """An issuer's notice names itself, not its ADSs: for an edge with a security at one end, the
    issuer's names (the node that ISSUES it) name the edge too, on the exchange's timeline, the
    security's and the issuer's alike."""
    from graph.evidence import edge_names, end_sources, stated_end
    from graph.model import Edge, Node, Source

    notice = Source(url="https://x.example/deregister", title="Acme Holdings Limited Intends to Deregister",
                    publisher="Acme", kind="other",
                    quote="the delisting of the ADSs became effective on October 22, 2021")  # fmt: skip
    filing = Source(url="https://x.example/listing", title="listing", publisher="P", kind="other",
                    quote="listed since February 2001")  # fmt: skip
    nodes = [Node(id="ORG:acme", kind="Company", name="Acme Holdings Limited", aliases=["Acme 控股"]),
             Node(id="SEC:NYSE:ACM", kind="Security", name="Acme (NYSE ACM ADS)", aliases=["ACM"]),
             Node(id="EXCH:NYSE", kind="Exchange", name="New York Stock Exchange")]  # fmt: skip
    issues = Edge(id="i", kind="ISSUES", source="ORG:acme", target="SEC:NYSE:ACM", start="2001-02-27",
                  confidence="likely", sources=[filing])  # fmt: skip
    trades = Edge(id="t", kind="TRADES_ON", source="SEC:NYSE:ACM", target="EXCH:NYSE", start="2001-02",
                  end="2021-10-22", confidence="verified", sources=[filing, notice])  # fmt: skip
    action = Edge(id="a", kind="EXCHANGE_ACTION", source="EXCH:NYSE", target="SEC:NYSE:ACM",
                  start="2021-03-09", end="2021-10-22", confidence="verified", sources=[filing, notice],
                  properties={"action": "suspend"})  # fmt: skip
    store = MemoryStore.from_parts(nodes, [issues, trades, action])
    for edge in (trades, action):
        names = edge_names(store, edge)
        assert {"Acme Holdings Limited", "Acme 控股", "ACM"} <= names, names
        assert "New York Stock Exchange" not in names  # the exchange is every listing's far end
        assert end_sources(edge, (), names) == [notice]
        assert stated_end(store, edge) == [notice]
    for node_id in ("EXCH:NYSE", "SEC:NYSE:ACM"):
        ended = [e for e in _rows(store, node_id) if _is_end(e)]
        assert len(ended) == 2, (node_id, ended)
        assert all([s.url for s in e.sources] == [notice.url] for e in ended), (node_id, ended)


def test_cnoocs_notice_of_its_delisting_states_the_end_of_its_nyse_listing(store: MemoryStore) -> None:
    """CNOOC Limited's notice of 2021-11-30 ("… the delisting of the Company's American depository
    shares became effective … on October 22, 2021") names the issuer, not the ADSs: it states
    the end of the CEO ADSs' NYSE listing, which the delisting's row of that day says and cites."""
    from graph.evidence import stated_end

    notice = "https://fuelsandlubes.com/newswire/cnooc-limited-intends-to-deregister-and-terminate-reporting-obligations-under-the-u-s-securities-exchange-act-of-1934"
    listing = store.get_edge("TRADES_ON|SEC:NYSE:CEO|EXCH:NYSE|2001-02")
    assert listing is not None and listing.end == "2021-10-22"
    assert notice in [s.url for s in stated_end(store, listing)]
    for node_id in ("SEC:NYSE:CEO", "EXCH:NYSE"):
        assert not [e for e in _rows(store, node_id, "TRADES_ON") if e.edge_id == listing.id and _is_end(e)]
        rows = _rows(store, node_id, "EXCHANGE_ACTION")
        (ended,) = [e for e in rows if e.date == "2021-10-22" and "CEO" in e.description + node_id]
        # NYSE's suspension of 2021-03-09 had ended the trading; the delisting ended the listing (eyes35 N4)
        assert "since 2021-03-09" in ended.description and "suspended" in ended.description, ended.description
        assert "trading there ends" not in ended.description
        assert notice in [s.url for s in ended.sources], node_id


def test_a_listing_row_credits_its_date_to_the_source_that_gives_it(store: MemoryStore) -> None:
    """AMEC's listing announcement, read in Sina's copy (kind other), only announces the day ahead
    ("股票将于2019年7月22日 … 上市"); AMEC's filing of 2022 says the shares were listed that day
    ("并于2019年7月22日 … 上市") and a market-data page (also other) gives 上市日期 2019-07-22 as a
    fact. The rows lead with what records the day, cite the page before the copy within their kind,
    keep the copy as a source, and credit the copy with nothing; nor does the CLI line."""
    from cli.render import timeline as render_timeline

    page, copy = "igu888.com/f10/index.asp?code=688012", "vCB_AllBulletinDetail.php?CompanyCode=80279650"
    for node_id in ("ORG:amec", "SEC:SSE:688012"):
        tl = timeline(store, node_id)
        rows = [e for e in tl.events if e.date == "2019-07-22" and e.kind in ("ISSUES", "TRADES_ON")]
        assert {e.kind for e in rows} >= {"ISSUES"}, node_id
        for row in rows:
            assert [s.kind for s in row.sources] == [s.kind for s in by_authority(row.sources, row.kind)]
            urls = [s.url for s in row.sources]
            (at_page,) = [i for i, u in enumerate(urls) if page in u]
            (at_copy,) = [i for i, u in enumerate(urls) if copy in u]
            assert at_page < at_copy, (node_id, row.kind, urls)
            assert "将于" in (row.sources[at_copy].quote or "")
            credited = row.dated_by or row.sources[0]
            assert credited.kind == "filing" and "并于2019年7月22日" in (credited.quote or ""), node_id
        line = next(x for x in render_timeline(tl).splitlines() if rows[0].description in x)
        assert copy not in line


def test_a_listing_announced_only_ahead_by_a_copy_credits_no_one_with_its_day(store: MemoryStore) -> None:
    """Kingsoft Office's listing announcement (printed in China Securities Journal, a filing) leads its
    2019-11-18 rows; the date sentence was read in Sohu's copy of it (kind other: a copy is the kind
    of its host), which says the shares *will* list that day ("股票将于 2019 年 11 月 18 日 … 上市").
    The copy stays among the rows' sources, and no row credits it with the day (``dated_by``); the CLI
    line credits no one."""
    from cli.render import timeline as render_timeline

    sohu = "https://q.stock.sohu.com/cn,gg,688111,4564198826.shtml"
    for node_id in ("ORG:kingsoft-office", "SEC:SSE:688111"):
        tl = timeline(store, node_id)
        rows = [e for e in tl.events if e.date == "2019-11-18" and e.kind in ("ISSUES", "TRADES_ON")]
        assert {e.kind for e in rows} >= {"ISSUES"}, node_id
        for row in rows:
            assert row.sources[0].kind == "filing" and "epaper.cs.com.cn" in row.sources[0].url, node_id
            assert sohu in [s.url for s in row.sources], (node_id, row.kind)
            assert row.dated_by is None, (node_id, row.kind)
        line = next(x for x in render_timeline(tl).splitlines() if rows[0].description in x)
        assert "date as given by" not in line


def test_cnoocs_suspension_row_does_not_credit_the_notice_that_announced_it(store: MemoryStore) -> None:
    """NYSE's notice of 2021-02-26, read on Mondo Visione (kind press), says trading in CNOOC's ADSs
    "will be suspended … on March 9, 2021": the suspension row of that day cites it, after CNOOC's
    own filing, and credits it with nothing (it announced the day; it does not record it). The day
    is stated (CNOOC's 6-K sets it; Upstream reports it done), so no one is said to announce it."""
    rows = [e for e in _rows(store, "SEC:NYSE:CEO", "EXCHANGE_ACTION") if e.date == "2021-03-09"]
    assert rows
    for row in rows:
        urls = [s.url for s in row.sources]
        assert any("mondovisione.com" in u for u in urls), urls
        assert row.sources[0].kind == "filing"
        assert row.dated_by is None
        assert row.stated_by and row.announced_by == []
        assert "mondovisione.com" not in [s.url for s in row.stated_by]
        # Upstream writes "on 9 March" without the year; its own date (2021-03) gives it.
        assert any("upstreamonline.com" in s.url for s in row.stated_by), row.stated_by


def test_hikvisions_listing_row_leads_with_the_source_that_gives_its_month(store: MemoryStore) -> None:
    """OFAC's ``cons_prim.csv`` gives Hikvision's ticker but no day, and was read only in a GitHub copy
    (kind other): Yicai ("Since its IPO in May 2010") is the most authoritative source of the May 2010
    row and states the month, so the row needs no credit."""
    for node_id in ("ORG:hikvision", "SEC:SZSE:002415"):
        rows = [e for e in timeline(store, node_id).events if e.date == "2010-05" and e.kind == "ISSUES"]
        assert rows, node_id
        for row in rows:
            assert [s.kind for s in row.sources] == [s.kind for s in by_authority(row.sources, row.kind)]
            assert "yicaiglobal.com" in row.sources[0].url and "May 2010" in (row.sources[0].quote or "")
            assert any("cons_prim" in s.url and s.kind == "other" for s in row.sources), node_id
            assert row.dated_by is None, node_id


def _dated_store(*sources: Source) -> MemoryStore:
    nodes = [
        Node(id="ORG:a", kind="Company", name="Acme Holdings"),
        Node(id="LIST:l", kind="SanctionsList", name="The List"),
    ]
    listing = Edge(id="l", kind="LISTED_ON", source="ORG:a", target="LIST:l", start="2021-01-14",
                   confidence="verified", sources=list(sources))  # fmt: skip
    return MemoryStore.from_parts(nodes, [listing])


def _cited(store: MemoryStore) -> tuple[list[str], str | None]:
    """The row's sources in order, and the one its date is credited to when not the first."""
    (row,) = _rows(store, "ORG:a", "LISTED_ON")
    credited = row.dated_by.url.rsplit("/", 1)[-1] if row.dated_by else None
    return [s.url.rsplit("/", 1)[-1] for s in row.sources], credited


def _source(name: str, kind: str, quote: str | None = None) -> Source:
    return Source(url=f"https://x.example/{name}", title=name, publisher="X", kind=kind, quote=quote)


def test_a_start_row_credits_the_source_that_states_its_date() -> None:
    """An official source that gives no date and a press article that names the company and gives
    the day: the row keeps the official source first and credits the article for the date
    (``dated_by``). An official source that states the day leads, and nothing else is credited;
    within a kind the stating source leads; a day that names someone else, or a text only dated
    that day, states nothing, and the row is in authority order with no credit."""
    undated = _source("undated", "official")
    article = _source("article", "press", "Acme Holdings was added to the list on January 14, 2021.")
    other = _source("blog", "other")
    assert _cited(_dated_store(other, undated, article)) == (["undated", "article", "blog"], "article")
    release = _source("release", "official", "2021-01-14: Acme Holdings")
    assert _cited(_dated_store(article, undated, release)) == (["release", "undated", "article"], None)
    report = _source("report", "press")
    assert _cited(_dated_store(report, undated, article)) == (["undated", "article", "report"], "article")
    elsewhere = _source("elsewhere", "press", "Another Co. was added to the list on January 14, 2021.")
    assert _cited(_dated_store(elsewhere, undated)) == (["undated", "elsewhere"], None)
    of_the_day = _source("of-the-day", "official").model_copy(update={"date": "2021-01-14"})
    dated_report = _source("dated-report", "press").model_copy(update={"date": "2021-01-14"})
    assert _cited(_dated_store(dated_report, of_the_day)) == (["of-the-day", "dated-report"], None)


def test_a_date_is_stated_at_its_own_precision() -> None:
    from graph.evidence import states_start

    names = {"Hikvision"}
    month = Source(url="https://x.example/m", title="m", publisher="X", kind="press",
                   quote="Hikvision (002415. SZ) ... Since its IPO in May 2010")  # fmt: skip
    # The issuer's own prospectus (a filing) sets its offering day: "expected" there is no forecast.
    prospectus = Source(url="https://x.example/p", title="Hikvision prospectus", publisher="X", kind="filing",
                        quote="预计发行日期 2010 年 5月 17 日")  # fmt: skip
    assert states_start(month, "2010-05", names) and not states_start(month, "2010-06", names)
    assert not states_start(month, "2010-05", {"Xiaomi"})
    # A day of May 2010 (the expected offering day) is not the month the shares listed in.
    assert not states_start(prospectus, "2010-05", names)
    assert states_start(prospectus, "2010-05-17", names)


def test_a_day_written_day_first_states_it() -> None:
    """OFAC's list data writes "Listing Date (CMIC) 16 Dec 2021" and Hong Kong filings "on 7 May
    2021": both give the day, and only that day (``1 May`` is not ``11 May``); a day-first day is
    finer than its month, so it does not state the month alone."""
    from graph.evidence import states_start

    names = {"MEGVII TECHNOLOGY LIMITED"}
    entry = Source(url="https://x.example/o", title="cons_prim.csv", publisher="OFAC", kind="official",
                   quote="MEGVII TECHNOLOGY LIMITED ... Listing Date (CMIC) 16 Dec 2021.")  # fmt: skip
    assert states_start(entry, "2021-12-16", names)
    assert not states_start(entry, "2021-12-06", names) and not states_start(entry, "2021", names)
    assert not states_start(entry, "2021-12-16", {"Xiaomi"})
    # A day-first day is finer than its month: "16 December 2021" holds "December 2021".
    long = entry.model_copy(
        update={"quote": "MEGVII TECHNOLOGY LIMITED ... Listing Date (CMIC) 16 December 2021."}
    )
    assert states_start(long, "2021-12-16", names) and not states_start(long, "2021-12", names)
    filing = Source(url="https://x.example/f", title="f", publisher="X", kind="filing",
                    quote="On 11 May 2021, China Mobile Limited announced")  # fmt: skip
    assert states_start(filing, "2021-05-11", {"China Mobile Limited"})
    assert not states_start(filing, "2021-05-01", {"China Mobile Limited"})


def test_a_day_first_day_is_read_in_its_own_words() -> None:
    """A day written day first is read with its spaces, within one field: the digits of a time, a
    rule number or the next field do not run into it, nor make it another day."""
    from graph.evidence import states_start

    names = {"China Mobile Limited"}

    def filing(quote: str, locator: str | None = None) -> Source:
        return Source(url="https://x.example/f", title="China Mobile Limited announcement", publisher="X",
                      kind="filing", quote=quote, locator=locator)  # fmt: skip

    assert states_start(filing("Updated 22 June 2021 13:34 IST"), "2021-06-22", names)
    assert not states_start(filing("under Rule 2 1 May 2021"), "2021-05-21", names)
    assert not states_start(filing("see item 1", "1 May 2021 announcement"), "2021-05-11", names)
    assert states_start(filing("see item 1", "1 May 2021 announcement"), "2021-05-01", names)
    assert states_start(filing("effective on 7 May 2021", "2021 annual report"), "2021-05-07", names)
    # Abbreviations with a full stop, "Sept", capitals: the same day.
    assert states_start(filing("Listing Date 16 Dec. 2021"), "2021-12-16", names)
    assert states_start(filing("on 3 Sept 2021"), "2021-09-03", names)
    assert states_start(filing("LISTING DATE 16 DEC 2021"), "2021-12-16", names)
    # ... and each is finer than its year and its month, which it does not state alone.
    for quote in ("Listing Date 16 Dec. 2021", "on 3 Sept 2021", "LISTING DATE 16 DEC 2021"):
        assert not states_start(filing(quote), "2021", names), quote
    assert not states_start(filing("on 3 Sept. 2021"), "2021-09", names)
    assert states_start(filing("listed in Dec. 2021"), "2021-12", names)
    assert not states_start(filing("listed in Dec. 2021"), "2021", names)
    assert not states_start(filing("Grammar 2021"), "2021-03", names)


def test_a_disputed_date_reads_as_words_not_as_its_field(store: MemoryStore) -> None:
    """A row of a date other sources give names what it is the date of in words: it read "other
    sources give applies_from 2021-01-11" (a property key) on China Mobile's timeline."""
    rows = [e.description for e in _rows(store, "ORG:china-mobile-ltd", "DISPUTED")]
    ads = "China Mobile Limited (NYSE CHL ADS)"  # OFAC's guidance, as NYSE quotes it, speaks of the ADSs
    given = (
        f"other sources give 2021-01-11 as the start of prohibitions for {ads} (OFAC (guidance to the NYSE"
    )
    assert any(given in row for row in rows), rows
    rows = [e.description for e in _rows(store, "EO:13959", "DISPUTED")]
    # 31 CFR part 586's public inspection (2022-02-15) and publication (2022-02-16) are two events, not
    # a disagreement (review 34, L6): no row of EO 13959 gives either as another source's date.
    assert not [row for row in rows if "31 CFR part 586" in row], rows
    disputed = [e.description for node in store.nodes() for e in _rows(store, node.id, "DISPUTED")]
    assert disputed and not [row for row in disputed if re.search(r"\b[a-z]+_[a-z_]+\b", row)]


def test_a_date_other_sources_give_reads_as_words_not_a_field_key(store: MemoryStore) -> None:
    """Orrick gives 2020-09-20 as the day EO 13942's prohibitions on TikTok were to begin (Commerce's first
    day, which it moved): the row says so in words, never as the data's key (``applies_from``)."""
    rows = [e.description for e in timeline(store, "APP:tiktok").events if e.kind == "DISPUTED"]
    given = "EO 13942 — the start of prohibitions set for 2020-09-20 ("
    assert [r for r in rows if r.startswith(given)]
    assert not [r for r in rows if "applies_from" in r or "give start" in r]


def _says(kind: str, quote: str) -> Source:
    return Source(url=f"https://x.example/{kind}", title="t", publisher="X", kind=kind, quote=quote)


def test_a_day_announced_ahead_is_not_stated_unless_the_record_sets_it() -> None:
    """A report that a thing *will* happen on a day ("will debut", "is expected to", "is scheduled
    to", "将于 … 上市", "to take effect on") is a forecast: it does not state the start or the end.
    An official, court, filing or exchange source sets the days it announces, and the words of a
    legal text ("shall take effect at 12:01 a.m. … on August 2, 2021") are no forecast, even quoted.
    Only the clause that gives the day counts: a past clause gives it; a future word after the day,
    or in another sentence, does not make a forecast of it; 将 as an object marker is no future."""
    from graph.evidence import forecasts, states_end, states_start

    xiaomi = {"Xiaomi"}
    debut = "Xiaomi will debut its share trading on the Hong Kong exchange on 9 July 2018."
    assert not states_start(_says("press", debut), "2018-07-09", xiaomi)
    assert forecasts(_says("press", debut), "2018-07-09")
    for kind in ("official", "court", "filing", "exchange"):
        assert states_start(_says(kind, debut), "2018-07-09", xiaomi), kind
    for words in (
        "Xiaomi is expected to list in Hong Kong on July 9, 2018",
        "Xiaomi is scheduled to debut on July 9, 2018",
        "Xiaomi plans to list on July 9, 2018",
        "Xiaomi said it would list on July 9, 2018",
        "Xiaomi's listing rules to take effect on July 9, 2018",
        "小米 股票将于 2018 年 7 月 9 日在香港联交所上市",
        "小米 拟于2018年7月9日上市",
    ):
        for kind in ("press", "law_firm", "other"):
            assert not states_start(_says(kind, words), "2018-07-09", xiaomi | {"小米"}), (kind, words)
        assert states_start(_says("filing", words), "2018-07-09", xiaomi | {"小米"}), words
    for words in (
        "Xiaomi debuted in Hong Kong on 9 July 2018. Its shares will be added to indices later.",
        "On July 9, 2018 Xiaomi listed in Hong Kong, and it will report results in August.",
        "2018年7月9日,香港交易所将小米列入 … 小米股票将继续交易",
        "Xiaomi will list on the exchange ... Xiaomi listed on July 9, 2018",
    ):
        assert states_start(_says("press", words), "2018-07-09", xiaomi | {"小米"}), words
    # A legal text's effective day, quoted by a law firm, is the rule's statement of its day.
    rule = "EO 14032: this order shall take effect at 12:01 a.m. eastern daylight time on August 2, 2021."
    for kind in ("official", "law_firm"):
        assert states_start(_says(kind, rule), "2021-08-02", {"EO 14032"}), kind
    # The same rule for an end: a report that a listing will be struck does not state it ended.
    delist = "NYSE will delist China Mobile on January 11, 2021"
    assert not states_end(_says("press", delist), "2021-01-11", names={"China Mobile"})
    assert states_end(_says("exchange", delist), "2021-01-11", names={"China Mobile"})
    assert states_end(_says("press", "NYSE delisted China Mobile on January 11, 2021"), "2021-01-11",
                      names={"China Mobile"})  # fmt: skip


def test_a_row_cites_the_record_of_a_day_before_the_report_that_announced_it() -> None:
    """Two press reports, one saying Acme "will be added" on the day, one that it was: the row credits
    the record with the day and lists it first; with only the forecast beside an undated official
    source, the forecast is still a source of the row and nobody is credited with the day."""
    undated = _source("undated", "official")
    ahead = _source("ahead", "press", "Acme Holdings will be added to the list on January 14, 2021.")
    record = _source("record", "press", "Acme Holdings was added to the list on January 14, 2021.")
    assert _cited(_dated_store(ahead, undated, record)) == (["undated", "record", "ahead"], "record")
    assert _cited(_dated_store(ahead, undated)) == (["undated", "ahead"], None)
    assert _cited(_dated_store(ahead, record)) == (["record", "ahead"], None)


def test_only_the_future_word_that_governs_the_day_makes_a_forecast() -> None:
    """A future word elsewhere in the sentence does not make the day a forecast: one inside a
    relative clause (", which will publish more names later,"), a hindsight "would", a past or other
    sense ("was set", "is set out in", "was due to"), a future verb whose day belongs to a past clause
    ("is set to join … after it debuted on"), one in an earlier sentence that ends in a year, a name or
    an abbreviation, and 将 as the object marker before a verb (将从事 …), or 预期 ("beat
    expectations")."""
    from graph.evidence import forecasts

    for words, day in (
        (
            "The Pentagon, which will publish more names later, added Xiaomi on January 14, 2021.",
            "2021-01-14",
        ),
        ("Xiaomi, which would later win in court, was removed from the list on May 25, 2021.", "2021-05-25"),
        ("The listing was set by the exchange on January 14, 2021.", "2021-01-14"),
        ("The annex is set out in EO 13959 of November 12, 2020.", "2020-11-12"),
        ("The halt was due to the order of November 12, 2020.", "2020-11-12"),
        ("Xiaomi is set to join the Hang Seng after it debuted on July 9, 2018.", "2018-07-09"),
        ("CNOOC will appeal the ruling of 2020. The NYSE delisted CNOOC on March 9, 2021.", "2021-03-09"),
        ("CNOOC will appeal to the NYSE. Trading was suspended on March 9, 2021.", "2021-03-09"),
        ("Nasdaq will delist Luokung Inc. Shares resumed trading on March 9, 2021.", "2021-03-09"),
        ("美国国防部将从事军工业务的小米于2021年1月14日列入清单", "2021-01-14"),
        ("业绩超出预期，股票于2019年11月18日上市", "2019-11-18"),
    ):
        assert not forecasts(_says("press", words), day), words
    # The abbreviations that end no sentence keep a forecast in one clause.
    for words in (
        "Trading will be suspended at 9:30 a.m. Eastern on March 9, 2021.",
        "Luokung Technology Corp. Class A shares will be delisted on March 9, 2021.",
        "The U.S. Treasury will add CNOOC on March 9, 2021.",
        "The NYSE will delist CNOOC under Rule No. 802 on March 9, 2021.",
        "NYSE said Nov. 6 it will delist CNOOC on March 9, 2021.",
        "CNOOC said it would be delisted on March 9, 2021.",
    ):
        assert forecasts(_says("press", words), "2021-03-09"), words


# Rows whose day only a forecast gives (evidence.forecasts: "will be suspended … on March 9, 2021",
# "股票将于 … 上市"), no source stating it happened: the face says where the day came from.
ANNOUNCED_ONLY = [
    ("EXCHANGE_ACTION|EXCH:NYSE|SEC:NYSE:ACE|2021-03-09", "New York Stock Exchange (via Example Wire)"),
    ("TRADES_ON|SEC:SSE:601606|EXCH:SSE|2018-08-06",
     "Anhui Greatwall Military Industry (copy on aijingu.com)"),
    ("TRADES_ON|SEC:SSE:601698|EXCH:SSE|2019-06-28", "China Satellite Communications (copy on igu888.com)"),
    ("TRADES_ON|SEC:SZSE:003009|EXCH:SZSE|2020-09-25",
     "Shaanxi Zhongtian Rocket Technology (copy on Sina Finance)"),
    ("TRADES_ON|SEC:SSE:688111|EXCH:SSE|2019-11-18",
     "Beijing Kingsoft Office Software (copy on Sohu Finance)"),
]  # fmt: skip


@pytest.mark.parametrize(("edge_id", "publisher"), ANNOUNCED_ONLY)
def test_a_day_only_announced_ahead_says_who_announced_it(
    store: MemoryStore, announced: MemoryStore, edge_id: str, publisher: str
) -> None:
    # The exchange's suspension is tests/fixtures/announced's; the listings are the corpus's.
    store = announced if "SEC:NYSE:ACE" in edge_id else store
    entity = next(end for end in edge_id.split("|")[1:3] if end.startswith("SEC:"))
    (row,) = [e for e in timeline(store, entity).events if e.edge_id == edge_id and e.date == edge_id[-10:]]
    assert row.stated_by == [] and publisher in [s.publisher for s in row.announced_by]
    said = announced_ahead(row.announced_by) or ""
    assert said.startswith(f"day announced ahead by {publisher} of ")
    assert said.endswith("; no source cited confirms that day")
    assert row.model_dump(mode="json")["announced_by"][0]["publisher"] == row.announced_by[0].publisher
    change = [
        c
        for day in changes(store, date.fromisoformat(row.date), date.fromisoformat(row.date)).days
        for c in day.changes
        if c.edge_id == edge_id and c.what in ("began", "event")
    ]
    assert [c.announced_by for c in change] == [row.announced_by]
    assert publisher in str(cite(store, edge_id).note)


def test_a_day_some_source_states_is_not_said_to_be_announced_ahead(store: MemoryStore) -> None:
    # 688012's listing: the Sina copy forecasts the day, the notice in Securities Daily states it.
    (row,) = [
        e
        for e in timeline(store, "SEC:SSE:688012").events
        if e.edge_id == "TRADES_ON|SEC:SSE:688012|EXCH:SSE|2019-07-22"
    ]
    assert row.stated_by and row.announced_by == [] and "announced_by" not in row.model_dump(mode="json")
    assert cite(store, "TRADES_ON|SEC:SSE:688012|EXCH:SSE|2019-07-22").note is None
    assert announced_ahead([]) is None


def test_a_suspension_announced_ahead_says_so_in_the_exchange_status(
    announced: MemoryStore, store: MemoryStore
) -> None:
    status = affects(announced, "SEC:NYSE:ACE", date(2021, 3, 10)).exchange_status
    assert status is not None and (status.state, status.since) == ("suspended", "2021-03-09")
    assert [s.publisher for s in status.announced_by] == ["New York Stock Exchange (via Example Wire)"]
    delisted = affects(announced, "SEC:NYSE:ACE", date(2021, 10, 25)).exchange_status
    assert delisted is not None and delisted.state == "delisted" and delisted.announced_by == []
    # The same suspension stated by a report after it: no one is said to announce it.
    stated = affects(announced, "SEC:NYSE:OTE", date(2021, 3, 10)).exchange_status
    assert stated is not None and stated.state == "suspended" and stated.announced_by == []
    # CNOOC's, which its 6-K sets and Upstream reports done, is a stated day.
    cnooc = affects(store, "SEC:NYSE:CEO", date(2021, 3, 10)).exchange_status
    assert cnooc is not None and (cnooc.state, cnooc.since) == ("suspended", "2021-03-09")
    assert cnooc.announced_by == []


def _exchange_rows(store: MemoryStore, node_id: str) -> list[TimelineEvent]:
    """The rows of a timeline about an exchange's action (its start, its end, a disputed date)."""
    actions = {e.id for e in store.edges("EXCHANGE_ACTION")}
    return [e for e in timeline(store, node_id).events if e.edge_id in actions]


def test_an_issuers_timeline_shows_what_exchanges_did_to_its_securities(store: MemoryStore) -> None:
    """Issue 7: China Mobile's story is NYSE's — its delisting announcement of 2020-12-31, the
    withdrawal of 2021-01-04, the renewed announcement of 2021-01-06, the suspension of 2021-01-11 and
    the delisting of 2021-05-18 of its ADS — and Luokung's includes Nasdaq's staff determination of
    2025-02-11. Each row names the security the exchange acted on."""
    ads, nyse = "China Mobile Limited (NYSE CHL ADS)", "New York Stock Exchange"
    rows = {(e.date, e.description) for e in _exchange_rows(store, "ORG:china-mobile-ltd")}
    again = f"{ads} delisting announced again by {nyse}, reversing its withdrawal of 2021-01-04"
    assert {
        ("2020-12-31", f"{ads} delisting announced by {nyse} (likely)"),
        ("2021-01-04", f"{ads} delisting announcement of 2020-12-31 withdrawn by {nyse} (likely)"),
        ("2021-01-06", again),
        ("2021-01-11", f"{ads} trading suspended by {nyse}"),
        ("2021-05-18", f"{ads} delisted by {nyse} (trading there suspended since 2021-01-11) (likely)"),
    } <= rows
    luokung = {(e.date, e.description) for e in _exchange_rows(store, "ORG:luokung")}
    # Review 35 (N12): the determination of 2025 (stockholders' equity below Nasdaq's minimum) stands on
    # its own ground; it did not reverse the withdrawal of 2021-05-06, whose letter (EO 13959) stays
    # withdrawn.
    lkco = "Luokung Technology Corp. (NASDAQ LKCO) delisting announced by Nasdaq Stock Market"
    assert ("2025-02-11", lkco) in luokung
    assert not [d for d, words in luokung if "2021-05-06" in words and d != "2021-05-06"]
    assert {"2021-03-05", "2021-03-11", "2021-04-30", "2021-05-06"} <= {d for d, _ in luokung}


def _naming(row: TimelineEvent, name: str) -> str:
    """A security's row as its issuer's timeline words it: the security named before the phrase."""
    head, sep, phrase = row.description.rpartition(": ")
    if row.kind == "DISPUTED":
        return f"{head}{sep}{name} {phrase}"
    return f"{name} {row.description}"


def _told(row: TimelineEvent) -> tuple[object, ...]:
    """All a row says but its words: its answer, and which sources state its date."""
    return row.model_dump() | {"description": ""}, row.stated_by, row.announced_by


def test_an_issuers_exchange_rows_are_dated_and_sourced_as_on_the_securitys(store: MemoryStore) -> None:
    """Every row an exchange's action gives a security's timeline is on each issuer's timeline, the
    security named, with the same date, kind, sources (ranked alike), dating credit, note and
    "announced ahead" sources: one story, told the same wherever it is read."""
    issuers = 0
    for issues in store.edges("ISSUES"):
        security = store.get_node(issues.target)
        assert security is not None
        own = _exchange_rows(store, security.id)
        if not own:
            continue
        issuers += 1
        mine = _exchange_rows(store, issues.source)
        for row in own:
            named = _naming(row, security.name)
            same = [e for e in mine if e.description == named and e.date == row.date]
            assert same, (issues.source, row.date, named)
            assert [_told(e) for e in same] == [
                _told(e) for e in own if e.date == row.date and _naming(e, security.name) == named
            ]
    assert issuers >= 5


def test_a_groups_timeline_shows_what_exchanges_did_to_its_subsidiaries_securities(
    store: MemoryStore,
) -> None:
    """A reporter opening China Mobile Communications Group (the state parent on DoD's list) expects
    its story to include NYSE's delisting of China Mobile Limited's ADS: each row of the subsidiary's
    exchange actions is on the parent's timeline, the same date, sources and note, labelled
    "via <subsidiary>"; the parent's other rows are untouched."""
    via = " (via China Mobile Limited)"
    subsidiary = _exchange_rows(store, "ORG:china-mobile-ltd")
    group = _exchange_rows(store, "ORG:china-mobile-communications-group")
    assert subsidiary and len(group) == len(subsidiary)
    for mine, theirs in zip(
        sorted(group, key=lambda e: (e.date, e.description)),
        sorted(subsidiary, key=lambda e: (e.date, e.description)),
        strict=True,
    ):
        # The same words, "via …" after them, then how sure they are ("(likely)"), as every row ends.
        sure = unsure(theirs.confidence)
        assert mine.description == theirs.description.removesuffix(sure) + via + sure
        assert _told(mine) == _told(theirs)
    ads = "China Mobile Limited (NYSE CHL ADS)"
    assert (
        "2021-05-18",
        f"{ads} delisted by New York Stock Exchange (trading there suspended since 2021-01-11){via} (likely)",
    ) in {(e.date, e.description) for e in group}
    telecom = _exchange_rows(store, "ORG:china-telecommunications-corp")
    assert any(e.description.endswith(" (via China Telecom Corporation Limited)") for e in telecom)


def _said(store: MemoryStore, node_id: str, day: str) -> list[str]:
    return [e.description for e in _rows(store, node_id) if e.date == day]


def test_an_end_row_says_what_ended_and_why(store: MemoryStore) -> None:
    """An end row says what ended and, where the graph holds the act that ended it (a revocation,
    a supersession, an exchange's delisting), names that act: "EO 13974 — ends: amends Executive
    Order 13959" read as if an amendment ended by itself, and "ends: enjoined by …" as if the court
    had lifted its injunction, when EO 14034's revocation of EO 13942 mooted it."""
    order = _said(store, "EO:13942", "2021-06-09")
    # No court acted on 2021-06-09: the order the injunction barred was revoked, leaving it nothing to
    # bar (the cases were dismissed in July and August; review eyes35 N10).
    assert (
        "EO 13942 — injunction in TikTok Inc. v. Trump (D.D.C.) left with nothing to bar: EO 13942 revoked "
        "by EO 14034 (as to: app-store prohibition only (Commerce Identification item 1, due 2020-09-27))"
    ) in order
    assert (
        "EO 13942 — nationwide injunction in Marland v. Trump (E.D. Pa.) left with nothing to bar: EO 13942 "
        "revoked by EO 14034 (as to: Commerce Identification under EO 13942 "
        "(the prohibitions due 2020-11-12))"
    ) in order
    assert not [row for row in order if "injunction" in row and " ends" in row], order
    wechat = _said(store, "APP:wechat", "2021-06-09")
    assert any("U.S. WeChat Users All" in row and "left with nothing to bar" in row for row in wechat), wechat
    # Luokung's was overtaken by EO 14032's supersession of EO 13959 §§1–5, no court acting that day;
    # its scope named DoD's designation too, which EO 14032 did not undo: not "nothing to bar".
    luokung = _said(store, "ORG:luokung", "2021-06-03")
    assert any("injunction in Luokung" in row and " overtaken: EO 13959 (§§1–5" in row for row in luokung)
    assert not [row for row in luokung if "injunction in Luokung" in row and " ends" in row], luokung
    # Whom it protected, after what it covered; Xiaomi's gave way to the court's final order.
    assert (
        "EO 13959 — injunction in Xiaomi Corporation v. U.S. Department of Defense (D.D.C.) ends: "
        "superseded by the court's final order vacating the designation (as to: "
        "DoD's 2021-01-14 §1237 designation of Xiaomi Corporation and the resulting EO 13959 prohibitions, "
        "as applied to Xiaomi Corporation)"
    ) in _said(store, "ORG:xiaomi", "2021-05-25")
    assert "EO 13942 — targeting of TikTok ends: EO 13942 revoked by EO 14034" in order
    assert "EO 13942 — targeting of TikTok ends: EO 13942 revoked by EO 14034" in _said(
        store, "APP:tiktok", "2021-06-09"
    )
    assert any(
        row == "EO 13974 — changes to EO 13959 (§1(b)-(c), §4(a)(ii)-(iii), §4(e)) no longer apply: "
        "EO 13974 revoked by EO 14032"
        for row in _said(store, "EO:13974", "2021-06-03")
    ), _said(store, "EO:13974", "2021-06-03")
    assert (
        "EO 13959 — changes by EO 13974 (§1(b)-(c), §4(a)(ii)-(iii), §4(e)) no longer apply: "
        "EO 13974 revoked by EO 14032" in (_said(store, "EO:13959", "2021-06-03"))
    )
    assert any(
        row.startswith("EO 13959 — rule for OFAC Non-SDN Communist Chinese Military Companies List")
        and row.endswith(" ends: EO 13959 (§§1–5 and the Annex) superseded by EO 14032")
        for row in _said(store, "EO:13959", "2021-06-03")
    )
    # The court's final order ended Xiaomi's listing: the row says so (and that it is likely).
    assert (
        "EO 13959 — listing on DoD list of Communist Chinese military companies (NDAA FY1999 §1237) ends:"
        " designation vacated by the final order in Xiaomi Corporation v. U.S. Department of Defense"
        " (D.D.C.) (likely)" in _said(store, "ORG:xiaomi", "2021-05-25")
    )
    # NYSE's delisting ended the ADS's trading there: one row says both (the fold below).
    assert _said(store, "SEC:NYSE:CHA", "2021-05-18") == [
        "delisted by New York Stock Exchange (trading there suspended since 2021-01-11)"
    ]
    for node_id in ("EO:13942", "EO:13959", "EO:13974", "APP:tiktok", "ORG:xiaomi", "SEC:NYSE:CHA"):
        # Never the bare "EO 13942 — ends: <the start row's words>".
        assert not [r for r in _said_all(store, node_id) if re.search(r"— ends: ", r)]


def _said_all(store: MemoryStore, node_id: str) -> list[str]:
    return [e.description for e in _rows(store, node_id)]


def test_every_prohibition_date_of_a_targeting_has_its_row(store: MemoryStore) -> None:
    """Commerce's TikTok identification set the app-store prohibition for 2020-09-27 (as delayed)
    and the other four for 2020-11-12: each date has its row, saying which court had blocked it
    (the first PI covered the app-store prohibition only, so it is not why 2020-11-12's failed)."""
    for node_id in ("APP:tiktok", "EO:13942", "ORG:bytedance"):
        rows = [
            e for e in _rows(store, node_id) if e.date == "2020-11-12" and "prohibitions" in e.description
        ]
        assert rows, node_id
        assert all(
            "prohibitions due, but enjoined nationwide since 2020-10-30 by Marland v. Trump" in e.description
            for e in rows
        ), [e.description for e in rows]
        assert all(any("paedce/2:2020cv04597" in s.url for s in e.sources) for e in rows), node_id
    tiktok = _rows(store, "APP:tiktok")
    (sept,) = [e for e in tiktok if e.date == "2020-09-27" and "prohibitions" in e.description]
    assert "enjoined since 2020-09-27 by TikTok Inc. v. Trump" in sept.description


def test_a_disputed_date_row_shows_both_dates_and_both_sources(store: MemoryStore) -> None:
    """ "other sources give 2020-09-20 as the start of prohibitions: targets TikTok" left the reader
    to guess what it disagreed with: the row names the other date and whose it is, and that date's
    own row is on the same timeline."""
    rows = _rows(store, "APP:tiktok")
    (row,) = [e for e in rows if e.kind == "DISPUTED" and e.date == "2020-09-20"]
    # Commerce moved its own day (review 35, N1): the row names both days and whose each is, as "moved".
    given = "EO 13942 — the start of prohibitions set for 2020-09-20 ("
    assert row.description.startswith(given)
    moved = " was moved on 2020-09-19 to"
    assert f"{moved} 2020-09-27 (" in row.description and row.description.endswith("): targets TikTok")
    assert "Orrick" in row.description.split(moved)[0]
    # The data names who states 2020-09-27 (applies_from_stated_by): Commerce's statement as ANI quotes it
    # and Thompson Hine on the Federal Register notice of 2020-09-24; no one else is credited.
    credited = " 2020-09-27 (Thompson Hine LLP (SmarTrade); The Free Press"
    assert row.description.split(moved)[1].startswith(credited)
    assert [e for e in rows if e.date == "2020-09-27" and e.edge_id == row.edge_id]
    # A date the main sources do not give at all says so.
    (ymtc,) = [e for e in _rows(store, "ORG:ymtc", "DISPUTED") if e.date == "2026-02-17"]
    assert "as the end (" in ymtc.description and "against no end recorded" in ymtc.description


def test_a_rule_date_is_credited_only_to_the_sources_that_state_it(store: MemoryStore) -> None:
    """The four NS-CCMC subsidiaries' prohibitions began 2021-03-09 (OFAC's GL 1B note); NYSE's
    notices write other days of its own acts (CNOOC's suspension on 2021-03-09, the telcos' on
    2021-01-11): a disagreement row credits the rule's date only to the sources the data says
    state it (``<field>_stated_by``), never NYSE. CNOOC's 2021-02-01 is no disagreement at all: its
    one source gave S&P's index-removal day, no start of prohibitions (review 34, M2)."""
    assert not [e for e in _rows(store, "ORG:cnooc-ltd", "DISPUTED") if e.date == "2021-02-01"]
    (row,) = [
        e
        for e in _rows(store, "ORG:china-mobile-ltd", "DISPUTED")
        if e.date == "2021-01-11" and "start of prohibitions" in e.description
    ]
    given, against = row.description.split(", against ")
    # Credited: the source applies_from_stated_by names, OFAC's announcement of 2021-01-27 as Caixin quotes
    # it ("begin on March 9, 2021"), against OFAC's guidance of 2021-01-05 as NYSE's notice quotes it: OFAC
    # against OFAC (review 34 M3), neither the exchange nor the paper.
    assert against.startswith("2021-03-09 (OFAC (announcement quoted by Caixin Global))"), row.description
    assert "(OFAC (guidance to the NYSE, quoted in NYSE's notice))" in given
    assert "Intercontinental Exchange" not in row.description
    cnooc = [e for e in _rows(store, "ORG:cnooc-ltd") if e.date == "2021-03-09" and e.kind == "PROHIBITIONS"]
    assert cnooc and all("New York Stock Exchange" not in s.publisher for e in cnooc for s in e.stated_by)


def test_a_disagreements_other_date_has_its_row_on_the_same_timeline(store: MemoryStore) -> None:
    """Every row of a date other sources give names the date it disagrees with, and that date's row
    (of the same edge) is on the same timeline: a list's timeline, which has no rows of its members'
    rule dates, shows no disagreement about them (their members' timelines do)."""
    checked = 0
    for node in store.nodes():
        rows = _rows(store, node.id)
        for row in rows:
            if row.kind != "DISPUTED":
                continue
            # "else": sources giving their day only in a case they name, and the other day otherwise.
            # "moved on D to": a value the body that set it moved itself (Commerce's TikTok delay).
            dated = r"(?:, against|, else| was moved on \S+ to) (\d{4}(?:-\d\d){0,2}|no [a-z -]+ recorded)"
            found = re.search(dated, row.description)
            assert found, row.description
            main = found.group(1)
            if not main.startswith("no "):
                checked += 1
                # The rule's day (a listing giving none of its own) is the rule's row: its edge is the rule's.
                sides = (f"against {main} (the rule of ", f"else {main}, as the rule of ")
                ruled = any(side in row.description for side in sides)
                assert [
                    e
                    for e in rows
                    if e.date == main
                    and (e.edge_id == row.edge_id or (ruled and e.kind == "PROHIBITIONS"))
                    and e.kind != "DISPUTED"
                ], (
                    node.id,
                    row.description,
                )
    assert checked > 100


def test_an_act_names_what_a_news_report_mentions(store: MemoryStore) -> None:
    """Commerce's rescission of the TikTok identification (in effect from 2021-06-16) and the order
    of 2020-08-14 on Musical.ly are acts, not articles: TikTok is named in them; a news report
    (ZDNet on Xiaomi) still mentions."""
    tiktok = _said_all(store, "APP:tiktok")
    assert (
        "named in Commerce: rescission of the TikTok and WeChat Identifications of Prohibited Transactions"
        " (likely)" in tiktok
    )
    assert (
        "named in Order of August 14, 2020, Regarding the Acquisition of Musical.ly by ByteDance Ltd."
        in tiktok
    )
    assert not [row for row in tiktok if "mentioned in" in row]
    assert "mentioned in Xiaomi denies any ties with Chinese military" in _said_all(store, "ORG:xiaomi")


def test_a_later_eo_14032_listings_window_ends_at_the_orders_hour_and_its_last_full_day_is_no_dispute(
    store: MemoryStore,
) -> None:
    """Megvii, listed 2021-12-16: EO 14032 §1(c)(ii) permits divestment sales prior to 12:01 a.m. EDT on
    the day 365 days later, so OFAC's 16 Dec 2022 and Thompson Hine's "no later than December 15, 2022"
    are one deadline: the 2022-12-16 row gives the hour and the last full day, and no row sets the two
    against each other (review eyes35 N8). The row still credits OFAC's entry for its day."""
    listing = store.get_edge("LISTED_ON|ORG:megvii|LIST:OFAC-NS-CMIC|2021-12-16")
    assert listing is not None
    said = _said_all(store, "ORG:megvii")
    assert not [row for row in said if "2022-12-15 as the end of the divest-only window" in row], said
    (row,) = [
        r for r in _rows(store, "ORG:megvii") if r.date == "2022-12-16" and "divest-only" in r.description
    ]
    assert row.description.startswith(
        "EO 14032 — divest-only window ends at 12:01 a.m. EDT (the last full day is 2022-12-15)"
    ), row.description
    assert [s.url for s in row.stated_by] == listing.properties["divest_until_stated_by"]


def test_an_act_names_what_it_mentions_on_both_sides(store: MemoryStore) -> None:
    """Commerce's rescission is an act (it takes effect): TikTok's timeline says "named in" it, and
    the rescission's own timeline says it "names" TikTok — never "mentions" on one side only."""
    doc = "DOC:commerce-rescission-2021-06-21"
    app = {e.description for e in _rows(store, "APP:tiktok") if e.other and e.other.id == doc}
    own = {e.description for e in _rows(store, doc) if e.other and e.other.id == "APP:tiktok"}
    assert any(d.startswith("named in Commerce: rescission") for d in app), app
    assert "names TikTok (likely)" in own and not any("mentions" in d for d in own), own


def test_one_publisher_on_both_sides_of_a_disagreement_is_told_apart(store: MemoryStore) -> None:
    """Luokung's filings give 2021-03-10 and 2021-03-09 for its re-listing: the row says which filing
    gives which (by their dates), never the same name on both sides."""
    (row,) = [
        e
        for e in _rows(store, "ORG:luokung", "DISPUTED")
        if e.date == "2021-03-10" and "DoD list" in e.description
    ]
    sides = re.search(r"\((.*)\), against 2021-03-09 \((.*)\): ", row.description)
    assert sides is not None, row.description
    assert sides.group(1) != sides.group(2), row.description
    assert "Luokung Technology Corp. (SEC EDGAR), 20" in sides.group(2), row.description


def test_every_row_keeps_its_brackets_balanced(store: MemoryStore) -> None:
    """A source's name cut to fit a disagreement row never leaves a bracket open: the GitHub copy of
    OFAC's file, cut at 60 characters, read "(li-xiaohui/grab-companies (GitHub, commit 4607d35 of…):"."""
    from graph.labels import clipped

    publisher = (
        "li-xiaohui/grab-companies (GitHub, commit 4607d35 of 2025-04-21), a copy of OFAC's file; "
        "the same 68 CMIC-EO13959 entries as Assassin-13/Gen-AI-Hackathon-TAG (commit d8ed502 of 2025-03-26)"
    )
    for most in range(20, 80):
        cut = clipped(publisher, most)
        assert len(cut) <= most and cut.count("(") == cut.count(")"), (most, cut)
    assert clipped(publisher, 60) == "li-xiaohui/grab-companies (GitHub, commit 4607d35 of…)"
    checked = 0
    for node_id in ("ORG:megvii", "ORG:dji", "ORG:cnooc-ltd", "ORG:luokung", "APP:tiktok", "ORG:xiaomi"):
        for row in _rows(store, node_id, "DISPUTED"):
            checked += 1
            assert row.description.count("(") == row.description.count(")"), row.description
    assert checked >= 5


def test_a_row_an_orders_rule_makes_says_what_it_is(store: MemoryStore) -> None:
    """A "prohibitions due" row is not a targeting, nor a divest-only deadline a rule: its kind says
    what the row is (the faces label it so), its ``fact`` the edge whose sources state it."""
    from graph.labels import event_kind_label

    rows = _rows(store, "APP:tiktok") + _rows(store, "ORG:hikvision") + _rows(store, "ORG:luokung")
    due = [e for e in rows if e.description.split(" — ")[-1].startswith("prohibitions")]
    window = [e for e in rows if "divest-only window" in e.description.split(": ")[0]]
    assert due and all(
        e.kind == "PROHIBITIONS" and e.fact in ("TARGETS", "GOVERNS", "LISTED_ON", "ENJOINS") for e in due
    )
    assert window and all(e.kind == "DIVEST_WINDOW" for e in window)
    assert event_kind_label("PROHIBITIONS") == "prohibitions"
    assert event_kind_label("DIVEST_WINDOW") == "divest-only window"
    assert {e.kind for e in rows if "governs the list from" in e.description} <= {"RULE_BEGINS"}


def test_an_orders_own_events_lead_its_day(store: MemoryStore) -> None:
    """EO 13959's 2020-11-12 reads as it happened: signed, takes effect, then what it governs and who
    issued it (the rows were sorted by kind alone: "governs" came before "signed")."""
    day = [e.description for e in _rows(store, "EO:13959") if e.date == "2020-11-12"]
    assert day[:2] == ["EO 13959 — signed", "EO 13959 — takes effect"], day
    assert len(day) > 2 and all(" — signed" not in d and " — takes effect" not in d for d in day[2:])


def test_every_entitys_own_events_lead_their_day(store: MemoryStore) -> None:
    """On every order's and case's timeline, a day's own events (signed, published, takes effect,
    filed) come before its edges' rows, in the order they happen; checked on each that has a day
    with both."""
    own = ["signed", "published", "effective", "prohibitions_from", "filed", "date"]
    checked = 0
    for node in [*store.nodes("ExecutiveOrder"), *store.nodes("CourtCase")]:
        rows = _rows(store, node.id)
        for day in {e.date for e in rows}:
            kinds = [e.kind if e.edge_id is None else "edge" for e in rows if e.date == day]
            mine = [k for k in kinds if k != "edge"]
            if mine and len(mine) < len(kinds):
                checked += 1
                assert kinds == [*sorted(mine, key=own.index), *["edge"] * (len(kinds) - len(mine))], (
                    node.id,
                    day,
                    kinds,
                )
    assert checked >= 5, checked


def test_an_exchanges_action_is_of_the_kind_it_did(store: MemoryStore) -> None:
    """An exchange's action's rows name their kind by what the exchange did ("trading suspension",
    "withdrawal of the delisting"), start and end alike, on the security's, its issuer's and
    ``changes``' rows; none reads as the edge's label "acts on"."""
    from graph.labels import event_kind_label

    rows = [e for e in _rows(store, "SEC:NYSE:CHL", "EXCHANGE_ACTION")]
    issuer = [e for e in _rows(store, "ORG:china-mobile-ltd", "EXCHANGE_ACTION")]
    found = [
        c
        for d in changes(store, date(2020, 12, 1), date(2021, 6, 1)).days
        for c in d.changes
        if c.kind == "EXCHANGE_ACTION"
    ]
    assert rows and issuer and found
    said: list[tuple[str | None, str, str | None]] = [(e.edge_id, e.kind, e.action) for e in rows + issuer]
    said += [(c.edge_id, c.kind, c.action) for c in found]
    for edge_id, kind, action in said:
        edge = next(e for e in store.edges("EXCHANGE_ACTION") if e.id == edge_id)
        assert action == edge.properties["action"]
        assert event_kind_label(kind, action) != "acts on"
    kinds = {(e.date, event_kind_label(e.kind, e.action)) for e in rows}
    assert {
        ("2020-12-31", "delisting announcement"),
        ("2021-01-04", "withdrawal of the delisting"),
        ("2021-01-11", "trading suspension"),
        ("2021-05-18", "delisting"),
    } <= kinds
    assert event_kind_label("EXCHANGE_ACTION") == "acts on"  # no action named: the edge's label


def test_an_exchanges_next_action_says_what_it_ended_on_its_own_row(store: MemoryStore) -> None:
    """NYSE's withdrawal of 2021-01-04 ended its delisting notice of 2020-12-31: one row says both
    ("delisting announcement of 2020-12-31 withdrawn by New York Stock Exchange"), citing the
    sources that state that end, on the security's, its issuer's and the exchange's timeline and in
    ``changes`` (two rows of that day read as a repeat); an exchange action a different act ended
    (a delisting ends the trading) keeps its own end row."""
    from graph.evidence import edge_names, end_sources, ending_actions

    notice = next(
        e for e in store.edges_of("SEC:NYSE:CHL", "in", ["EXCHANGE_ACTION"]) if e.start == "2020-12-31"
    )
    stating = {s.url for s in end_sources(notice, ending_actions(store, notice), edge_names(store, notice))}
    assert stating
    said = "delisting announcement of 2020-12-31 withdrawn by New York Stock Exchange (likely)"
    for node_id in ("SEC:NYSE:CHL", "ORG:china-mobile-ltd", "EXCH:NYSE"):
        day = [
            e
            for e in _exchange_rows(store, node_id)
            if e.date == "2021-01-04" and "CHL" in (e.description + (e.other.id if e.other else "") + node_id)
        ]
        assert not [e for e in day if e.edge_id == notice.id], node_id  # no end row of its own
        [row] = [e for e in day if "withdraw" in e.description]
        assert "delisting announcement of 2020-12-31" in row.description, node_id
        assert stating <= {s.url for s in row.sources}, node_id
    assert said in {e.description for e in _exchange_rows(store, "SEC:NYSE:CHL")}
    found = [c for d in changes(store, date(2021, 1, 4), date(2021, 1, 4)).days for c in d.changes]
    assert not [c for c in found if c.edge_id == notice.id]
    [change] = [c for c in found if c.kind == "EXCHANGE_ACTION" and c.entities[1].id == "SEC:NYSE:CHL"]
    assert change.description == (
        "New York Stock Exchange withdraws its delisting announcement of 2020-12-31 for "
        "China Mobile Limited (NYSE CHL ADS) (likely)"
    )
    assert stating <= {s.url for s in change.sources} and change.what == "event"
    # The delisting of 2021-05-18 ended the ADS's trading on NYSE: the delisting's row says so, and
    # cites what states that end; no row of its own repeats "trading … ends: delisted by NYSE".
    trades = next(e for e in store.edges_of("SEC:NYSE:CHL", "out", ["TRADES_ON"]) if e.target == "EXCH:NYSE")
    stating = {s.url for s in end_sources(trades, ending_actions(store, trades), edge_names(store, trades))}
    for node_id, said in (
        (
            "SEC:NYSE:CHL",
            "delisted by New York Stock Exchange (trading there suspended since 2021-01-11) (likely)",
        ),
        (
            "EXCH:NYSE",
            (
                "New York Stock Exchange delists China Mobile Limited (NYSE CHL ADS), "
                "suspended from trading there since 2021-01-11 (likely)"
            ),
        ),
    ):
        day = [
            e
            for e in timeline(store, node_id).events
            if e.date == "2021-05-18" and "CHL" in e.description + node_id
        ]
        assert [e.description for e in day] == [said], node_id
        assert stating <= {s.url for s in day[0].sources}
    found = [c for d in changes(store, date(2021, 5, 18), date(2021, 5, 18)).days for c in d.changes]
    chl = [c.description for c in found if "CHL" in c.description]
    assert chl == [
        (
            "New York Stock Exchange delists China Mobile Limited (NYSE CHL ADS), "
            "suspended from trading there since 2021-01-11 (likely)"
        )
    ]


def test_a_disputed_start_of_prohibitions_names_the_rules_day_when_the_listing_gives_none(
    store: MemoryStore,
) -> None:
    """Luokung's misspelt listing gives no start of prohibitions of its own: EO 13959's rule gives
    2021-03-15 (60 days), its 6-K of 2021-03-02 gives 2021-05-27 if General License 1A applies, else
    2021-03-15. The reading names the rule's day, not "no start of prohibitions recorded" beside a row that
    shows it."""
    for entity in ("ORG:luokung", "SEC:NASDAQ:LKCO"):
        (row,) = [e for e in _rows(store, entity) if e.date == "2021-05-27"]
        # The filing gives 2021-03-15 too, unless General License 1A applies (review 35, N3): no "against".
        assert (
            "other sources give 2021-05-27 as the start of prohibitions if OFAC's General License 1A applies "
            "to the company (Luokung Technology Corp. (SEC EDGAR)), else 2021-03-15, as the rule of EO 13959 "
            "gives: "
        ) in row.description
        assert "against" not in row.description
        assert "no start of prohibitions recorded" not in row.description
        assert any(
            e.date == "2021-03-15" and "prohibitions never applied" in e.description
            for e in _rows(store, entity)
        )


def test_commerces_own_delay_of_the_tiktok_ban_is_no_disagreement(store: MemoryStore) -> None:
    """Review 35 (N1): TikTok's timeline showed 'other sources give 2020-09-20 as the start of prohibitions
    (Orrick …), against 2020-09-27 (Sullivan & Cromwell LLP)': two law firms disagreeing. Commerce set the
    app-store prohibition for 2020-09-20 in its identification of 2020-09-18 and moved it itself on
    2020-09-19 to 2020-09-27 ("will delay the prohibition … that would have been effective on Sunday,
    September 20, 2020, until September 27, 2020"). The row says so, crediting Commerce's statement and the
    Federal Register notice's day as reported; the identification and the delay have rows of their own."""
    for entity in ("APP:tiktok", "ORG:bytedance"):
        rows = _rows(store, entity)
        (moved,) = [e for e in rows if e.date == "2020-09-20"]
        assert "other sources give" not in moved.description and "against" not in moved.description
        assert moved.description.startswith(
            "EO 13942 — the start of prohibitions set for 2020-09-20 (Orrick, Herrington & Sutcliffe LLP) "
            "was moved on 2020-09-19 to 2020-09-27 ("
        ), moved.description
        assert "Commerce" in moved.description.split(" to 2020-09-27 (", 1)[1]
        assert [e for e in rows if e.date == "2020-09-18" and "Identification" in e.description]
    # Commerce's statement of the delay names TikTok and EO 13942, not ByteDance.
    assert [e for e in _rows(store, "APP:tiktok") if e.date == "2020-09-19" and "delay" in e.description]


_RULE_ROWS = {"PROHIBITIONS", "DIVEST_WINDOW", "RULE_BEGINS", "RULE_ENDS"}


def _says_unsure(description: str) -> bool:
    return description.endswith((" (likely)", " (unverified)"))


def test_every_row_resting_on_an_edge_not_verified_says_so_and_no_other_does(store: MemoryStore) -> None:
    # Review 34 M7: CNOOC Limited's §1260H listing ends on 2026-06-08 only by an inference from an
    # absence (likely); its row read "… ends" as flatly as a verified one.
    edges = {e.id: e for e in store.edges()}
    marked = 0
    for node in store.nodes():
        for row in timeline(store, node.id).events:
            assert _says_unsure(row.description) == (row.confidence not in (None, "verified")), row
            if row.edge_id is None:
                assert row.confidence is None, row  # an entity's own event rests on no edge
                continue
            edge = edges[row.edge_id]
            # A row is never surer than the edge it is built from; an edge's own row, on the timeline
            # of an end of that edge, is exactly as sure as it.
            assert row.confidence is not None
            assert CONFIDENCES.index(row.confidence) >= CONFIDENCES.index(edge.confidence), row
            if row.kind == edge.kind and node.id in (edge.source, edge.target):
                assert row.confidence == edge.confidence, row
            marked += _says_unsure(row.description)
    assert marked > 100  # the §1237 and §1260H listings read in copies only are likely


def test_cnooc_limiteds_inferred_1260h_end_reads_as_likely(store: MemoryStore) -> None:
    ends = [r for r in _rows(store, "ORG:cnooc-ltd", "LISTED_ON") if r.date == "2026-06-08"]
    assert [r.description for r in ends] == [
        "listing on DoD list of Chinese military companies (NDAA FY2021 §1260H) ends (likely)"
    ]
    # Its NS-CCMC listing is verified: its rows say nothing of the kind.
    ccmc = [r for r in _rows(store, "ORG:cnooc-ltd") if "NS-CCMC" in r.description]
    assert ccmc and not any(_says_unsure(r.description) for r in ccmc)


def test_a_rule_row_is_as_sure_as_the_listing_it_rests_on(store: MemoryStore) -> None:
    # EO 13959's rule over the §1237 list is verified; Xiaomi's listing, read in copies of DoD's
    # release only, is likely: the rows the rule makes of that listing are likely too.
    governs = [e for e in store.edges("GOVERNS") if e.source == "EO:13959" and e.target == "LIST:DOD-1237"]
    assert [g.confidence for g in governs] == ["verified"]
    rows = [r for r in _rows(store, "ORG:xiaomi") if r.kind in _RULE_ROWS]
    assert {r.kind for r in rows} >= {"PROHIBITIONS", "DIVEST_WINDOW"}
    assert all(r.confidence == "likely" and r.description.endswith(" (likely)") for r in rows)


def test_a_targeting_whose_prohibitions_never_came_says_so_on_the_day_it_began(store: MemoryStore) -> None:
    # Review 34 L2: "EO 13971 — targets Alipay" on 2021-01-05 read as a ban from that day; no
    # prohibition under it was ever put into effect (Commerce never identified the transactions
    # before EO 14034 revoked it), as `affects` says. The graph knows it by the targeting giving no
    # day its prohibitions apply from; EO 13942's and EO 13943's targetings give theirs.
    checked = 0
    for edge in store.edges("TARGETS"):
        order, target = store.get_node(edge.source), store.get_node(edge.target)
        assert order is not None and target is not None and edge.start is not None
        never = "applies_from" not in edge.properties
        began = [
            r.description
            for r in _rows(store, order.id, "TARGETS")
            if r.date == edge.start and r.other and r.other.id == target.id and not _is_end(r)
        ]
        words = f"EO {order.properties['number']} — targets {target.name}"
        sure = unsure(edge.confidence)
        expected = f"{words}; its prohibitions were never put into effect{sure}" if never else words + sure
        assert began == [expected]
        checked += never
    assert checked == 8  # EO 13971's eight apps


def test_a_listings_row_gives_the_name_the_list_gave(store: MemoryStore) -> None:
    # Review 34 L5: on the company's and the list's timelines, as `show` and `changes` give it.
    as_listed = " as “Luokong Technology Corporation (LKCO)”"
    own = [r.description for r in _rows(store, "ORG:luokung", "LISTED_ON") if r.date == "2021-01-14"]
    dod = "DoD list of Communist Chinese military companies (NDAA FY1999 §1237)"
    assert own == [f"EO 13959 — listed on {dod}{as_listed}"]
    lists = [r.description for r in _rows(store, "LIST:DOD-1237", "LISTED_ON") if r.date == "2021-01-14"]
    assert f"EO 13959 — lists Luokung Technology Corp.{as_listed}" in lists
    # Its re-listing of 2021-03-09 is under the graph's own name: nothing added.
    again = [r.description for r in _rows(store, "ORG:luokung", "LISTED_ON") if r.date == "2021-03-09"]
    assert not any(" as “" in d for d in again if "listed on DoD" in d and "ends" not in d)


def test_a_relisting_the_same_day_is_named_as_the_list_gave_it_not_by_the_graphs_name(
    store: MemoryStore,
) -> None:
    """Luokung's misspelt §1237 entry ended 2021-03-09 "…: listed again the same day as “Luokung Technology
    Corp.”", the graph's own name, as if the list had spelt it so; the sources say only that DoD listed
    Luokung again "using the correct spelling". A re-listing under a name the list gave otherwise is
    quoted (graph.timeline.listed_as's rule); under the company's own name, it says so."""
    misspelt = "LISTED_ON|ORG:luokung|LIST:DOD-1237|2021-01-14|misspelt"
    ends = [
        r.description for r in _rows(store, "ORG:luokung") if r.edge_id == misspelt and r.date == "2021-03-09"
    ]
    assert ends and all(d.endswith(": listed again the same day under its own name") for d in ends), ends
    for node in ("ORG:luokung", "LIST:DOD-1237"):
        again = [
            r.description
            for r in _rows(store, node)
            if "listed again the same day as “Luokung Tech" in r.description
        ]
        assert again == [], again
    found = [
        c.description for d in changes(store, date(2021, 3, 9), date(2021, 3, 9)).days for c in d.changes
    ]
    assert any("listed again the same day under its own name" in d for d in found), found


def test_every_row_of_a_listing_gives_the_name_the_list_gave(store: MemoryStore) -> None:
    """Review 34 L5, the rest: not only the start row but its end, the rule's rows (prohibitions
    never applied, the divest-only window) and another source's date give the list's name where it
    differs, on the company's, the list's and its securities' timelines. Luokung's misspelt entry
    ended 2021-03-09: "listing on DoD list … as “Luokong Technology Corporation (LKCO)” ends"."""
    dod = "DoD list of Communist Chinese military companies (NDAA FY1999 §1237)"
    as_listed = " as “Luokong Technology Corporation (LKCO)”"
    misspelt = "LISTED_ON|ORG:luokung|LIST:DOD-1237|2021-01-14|misspelt"
    rows = _rows(store, "ORG:luokung")
    own = {(r.date, r.kind): r.description for r in rows if r.edge_id == misspelt}
    assert own[("2021-03-09", "LISTED_ON")].startswith(f"EO 13959 — listing on {dod}{as_listed} ends: ")
    # The rule's rows (their edge is the rule's) of the listing that ended on 2021-03-09.
    ruled = [r for r in rows if "the listing ended on 2021-03-09" in r.description]
    assert {(r.date, r.kind) for r in ruled} == {
        ("2021-03-15", "PROHIBITIONS"),
        ("2022-01-14", "DIVEST_WINDOW"),
    }
    assert all(r.description.endswith(f": listed on {dod}{as_listed}") for r in ruled), ruled
    lists = [r.description for r in _rows(store, "LIST:DOD-1237", "LISTED_ON") if r.edge_id == misspelt]
    assert any(d.startswith(f"EO 13959 — listing of Luokung Technology Corp.{as_listed} ends") for d in lists)
    checked = 0
    for edge in store.edges("LISTED_ON"):
        listed = edge.properties.get("listed_name")
        company = store.get_node(edge.source)
        assert company is not None
        if not isinstance(listed, str) or same_listed_name(listed, company.name):
            continue
        rows = [r for r in _rows(store, company.id) if r.edge_id == edge.id]
        assert rows, edge.id
        for row in rows:
            assert f" as “{listed}”" in row.description, (edge.id, row.description)
        checked += len(rows)
    assert checked >= 5


class _EdgeReads(MemoryStore):
    """The curated store, counting ``edges_of`` reads by (node, kinds): each a round trip on Neo4j."""

    def __init__(self, inner: MemoryStore) -> None:
        self.__dict__.update(inner.__dict__)
        self.reads: list[tuple[str, tuple[str, ...]]] = []

    def edges_of(self, node_id, direction="both", kinds=None, as_of=None):  # type: ignore[no-untyped-def]
        self.reads.append((node_id, tuple(kinds or ())))
        return super().edges_of(node_id, direction, kinds, as_of)


def test_the_rule_rows_of_a_window_read_each_orders_ends_and_injunctions_once(store: MemoryStore) -> None:
    # What revoked or superseded an order and the injunctions against it were read again for every
    # listing on a list it governs and every targeting: one read per order serves them all.
    counted = _EdgeReads(store)
    rows = rule_rows(counted, date(2020, 1, 1), date(2026, 12, 31))
    assert [(c.id, r.description) for c, r in rows] == [
        (c.id, r.description) for c, r in rule_rows(store, date(2020, 1, 1), date(2026, 12, 31))
    ]
    # The orders governing lists (EO 13959, EO 14032): what ended them is read once each for all
    # their listings (a row citing that end reads its sources again: graph.evidence), not once per
    # listing (126 reads for 311 rows before).
    governing = {e.source for e in store.edges("GOVERNS")}
    ends = [node for node, kinds in counted.reads if kinds == ("REVOKES", "SUPERSEDES") and node in governing]
    assert set(ends) == governing and len(ends) < len(rows) / 10
    enjoined = [node for node, kinds in counted.reads if kinds == ("ENJOINS",)]
    assert enjoined and len(enjoined) == len(set(enjoined))


def test_a_judges_row_says_what_the_first_ruling_did(store: MemoryStore) -> None:
    """eyes36 P8: Marland v. Trump's "2020-09-26 decided by Wendy Beetlestone" read as a ruling for
    the creators, the day before the app-store ban; she denied their motion. Each DECIDED_BY row
    says what the first ruling seen did (the edge's ``ruling``), on the case's and the judge's
    timelines alike."""
    (marland,) = _rows(store, "CASE:EDPA:2:20-cv-04597", "DECIDED_BY")
    assert marland.date == "2020-09-26"
    assert marland.description == (
        "decided by Wendy Beetlestone: denied a temporary restraining order against the 2020-09-27"
        " app-store prohibition"
    )
    (judge,) = _rows(store, "PERSON:wendy-beetlestone", "DECIDED_BY")
    assert judge.description.startswith("decides Marland v. Trump: denied")
    for case in ("CASE:DDC:1:21-cv-00280", "CASE:DDC:1:20-cv-02658", "CASE:NDCAL:3:20-cv-05910"):
        (row,) = _rows(store, case, "DECIDED_BY")
        assert row.description.endswith(": granted a preliminary injunction"), case


@pytest.mark.parametrize(
    ("listed", "name", "same"),
    [
        ("Hangzhou Hikvision Digital Technology Co., Ltd. (Hikvision)",
         "Hangzhou Hikvision Digital Technology Co., Ltd.", True),  # a short name added
        ("China Telecommunications Corp.", "China Telecommunications Corporation", True),  # abbreviated
        ("Grand China Air Co. Ltd (GCAC)", "Grand China Air Co., Ltd.", True),
        ("CHINA STATE SHIPBUILDING CORPORATION LIMITED", "China State Shipbuilding Corporation", True),
        ("China Communications Construction Group (Limited) (CCCG)",
         "China Communications Construction Group (Limited)", True),
        ("Luokong Technology Corporation (LKCO)", "Luokung Technology Corp.", False),  # DoD's misspelling
        ("SenseTime Group, Inc.", "SenseTime Group Limited", False),  # another legal form
        ("Huawei", "Huawei Technologies Co., Ltd.", False),  # fewer words
        ("SMIC", "SMIC Holdings Limited", False),  # a holding company is another entity
        ("AVIC Airborne Systems Co., Ltd. (formerly China Avionics Systems Co., Ltd.)",
         "China Avionics Systems Company Limited", False),
        ("Shenzhen DJI Innovation Technology Co., Ltd. (DJI)", "SZ DJI Technology Co., Ltd.", False),
    ],
)  # fmt: skip
def test_a_listing_repeats_the_lists_name_only_where_it_really_differs(
    listed: str, name: str, same: bool
) -> None:
    """Note 36: every listing row repeated the list's name where it differed even slightly (“… (Hikvision)”,
    "Corp." for "Corporation"), burying the real differences (Luokong, “SenseTime Group, Inc.”)."""
    assert same_listed_name(listed, name) is same


def test_hikvisions_and_smics_rows_no_longer_repeat_the_lists_short_name(store: MemoryStore) -> None:
    """Their §1237 rows read as any other listing's; Luokung's still quote DoD's misspelling."""
    for company in ("ORG:hikvision", "ORG:smic", "ORG:luokung"):
        rows = [r.description for r in _rows(store, company) if "§1237" in r.description]
        assert rows, company
        quoted = [d for d in rows if " as “" in d]
        if company == "ORG:luokung":
            assert any("as “Luokong Technology Corporation (LKCO)”" in d for d in quoted), rows
        else:
            assert not quoted, quoted


def test_an_exchange_act_credits_its_day_to_the_source_that_states_it(store: MemoryStore) -> None:
    """Session 40: NYSE's delisting of China Mobile's ADSs (2021-05-18) is cited first to the
    company's 6-K of 2021-05-10, whose exhibit index names the review decision and gives no day;
    only the company's overview states "became effective on 18 May 2021". ``affects`` credited the
    day to the overview ("date as given by …"); the timeline and ``changes`` did not, because the
    act also ended the suspension of 2021-01-11 and every source of the act was counted as stating
    that end's day, the 6-K among them. The act's own sources are credited with its day only when
    they state it, on every face alike."""
    from datetime import date

    from graph.affects import affects
    from graph.changes import changes

    edge_id = "EXCHANGE_ACTION|EXCH:NYSE|SEC:NYSE:CHL|2021-05-18"
    overview = "https://chinamobileltd.com/en/about/overview.php"
    status = affects(store, "SEC:NYSE:CHL", date(2021, 6, 1)).exchange_status
    assert status is not None and status.edge_id == edge_id and status.date_given_by == overview
    (row,) = [e for e in timeline(store, "SEC:NYSE:CHL").events if e.edge_id == edge_id]
    assert row.sources[0].kind == "filing" and "May 18" not in (row.sources[0].quote or "")
    assert row.date_given_by == overview
    found = changes(store, date(2021, 5, 18), date(2021, 5, 18))
    (change,) = [c for d in found.days for c in d.changes if c.edge_id == edge_id]
    assert change.date_given_by == overview
