"""The hour a divest-only window ends: the order's own hour, with whether its day is in.

EO 13959 as amended by EO 13974 allows divest-only sales "on or before 11:59 p.m. eastern standard
time, November 11, 2021" (the day included); EO 14032 "prior to 12:01 a.m. eastern daylight time on
June 3, 2022" (the day excluded), and for a later listing prior to 12:01 a.m. EDT "on the date that is
365 days after the date of the determination" (§1(c)(ii)). EO 13959's later listings ("on or before 365
days from the date of such determination", as signed and as amended) have no hour: the day is in."""

from __future__ import annotations

from datetime import date

import pytest

from graph.affects import affects, divest_closed, listing_rule
from graph.model import Edge, Source, property_problem
from graph.plain import divest_cell, divest_window, plain_sentence
from graph.store.memory import MemoryStore
from graph.views import OrderEffect


def _effect(store: MemoryStore, security: str, day: date, order: str) -> OrderEffect:
    (effect,) = [o for o in affects(store, security, day).orders if o.id == order]
    return effect


def test_an_eo_13959_annex_security_may_be_sold_through_1159_pm_est_of_its_day(store: MemoryStore) -> None:
    effect = _effect(store, "SEC:SZSE:002415", date(2021, 2, 1), "EO:13959")  # Hikvision, annex
    assert (effect.divest_until, effect.divest_time) == ("2021-11-11", "through 23:59 EST")
    assert "selling to divest is allowed until 11:59 p.m. EST on 2021-11-11 (that day included)" in (
        plain_sentence(effect)
    )
    assert divest_cell(effect.divest_until, effect.divest_time) == "2021-11-11 23:59 EST"


def test_an_eo_14032_annex_security_may_be_sold_only_before_1201_am_edt_of_its_day(
    store: MemoryStore,
) -> None:
    effect = _effect(store, "SEC:HKEX:0941", date(2021, 9, 1), "EO:14032")  # China Mobile, annex
    assert (effect.divest_until, effect.divest_time) == ("2022-06-03", "before 00:01 EDT")
    assert (
        "selling to divest is allowed before 12:01 a.m. EDT on 2022-06-03 (the last full day is 2022-06-02)"
        in plain_sentence(effect)
    )
    assert divest_cell(effect.divest_until, effect.divest_time) == "2022-06-03 00:01 EDT"


def test_a_later_listings_deadline_has_no_hour_and_reads_as_before(store: MemoryStore) -> None:
    effect = _effect(store, "SEC:HKEX:1810", date(2021, 2, 1), "EO:13959")  # Xiaomi, listed 2021-01-14
    assert (effect.divest_until, effect.divest_time) == ("2022-01-14", None)
    assert "; selling to divest is allowed until 2022-01-14" in plain_sentence(effect)
    assert divest_cell(effect.divest_until, effect.divest_time) == "2022-01-14"


def test_an_eo_14032_later_listing_may_be_sold_only_before_1201_am_edt_365_days_after_it(
    store: MemoryStore,
) -> None:
    """Dawning (Sugon), listed 2021-12-16: the window closed at 12:01 a.m. EDT on 2022-12-16, so on
    2022-12-16 it is not said to be open that day (review eyes35 N8)."""
    effect = _effect(store, "SEC:SSE:603019", date(2022, 12, 16), "EO:14032")
    assert (effect.divest_until, effect.divest_time) == ("2022-12-16", "before 00:01 EDT")
    said = plain_sentence(effect)
    assert (
        "selling to divest was allowed before 12:01 a.m. EDT on 2022-12-16 (the last full day is 2022-12-15)"
        in said
    )
    assert "until 2022-12-16" not in said
    assert "is allowed" not in said


def test_after_an_eo_14032_window_closes_sales_are_barred_too_and_holding_is_not(store: MemoryStore) -> None:
    """EO 14032 bars "the purchase or sale"; divest-only sales only "prior to 12:01 a.m. eastern
    daylight time on June 3, 2022". From that minute a holder may neither buy nor sell, and may keep
    what it holds (OFAC FAQ 1046): on 2022-06-03 the answer is no longer the one of 2022-06-02."""
    before = _effect(store, "SEC:HKEX:0941", date(2022, 6, 2), "EO:14032")  # China Mobile, annex
    assert not before.divest_closed
    assert "selling to divest is allowed before 12:01 a.m. EDT on 2022-06-03" in plain_sentence(before)
    for day in (date(2022, 6, 3), date(2022, 7, 1)):
        after = _effect(store, "SEC:HKEX:0941", day, "EO:14032")
        assert (after.divest_closed, after.holding_after_divest) == (True, "allowed")
        assert plain_sentence(after) == (
            "Under EO 14032 US persons may not buy this security from 2021-08-02; selling to divest was "
            "allowed before 12:01 a.m. EDT on 2022-06-03 (the last full day is 2022-06-02), and since "
            "then they may neither buy nor sell it; holding it is not prohibited."
        )


@pytest.mark.parametrize(
    ("day", "until", "time", "closed"),
    [
        ("2021-11-11", "2021-11-11", "through 23:59 EST", False),  # EO 13959's annex: the day is in
        ("2021-11-12", "2021-11-11", "through 23:59 EST", True),
        ("2022-06-02", "2022-06-03", "before 00:01 EDT", False),
        ("2022-06-03", "2022-06-03", "before 00:01 EDT", True),  # EO 14032's: closed at 12:01 a.m.
        ("2022-01-14", "2022-01-14", None, False),  # a bare "until D": the day is in
        ("2022-01-15", "2022-01-14", None, True),
    ],
)
def test_a_window_is_closed_at_the_end_of_a_day_past_its_hour(
    day: str, until: str, time: str | None, closed: bool
) -> None:
    assert divest_closed(date.fromisoformat(day), until, time) is closed


_SRC = Source(url="https://example.gov/eo", title="EO", publisher="X", kind="official")


def _governs(**rule: object) -> Edge:
    return Edge(id="g", kind="GOVERNS", source="EO:1", target="LIST:l", confidence="verified",
        sources=[_SRC], properties={"later_delay_days": 60, "later_divest_days": 365, **rule})  # fmt: skip


def _listing(**properties: object) -> Edge:
    return Edge(id="l", kind="LISTED_ON", source="ORG:a", target="LIST:l", start="2021-12-16",
        confidence="verified", sources=[_SRC], properties=properties)  # fmt: skip


def test_a_later_listings_hour_is_the_rules_own_for_the_day_it_counts() -> None:
    """The hour comes from the rule (``later_divest_time``), on the day its count gives; a listing whose
    own deadline is another day has no hour (the rule says nothing of that day), nor one under a rule
    without an hour for later listings."""
    rule = _governs(later_divest_time="before 00:01 EDT")
    assert (listing_rule(_listing(), rule).divest_until, listing_rule(_listing(), rule).divest_time) == (
        "2022-12-16",
        "before 00:01 EDT",
    )
    same = listing_rule(_listing(divest_until="2022-12-16"), rule)
    assert same.divest_time == "before 00:01 EDT"
    other = listing_rule(_listing(divest_until="2022-12-20"), rule)
    assert (other.divest_until, other.divest_time) == ("2022-12-20", None)
    assert listing_rule(_listing(), _governs()).divest_time is None


def test_a_later_divest_time_is_a_time_bound() -> None:
    assert property_problem("later_divest_time", "before 00:01 EDT") is None
    problem = property_problem("later_divest_time", "12:01 EDT")
    assert problem is not None and problem.startswith("later_divest_time: ")


@pytest.mark.parametrize(
    ("time", "said"),
    [
        ("through 09:30 EST", "until 9:30 a.m. EST on 2021-01-11 (that day included)"),
        ("before 12:00 EDT", "before 12:00 p.m. EDT on 2021-01-11 (the last full day is 2021-01-10)"),
        (None, "until 2021-01-11"),
    ],
)
def test_the_window_in_words(time: str | None, said: str) -> None:
    assert divest_window("2021-01-11", time) == said


@pytest.mark.parametrize("bad", ["23:59 EST", "through 24:00 EST", "until 23:59 EST", "through 23:59", 2359])
def test_a_divest_time_must_say_through_or_before_an_hour_and_zone(bad: object) -> None:
    problem = property_problem("divest_time", bad)  # type: ignore[arg-type]
    assert problem is not None and problem.startswith("divest_time: ")


def test_a_good_divest_time_passes() -> None:
    assert property_problem("divest_time", "before 00:01 EDT") is None
