from datetime import date

import pytest

from graph.affects import affects
from graph.errors import OrdergraphError
from graph.model import by_authority
from graph.reaches import reaches
from graph.store.memory import MemoryStore


def test_eo_13959_reaches_the_telcos_and_xiaomi_pending_on_2021_03_10(store: MemoryStore) -> None:
    answer = reaches(store, "EO:13959", date(2021, 3, 10))
    rows = {r.security.id: r for r in answer.securities}
    assert rows["SEC:HKEX:0728"].status == "in_force"
    assert rows["SEC:HKEX:0728"].applies_from == "2021-03-09"
    assert rows["SEC:HKEX:0728"].disputed  # OFAC's 2021-01-11 reading stands beside it
    assert rows["SEC:HKEX:1810"].status == "pending"
    assert rows["SEC:HKEX:1810"].applies_from == "2021-03-15"


def test_reaches_agrees_with_affects_for_every_row(store: MemoryStore) -> None:
    day = date(2021, 9, 1)
    answer = reaches(store, "EO:14032", day)
    assert answer.securities
    for row in answer.securities:
        effects = {o.id: o for o in affects(store, row.security.id, day).orders}
        assert effects["EO:14032"].status == row.status
        assert effects["EO:14032"].applies_from == row.applies_from


def test_a_revoked_order_reaches_nothing_and_says_why(store: MemoryStore) -> None:
    # EO 13959's prohibitions were superseded by 14032 on 2021-06-03.
    answer = reaches(store, "EO:13959", date(2021, 9, 1))
    assert answer.securities == []
    assert answer.inactive is not None and "superseded by Executive Order 14032" in answer.inactive.reason
    assert answer.inactive.reason.endswith("on 2021-06-03")
    revoked = reaches(store, "EO:13943", date(2026, 11, 26)).inactive
    assert revoked is not None and "revoked by Executive Order 14034" in revoked.reason
    assert "2021-06-09" in revoked.reason
    assert reaches(store, "EO:14032", date(2021, 9, 1)).inactive is None


def test_a_superseded_order_cites_the_superseding_edge_and_its_sources(store: MemoryStore) -> None:
    inactive = reaches(store, "EO:13959", date(2021, 7, 1)).inactive
    assert inactive is not None
    (edge,) = inactive.edges
    (supersedes,) = [e for e in store.edges_of("EO:13959", "in", ["SUPERSEDES"])]
    assert (edge.id, edge.kind, edge.source) == (supersedes.id, "SUPERSEDES", "EO:14032")
    # Every source of the edge, most authoritative first, as every answer cites them.
    assert edge.sources == by_authority(list(supersedes.sources), "SUPERSEDES")
    assert {s.url for s in edge.sources} == {s.url for s in supersedes.sources} and len(edge.sources) == 2


def test_an_order_not_yet_signed_cites_its_own_sources(store: MemoryStore) -> None:
    """No edge says an order was not yet signed: its own sources (which give the signing date) do."""
    inactive = reaches(store, "EO:14032", date(2021, 5, 1)).inactive
    assert inactive is not None and "not signed until" in inactive.reason and inactive.edges == []
    order = store.get_node("EO:14032")
    assert order is not None and order.sources
    assert inactive.sources == by_authority(list(order.sources), "ExecutiveOrder")
    # A revoked or superseded order cites its edge, not the order's own sources again.
    superseded = reaches(store, "EO:13959", date(2021, 7, 1)).inactive
    assert superseded is not None and superseded.edges and superseded.sources == []


def test_reaches_refuses_a_company(store: MemoryStore) -> None:
    with pytest.raises(OrdergraphError, match="not an executive order"):
        reaches(store, "ORG:xiaomi", date(2021, 3, 10))
