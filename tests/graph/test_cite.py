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


def test_a_reported_ruling_is_cited_by_its_reporter_court_and_year(store: MemoryStore) -> None:
    """eyes36 P14: a ruling published in a reporter is cited as lawyers cite it, by volume, reporter
    and page (the edge's ``reported_in``, which a court source on it states), the court and the year;
    the docket and the day give way. Its court source (Casetext's report) stays among the sources."""
    marland = next(e for e in store.edges("ENJOINS") if e.source == "CASE:EDPA:2:20-cv-04597")
    assert cite(store, marland.id).text == "Marland v. Trump, 498 F. Supp. 3d 624 (E.D. Pa. 2020)"
    tiktok = next(e for e in store.edges("ENJOINS") if e.id.endswith("|2020-12-07|remaining"))
    citation = cite(store, tiktok.id)
    assert citation.text == "TikTok Inc. v. Trump, 507 F. Supp. 3d 92 (D.D.C. 2020)"
    assert any("507 F. Supp. 3d 92" in s for s in citation.sources)
    # Reported nowhere the data holds: the docket form, as before.
    first = next(e for e in store.edges("ENJOINS") if e.id.endswith("|2020-09-27|app-store"))
    docket = "TikTok Inc. v. Trump, No. 1:20-cv-02658-CJN (D.D.C. Sept. 27"
    assert cite(store, first.id).text.startswith(docket)


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


def test_a_court_documents_citation_leads_with_its_own_court_and_day(store: MemoryStore) -> None:
    """Review 35 (N2): the Ninth Circuit's denial of a stay (2020-10-26) was cited first to the district
    court's own denial of 2020-10-23 (Casetext's text of the N.D. Cal. order): a `court` source outranks a
    report, so another court's order of another day led. The appellate order leads with what states it;
    the district court's order is its own document, dated 2020-10-23."""
    stay = "MENTIONS|DOC:ca9-20-16908-stay-denied|CASE:NDCAL:3:20-cv-05910|2020-10-26"
    citation = cite(store, stay)
    assert "Ninth Circuit" in citation.text and "Oct. 26, 2020" in citation.text
    assert not [s for s in citation.sources if "N.D. Cal." in s or "Oct. 23, 2020" in s]
    (district,) = [
        e
        for e in store.edges("MENTIONS")
        if e.target == "CASE:NDCAL:3:20-cv-05910" and e.start == "2020-10-23"
    ]
    text = cite(store, district.id).text
    assert text.startswith("Casetext (text of the district court's order), \"U.S. WeChat")
    assert "(Oct. 23, 2020)" in text
