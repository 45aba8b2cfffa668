"""The affects rules over the curated graph: what every answer's "why" paths may go through."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from graph.affects import affects
from graph.evidence import gives_date
from graph.plain import plain_sentence
from graph.screen import screen
from graph.store.memory import MemoryStore
from graph.views import EdgeRef
from tests.graph.snapshot_answers import read_snapshot


def test_no_why_path_goes_through_a_parent_the_order_does_not_reach(store: MemoryStore) -> None:
    """A path through ``SUBSIDIARY_OF`` explains an answer only where the order's rule or targeting
    on that path reaches subsidiaries (``reaches_subsidiaries: true``). EO 13959 reaches only the
    subsidiaries Treasury itself lists (OFAC FAQ 857): CNECC's SSE shares were restricted on
    2021-01-11 by CNECC's own §1237 listing, not by its parent CNNC's.

    Every security, on the first day of each run of equal answers the snapshot keeps (a path
    changes only where the answer does)."""
    through_parent: list[str] = []
    checked = 0
    for security_id, stored in read_snapshot().items():
        for day, _ in stored["runs"]:
            for order in affects(store, security_id, date.fromisoformat(day)).orders:
                for path in order.paths:
                    edges = [step for step in path if isinstance(step, EdgeRef)]
                    checked += 1
                    if not any(e.kind == "SUBSIDIARY_OF" for e in edges):
                        continue
                    (rule,) = [e for e in edges if e.kind in ("GOVERNS", "TARGETS")]
                    if rule.properties.get("reaches_subsidiaries") is not True:
                        through_parent.append(f"{security_id} {day} {order.id}: {rule.id}")
    assert checked > 100
    assert through_parent == []


def test_cnecc_is_restricted_by_its_own_listing_only(store: MemoryStore) -> None:
    (order,) = affects(store, "SEC:SSE:601611", date(2021, 1, 11)).orders
    assert (order.id, order.status, order.applies_from) == ("EO:13959", "in_force", "2021-01-11")
    kinds = [[step.kind for step in path if isinstance(step, EdgeRef)] for path in order.paths]
    assert kinds == [["ISSUES", "LISTED_ON", "GOVERNS"]]


def test_luokungs_own_reading_of_general_license_1a_stands_beside_the_sixty_days(store: MemoryStore) -> None:
    """Luokung's 6-K of 2021-03-02: "The deadline could be March 15, 2021 or May 27, 2021 depending on
    whether General License 1A … applies" (fact check of session 31): both readings, with the filing."""
    (order,) = affects(store, "SEC:NASDAQ:LKCO", date(2021, 3, 1)).orders
    assert (order.status, order.applies_from) == ("pending", "2021-03-15")
    filing = "https://www.sec.gov/Archives/edgar/data/1487839/000121390021012731/ea136824ex99-1_luokung.htm"
    readings = {c.applies_from: [s.url for s in c.sources] for c in order.claims}
    assert set(readings) == {"2021-03-15", "2021-05-27"}
    assert readings["2021-05-27"] == [filing]  # the filing, the one source that gives that day
    assert filing in readings["2021-03-15"]  # which gives the sixty days too


def test_luokungs_filing_gives_both_days_as_alternatives_not_against_the_rule(store: MemoryStore) -> None:
    """Review 35 (N3): 'affects LKCO --as-of 2021-01-15' said Luokung's 6-K of 2021-03-02 "gave 2021-05-27
    as the start — sources disagree", but the filing gives both days: "The deadline could be March 15, 2021
    or May 27, 2021 depending on whether General License 1A … applies to the Company". The reading says
    the condition and the day the filing gives otherwise, and stands against no one."""
    from graph.plain import plain_sentence

    (order,) = affects(store, "SEC:NASDAQ:LKCO", date(2021, 1, 15)).orders
    text = plain_sentence(order)
    assert (
        "Luokung Technology Corp. (SEC EDGAR) of 2021-03-02 gave 2021-03-15, or 2021-05-27 if OFAC's "
        "General License 1A applies to the company." in text
    )
    assert "sources disagree" not in text and "gave 2021-05-27 as the start" not in text
    (reading,) = [c for c in order.claims if c.applies_from == "2021-05-27"]
    assert "2021-05-27 as the start of prohibitions if OFAC's General License 1A applies to the company" in (
        reading.basis
    )


def test_a_reading_no_source_had_stated_by_the_day_asked_says_so(store: MemoryStore) -> None:
    """Luokung's reading of General License 1A (2021-05-27) rests on its 6-K of 2021-03-02, on a GL issued
    2021-01-27: asked about 2021-01-20 the claim said nothing of when it was first stated, as if it stood
    then. A reading whose every source is dated after the day asked says so, with its earliest source's
    date; on and after that date it reads as before."""
    filing_day = "2021-03-02"
    (before,) = affects(store, "SEC:NASDAQ:LKCO", date(2021, 1, 20)).orders
    (reading,) = [c for c in before.claims if c.applies_from == "2021-05-27"]
    remark = f"no source cited for it is dated on or before 2021-01-20 (the earliest: {filing_day})"
    assert remark in reading.basis
    (main,) = [c for c in before.claims if c.applies_from == "2021-03-15"]
    # DoD's release of 2021-01-14 stands behind it that day.
    assert "no source cited for it is dated" not in main.basis
    (after,) = affects(store, "SEC:NASDAQ:LKCO", date.fromisoformat(filing_day)).orders
    (reading,) = [c for c in after.claims if c.applies_from == "2021-05-27"]
    assert "no source cited for it is dated" not in reading.basis


def test_the_why_paths_listing_edge_shows_first_a_source_giving_its_day(store: MemoryStore) -> None:
    """``affects NYSE:CHL`` showed "←issues (from 1997-10-22 …; …/cons_prim.csv)": a copy of OFAC's list
    file, cited for the ticker CHL, which gives no day. China Mobile's overview, of the same kind,
    gives it ("listed on the New York Stock Exchange … on 22 October 1997"): it is shown."""
    (order,) = affects(store, "SEC:NYSE:CHL", date(2021, 2, 1)).orders
    edges = [step for path in order.paths for step in path if isinstance(step, EdgeRef)]
    issues = [e for e in edges if e.kind == "ISSUES"]
    assert issues and {e.start for e in issues} == {"1997-10-22"}
    assert {e.sources[0].url for e in issues} == {"https://chinamobileltd.com/en/about/overview.php"}


def test_the_telco_adrs_disagreement_is_ofacs_guidance_against_ofacs_later_announcement(
    store: MemoryStore,
) -> None:
    # Review 34 M3: the plain sentence credited 2021-01-11 to "Intercontinental Exchange / NYSE of
    # 2021-01-06"; NYSE's notice only quotes OFAC's guidance of 2021-01-05 ("… in the ADRs of … (NYSE:
    # CHL) … after 9:30 a.m. eastern time on January 11, 2021"). The reading is OFAC's, dated as its
    # guidance, and cited at NYSE's notice, which carries the quote.
    for code in ("CHL", "CHA", "CHU"):
        (effect,) = affects(store, f"SEC:NYSE:{code}", date(2021, 1, 11)).orders
        sentence = plain_sentence(effect)
        assert (
            "OFAC (guidance to the NYSE, quoted in NYSE's notice) of 2021-01-05 gave 2021-01-11" in sentence
        )
        assert "Intercontinental Exchange" not in sentence
        (guidance,) = [c for c in effect.claims if c.applies_from == "2021-01-11" and c.stated_by]
        assert [s.date for s in guidance.stated_by] == ["2021-01-05"]
        assert "January 11, 2021" in (guidance.stated_by[0].quote or "")
        assert f"(NYSE: {code})" in (guidance.stated_by[0].quote or "")


_DAYS = ("2020-11-13", "2021-01-08", "2021-01-11", "2021-01-14", "2021-02-01", "2021-03-09", "2021-03-15")
_DAYS_LATER = ("2021-05-06", "2021-06-04", "2021-08-02", "2022-06-03")


def test_no_citation_stands_on_both_sides_and_a_fixed_start_cites_what_fixes_it(store: MemoryStore) -> None:
    # Review 34 M9: 'affects NYSE:CHL --as-of 2021-01-08' cited FAQ 898 (the NS-CMIC List, June 2021,
    # naming neither the NS-CCMC List nor the company) under "pending from 2021-03-09", and FR 2023-19133
    # (GL 1B: the listed subsidiaries' own start) under both that reading and the parent's reading;
    # 'affects LKCO --as-of 2021-01-14' cited EO 14032's White House text (June 2021) for EO 13959's rule.
    both, unsupported, later_rule, checked = [], [], [], 0
    for security in (n for n in store.nodes() if n.kind == "Security"):
        for day in (*_DAYS, *_DAYS_LATER):
            for effect in affects(store, security.id, date.fromisoformat(day)).orders:
                for claim in effect.claims:
                    checked += 1
                    # A source another reading states is cited here only where it writes this
                    # reading's day too (Luokung's 6-K: "March 15, 2021 or May 27, 2021").
                    others = {
                        s.url
                        for c in effect.claims
                        if (c.status, c.applies_from) != (claim.status, claim.applies_from)
                        for s in c.stated_by
                    }
                    both += [
                        (security.id, day, s.url)
                        for s in claim.sources
                        if s.url in others
                        and s not in claim.stated_by
                        and not (
                            claim.applies_from
                            and any(
                                gives_date(o, claim.applies_from)
                                for c in effect.claims
                                for o in c.sources
                                if o.url == s.url
                            )
                        )
                    ]
                    if claim.basis.endswith("its sources fix the start of prohibitions"):
                        unsupported += [
                            (security.id, day, s.url)
                            for s in claim.sources
                            if s not in claim.stated_by or "faqs/898" in s.url
                        ]
                    if day < "2021-06-03":
                        later_rule += [
                            (security.id, day, s.url)
                            for s in claim.sources
                            if "2021/06/03/executive-order" in s.url
                        ]
    assert checked > 100
    assert sorted(set(both)) == []
    assert sorted(set(unsupported)) == []
    assert sorted(set(later_rule)) == []


def test_a_fixed_start_of_prohibitions_cites_only_the_sources_that_fix_it(store: MemoryStore) -> None:
    # China Mobile's NS-CCMC listing: OFAC's GL 1B note and FAQ 879 (as Crowell copies it) name the
    # company among "entities added to the NS-CCMC List on January 8, 2021"; Caixin quotes OFAC's
    # "begin on March 9, 2021" (applies_from_stated_by). FAQ 857's general rule, FAQ 898 and Baker
    # McKenzie's unquoted note state neither, and are not cited for the date.
    (effect,) = affects(store, "SEC:NYSE:CHL", date(2021, 1, 8)).orders
    (own,) = [c for c in effect.claims if c.applies_from == "2021-03-09"]
    urls = [s.url for s in own.sources]
    assert any("2023-19133" in u for u in urls) and any("caixinglobal" in u for u in urls)
    assert not [u for u in urls if "faqs/898" in u or "faqs/857" in u or "bakermckenzie" in u]
    (parent,) = [c for c in effect.claims if c.basis.startswith("parent ")]
    assert not [s for s in parent.sources if "2023-19133" in s.url]


def test_a_why_paths_dated_step_credits_its_date_to_a_source_that_gives_it(store: MemoryStore) -> None:
    """Tencent's ``develops`` WeChat "from 2011-01-21" was cited to EO 13943 (FR 2020-17700) on its
    why path (review 34 M8): the order names the developer, so it leads (the N9 rule), but gives no
    launch day; TechNode's "Launched on January 21st, 2011, Weixin" does, and the step says so, as
    the timeline's row does. A step whose first source gives its day credits no other."""
    technode = "https://technode.com/2013/01/16/tencent-weixin-reaches-300-million-users/"
    (wechat,) = [o for o in affects(store, "SEC:HKEX:0700", date(2021, 3, 1)).orders if o.id == "EO:13943"]
    edges = [step for path in wechat.paths for step in path if isinstance(step, EdgeRef)]
    [develops] = [e for e in edges if e.kind == "DEVELOPS"]
    assert develops.sources[0].url == "https://www.federalregister.gov/d/2020-17700"
    assert develops.dated_by is not None and develops.dated_by.url == technode
    (order,) = affects(store, "SEC:NYSE:CHL", date(2021, 2, 1)).orders
    issues = [
        step for path in order.paths for step in path if isinstance(step, EdgeRef) and step.kind == "ISSUES"
    ]
    assert issues and all(e.dated_by is None for e in issues)


# Later listings of NS-CMIC companies (eyes36 P3): each is reached through its issuer's own listing,
# from the day it began trading, with the issuer's divest-only window; before that day it was not issued.
LATER_LISTINGS = [
    # security, listing day, prohibitions from (the issuer's), divest-only window ends (the issuer's)
    ("SEC:SSE:601728", date(2021, 8, 20), "2021-08-02", "2022-06-03"),  # China Telecom A-share
    ("SEC:SSE:600941", date(2022, 1, 5), "2021-08-02", "2022-06-03"),  # China Mobile A-share
    ("SEC:SSE:600938", date(2022, 4, 21), "2021-08-02", "2022-06-03"),  # CNOOC Limited A-share
    ("SEC:HKEX:0020", date(2021, 12, 30), "2022-02-08", "2022-12-10"),  # SenseTime, Hong Kong
]


@pytest.mark.parametrize(("security_id", "listed", "applies_from", "divest_until"), LATER_LISTINGS)
def test_a_later_listing_of_an_ns_cmic_company_is_reached_from_its_first_trading_day(
    store: MemoryStore, security_id: str, listed: date, applies_from: str, divest_until: str
) -> None:
    assert affects(store, security_id, listed - timedelta(days=1)).orders == []
    first = max(listed, date.fromisoformat(applies_from))
    (order,) = affects(store, security_id, first).orders
    assert (order.id, order.status, order.applies_from) == ("EO:14032", "in_force", applies_from)
    assert (order.divest_until, order.divest_time) == (divest_until, "before 00:01 EDT")
    kinds = [[step.kind for step in path if isinstance(step, EdgeRef)] for path in order.paths]
    assert kinds == [["ISSUES", "LISTED_ON", "GOVERNS"]]
    (issues,) = [step for step in order.paths[0] if isinstance(step, EdgeRef) and step.kind == "ISSUES"]
    assert issues.start == listed.isoformat()


def test_sensetimes_hong_kong_shares_wait_for_the_prohibitions_sixty_days_after_its_listing(
    store: MemoryStore,
) -> None:
    """SenseTime debuted on 2021-12-30, twenty days after OFAC listed it: its shares traded, but
    EO 14032's prohibitions for it began only on 2022-02-08."""
    (order,) = affects(store, "SEC:HKEX:0020", date(2021, 12, 30)).orders
    assert (order.status, order.applies_from) == ("pending", "2022-02-08")


@pytest.mark.parametrize("code", ["601728", "600941.SS", "600938 CH", "0020.HK", "00020"])
def test_screen_finds_the_later_listings_by_their_codes(store: MemoryStore, code: str) -> None:
    answer = screen(store, [code], date(2022, 7, 1))
    assert answer.unresolved == []
    ((row_order, row_status),) = {(r.order.id, r.status) for r in answer.affected}
    assert (row_order, row_status) == ("EO:14032", "in_force")


def test_a_delisting_whose_own_sources_give_no_day_credits_the_one_that_does(store: MemoryStore) -> None:
    # Session 40: CNOOC's NYSE delisting (2021-10-22) rests on the 6-K of the review decision (it
    # gives 2021-10-08, the committee's day) and NYSE's Form 25 (no day in its locator); only
    # CNOOC's release of 2021-11-30, cited for the end of trading there, states "became effective
    # following the close of the market in New York on October 22, 2021". The exchange line named
    # no source for its day, as the timeline and `changes` now do.
    release = (
        "https://fuelsandlubes.com/newswire/cnooc-limited-intends-to-deregister-and-terminate-reporting-"
        "obligations-under-the-u-s-securities-exchange-act-of-1934"
    )
    status = affects(store, "SEC:NYSE:CEO", date(2021, 11, 1)).exchange_status
    assert status is not None and (status.state, status.since) == ("delisted", "2021-10-22")
    assert not any(gives_date(s, "2021-10-22") for s in status.sources)
    assert status.date_given_by == release
    # Where the act's own sources state the day, they are credited (China Mobile's overview).
    chl = affects(store, "SEC:NYSE:CHL", date(2021, 6, 1)).exchange_status
    assert chl is not None and chl.date_given_by == "https://chinamobileltd.com/en/about/overview.php"
