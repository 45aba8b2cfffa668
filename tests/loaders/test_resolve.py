"""Resolution: strong identifiers, then names with country, and people's judgements over both."""

from __future__ import annotations

from pathlib import Path
from typing import cast

import pytest

from graph.errors import LoadError
from graph.model import Edge, Node, Provenance, Source
from graph.store.base import GraphStore
from graph.store.memory import MemoryStore
from graph.store.workspace import WorkspaceStore
from loaders.resolve import (
    REVIEW_NAMES,
    Judgement,
    MemoryNames,
    Resolver,
    merge_edges,
    merge_nodes,
    parse_judgements,
    read_judgements,
)
from loaders.workspace import PROJECT_DATA
from tests.graph.counting import CountingStore


def _node(node_id: str, name: str, country: str | None = None, **identifiers: list[str]) -> Node:
    return Node(
        id=node_id,
        kind="Company",
        name=name,
        properties={"country": country} if country else {},
        identifiers=identifiers,
        provenance=[Provenance(dataset="src")],
    )


@pytest.fixture
def graph() -> MemoryStore:
    return MemoryStore.from_parts(
        [
            Node(
                id="ORG:smic",
                kind="Company",
                name="Semiconductor Manufacturing International Corporation",
                aliases=["SMIC"],
                properties={"country": "CN"},
                identifiers={"ofac_uid": ["30951"]},
            ),
            Node(
                id="ORG:smic-holdings",
                kind="Company",
                name="SMIC Holdings Limited",
                properties={"country": "CN"},
            ),
        ],
        [],
    )


def test_strong_identifier_first(graph: MemoryStore) -> None:
    found = Resolver(graph).match(_node("ORG:x", "Some Other Name", "US", ofac_uid=["30951"]))
    assert found == ("ORG:smic", "ofac_uid 30951")


def test_name_and_country(graph: MemoryStore) -> None:
    resolver = Resolver(graph)
    assert resolver.match(_node("ORG:x", "Semiconductor Manufacturing International Corp.", "CN")) == (
        "ORG:smic",
        "name 100",
    )
    assert resolver.match(_node("ORG:y", "Semiconductor Manufacturing International Corp.", "US")) is None
    assert resolver.match(_node("ORG:z", "Semiconductor Manufacturing Internatonal Corp", "CN")) is not None
    assert resolver.match(_node("ORG:w", "Semiconductor Equipment International", "CN")) is None


def test_judgements_overrule_identifiers_and_names(graph: MemoryStore) -> None:
    different = Judgement("ORG:smic", "ORG:x", "different", "not the same", "t")
    same_uid = _node("ORG:x", "Zhongxin Guoji", "CN", ofac_uid=["30951"])
    assert Resolver(graph, [different]).match(same_uid) is None
    same = Judgement("ORG:smic", "ORG:x", "same", "same firm, other spelling", "t")
    assert Resolver(graph, [same]).match(_node("ORG:x", "Zhongxin Guoji", "CN")) == ("ORG:smic", "judgement")


def _named(node_id: str, name: str, *aliases: str) -> Node:
    return Node(id=node_id, kind="Company", name=name, aliases=list(aliases), properties={"country": "CN"})


def test_a_tie_goes_to_the_node_named_so_before_legal_forms_are_set_aside() -> None:
    """中芯国际控股有限公司 and 中芯国际 both read 中芯国际 once legal forms (控股 among them) are set
    aside: the record goes to the node with that very name (SMIC Holdings), not to whichever
    was found first; a record named 中芯国际 goes to SMIC."""
    smic = _named("ORG:smic", "Semiconductor Manufacturing International Corporation", "SMIC", "中芯国际")
    holdings = _named("ORG:smic-holdings", "SMIC Holdings Limited", "中芯国际控股有限公司", "中芯控股")
    for nodes in ([smic, holdings], [holdings, smic]):
        resolver = Resolver(MemoryStore.from_parts(nodes, []))
        for name, found in (
            ("中芯国际控股有限公司", "ORG:smic-holdings"),
            ("中芯国际", "ORG:smic"),
            ("SMIC Holdings Limited", "ORG:smic-holdings"),
            ("SMIC", "ORG:smic"),
        ):
            assert resolver.match(_node("ORG:x", name, "CN")) == (found, "name 100")


def test_a_tie_nothing_settles_is_left_to_review() -> None:
    """Two nodes a record's name matches alike, neither by the name as written nor set apart by a
    holding word: the record is not merged into either (a person judges the pairs in review)."""
    a = _named("ORG:a", "Qvxr Robotics", "奇维克斯有限公司")
    b = _named("ORG:b", "Qvxr Robot Works", "奇维克斯公司")
    graph = MemoryStore.from_parts([a, b], [])
    assert Resolver(graph).match(_node("ORG:x", "奇维克斯股份有限公司", "CN")) is None
    assert Resolver(graph).match(_node("ORG:y", "奇维克斯公司", "CN")) == ("ORG:b", "name 100")


def test_review_lists_close_pairs_and_leaves_out_judged_ones(graph: MemoryStore) -> None:
    subjects = list(graph.nodes())
    pairs = [(a, b) for _, a, b in Resolver(graph).candidates(subjects)]
    assert ("ORG:smic", "ORG:smic-holdings") in pairs
    judged = Judgement("ORG:smic", "ORG:smic-holdings", "different", "parent and subsidiary", "t")
    assert ("ORG:smic", "ORG:smic-holdings") not in [
        (a, b) for _, a, b in Resolver(graph, [judged]).candidates(subjects)
    ]


def _padded(graph: MemoryStore, count: int) -> MemoryStore:
    """The graph and ``count`` made-up companies sharing its words ("Semiconductor", "International")."""
    words = ["Semiconductor", "International", "Manufacturing", "Holdings"]
    made = [
        Node(id=f"ORG:made-{i}", kind="Company", name=f"{words[i % 4]} Qz{i:05d}x Trading", properties={})
        for i in range(count)
    ]
    return MemoryStore.from_parts([*graph.nodes(), *made], list(graph.edges()))


@pytest.mark.parametrize("backend", ["memory", "workspace"])
def test_review_reads_the_name_index_and_costs_the_same_whatever_the_graphs_size(
    graph: MemoryStore, backend: str, tmp_path: Path
) -> None:
    subjects = [
        _node("ORG:os-1", "Semiconductor Manufactoring Internatonal Corp", "CN"),
        _node("ORG:os-2", "SMIC Holdings Ltd", "CN"),
        _node("ORG:os-3", "Zyxq Trading Partners", "US"),
    ]
    answers, costs = [], []
    for size, store in (("small", graph), ("large", _padded(graph, 5000))):
        with_subjects = MemoryStore.from_parts([*store.nodes(), *subjects], [])
        read: GraphStore = with_subjects
        if backend == "workspace":
            read = WorkspaceStore.open(tmp_path / f"{size}.db")
            read.write(with_subjects.nodes(), with_subjects.edges())
        counter = CountingStore(read)
        resolver = Resolver(cast(GraphStore, counter), names=MemoryNames())
        answers.append([(a, b) for _, a, b in resolver.candidates(subjects)])
        costs.append(dict(counter.calls))
    assert ("ORG:os-1", "ORG:smic") in answers[0] and ("ORG:os-2", "ORG:smic-holdings") in answers[0]
    assert answers[0] == answers[1]  # the same pairs among 5,000 more companies sharing their words …
    assert costs[0] == costs[1]  # … for the same store calls: one name lookup a name
    assert set(costs[1]) == {"name_candidates"} and costs[1]["name_candidates"] <= 3 * REVIEW_NAMES


def test_merged_nodes_keep_every_name_identifier_and_dataset(graph: MemoryStore) -> None:
    smic = graph.get_node("ORG:smic")
    assert smic is not None
    merged = merge_nodes(smic, _node("ORG:x", "SMIC Corp", "CN", isin=["KYG8020E1199"]))
    assert merged.id == "ORG:smic" and merged.aliases == ["SMIC", "SMIC Corp"]
    assert merged.identifiers == {"ofac_uid": ["30951"], "isin": ["KYG8020E1199"]}
    assert merged.datasets == ["curated", "src"]


def test_the_projects_judgements_file_reads() -> None:
    judgements = read_judgements(PROJECT_DATA / "resolutions.yaml")
    assert judgements and all(j.reason and j.decided_by for j in judgements)


def test_bad_judgements_file(tmp_path: Path) -> None:
    with pytest.raises(LoadError, match=r"judgements\[0\].decision: must be same or different"):
        parse_judgements("judgements: [{a: X, b: Y, decision: maybe, reason: r, by: me}]", "r.yaml")
    with pytest.raises(LoadError, match=r"judgements\[0\].reason: required"):
        parse_judgements("judgements: [{a: X, b: Y, decision: same, by: me}]", "r.yaml")


def test_a_property_two_sources_disagree_on_keeps_both_values(graph: MemoryStore) -> None:
    smic = graph.get_node("ORG:smic")
    assert smic is not None
    first = merge_nodes(smic, _node("ORG:x", "SMIC", "cn"))  # the same country, spelt otherwise: no dispute
    assert first.disputed == []
    founded = Node(
        id="ORG:y",
        kind="Company",
        name="SMIC",
        properties={"country": "KY", "incorporationDate": "2000-04-03"},
        provenance=[Provenance(dataset="os")],
    )
    merged = merge_nodes(first, founded)
    assert merged.properties["country"] == "CN" and merged.properties["incorporationDate"] == "2000-04-03"
    assert [(d.field, d.value, d.datasets) for d in merged.disputed] == [("country", "KY", ["os"])]
    again = merge_nodes(merged, founded.model_copy(update={"provenance": [Provenance(dataset="gleif")]}))
    assert [(d.field, d.value, d.datasets) for d in again.disputed] == [("country", "KY", ["os", "gleif"])]


def test_a_disputed_property_names_who_gives_the_kept_value_too() -> None:
    def company(dataset: str, **properties: str) -> Node:
        source = Source(url=f"https://{dataset}.example/x", title=dataset, publisher=dataset, kind="other")
        return Node(
            id="ORG:x",
            kind="Company",
            name="X",
            properties=properties,
            sources=[source],
            provenance=[Provenance(dataset=dataset)],
        )

    # The first dataset gives no website: the kept one is the second's, never the first's.
    merged = merge_nodes(company("first", country="CN"), company("second", website="https://a.example"))
    merged = merge_nodes(merged, company("third", website="https://a.example", country="CN"))
    merged = merge_nodes(merged, company("fourth", website="https://b.example"))
    kept = merged.claim("website")
    assert kept is not None and (kept.value, kept.datasets) == ("https://a.example", ["second", "third"])
    assert [s.publisher for s in kept.sources] == ["second", "third"]
    assert [(d.value, d.datasets, [s.publisher for s in d.sources]) for d in merged.disputed] == [
        ("https://b.example", ["fourth"], ["fourth"])
    ]
    country = merged.claim("country")
    assert country is not None and country.datasets == ["first", "third"]
    # A node one record gave answers for itself.
    alone = company("first", country="CN")
    assert alone.claims == [] and alone.claim("country") is not None
    assert alone.claim("country").datasets == ["first"]  # type: ignore[union-attr]


def test_review_pages_through_a_graph_with_nothing_loaded(store: MemoryStore) -> None:
    """With no workspace, a review compares the graph's own companies, people and bodies, page by page."""
    from loaders.resolve import NAME_KINDS, graph_review_subjects

    every = [n.id for kind in sorted(NAME_KINDS) for n in store.nodes(kind)]
    seen: list[str] = []
    offset = 0
    while offset < len(every) + 1:
        counter = CountingStore(store)
        page, total = graph_review_subjects(cast(GraphStore, counter), offset, 97)
        assert total == len(every)
        assert counter.calls["counts"] == 1 and counter.calls["nodes"] <= len(NAME_KINDS)
        seen += [n.id for n in page]
        if not page:
            break
        offset += len(page)
    assert seen == every  # each once, in a stable order (kind by kind, in write order)


def test_a_chinese_name_scoring_the_threshold_is_matched_though_no_latin_bound_reaches_it() -> None:
    # 小米 科技 inside 小米 科技集团 scores 95 as Chinese (graph.names.similarity) while its ratio and
    # token-set ratio (the bound for Latin names) stay under the threshold: the bound must not
    # leave it out. As "Xiaomi Technology" matches "Xiaomi Technology Group".
    group = _node("ORG:xm", "小米 科技集团", "CN")
    found = Resolver(MemoryStore.from_parts([group], [])).match(_node("ORG:x", "小米 科技", "CN"))
    assert found == ("ORG:xm", "name 95")
    latin = MemoryStore.from_parts([_node("ORG:xm", "Xiaomi Technology Group", "CN")], [])
    assert Resolver(latin).match(_node("ORG:x", "Xiaomi Technology", "CN")) == ("ORG:xm", "name 95")
    # One character replaced in a short name is a review's question, never a merge.
    mobile = MemoryStore.from_parts([_node("ORG:m", "中国移动有限公司", "CN")], [])
    assert Resolver(mobile).match(_node("ORG:x", "中国移栋有限公司", "CN")) is None


@pytest.mark.parametrize("backend", ["memory", "workspace"])
def test_review_proposes_a_chinese_name_with_one_of_two_own_characters_off(backend: str) -> None:
    # 中国移栋 for 中国移动 (China Mobile): a typo in a source; a person decides.
    nodes = [
        _node("ORG:mobile", "中国移动有限公司", "CN"),
        _node("ORG:typo", "中国移栋有限公司", "CN"),
        _node("ORG:power", "中国动力有限公司", "CN"),  # shares only 中国 and 有限公司
    ]
    store: GraphStore = MemoryStore() if backend == "memory" else WorkspaceStore.open(":memory:")
    store.write(nodes)
    pairs = {(a, b): score for score, a, b in Resolver(store).candidates([nodes[1]])}
    assert list(pairs) == [("ORG:mobile", "ORG:typo")]
    assert 75 <= pairs["ORG:mobile", "ORG:typo"] < 92  # proposed, below an automatic merge


def test_a_lone_company_does_not_take_a_holdings_name() -> None:
    """With SMIC in the graph and no SMIC Holdings, 中芯国际控股有限公司 ("SMIC Holdings Limited",
    another legal entity) reads 中芯国际 once legal forms are set aside, yet is not merged into SMIC,
    in either script: a holding word one name has and the other lacks makes another entity. Review
    lists the pair, for a person to judge. Legal forms alone (有限公司, Limited) still merge, and a
    company whose own name carries 控股 still takes a record so named."""
    smic = _named("ORG:smic", "Semiconductor Manufacturing International Corporation", "SMIC", "中芯国际",
                  "中芯国际集成电路制造有限公司")  # fmt: skip
    huawei = _named(
        "ORG:huawei-investment-holding", "Huawei Investment & Holding Co., Ltd.", "华为投资控股有限公司"
    )
    graph = MemoryStore.from_parts([smic, huawei], [])
    resolver = Resolver(graph)
    for name in (
        "中芯国际控股有限公司",
        "中芯國際控股有限公司",
        "中芯国际控股",
        "SMIC Holdings Limited",
        "SMIC Holding",
    ):
        assert resolver.match(_node("ORG:x", name, "CN")) is None, name
    for name in ("中芯国际有限公司", "中芯国际", "SMIC Limited", "SMIC"):
        assert resolver.match(_node("ORG:x", name, "CN")) == ("ORG:smic", "name 100"), name
    for name in ("华为投资控股", "華為投資控股有限公司", "Huawei Investment & Holding"):
        found = resolver.match(_node("ORG:y", name, "CN"))
        assert found == ("ORG:huawei-investment-holding", "name 100"), name
    # A record named both ways (the holding's Chinese name and an English name SMIC has): its
    # holding name does not count, its other name does.
    both = _node("ORG:z", "中芯国际控股有限公司", "CN").model_copy(update={"aliases": ["SMIC"]})
    assert resolver.match(both) == ("ORG:smic", "name 100")
    holding = _node("ORG:x", "中芯国际控股有限公司", "CN")
    assert ("ORG:smic", "ORG:x") in [(a, b) for _, a, b in Resolver(graph).candidates([holding])]


def test_a_holdings_record_merges_into_a_holding_node() -> None:
    """ "Holdings" and "Holding" are one word: a record named "Huawei Investment & Holdings Ltd" merges
    into the node "Huawei Investment & Holding Co., Ltd." (and the other way round) rather than being
    kept apart as another entity for review; SMIC Holdings still stays apart from a lone SMIC."""
    huawei = _named("ORG:huawei", "Huawei Technologies Co., Ltd.", "Huawei")
    holding = _named("ORG:huawei-investment-holding", "Huawei Investment & Holding Co., Ltd.")
    holdings = _named("ORG:x-holdings", "X Holdings Limited")
    smic = _named("ORG:smic", "Semiconductor Manufacturing International Corporation", "SMIC")
    resolver = Resolver(MemoryStore.from_parts([huawei, holding, holdings, smic], []))
    for name in ("Huawei Investment & Holdings Ltd", "Huawei Investment & Holdings"):
        assert resolver.match(_node("ORG:y", name, "CN")) == ("ORG:huawei-investment-holding", "name 100"), (
            name
        )
    assert resolver.match(_node("ORG:y", "X Holding Co., Ltd.", "CN")) == ("ORG:x-holdings", "name 100")
    for name in ("SMIC Holdings Ltd", "SMIC Holding Co., Ltd."):
        assert resolver.match(_node("ORG:y", name, "CN")) is None, name


def test_the_resolver_imports_no_query_layer() -> None:
    """A load or a delta imports the resolver, not the queries, answers and citations it never calls
    (graph.query pulled in affects, timeline, views, plain and cite: ~0.07 s of every FtM delta)."""
    import subprocess
    import sys

    code = "import sys, loaders.resolve, loaders.delta\nprint(' '.join(sorted(sys.modules)))\n"
    root = Path(__file__).resolve().parents[2]
    done = subprocess.run([sys.executable, "-c", code], cwd=root, capture_output=True, text=True, check=True)
    assert not set(done.stdout.split()) & {
        "graph.query",
        "graph.affects",
        "graph.timeline",
        "graph.views",
        "graph.plain",
        "graph.cite",
    }


def test_a_listing_merged_from_two_datasets_keeps_one_judgement_of_which_sources_name_the_company() -> None:
    """Issue 7 (M6): a listing's secondary sources that do not name the company are recorded at load
    (``not_named_by``, graph.naming) and follow the others. A loaded FtM Sanction is the list's entry for
    that one entity (its record's ``entity``), so it names the company by construction and its loader
    records none. Merged, an address is silent only where no statement citing it names the company: the
    curated edge's silent alert stays last, the FtM record ranks as naming, and an address the curated
    data judged silent but the FtM record cites as the entity's own entry speaks; the judgement is never
    taken for a disagreement between datasets (no ``disputed`` entry)."""
    alert = Source(url="https://firm.example/edition", title="DoD updates its list", publisher="Firm",
                   kind="law_firm")  # fmt: skip
    report = Source(url="https://news.example/r", title="Acme listed", publisher="News", kind="press")
    record = Source(url="https://lists.example/1260h", title="DoD: 1260H", publisher="os", kind="other",
                    locator="FtM entity os-1")  # fmt: skip
    page = record.model_copy(update={"locator": "the list's page"})
    curated = Edge(
        id="l", kind="LISTED_ON", source="ORG:acme", target="LIST:x", start="2024-01-31",
        confidence="likely", sources=[alert, report, page],
        properties={"not_named_by": [alert.url, page.url]}, provenance=[Provenance(dataset="curated")],
    )  # fmt: skip
    loaded = Edge(
        id="l2", kind="LISTED_ON", source="ORG:acme", target="LIST:x", start="2024-01-31",
        confidence="likely", sources=[record], provenance=[Provenance(dataset="os")],
    )  # fmt: skip
    assert [s.url for s in curated.sources] == [report.url, alert.url, page.url]
    merged = merge_edges(curated, loaded)
    assert merged.properties["not_named_by"] == [alert.url]
    assert merged.disputed == []
    assert merged.sources == [report, page, record, alert]
    # Either way round.
    assert merge_edges(loaded, curated).properties["not_named_by"] == [alert.url]
    # Two statements that both judge an address silent keep it so; none left, no property.
    assert merge_edges(curated, curated).properties["not_named_by"] == [alert.url, page.url]
    assert "not_named_by" not in merge_edges(loaded, loaded).properties
