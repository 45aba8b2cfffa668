import pytest

from graph.cite import cite, cite_order
from graph.errors import OrdergraphError
from graph.store.memory import MemoryStore


def _edge(store: MemoryStore, kind: str, source: str, target: str) -> str:
    return next(e.id for e in store.edges(kind) if e.source == source and e.target == target)


def test_an_order_is_cited_by_number_federal_register_page_and_date(store: MemoryStore) -> None:
    order = store.get_node("EO:13959")
    assert order is not None
    assert cite_order(order) == "Exec. Order No. 13959, 85 Fed. Reg. 73185 (Nov. 17, 2020)"
    edge_id = _edge(store, "GOVERNS", "EO:13959", "LIST:OFAC-NS-CCMC")
    assert cite(store, edge_id).text == "Exec. Order No. 13959, 85 Fed. Reg. 73185 (Nov. 17, 2020)"


def test_a_ruling_is_cited_by_docket_court_and_day(store: MemoryStore) -> None:
    edge = next(e for e in store.edges("ENJOINS") if e.source == "CASE:DDC:1:21-cv-00280")
    text = cite(store, edge.id).text
    assert (
        text
        == "Xiaomi Corporation v. U.S. Department of Defense, No. 1:21-cv-00280-RC (D.D.C. Mar. 12, 2021)"
    )


def test_other_edges_cite_publisher_title_date_and_url(store: MemoryStore) -> None:
    edge = next(e for e in store.edges("EXCHANGE_ACTION"))
    citation = cite(store, edge.id)
    assert len(citation.sources) == len(edge.sources)
    assert any(s.url in citation.text for s in edge.sources)
    assert '"' in citation.text


def test_unknown_edge_says_where_ids_are(store: MemoryStore) -> None:
    with pytest.raises(OrdergraphError, match="ordergraph show"):
        cite(store, "nope")


def test_an_undated_relations_citation_leads_with_the_source_that_shows_it(store: MemoryStore) -> None:
    """Proven Glory's parent: cited to Huawei Investment & Holding's annual report (which calls it a
    wholly-owned subsidiary: ``known_from_stated_by``), not to GlobalCapital's bond report (guarantor
    only), as `show` lists the edge's sources (graph.model.ranked_sources)."""
    found = cite(store, "SUBSIDIARY_OF|ORG:proven-glory-capital|ORG:huawei-investment-holding|-")
    assert found.text.endswith("https://issuhub.com/view/index/29418?pageIndex=134"), found.text
    assert found.sources[0] == found.text
