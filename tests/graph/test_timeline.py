"""Timelines tell the whole story: injunctions that protected an app, the order each row is
about, and every divest-only deadline an order's rule set (with what cut it short)."""

from __future__ import annotations

from graph.query import timeline
from graph.store.memory import MemoryStore
from graph.views import TimelineEvent


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
    wechat = [e for e in _rows(store, "APP:wechat", "ENJOINS") if not e.description.startswith("ends:")]
    assert [(e.date, e.order.id if e.order else None) for e in wechat] == [("2020-09-19", "EO:13943")]


def test_an_injunction_says_whether_it_is_nationwide(store: MemoryStore) -> None:
    # Marland v. Trump enjoined the Commerce identification for everyone; TikTok Inc. v. Trump's
    # first PI protected its plaintiffs (ByteDance, TikTok's developer) only.
    rows = [e for e in _rows(store, "APP:tiktok", "ENJOINS") if not e.description.startswith("ends:")]
    by_case = {(e.date, e.other.id if e.other else ""): e.description for e in rows}
    assert by_case[("2020-10-30", "CASE:EDPA:2:20-cv-04597")] == (
        "Marland v. Trump (E.D. Pa.): nationwide injunction against Executive Order 13942: "
        "Addressing the Threat Posed by TikTok (as to: Commerce Identification under EO 13942 "
        "(the prohibitions due 2020-11-12))"
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
    assert row.kind == "GOVERNS" and row.order is not None and row.order.id == "EO:13959"
    assert "divest-only window ends" in row.description
    assert "superseded by Executive Order 14032" in row.description and "2021-06-03" in row.description
    assert row.sources and row.sources[0].kind == "official"


def test_luokungs_divest_deadline_shows(store: MemoryStore) -> None:
    rows = [e for e in _rows(store, "ORG:luokung") if e.date == "2022-03-09"]
    assert rows and all("divest-only window ends" in e.description for e in rows)
    assert {e.order.id for e in rows if e.order} == {"EO:13959"}


def test_a_deadline_after_the_listing_ended_says_so(store: MemoryStore) -> None:
    (row,) = [e for e in _rows(store, "ORG:xiaomi") if "divest-only window ends" in e.description]
    assert row.date == "2022-01-14"  # 365 days after the listing of 2021-01-14
    assert "the listing ended on 2021-05-25" in row.description


def test_an_exchanges_actions_read_as_words_not_codes(store: MemoryStore) -> None:
    # NYSE and CHL: announced 2020-12-31, withdrawn 2021-01-04, announced again 2021-01-06, trading
    # suspended 2021-01-11 04:00 (its notice of 2021-01-06), delisted 2021-05-18.
    rows = [(e.date, e.description) for e in _rows(store, "SEC:NYSE:CHL", "EXCHANGE_ACTION")]
    nyse = "New York Stock Exchange"
    assert ("2020-12-31", f"delisting announced by {nyse}") in rows
    assert ("2021-01-04", f"delisting withdrawn by {nyse}") in rows
    assert ("2021-01-11", f"trading suspended by {nyse}") in rows
    assert ("2021-05-18", f"delisted by {nyse}") in rows
    assert not [d for _, d in rows if d.split(" by ")[0].removeprefix("ends: ") in ("reverse", "suspend")]


def test_an_orders_own_dates_read_as_words(store: MemoryStore) -> None:
    rows = {e.description for e in _rows(store, "EO:13942")}
    assert "prohibitions start (Executive Order 13942: Addressing the Threat Posed by TikTok)" in rows
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
    listing = [e for e in rows if e.kind == "LISTED_ON" and e.description.startswith("ends:")]
    injunction = [e for e in rows if e.kind == "ENJOINS" and e.description.startswith("ends:")]
    assert listing and injunction
    for row in listing + injunction:
        assert row.sources and all(s.date and s.date[:7] >= "2021-05" for s in row.sources)
        assert not any("2472464" in s.url or "faqs/880" in s.url for s in row.sources)
    started = [e for e in _rows(store, "ORG:xiaomi", "LISTED_ON") if e.date == "2021-01-14"]
    assert started and all(not any("caixinglobal" in s.url for s in e.sources) for e in started)


def test_an_ends_row_without_a_source_for_the_end_says_so(store: MemoryStore) -> None:
    [row] = [
        e
        for e in _rows(store, "SEC:NYSE:CHL", "EXCHANGE_ACTION")
        if e.date == "2021-01-04" and e.description.startswith("ends:")
    ]
    assert row.sources == [] and row.sources_note == "no source cited for the end date"


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
    role = dict(kind="ROLE_IN", source="PERSON:z", target="ORG:s", confidence="likely", sources=src)
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
            if "divest-only window ends" in e.description and "13959" in e.description
        ]
        assert (row.date, row.kind) == ("2022-01-08", "GOVERNS")
        assert row.order is not None and row.order.id == "EO:13959"
        assert "NS-CCMC" in row.description and "the listing ended on 2021-06-03" in row.description
        assert row.sources and row.sources[0].kind == "official"
    effect = next(o for o in affects(store, "SEC:HKEX:0941", date(2021, 4, 1)).orders if o.id == "EO:13959")
    assert effect.divest_until == "2022-01-08"
    # Its own start stays the one row saying when prohibitions applied: no second one by the rule.
    applied = [e for e in _rows(store, "ORG:china-mobile-ltd") if e.date == "2021-03-09"]
    assert [e.kind for e in applied] == ["LISTED_ON"] and "prohibitions apply" in applied[0].description
