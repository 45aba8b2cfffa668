"""The leads of issue 7 followed to a primary text: what the data holds and what it leaves open."""

from __future__ import annotations

from datetime import date

from graph import query
from graph.affects import affects
from graph.model import Node
from graph.store.memory import MemoryStore

LKCO = "SEC:NASDAQ:LKCO"
ZEMIC = "ORG:zhonghang-electronic-measuring-instruments"


def _node(store: MemoryStore, node_id: str) -> Node:
    node = store.get_node(node_id)
    assert node is not None, node_id
    return node


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


def test_zemics_new_name_comes_from_its_own_announcement_and_its_code_is_kept(store: MemoryStore) -> None:
    for name in ("中航成飞股份有限公司", "中航成飞"):
        assert query.search(store, name)[0].id == ZEMIC
    (rename,) = [s for s in _node(store, ZEMIC).sources if "300114/60882876" in s.url]
    assert "证券代码:300114" in (rename.quote or "") and "中航成飞股份有限公司" in (rename.quote or "")
    security = _node(store, "SEC:SZSE:300114")
    assert security.properties["code"] == "300114"
    assert "302132" in str(security.properties["note"])
    assert store.get_node("SEC:SZSE:302132") is None
