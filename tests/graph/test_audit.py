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


def _named(node_id: str, aliases: list[str], sources: list[Source], note: str | None = None) -> Node:
    properties = {"no_chinese_name": note} if note else {}
    return Node(
        id=node_id, kind="Company", name=node_id, aliases=aliases, sources=sources, properties=properties
    )


def _quoting(kind: str, host: str, quote: str, locator: str | None = None) -> Source:
    url = f"https://{host}/doc"
    return Source(url=url, title="t", publisher="p", kind=kind, quote=quote, locator=locator)


def test_lists_listed_companies_and_issuers_with_no_chinese_name_or_only_lesser_sources_for_it() -> None:
    # Issue 7: every company on a list and every issuer of a listed security has its Chinese name
    # from a filing or an official list; the audit shows the remainder.
    filing = _quoting("filing", "www.sse.com.cn", "证券简称:甲公司 甲股份有限公司")
    copy = _quoting("other", "copy.example", "乙集团有限公司")
    news = _quoting("press", "news.example", "丙科技", locator="丙科技 as the press writes it")
    nodes = [
        _named("ORG:strong", ["Strong Ltd", "甲股份有限公司", "甲公司"], [filing, copy]),
        _named("ORG:weak", ["乙集团有限公司"], [copy, filing]),  # the filing does not quote the name
        _named("ORG:press", ["丙科技"], [news]),
        _named("ORG:none", [], [], note="not found: the filings searched name it in English only"),
        _named("ORG:bare", ["Bare Inc"], []),
        _named("ORG:issuer", [], []),
        _named("ORG:unlisted", [], []),  # neither on a list nor an issuer: not the audit's business
        Node(id="LIST:l", kind="SanctionsList", name="L"),
        Node(id="SEC:E:1", kind="Security", name="S"),
    ]
    gov = _source("official", "gov.example")
    edges = [
        Edge(id=f"l-{n}", kind="LISTED_ON", source=f"ORG:{n}", target="LIST:l", start="2021-01-14",
             confidence="verified", sources=[gov])
        for n in ("strong", "weak", "press", "none", "bare")
    ] + [Edge(id="i", kind="ISSUES", source="ORG:issuer", target="SEC:E:1", confidence="verified",
              sources=[gov])]  # fmt: skip
    report = audit(MemoryStore.from_parts(nodes, edges))
    assert [(g.id, g.note) for g in report.chinese_names_missing] == [
        ("ORG:bare", None),
        ("ORG:issuer", None),
        ("ORG:none", "not found: the filings searched name it in English only"),
    ]
    secondary = [(g.id, g.aliases, g.kinds) for g in report.chinese_names_secondary_only]
    assert secondary == [("ORG:press", ["丙科技"], ["press"]), ("ORG:weak", ["乙集团有限公司"], ["other"])]


def test_the_curated_data_shows_its_chinese_name_gaps(store: MemoryStore) -> None:
    report = audit(store)
    missing = {g.id for g in report.chinese_names_missing}
    secondary = {g.id for g in report.chinese_names_secondary_only}
    assert not missing & secondary
    assert "ORG:hikvision" not in missing | secondary  # its name comes from its own announcement
    assert "ORG:bgi-americas" in missing  # a US company DoD names in English only
    assert all(g.note for g in report.chinese_names_missing)  # the dataset holds a note for each


def test_counts_full_and_short_chinese_names_apart_and_lists_full_names_no_filing_quotes() -> None:
    # A short name from a filing does not make the full name filing-backed: 丁's 证券简称 comes from
    # the exchange's notice, its full name only from a copy on a document-sharing site.
    notice = _quoting("filing", "www.szse.cn", "证券简称:丁股份")
    copy = _quoting("other", "copy.example", "丁科技股份有限公司")
    filing = _quoting("filing", "www.sse.com.cn", "证券简称:甲股份 甲股份有限公司")
    nodes = [
        _named("ORG:both", ["甲股份有限公司", "甲股份"], [filing]),
        _named("ORG:short-only-filed", ["丁科技股份有限公司", "丁股份"], [copy, notice]),
        _named("ORG:no-full", ["戊科技"], [_quoting("filing", "www.szse.cn", "证券简称:戊科技")]),
        Node(id="LIST:l", kind="SanctionsList", name="L"),
    ]
    gov = _source("official", "gov.example")
    edges = [
        Edge(id=f"l-{n}", kind="LISTED_ON", source=f"ORG:{n}", target="LIST:l", start="2021-01-14",
             confidence="verified", sources=[gov])
        for n in ("both", "short-only-filed", "no-full")
    ]  # fmt: skip
    report = audit(MemoryStore.from_parts(nodes, edges))
    # Per name: a filing quotes 甲股份有限公司 (full), 甲股份, 丁股份, 戊科技 (short); a copy 丁's full name.
    assert report.chinese_name_counts.model_dump() == {
        "full": {"primary": 1, "secondary_only": 1},
        "short": {"primary": 3, "secondary_only": 0},
    }
    assert report.chinese_names_secondary_only == []  # every company has some name a filing quotes
    gaps = {g.id: g for g in report.chinese_full_names_without_primary}
    assert list(gaps) == ["ORG:no-full", "ORG:short-only-filed"]
    assert [(n.name, n.full, n.kinds) for n in gaps["ORG:short-only-filed"].names] == [
        ("丁科技股份有限公司", True, ["other"]),
        ("丁股份", False, ["filing"]),
    ]
    assert [(n.name, n.full) for n in gaps["ORG:no-full"].names] == [("戊科技", False)]


def test_a_filing_quoting_only_the_full_name_does_not_back_the_short_name_inside_it() -> None:
    # As the dataset rule reads a short name (tests/test_dataset.py): spelled inside a longer name
    # of the same company (中芯南方 inside 中芯南方集成电路制造有限公司) it is not thereby quoted.
    filing = _quoting("filing", "www.sse.com.cn", "中芯南方集成电路制造有限公司")
    press = _quoting("press", "news.example", "中芯南方获得注资")
    nodes = [
        _named("ORG:sn", ["中芯南方集成电路制造有限公司", "中芯南方"], [filing, press]),
        Node(id="LIST:l", kind="SanctionsList", name="L"),
    ]
    edges = [Edge(id="l", kind="LISTED_ON", source="ORG:sn", target="LIST:l", start="2021-01-14",
                  confidence="verified", sources=[_source("official", "gov.example")])]  # fmt: skip
    report = audit(MemoryStore.from_parts(nodes, edges))
    assert report.chinese_name_counts.model_dump() == {
        "full": {"primary": 1, "secondary_only": 0},
        "short": {"primary": 0, "secondary_only": 1},
    }


def test_a_chinese_name_is_full_when_it_ends_in_a_legal_form_or_an_institutions_word() -> None:
    from graph.audit import is_full_chinese_name

    full = [
        "杭州海康威视数字技术股份有限公司",
        "小米集團",
        "中国电子科技集团公司第十四研究所",
        "中国运载火箭技术研究院",
    ]
    short = ["海康威视", "中芯国际", "道通智能航空", "大华股份"]
    assert all(is_full_chinese_name(n) for n in full)
    assert not any(is_full_chinese_name(n) for n in short)


def test_the_curated_data_lists_companies_whose_full_chinese_name_no_primary_source_quotes(
    store: MemoryStore,
) -> None:
    report = audit(store)
    counts = report.chinese_name_counts.model_dump()
    assert set(counts) == {"full", "short"} and all(sum(c.values()) for c in counts.values())
    gaps = {g.id for g in report.chinese_full_names_without_primary}
    assert "ORG:hikvision" not in gaps  # its own announcement spells its full name
    assert {g.id for g in report.chinese_names_secondary_only if any(n.full for n in g.names)} <= gaps
    for gap in report.chinese_full_names_without_primary:
        assert not any(
            n.full and {"official", "court", "filing", "exchange"} & set(n.kinds) for n in gap.names
        )


def test_a_name_a_source_defines_as_short_is_short_whatever_it_ends_in(store: MemoryStore) -> None:
    """中国移动集团 ends in 集团 but is the short name China Mobile's announcement defines
    (以下简称“中国移动集团”) for 中国移动通信集团有限公司: the audit counts it short, as it does a
    证券简称 and a name a locator calls the short name; a full name beside them stays full."""
    from graph.audit import is_full_chinese_name

    defined = _quoting("other", "copy.example", "实际控制人中国移动通信集团有限公司(以下简称“中国移动集团”)")
    listed = _quoting("filing", "www.sse.com.cn", "证券简称:甲公司 甲股份有限公司")
    either = _quoting("filing", "www.sse.com.cn", "乙有限公司(简称“乙公司”、“该公司”或“公司”)")
    located = _quoting("other", "site.example", "丙公司召开会议", locator="丙公司 is its short name there")
    sources = [defined, listed, either, located]
    for short in ("中国移动集团", "甲公司", "乙公司", "丙公司"):
        assert not is_full_chinese_name(short, sources), short
    for full in ("中国移动通信集团有限公司", "甲股份有限公司", "乙有限公司"):
        assert is_full_chinese_name(full, sources), full
    gaps = {g.id: g for g in audit(store).chinese_full_names_without_primary}
    names = {n.name: n.full for n in gaps["ORG:china-mobile-communications-group"].names}
    assert names == {"中国移动通信集团有限公司": True, "中国移动集团": False}
