"""The leads of issue 7 followed to a primary text: what the data holds and what it leaves open."""

from __future__ import annotations

from datetime import date

from graph.affects import affects
from graph.store.memory import MemoryStore

LKCO = "SEC:NASDAQ:LKCO"


def test_nasdaqs_delisting_determination_of_2025_is_luokungs_exchange_status(store: MemoryStore) -> None:
    # Luokung's 6-K exhibit of 2025-02-14 (SEC EDGAR) reports Nasdaq's letter of 2025-02-11; no text read says
    # trading was suspended or the shares delisted afterwards, so the status is the announcement, not more.
    before = affects(store, LKCO, date(2025, 2, 10)).exchange_status
    assert before is not None and (before.state, before.since) == ("delisting_withdrawn", "2021-05-06")
    after = affects(store, LKCO, date(2026, 11, 28)).exchange_status
    assert after is not None and (after.state, after.since) == ("delisting_announced", "2025-02-11")
    assert [s.kind for s in after.sources] == ["filing"]
    assert "sec.gov/Archives/edgar/data/1487839/" in after.sources[0].url
    assert "February 11, 2025" in (after.sources[0].quote or "")
    actions = [e for e in store.edges("EXCHANGE_ACTION") if e.target == LKCO]
    assert not [e for e in actions if e.properties.get("action") in ("suspend", "delist")]
    (listing,) = [e for e in store.edges("TRADES_ON") if e.source == LKCO]
    assert listing.end is None
