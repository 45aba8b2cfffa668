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


# ---- when an order ended: the day, how, by which order, and what it reached on its last day ----


def test_a_superseded_order_says_when_and_what_its_superseded_sections_reached(store: MemoryStore) -> None:
    """EO 13959 was not revoked: EO 14032 superseded its §§1–5 and the Annex on 2021-06-03 (the
    SUPERSEDES edge's scope). On 2021-06-02 it reached 22 securities (CRRC's A and H shares among them),
    Luokung's enjoined."""
    ended = reaches(store, "EO:13959", date(2026, 11, 27)).ended
    assert ended is not None
    (supersedes,) = store.edges_of("EO:13959", "in", ["SUPERSEDES"])
    assert (ended.how, ended.on, ended.last_day) == ("superseded", "2021-06-03", "2021-06-02")
    assert ended.by.id == "EO:14032" and ended.scope == "§§1–5 and the Annex"
    assert ended.edge.id == supersedes.id
    assert ended.edge.sources == by_authority(list(supersedes.sources), "SUPERSEDES")
    assert ended.restricts_securities
    assert ended.counts == {"in_force": 21, "enjoined": 1}
    assert [r.security.id for r in ended.securities if r.status == "enjoined"] == ["SEC:NASDAQ:LKCO"]
    assert ended.securities == reaches(store, "EO:13959", date(2021, 6, 2)).securities
    # Luokung's injunction held on that day; Xiaomi's had ended on 2021-05-25.
    assert [(i.case.id, i.nationwide) for i in ended.injunctions] == [("CASE:DDC:1:21-cv-00583", False)]


def test_an_app_order_revoked_says_it_restricted_no_securities_and_was_enjoined(store: MemoryStore) -> None:
    ended = reaches(store, "EO:13943", date(2022, 1, 1)).ended
    assert ended is not None
    assert (ended.how, ended.on, ended.last_day, ended.by.id) == (
        "revoked",
        "2021-06-09",
        "2021-06-08",
        "EO:14034",
    )
    assert not ended.restricts_securities  # a transaction ban: it governs no list of securities
    assert [(i.case.id, i.nationwide, i.since) for i in ended.injunctions] == [
        ("CASE:NDCAL:3:20-cv-05910", True, "2020-09-19")
    ]
    tiktok = reaches(store, "EO:13942", date(2022, 1, 1)).ended
    assert tiktok is not None and not tiktok.restricts_securities and tiktok.securities == []
    assert {i.case.id for i in tiktok.injunctions} == {"CASE:DDC:1:20-cv-02658", "CASE:EDPA:2:20-cv-04597"}
    apps = reaches(store, "EO:13971", date(2022, 1, 1)).ended
    assert apps is not None and not apps.restricts_securities and apps.injunctions == []


def test_an_amending_order_revoked_restricted_no_securities(store: MemoryStore) -> None:
    ended = reaches(store, "EO:13974", date(2022, 1, 1)).ended
    assert ended is not None and (ended.how, ended.on, ended.by.id) == ("revoked", "2021-06-03", "EO:14032")
    assert not ended.restricts_securities and ended.securities == [] and ended.counts == {}


def test_an_order_not_ended_on_the_day_has_no_ended(store: MemoryStore) -> None:
    assert reaches(store, "EO:14032", date(2026, 11, 27)).ended is None
    assert reaches(store, "EO:14032", date(2021, 5, 1)).ended is None  # not yet signed is not ended
    assert reaches(store, "EO:13959", date(2021, 6, 2)).ended is None  # its last day: not ended yet


def test_a_row_says_what_the_exchange_had_done_by_the_day(store: MemoryStore) -> None:
    """Aerospace Communications' A-share (SSE 600677) is still on OFAC's entry, so EO 14032 reaches
    it from 2021-08-02, but the SSE had struck it on 2021-03-18: the row carries the exchange's state,
    as ``affects`` does, so that nobody counts it as a tradable listing. The telcos' Hong Kong shares
    trade on: no state."""
    day = date(2021, 8, 2)
    rows = {r.security.id: r for r in reaches(store, "EO:14032", day).securities}
    delisted = rows["SEC:SSE:600677"].exchange_status
    assert delisted is not None
    assert (delisted.state, delisted.since) == ("delisted", "2021-03-18")
    assert delisted == affects(store, "SEC:SSE:600677", day).exchange_status
    assert rows["SEC:HKEX:0728"].exchange_status is None


def test_a_security_issued_after_its_issuers_rule_day_applies_from_the_day_it_was_issued(
    store: MemoryStore,
) -> None:
    """Issue 7: China Telecom's Shanghai A-share (issued 2021-08-20) and China Mobile's (2022-01-05)
    came after EO 14032's prohibitions applied to their issuers (2021-08-02); ``reaches`` gave only the
    issuer's day. Each row keeps ``applies_from`` (the rule's day for the issuer) and adds
    ``security_applies_from``: the later of it and the day the security was issued, as ``affects``'
    short answer says it (graph.plain.issued_on), and as ``affects``' own answer carries it."""
    day = date(2022, 7, 1)
    rows = {r.security.id: r for r in reaches(store, "EO:14032", day).securities}
    own = {s: (rows[s].applies_from, rows[s].security_applies_from) for s in rows}
    assert own["SEC:SSE:601728"] == ("2021-08-02", "2021-08-20")
    assert own["SEC:SSE:600941"] == ("2021-08-02", "2022-01-05")
    assert own["SEC:SSE:600938"] == ("2021-08-02", "2022-04-21")
    assert own["SEC:HKEX:0728"] == ("2021-08-02", "2021-08-02")  # issued long before
    assert own["SEC:HKEX:0020"] == ("2022-02-08", "2022-02-08")  # issued 2021-12-30, before its day
    for security_id, row in rows.items():
        (effect,) = [o for o in affects(store, security_id, day).orders if o.id == "EO:14032"]
        assert effect.security_applies_from == row.security_applies_from, security_id
