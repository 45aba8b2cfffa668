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
