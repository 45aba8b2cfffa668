from datetime import date

import pytest

from graph.changes import changes
from graph.errors import OrdergraphError
from graph.store.memory import MemoryStore


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
    began = sorted(k[::2] for k in chl if k[1] == "began")
    assert began == [
        (
            "2020-12-31",
            "New York Stock Exchange announces it will delist China Mobile Limited (NYSE CHL ADS)",
        ),
        (
            "2021-01-04",
            "New York Stock Exchange withdraws its delisting of China Mobile Limited (NYSE CHL ADS)",
        ),
        (
            "2021-01-06",
            "New York Stock Exchange announces it will delist China Mobile Limited (NYSE CHL ADS)",
        ),
        ("2021-01-11", "New York Stock Exchange suspends trading in China Mobile Limited (NYSE CHL ADS)"),
    ]
    assert all(c.sources for c in chl.values())  # every row can be checked
    suspended = chl["2021-01-11", "began", began[-1][1]]
    assert "ir.theice.com" in suspended.sources[0].url


def test_an_order_signed_in_the_window_carries_its_sources(store: MemoryStore) -> None:
    answer = changes(store, date(2021, 1, 5), date(2021, 1, 5))
    [signed] = [c for d in answer.days for c in d.changes if c.description.endswith(" signed")]
    assert signed.entities[0].id == "EO:13971" and signed.sources
    assert signed.sources[0].url == "https://www.federalregister.gov/d/2021-00305"
