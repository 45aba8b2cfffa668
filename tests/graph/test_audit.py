"""The audit report: counts of source kinds and hosts, and the edges to check first."""

from __future__ import annotations

from graph.audit import audit, is_legal_fact
from graph.model import Edge, Node, Source
from graph.store.memory import MemoryStore


def _source(kind: str, host: str) -> Source:
    return Source(url=f"https://{host}/doc", title="t", publisher="p", kind=kind)


def _store() -> MemoryStore:
    nodes = [
        Node(id="ORG:a", kind="Company", name="A"),
        Node(id="LIST:l", kind="SanctionsList", name="L"),
        Node(id="APP:x", kind="App", name="X"),
        Node(id="EXCH:E", kind="Exchange", name="E"),
        Node(id="SEC:E:1", kind="Security", name="S"),
    ]
    gov, blog, news = (
        _source("official", "www.gov.example"),
        _source("other", "blog.example"),
        _source("press", "news.example"),
    )
    edges = [
        Edge(id="listed", kind="LISTED_ON", source="ORG:a", target="LIST:l", start="2021-01-14",
             confidence="verified", sources=[blog, gov]),
        Edge(id="hearsay", kind="LISTED_ON", source="ORG:a", target="LIST:l", start="2022-10-05",
             confidence="likely", sources=[news, blog]),
        Edge(id="develops", kind="DEVELOPS", source="ORG:a", target="APP:x", end="2021-06-09",
             confidence="verified", sources=[news]),  # an end alone does not say when it began
        Edge(id="announce", kind="EXCHANGE_ACTION", source="EXCH:E", target="SEC:E:1", start="2020-12-31",
             confidence="verified", properties={"action": "announce_delisting"}, sources=[news]),
        Edge(id="delist", kind="EXCHANGE_ACTION", source="EXCH:E", target="SEC:E:1", start="2021-05-18",
             confidence="unverified", properties={"action": "delist"}, sources=[blog]),
    ]  # fmt: skip
    return MemoryStore.from_parts(nodes, edges)


def test_an_exchanges_announcement_of_a_delisting_is_a_legal_fact_like_the_delisting() -> None:
    # The announcement (and its reversal) is the exchange's own legal step, as the delisting is.
    store = _store()
    assert {e.id for e in store.edges() if is_legal_fact(e)} == {"listed", "hearsay", "announce", "delist"}
    reversal = Edge(
        id="r",
        kind="EXCHANGE_ACTION",
        source="EXCH:E",
        target="SEC:E:1",
        start="2021-01-04",
        confidence="likely",
        properties={"action": "reverse"},
        sources=[_source("press", "n.example")],
    )
    assert is_legal_fact(reversal)
    # Every step the schema allows an exchange, reinstating trading too, is a legal fact.
    assert is_legal_fact(reversal.model_copy(update={"properties": {"action": "reinstate"}}))


def test_counts_sources_by_kind_in_authority_order_and_hosts_most_cited_first() -> None:
    report = audit(_store())
    assert report.edges == 5
    assert list(report.source_kinds.items()) == [("official", 1), ("press", 3), ("other", 3)]
    hosts = [(h.host, h.kinds, h.edges, h.only_source) for h in report.hosts]
    assert hosts == [
        ("blog.example", ["other"], 3, 1),
        ("news.example", ["press"], 3, 2),
        ("gov.example", ["official"], 1, 0),
    ]


def test_lists_the_edges_a_fact_checker_reads_first() -> None:
    report = audit(_store())
    assert [e.id for e in report.secondary_only] == ["announce", "delist", "develops", "hearsay"]
    assert [e.id for e in report.legal_without_primary] == ["announce", "delist", "hearsay"]
    assert [e.id for e in report.undated] == ["develops"]
    assert [e.id for e in report.not_verified] == ["delist", "hearsay"]


def test_the_curated_data_has_no_verified_legal_fact_without_a_primary_source(store: MemoryStore) -> None:
    report = audit(store)
    assert report.edges == store.edge_count()
    assert all(e.confidence != "verified" for e in report.legal_without_primary)
    assert sum(report.source_kinds.values()) == sum(len(e.sources) for e in store.edges())
    assert report.hosts[0].edges >= report.hosts[-1].edges
