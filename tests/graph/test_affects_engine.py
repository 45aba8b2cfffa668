"""The affects rules on a small fixture whose dates never move (tests/fixtures/mini)."""

from __future__ import annotations

from datetime import date

import pytest

from graph.errors import AmbiguousEntity, OrdergraphError, UnknownEntity
from graph.model import Edge, Node, Source
from graph.query import affects, resolve
from graph.store.memory import MemoryStore
from graph.views import EdgeRef, NodeRef


def test_annex_listing_of_a_parent_that_the_rule_reaches(mini: MemoryStore) -> None:
    before = affects(mini, "SEC:HKEX:0001", date(2020, 2, 29))
    after = affects(mini, "SEC:HKEX:0001", date(2020, 3, 1))
    assert [(o.id, o.status, o.applies_from) for o in before.orders if o.restriction == "securities"] == [
        ("EO:1", "pending", "2020-03-01")
    ]
    assert [(o.id, o.status) for o in after.orders if o.restriction == "securities"] == [("EO:1", "in_force")]
    path_ids = [step.id for step in after.orders[0].paths[0] if isinstance(step, NodeRef)]
    assert path_ids == ["SEC:HKEX:0001", "ORG:child", "ORG:parent", "LIST:L1", "EO:1"]
    assert after.orders[0].divest_until == "2020-12-31"


def test_transaction_ban_reaches_a_subsidiary_only_where_the_order_says_so(mini: MemoryStore) -> None:
    orders = {o.id: o for o in affects(mini, "SEC:HKEX:0001", date(2020, 4, 1)).orders}
    assert set(orders) == {"EO:1", "EO:3"}  # EO 4 targets the parent but does not reach subsidiaries
    chat = orders["EO:3"]
    assert (chat.restriction, chat.status, chat.applies_from) == ("transactions", "in_force", "2020-04-01")
    assert [s.id for s in chat.paths[0] if isinstance(s, NodeRef)] == [
        "SEC:HKEX:0001", "ORG:child", "ORG:parent", "APP:chat", "EO:3",
    ]  # fmt: skip


def test_every_edge_of_a_path_carries_dates_and_sources(mini: MemoryStore) -> None:
    answer = affects(mini, "SEC:HKEX:0001", date(2020, 3, 1))
    path = next(o for o in answer.orders if o.id == "EO:1").paths[0]
    assert isinstance(path[0], NodeRef) and isinstance(path[-1], NodeRef)
    edges = [s for s in path if isinstance(s, EdgeRef)]
    assert [e.kind for e in edges] == ["ISSUES", "SUBSIDIARY_OF", "LISTED_ON", "GOVERNS"]
    assert all(e.sources and e.sources[0].url.startswith("https://") for e in edges)
    assert edges[2].start == "2020-01-01"


def test_later_listing_waits_and_a_disputed_start_becomes_a_claim(mini: MemoryStore) -> None:
    order = affects(mini, "SEC:NYSE:ACME", date(2020, 6, 1)).orders[0]
    assert (order.status, order.applies_from) == ("pending", "2020-06-30")
    assert [(c.applies_from, c.sources[0].url) for c in order.claims] == [
        ("2020-06-30", "https://example.gov/list"),
        ("2020-07-01", "https://example.org/news/1"),
    ]


def test_claims_differ_in_status_inside_the_disputed_window(mini: MemoryStore) -> None:
    order = affects(mini, "SEC:NYSE:ACME", date(2020, 6, 30)).orders[0]
    assert order.status == "in_force"
    assert {(c.status, c.applies_from) for c in order.claims} == {
        ("in_force", "2020-06-30"),
        ("pending", "2020-07-01"),
    }


def test_injunction_for_this_company_wins(mini: MemoryStore) -> None:
    order = affects(mini, "SEC:NYSE:ACME", date(2020, 7, 1)).orders[0]
    assert order.status == "enjoined"
    assert [c.id for c in order.enjoined_by] == ["CASE:XX:1:20-cv-00001"]


def test_an_injunction_comes_with_its_dates_and_the_court_s_source(mini: MemoryStore) -> None:
    (injunction,) = affects(mini, "SEC:NYSE:ACME", date(2020, 7, 1)).orders[0].injunctions
    assert (injunction.case.id, injunction.since, injunction.until) == (
        "CASE:XX:1:20-cv-00001",
        "2020-07-01",
        "2020-10-01",
    )
    assert [s.url for s in injunction.sources] == ["https://example.gov/court/1"]


def test_injunction_for_another_company_does_not_apply(mini: MemoryStore) -> None:
    orders = {o.id: o.status for o in affects(mini, "SEC:HKEX:0001", date(2020, 7, 1)).orders}
    assert orders["EO:1"] == "in_force"


def test_gap_between_listings_is_explained(mini: MemoryStore) -> None:
    answer = affects(mini, "SEC:NYSE:ACME", date(2020, 10, 15))
    assert answer.orders == []
    reasons = [e.reason for e in answer.explanations]
    assert "Later Technology Corp was on List One only until 2020-10-01" in reasons
    assert "Later Technology Corp is on List One only from 2020-11-01" in reasons


def test_parallel_listing_edges_are_both_kept(mini: MemoryStore) -> None:
    listings = list(mini.edges_of("ORG:later", "out", ["LISTED_ON"]))
    assert sorted(e.start or "" for e in listings) == ["2020-05-01", "2020-11-01"]


def test_revoked_order_no_longer_affects(mini: MemoryStore) -> None:
    answer = affects(mini, "SEC:HKEX:0001", date(2020, 12, 1))
    assert [o.id for o in answer.orders] == ["EO:3"]
    assert answer.explanations[0].reason == "Executive Order 1 revoked by Executive Order 2 on 2020-12-01"


def test_exchange_status_follows_the_latest_action(mini: MemoryStore) -> None:
    assert affects(mini, "SEC:NYSE:ACME", date(2020, 7, 31)).exchange_status is None
    suspended = affects(mini, "SEC:NYSE:ACME", date(2020, 8, 1)).exchange_status
    assert suspended is not None
    assert (suspended.state, suspended.since, suspended.time) == ("suspended", "2020-08-01", "04:00 EST")
    delisted = affects(mini, "SEC:NYSE:ACME", date(2020, 9, 1)).exchange_status
    assert delisted is not None and delisted.state == "delisted"


def _notice(action: str, start: str, end: str | None = None) -> Edge:
    url = f"https://example.org/{action}/{start}"
    source = Source(url=url, title="notice", publisher="X", kind="exchange")
    return Edge(
        id=f"{action}-{start}",
        kind="EXCHANGE_ACTION",
        source="EXCH:X",
        target="SEC:X:A",
        start=start,
        end=end,
        confidence="verified",
        properties={"action": action},
        sources=[source],
    )


def test_an_announcement_or_its_withdrawal_counts_only_while_its_edge_holds() -> None:
    nodes = [
        Node(id="EXCH:X", kind="Exchange", name="X"),
        Node(id="SEC:X:A", kind="Security", name="A", properties={"exchange": "EXCH:X", "code": "A"}),
    ]
    edges = [
        _notice("announce_delisting", "2021-01-01", "2021-01-04"),
        _notice("reverse", "2021-01-04", "2021-01-06"),
        _notice("announce_delisting", "2021-01-06"),
        _notice("suspend", "2021-01-11"),
    ]
    store = MemoryStore.from_parts(nodes, edges)

    def state(day: date) -> tuple[str, str | None] | None:
        status = affects(store, "SEC:X:A", day).exchange_status
        return None if status is None else (status.state, status.since)

    assert state(date(2020, 12, 31)) is None
    assert state(date(2021, 1, 3)) == ("delisting_announced", "2021-01-01")
    assert state(date(2021, 1, 5)) == ("delisting_withdrawn", "2021-01-04")
    assert state(date(2021, 1, 7)) == ("delisting_announced", "2021-01-06")
    assert state(date(2021, 1, 11)) == ("suspended", "2021-01-11")
    # A withdrawal whose edge has ended, with nothing after it, leaves no status.
    alone = MemoryStore.from_parts(nodes, [_notice("reverse", "2021-01-04", "2021-01-06")])
    assert affects(alone, "SEC:X:A", date(2021, 1, 5)).exchange_status is not None
    assert affects(alone, "SEC:X:A", date(2021, 1, 6)).exchange_status is None


def test_affects_needs_a_security(mini: MemoryStore) -> None:
    with pytest.raises(OrdergraphError, match="not a security"):
        affects(mini, "ORG:later", date(2020, 6, 1))


def test_bare_code_on_two_exchanges_is_ambiguous(mini: MemoryStore) -> None:
    with pytest.raises(AmbiguousEntity) as info:
        resolve(mini, "ACME")
    assert info.value.candidates == ["SEC:NASDAQ:ACME", "SEC:NYSE:ACME"]
    assert resolve(mini, "NASDAQ:ACME") == "SEC:NASDAQ:ACME"
    with pytest.raises(AmbiguousEntity):
        resolve(mini, "ACME US")  # US means NYSE or Nasdaq


def test_unknown_name_suggests_close_ones(mini: MemoryStore) -> None:
    with pytest.raises(UnknownEntity) as info:
        resolve(mini, "Later Techno Corporation Holdings Group")
    assert any("ORG:later" in s for s in info.value.suggestions)
    with pytest.raises(UnknownEntity, match="nothing in the graph is named, coded or identified like it"):
        resolve(mini, "zzzzqqq")


def test_an_injunction_holds_under_every_dated_reading(mini: MemoryStore) -> None:
    order = affects(mini, "SEC:NYSE:ACME", date(2020, 7, 20)).orders[0]
    assert order.status == "enjoined"
    assert {(c.status, c.applies_from) for c in order.claims} == {
        ("enjoined", "2020-06-30"),
        ("enjoined", "2020-07-01"),
    }
    assert [c.id for c in order.enjoined_by] == ["CASE:XX:1:20-cv-00001"]


def test_enjoined_by_names_only_injunctions_behind_the_status(mini: MemoryStore) -> None:
    # The injunction protects ORG:later only; the child's answer must not cite it.
    orders = {o.id: o for o in affects(mini, "SEC:HKEX:0001", date(2020, 7, 20)).orders}
    assert orders["EO:1"].status == "in_force" and orders["EO:1"].enjoined_by == []


def test_a_security_not_yet_issued_says_from_when_and_names_no_missing_end() -> None:
    source = Source(url="https://example.org/listing", title="listing", publisher="X", kind="exchange")
    nodes = [
        Node(id="ORG:a", kind="Company", name="A Corp"),
        Node(id="SEC:X:A", kind="Security", name="A shares", properties={"exchange": "EXCH:X", "code": "A"}),
    ]
    issued = Edge(
        id="issues-a", kind="ISSUES", source="ORG:a", target="SEC:X:A", start="2008-03-10",
        confidence="verified", sources=[source],
    )  # fmt: skip
    store = MemoryStore.from_parts(nodes, [issued])
    reasons = [e.reason for e in affects(store, "SEC:X:A", date(2008, 3, 9)).explanations]
    # The span in the words every face prints (graph.plain.span), not a wording of its own.
    assert reasons == ["A shares was not issued by A Corp that day (from 2008-03-10, no end recorded)"]
    ended = issued.model_copy(update={"start": None, "end": "2010-01-01"})
    answer = affects(MemoryStore.from_parts(nodes, [ended]), "SEC:X:A", date(2011, 1, 1))
    reasons = [e.reason for e in answer.explanations]
    assert reasons == ["A shares was not issued by A Corp that day (ended 2010-01-01, no start recorded)"]
    both = issued.model_copy(update={"end": "2010-01-01"})
    answer = affects(MemoryStore.from_parts(nodes, [both]), "SEC:X:A", date(2011, 1, 1))
    reasons = [e.reason for e in answer.explanations]
    assert reasons == ["A shares was not issued by A Corp that day (2008-03-10 → 2010-01-01)"]


def test_an_order_that_governs_or_targets_only_for_a_while_says_when_in_the_shared_words() -> None:
    """A GOVERNS or TARGETS edge that does not hold that day gives its span as graph.plain.span does:
    no 'from None' when a side is not recorded."""
    source = Source(url="https://example.gov/eo", title="eo", publisher="X", kind="official")
    nodes = [
        Node(id="ORG:a", kind="Company", name="A Corp"),
        Node(id="SEC:X:A", kind="Security", name="A shares", properties={"exchange": "EXCH:X", "code": "A"}),
        Node(
            id="EO:9", kind="ExecutiveOrder", name="EO 9", properties={"number": "9", "signed": "2000-01-01"}
        ),
    ]
    edges = [
        Edge(id="issues", kind="ISSUES", source="ORG:a", target="SEC:X:A", confidence="verified",
             sources=[source]),
        Edge(id="targets", kind="TARGETS", source="EO:9", target="ORG:a", end="2005-01-01",
             confidence="verified", sources=[source]),
    ]  # fmt: skip
    answer = affects(MemoryStore.from_parts(nodes, edges), "SEC:X:A", date(2006, 1, 1))
    reasons = [e.reason for e in answer.explanations if e.order and e.order.id == "EO:9"]
    assert reasons == ["EO 9 does not target A Corp that day (ended 2005-01-01, no start recorded)"]


def test_a_delisting_read_from_the_end_of_trading_cites_what_states_the_end() -> None:
    # No exchange action: the status comes from the TRADES_ON edge's end, whose sources are the
    # listing's (2004) and a notice, days ahead, naming the security and giving the day of the
    # end. Only the notice may stand behind "delisted".
    listing = Source(
        url="https://example.org/listing", title="listing", publisher="X", kind="exchange", date="2004-06-16"
    )
    notice = Source(
        url="https://example.org/delisted",
        title="notice",
        publisher="X",
        kind="exchange",
        date="2021-05-07",
        quote="A shares: the delisting will be effective on May 18, 2021",
    )
    nodes = [
        Node(id="EXCH:X", kind="Exchange", name="X exchange"),
        Node(id="SEC:X:A", kind="Security", name="A shares", properties={"exchange": "EXCH:X", "code": "A"}),
    ]
    trades = Edge(
        id="trades-a", kind="TRADES_ON", source="SEC:X:A", target="EXCH:X",
        start="2004-06-16", end="2021-05-18", confidence="verified", sources=[listing, notice],
    )  # fmt: skip
    store = MemoryStore.from_parts(nodes, [trades])
    status = affects(store, "SEC:X:A", date(2021, 6, 1)).exchange_status
    assert status is not None and status.state == "delisted" and status.since == "2021-05-18"
    assert [s.url for s in status.sources] == ["https://example.org/delisted"]
    only_listing = trades.model_copy(update={"sources": [listing]})
    status = affects(
        MemoryStore.from_parts(nodes, [only_listing]), "SEC:X:A", date(2021, 6, 1)
    ).exchange_status
    assert status is not None and status.sources == []  # no source states the end: none is shown as if it did


def test_a_claim_from_a_disputed_date_says_what_the_date_is_in_words(store: MemoryStore) -> None:
    """NYSE's notice gives 2021-01-11 for China Telecom's NYSE ADSs' prohibitions: the claim reads so
    in words, never with the data's key (``disputed applies_from``)."""
    answer = affects(store, "SEC:NYSE:CHA", date(2021, 2, 1))
    bases = [c.basis for order in answer.orders for c in order.claims]
    listing = "China Telecom Corporation Limited's listing"
    ads = "China Telecom Corporation Limited (NYSE CHA ADS)"
    assert f"{listing}: other sources give 2021-01-11 as the start of prohibitions for {ads}" in bases
    assert not [b for b in bases if "applies_from" in b]


def test_an_exchange_status_says_how_sure_it_is_and_who_gives_its_day() -> None:
    """Review 34 (M5): China Mobile's delisting of 2021-05-18 is ``likely`` and its first source, a
    filing, does not give the day; the status carries the edge's confidence, and the source that
    states the day is the one it credits (``dated_by``), the filing still first."""
    filing = Source(url="https://example.gov/6k", title="6-K", publisher="A Ltd", kind="filing")
    site = Source(
        url="https://example.com/overview",
        title="A Ltd: overview",
        publisher="A Ltd (company website)",
        kind="other",
        quote="the delisting of the American Depositary Shares of A Ltd became effective on 18 May 2021.",
    )
    nodes = [
        Node(id="EXCH:X", kind="Exchange", name="X"),
        Node(id="SEC:X:A", kind="Security", name="A Ltd ADS", properties={"exchange": "EXCH:X", "code": "A"}),
        Node(id="ORG:a", kind="Company", name="A Ltd"),
    ]
    delist = Edge(
        id="delist",
        kind="EXCHANGE_ACTION",
        source="EXCH:X",
        target="SEC:X:A",
        start="2021-05-18",
        confidence="likely",
        properties={"action": "delist"},
        sources=[site, filing],
    )
    issues = Edge(id="issues", kind="ISSUES", source="ORG:a", target="SEC:X:A", confidence="verified",
                  sources=[filing])  # fmt: skip
    day = date(2021, 6, 1)
    status = affects(MemoryStore.from_parts(nodes, [delist, issues]), "SEC:X:A", day).exchange_status
    assert status is not None and (status.state, status.confidence) == ("delisted", "likely")
    assert [s.url for s in status.sources] == ["https://example.gov/6k", "https://example.com/overview"]
    assert status.dated_by == site and status.model_dump(mode="json")["confidence"] == "likely"
    verified = delist.model_copy(update={"confidence": "verified", "sources": [filing, site]})
    status = affects(MemoryStore.from_parts(nodes, [verified, issues]), "SEC:X:A", day).exchange_status
    assert status is not None and status.confidence == "verified"
