"""The queries called directly on the curated graph: answers, errors, and how many store calls each costs."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import cast

import pytest

from graph.errors import MissingNode, UnknownEntity
from graph.labels import view_names
from graph.model import Edge, Node, Source
from graph.neo4j_sync import sync
from graph.query import affects, exact_and_looser, neighbours, paths, search, show, stats, timeline
from graph.store.base import GraphStore
from graph.store.memory import MemoryStore
from graph.store.neo4j import Neo4jStore
from graph.store.workspace import WorkspaceStore
from graph.views import EdgeRef, NodeRef
from tests.graph.answers import affects_once
from tests.graph.counting import CountingStore
from tests.graph.snapshot_answers import boundary_days, read_snapshot, row

# The store-call budget of each query: over a network every call is a round trip.
AFFECTS_BUDGET = 4
SHOW_BUDGET = 2
SEARCH_BUDGET = 2
TIMELINE_BUDGET = 10  # its node, its edges, every injunction, a batch per kind of thing they lead to, and
# for a security the one neighbourhood affects reads
STATS_BUDGET = 4


@pytest.fixture(scope="module", params=["memory", "workspace", "neo4j"])
def backend(
    request: pytest.FixtureRequest, store: MemoryStore, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[GraphStore]:
    """The curated graph in each backend (the workspace written whole, closed and opened again;
    Neo4j synced in by the bulk sync, on a real server)."""
    if request.param == "memory":
        yield store
        return
    if request.param == "neo4j":
        driver = request.getfixturevalue("neo4j_driver")
        driver.execute_query("MATCH (n) DETACH DELETE n")
        sync(driver, list(store.nodes()), list(store.edges()))
        yield Neo4jStore(driver)
        return
    path = tmp_path_factory.mktemp("ws") / "graph.db"
    with WorkspaceStore.open(path) as fresh:
        fresh.write(store.nodes(), store.edges())
    reopened = WorkspaceStore.open(path, create=False)
    yield reopened
    reopened.close()


def counting(store: GraphStore) -> tuple[CountingStore, GraphStore]:
    counter = CountingStore(store)
    return counter, cast(GraphStore, counter)


def test_affects_stays_within_its_call_budget_for_every_security(backend: GraphStore) -> None:
    counter, counted = counting(backend)
    securities = [n.id for n in backend.nodes("Security")]
    assert len(securities) > 40
    for security_id in securities:
        counter.reset()
        answer = affects(counted, security_id, date(2021, 3, 15))
        assert answer.security.id == security_id
        assert counter.total() <= AFFECTS_BUDGET, (security_id, dict(counter.calls))


@pytest.mark.parametrize("depth", [0, 1, 2, 3])
def test_neighbours_costs_at_most_depth_plus_one_calls(backend: GraphStore, depth: int) -> None:
    counter, counted = counting(backend)
    for node_id in ("ORG:xiaomi", "LIST:DOD-1237", "EO:13959", "SEC:NYSE:CHL"):
        counter.reset()
        sub = neighbours(counted, node_id, depth)
        assert sub.nodes[0].id == node_id
        assert counter.total() <= depth + 1, (node_id, dict(counter.calls))


def test_show_costs_at_most_two_calls_for_every_entity(backend: GraphStore) -> None:
    counter, counted = counting(backend)
    for node in backend.nodes():
        counter.reset()
        view = show(counted, node.id)
        assert view.id == node.id
        assert counter.total() <= SHOW_BUDGET, (node.id, dict(counter.calls))


def test_show_with_the_names_of_the_ids_it_holds_costs_at_most_two_calls(backend: GraphStore) -> None:
    """``show`` as the CLI prints it: the entity, then every id its properties and its edges'
    properties hold (LIST:DOD-1260H's keeper, an injunction's parties) read by name in one batch."""
    counter, counted = counting(backend)
    for node in backend.nodes():
        counter.reset()
        names = view_names(counted, show(counted, node.id))
        assert counter.total() <= SHOW_BUDGET, (node.id, dict(counter.calls))
        if node.id == "LIST:DOD-1260H":
            assert names == {"BODY:dod": "U.S. Department of Defense"}


def test_timeline_stays_within_its_call_budget_for_every_entity(backend: GraphStore) -> None:
    counter, counted = counting(backend)
    for node in backend.nodes():
        counter.reset()
        found = timeline(counted, node.id)
        assert found.id == node.id
        assert counter.total() <= TIMELINE_BUDGET, (node.id, dict(counter.calls))
        assert "nodes" not in counter.calls and "get_node" in counter.calls  # never a scan of nodes


def test_the_timeline_of_a_hub_costs_no_more_than_a_leaf(backend: GraphStore) -> None:
    """A list with dozens of members costs what a security with two edges costs (was one call an edge)."""
    counter, counted = counting(backend)
    costs = {}
    for node_id in ("LIST:DOD-1237", "SEC:HKEX:1810", "EO:13959"):
        counter.reset()
        events = timeline(counted, node_id).events
        assert events, node_id
        costs[node_id] = counter.total()
    assert len(list(backend.edges_of("LIST:DOD-1237"))) > 40
    assert max(costs.values()) <= TIMELINE_BUDGET, costs


def test_stats_costs_a_fixed_number_of_calls(backend: GraphStore) -> None:
    counter, counted = counting(backend)
    found = stats(counted)
    assert found.nodes == backend.node_count()
    assert counter.total() <= STATS_BUDGET, dict(counter.calls)


@pytest.mark.parametrize(
    "text", ["Xiaomi", "1810.HK", "HKEX:1810", "01810", "CHL", "Luokong", "Grand China Aie", "EO 13959",
             "ORG:xiaomi", "小米", "nothing like it", "US16941M1099", "32028"],
)  # fmt: skip
def test_search_costs_at_most_two_calls(backend: GraphStore, text: str) -> None:
    counter, counted = counting(backend)
    search(counted, text)
    assert counter.total() <= SEARCH_BUDGET, dict(counter.calls)
    assert "nodes" not in counter.calls  # never a scan


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("US16941M1099", "SEC:NYSE:CHL"),
        ("us16941m1099", "SEC:NYSE:CHL"),
        ("32028", "ORG:anhui-greatwall-military-industry"),
    ],
)
def test_search_finds_an_exact_identifier_on_every_store(backend: GraphStore, text: str, found: str) -> None:
    """An ISIN or an OFAC entity number, typed exactly, is found through the stores' identifier index."""
    hits = search(backend, text)
    assert hits and (hits[0].id, hits[0].score, hits[0].why) == (found, 100.0, "identifier"), hits[:3]


@pytest.mark.parametrize(
    ("text", "exact"),
    [
        ("Xiaomi", ["ORG:xiaomi"]),  # its name, legal words aside
        ("xiaomi corp.", ["ORG:xiaomi"]),
        ("中国移动", ["ORG:china-mobile-ltd"]),  # an alias
        ("EO 13959", ["EO:13959"]),
        ("SMIC", ["ORG:smic", "ORG:smic-holdings"]),  # its alias, then a name once "Holdings" is aside
        ("TikTok", ["APP:tiktok", "ORG:tiktok-inc"]),  # the name as typed, then one with "Inc." aside
        ("1810.HK", ["SEC:HKEX:1810"]),  # a ticker, as before
        ("Luokong", []),  # a typo names nothing exactly: one list
        ("小米", []),  # inside 小米集团, not its name
    ],
)
def test_search_sets_exact_names_apart_from_looser_matches(
    backend: GraphStore, text: str, exact: list[str]
) -> None:
    """A hit whose name or alias is the text (normalised) is exact, as one by id, ticker or
    identifier is: the looser rest (Xiaomi's security, its court case) is set apart."""
    hits = search(backend, text)
    first, looser = exact_and_looser(hits)
    assert [h.id for h in first if h.exact] == exact
    if exact:
        assert [h.id for h in first] == exact and looser == [h for h in hits if h.id not in exact]
        assert all(not h.exact for h in looser)
    else:
        assert first == hits and looser == []


@pytest.mark.parametrize(
    ("text", "ranked"),
    [
        ("SMIC", [("ORG:smic", 99.0, "SMIC"), ("ORG:smic-holdings", 99.0, "SMIC Holdings Limited")]),
        ("SMIC Holdings", [("ORG:smic-holdings", 100.0, "SMIC Holdings Limited"), ("ORG:smic", 98, "SMIC")]),
        ("TikTok", [("APP:tiktok", 100.0, "TikTok"), ("ORG:tiktok-inc", 100.0, "TikTok Inc.")]),
    ],
)
def test_a_name_that_is_the_text_only_once_holdings_is_aside_ranks_below_the_text_itself(
    backend: GraphStore, text: str, ranked: list[tuple[str, float, str]]
) -> None:
    """`search SMIC`: SMIC, whose alias is the text, before SMIC Holdings Limited, its parent, which
    reads "smic" only once "Holdings" (and "Limited") are set aside; the other way round for
    "SMIC Holdings". At equal scores the name or alias as typed comes first (TikTok the app)."""
    hits = search(backend, text)
    assert [(h.id, h.score, h.matched) for h in hits[: len(ranked)]] == ranked


@pytest.mark.parametrize(
    ("texts", "first", "exact"),
    [
        (["小米集团", "小米集团有限公司", "小米集團"], "ORG:xiaomi", ["ORG:xiaomi"]),
        (["小米"], "ORG:xiaomi", []),  # inside 小米集团, as "Xiaomi" is inside "Xiaomi Group"
        (
            ["中国移动", "中国移动有限公司", "中國移動有限公司"],
            "ORG:china-mobile-ltd",
            ["ORG:china-mobile-ltd"],
        ),
        (
            ["中国移动通信集团", "中国移动通信集团有限公司", "中国移动通信集团公司"],
            "ORG:china-mobile-communications-group",
            ["ORG:china-mobile-communications-group"],
        ),
        # SMIC Holdings (中芯国际控股有限公司) is 中芯国际 once 控股 is aside, as "SMIC Holdings
        # Limited" is "SMIC": one point less, after SMIC.
        (["中芯国际"], "ORG:smic", ["ORG:smic", "ORG:smic-holdings"]),
        (["中芯国际集成电路制造", "中芯国际集成电路制造有限公司"], "ORG:smic", ["ORG:smic"]),
        (
            [
                "杭州海康威视数字技术",
                "杭州海康威视数字技术股份有限公司",
                "杭州海康威视数字技术有限公司",
                "海康威视",
            ],
            "ORG:hikvision",
            ["ORG:hikvision"],
        ),
        (["华为技术", "华为技术有限公司", "華為技術有限公司", "華為技術"], "ORG:huawei", ["ORG:huawei"]),
        # Huawei Technologies' short name (its own release: 以下简称“华为”), so named exactly; its
        # holding company after it, as for "Huawei" (whose alias it is).
        (["华为"], "ORG:huawei", ["ORG:huawei"]),
        (
            ["华为投资控股", "华为投资控股有限公司"],
            "ORG:huawei-investment-holding",
            ["ORG:huawei-investment-holding"],
        ),
    ],
)
def test_chinese_names_are_found_with_or_without_their_legal_forms(
    backend: GraphStore, texts: list[str], first: str, exact: list[str]
) -> None:
    """A Chinese name with its legal form (有限公司, 股份有限公司, 公司), without it, or in Hong Kong's
    traditional characters names the same entity exactly, as "Huawei Technologies" and "Huawei
    Technologies Co., Ltd." do; on every store (their name indexes hold the names so normalised)."""
    for text in texts:
        hits = search(backend, text)
        found, _ = exact_and_looser(hits)
        assert hits[0].id == first, (text, hits[:3])
        assert [h.id for h in found if h.exact] == exact, (text, hits[:3])
    latin = search(backend, "Huawei")
    assert [h.id for h in latin[:2]] == ["ORG:huawei", "ORG:huawei-investment-holding"]


@pytest.mark.parametrize("max_len", [1, 2, 4])
def test_paths_cost_two_calls_per_level_plus_two(backend: GraphStore, max_len: int) -> None:
    counter, counted = counting(backend)
    found = paths(counted, "SEC:HKEX:1810", "EO:13959", max_len=max_len)
    assert counter.total() <= 2 * max_len + 1, dict(counter.calls)
    assert counter.calls["edges_of_many"] <= max_len
    assert counter.calls["degrees"] <= max_len - 1  # which nodes of a level are hubs
    assert bool(found) == (max_len >= 4)


def test_affects_answers_match_the_golden_snapshot(store: MemoryStore) -> None:
    """Every security, on every day a rule, listing or injunction turns: today's answer as stored.

    If the data or a rule changed on purpose, regenerate (``python -m
    tests.graph.snapshot_answers``) and review the diff.
    """
    curated = store
    snapshot = read_snapshot()
    assert set(snapshot) == {n.id for n in curated.nodes("Security")}
    for security_id, stored in snapshot.items():
        assert [d.isoformat() for d in boundary_days(curated, security_id)] == stored["days"]
        changes = dict(stored["runs"])
        expected = stored["runs"][0][1]
        for day in stored["days"]:
            expected = changes.get(day, expected)
            got = row(curated, security_id, date.fromisoformat(day))
            assert got == expected, (
                f"affects({security_id}, {day}) differs from the snapshot; if the data or a rule "
                "changed on purpose: python -m tests.graph.snapshot_answers, and review the diff"
            )


DAYS = [date(2020, 11, 12), date(2021, 1, 11), date(2021, 1, 14), date(2021, 3, 15), date(2021, 6, 3),
        date(2021, 8, 2), date(2022, 6, 1)]  # fmt: skip


def test_every_backend_gives_the_same_answers(store: MemoryStore, backend: GraphStore) -> None:
    """The contract on the curated graph: each query answers alike from every backend."""
    if backend is store:
        return  # the reference itself
    for sec in store.nodes("Security"):
        for day in DAYS:
            assert affects(backend, sec.id, day) == affects_once(store, sec.id, day), (sec.id, day)
    for node in store.nodes():
        assert show(backend, node.id) == show(store, node.id), node.id
        assert search(backend, node.name) == search(store, node.name), node.name
    for node_id in ("ORG:xiaomi", "LIST:DOD-1237", "EO:13959", "SEC:NYSE:CHL", "ORG:luokung"):
        assert neighbours(backend, node_id, 2) == neighbours(store, node_id, 2)
        got = paths(backend, node_id, "EO:14032", exclude=["MENTIONS"])
        assert got == paths(store, node_id, "EO:14032", exclude=["MENTIONS"])
    for text in ("Luokong", "01810", "HKEX:1810", "CHL", "小米", "Grand China Aie", "EO 13959"):
        assert search(backend, text) == search(store, text), text
    assert backend.counts() == store.counts()


# -- answers -------------------------------------------------------------------


def test_show_lists_every_edge_seen_from_the_entity(store: MemoryStore) -> None:
    view = show(store, "SEC:NYSE:CHL")
    kinds = {e.kind for e in view.edges}
    assert {"ISSUES", "TRADES_ON", "EXCHANGE_ACTION"} <= kinds
    issuer = next(e for e in view.edges if e.kind == "ISSUES")
    assert issuer.other.id == "ORG:china-mobile-ltd"
    keys = [(e.kind, e.start or "", e.id) for e in view.edges]
    assert keys == sorted(keys)


SRC = Source(url="https://example.org/s", title="t", publisher="p", kind="official")


def test_show_lists_properties_in_the_schemas_order_whatever_order_the_store_keeps() -> None:
    """A store may give properties back in its own order (Neo4j's is not the order written): the view
    lists them in graph/schema.yaml's order, keys the schema does not know after, alphabetically."""
    order = {"president": "Joseph R. Biden Jr.", "zz_loaded": "z", "signed": "2021-06-03", "number": "14032",
             "aa_loaded": "a"}  # fmt: skip
    rule = {"reaches_subsidiaries": False, "later_delay_days": 60, "restriction": "securities"}
    views = []
    for given in (order, dict(reversed(order.items()))):
        edge_props = dict(reversed(rule.items())) if given is order else rule
        governs = Edge(id="g", kind="GOVERNS", source="EO:14032", target="LIST:l", confidence="verified",
                       sources=[SRC], properties=edge_props)  # fmt: skip
        nodes = [
            Node(id="EO:14032", kind="ExecutiveOrder", name="EO 14032", properties=given),
            Node(id="LIST:l", kind="SanctionsList", name="L"),
        ]
        views.append(show(MemoryStore.from_parts(nodes, [governs]), "EO:14032"))
    for view in views:
        assert list(view.properties) == ["number", "signed", "president", "aa_loaded", "zz_loaded"]
        assert list(view.edges[0].properties) == ["restriction", "later_delay_days", "reaches_subsidiaries"]
    assert views[0].model_dump_json() == views[1].model_dump_json()


def test_unknown_ids_raise_unknown_entity_with_suggestions(store: MemoryStore) -> None:
    for query in (show, lambda s, i: neighbours(s, i, 1), lambda s, i: paths(s, i, "EO:13959")):
        with pytest.raises(UnknownEntity) as caught:
            query(store, "Xiaomy Corp")
        assert any("ORG:xiaomi" in s for s in caught.value.suggestions), caught.value.suggestions
    with pytest.raises(UnknownEntity):
        affects(store, "SEC:NYSE:NOPE", date(2021, 1, 1))


def test_a_node_the_store_lost_raises_missing_node_not_an_assert(store: MemoryStore) -> None:
    class Forgetful(CountingStore):
        def get_nodes(self, node_ids: object) -> dict[str, Node]:
            found = self.inner.get_nodes(node_ids)  # type: ignore[arg-type]
            found.pop("ORG:xiaomi", None)
            return found

    with pytest.raises(MissingNode, match="ORG:xiaomi"):
        paths(cast(GraphStore, Forgetful(store)), "SEC:HKEX:1810", "LIST:DOD-1237")


def test_neighbours_by_depth_kind_and_day(store: MemoryStore) -> None:
    assert [n.id for n in neighbours(store, "ORG:xiaomi", 0).nodes] == ["ORG:xiaomi"]
    one = neighbours(store, "ORG:xiaomi", 1, kinds=["ISSUES", "LISTED_ON"])
    assert {n.id for n in one.nodes} >= {"ORG:xiaomi", "SEC:HKEX:1810", "LIST:DOD-1237"}
    assert {e.kind for e in one.edges} == {"ISSUES", "LISTED_ON"}
    # Xiaomi's listing was vacated by court order on 2021-05-25: on 2021-06-01 it no longer holds.
    later = neighbours(store, "ORG:xiaomi", 1, kinds=["LISTED_ON"], as_of=date(2021, 6, 1))
    assert "LIST:DOD-1237" not in {n.id for n in later.nodes}
    two = neighbours(store, "ORG:xiaomi", 2, kinds=["ISSUES", "LISTED_ON", "GOVERNS"])
    assert "EO:13959" in {n.id for n in two.nodes}
    ids = {n.id for n in two.nodes}
    assert all(e.source in ids and e.target in ids for e in two.edges)


def test_paths_are_shortest_and_alternate_nodes_and_edges(store: MemoryStore) -> None:
    found = paths(store, "SEC:HKEX:1810", "EO:13959", exclude=["MENTIONS", "ISSUED_BY", "DESIGNATES"])
    assert found
    for path in found:
        assert isinstance(path[0], NodeRef) and path[0].id == "SEC:HKEX:1810"
        assert isinstance(path[-1], NodeRef) and path[-1].id == "EO:13959"
        assert [type(step) for step in path[1::2]] == [EdgeRef] * (len(path) // 2)
    assert len({len(p) for p in found}) == 1  # all shortest
    assert paths(store, "ORG:xiaomi", "ORG:xiaomi") == [[NodeRef.of(store.get_node("ORG:xiaomi"))]]  # type: ignore[arg-type]
    assert paths(store, "SEC:HKEX:1810", "EO:13959", max_len=2) == []


def test_a_path_step_credits_its_date_to_a_source_that_gives_it_as_an_affects_step_does(
    backend: GraphStore,
) -> None:
    """Tencent's ``develops`` WeChat "from 2011-01-21" leads with EO 13943 (it names the developer, gives
    no launch day); TechNode gives the day. A why path of ``affects`` credited it (efc34c6), the
    ``path`` finder's step did not (note 36): both build their step alike, on every store."""
    technode = "https://technode.com/2013/01/16/tencent-weixin-reaches-300-million-users/"
    [path] = paths(backend, "ORG:tencent", "APP:wechat")
    [develops] = [step for step in path if isinstance(step, EdgeRef)]
    assert develops.sources[0].url == "https://www.federalregister.gov/d/2020-17700"
    assert develops.dated_by is not None and develops.dated_by.url == technode
    # Walked against its arrow too, and a step whose first source gives its day credits no other.
    [back] = [step for step in paths(backend, "APP:wechat", "ORG:tencent")[0] if isinstance(step, EdgeRef)]
    assert back.dated_by == develops.dated_by
    [chl] = paths(backend, "SEC:NYSE:CHL", "ORG:china-mobile-ltd")
    assert all(step.dated_by is None for step in chl if isinstance(step, EdgeRef))


@pytest.mark.parametrize(
    "text", ["Aerospace Communications Holdings Group Company Limited (SSE 600677)",
             "Advanced Micro-Fabrication Equipment Inc. China (AMEC) (SSE 688012)"],
)  # fmt: skip
def test_a_short_alias_that_is_a_word_of_a_long_name_is_found(backend: GraphStore, text: str) -> None:
    """ "SSE" is an alias of the Shanghai Stock Exchange and a word of these names: the scorer ranks it
    a hit (its one word found), though hundreds of longer names share more grams with the text."""
    hits = search(backend, text)
    assert len(hits) < 10  # every hit is shown: none may be missing
    assert "EXCH:SSE" in [h.id for h in hits]


def test_a_chinese_short_name_ranks_who_carries_it_then_who_contains_it_then_whose_name_it_abbreviates() -> (
    None
):
    """中国联通 on a small graph of China Unicom's companies and two strangers: the company whose short
    name it is first (99), the one whose name begins with it (93.6: 有限公司 aside), then the group
    whose full name it abbreviates (中国联合网络通信集团有限公司); not China Satcom (中国卫通) nor
    China Electronics."""
    from graph.model import Node
    from graph.store.memory import MemoryStore

    nodes = [
        Node(id="ORG:group", kind="Company", name="China United Network Communications Group",
             aliases=["中国联合网络通信集团有限公司"]),
        Node(id="ORG:bvi", kind="Company", name="China Unicom (BVI)", aliases=["中国联通(BVI)有限公司"]),
        Node(id="ORG:hk", kind="Company", name="China Unicom (Hong Kong)",
             aliases=["中国联合网络通信(香港)股份有限公司", "中国联通"]),
        Node(id="ORG:satcom", kind="Company", name="China Satcom", aliases=["中国卫通集团股份有限公司"]),
        Node(id="ORG:cec", kind="Company", name="China Electronics",
             aliases=["中国电子信息产业集团有限公司"]),
    ]  # fmt: skip
    store = MemoryStore.from_parts(nodes, [])
    hits = search(store, "中国联通")
    assert [(h.id, h.score) for h in hits] == [("ORG:hk", 99.0), ("ORG:bvi", 93.6), ("ORG:group", 83.3)]
    assert hits[2].matched == "中国联合网络通信集团有限公司"


def test_a_holdings_name_does_not_resolve_to_a_lone_company() -> None:
    """With SMIC and no SMIC Holdings, ``resolve`` of 中芯国际控股有限公司 or "SMIC Holdings Limited"
    (another legal entity) names SMIC only as a suggestion, never as the answer; 中芯国际有限公司 and
    "SMIC" resolve to it."""
    from graph.query import is_exact, resolve

    smic = Node(id="ORG:smic", kind="Company", name="Semiconductor Manufacturing International Corporation",
                aliases=["SMIC", "中芯国际"])  # fmt: skip
    store = MemoryStore.from_parts([smic], [])
    for text in ("中芯国际控股有限公司", "SMIC Holdings Limited", "SMIC Holdings"):
        with pytest.raises(UnknownEntity) as err:
            resolve(store, text)
        assert any(s.startswith("ORG:smic ") for s in err.value.suggestions), text
    for text in ("中芯国际有限公司", "SMIC", "中芯国际"):
        assert resolve(store, text) == "ORG:smic", text
    # Search lists SMIC for the holding's name, as a looser match, not as the name typed.
    for text in ("中芯国际控股有限公司", "SMIC Holdings Limited"):
        hits = search(store, text)
        assert [h.id for h in hits] == ["ORG:smic"], text
        assert not any(is_exact(h) for h in hits), text


def test_holding_and_holdings_are_one_word() -> None:
    """ "Huawei Investment & Holdings" is Huawei Investment & Holding Co., Ltd. (the plural is the same
    word): ``resolve`` names it and search lists it as the name typed, before Huawei Technologies.
    The holding rule still keeps "SMIC Holdings" and "SMIC Holding" from a lone SMIC."""
    from graph.names import adds_holding, named_apart
    from graph.query import is_exact, resolve

    holding = Node(id="ORG:huawei-investment-holding", kind="Company",
                   name="Huawei Investment & Holding Co., Ltd.", aliases=["华为投资控股有限公司"]
    )  # fmt: skip
    huawei = Node(id="ORG:huawei", kind="Company", name="Huawei Technologies Co., Ltd.", aliases=["Huawei"])
    smic = Node(id="ORG:smic", kind="Company", name="Semiconductor Manufacturing International Corporation",
                aliases=["SMIC", "中芯国际"])  # fmt: skip
    store = MemoryStore.from_parts([holding, huawei, smic], [])
    for text in (
        "Huawei Investment & Holdings",
        "Huawei Investment & Holding",
        "Huawei Investment & Holdings Co., Ltd.",
        "華為投資控股",
    ):
        assert resolve(store, text) == "ORG:huawei-investment-holding", text
        hits = search(store, text)
        assert hits[0].id == "ORG:huawei-investment-holding" and is_exact(hits[0]), text
    for text in ("SMIC Holdings", "SMIC Holding", "中芯国际控股有限公司"):
        with pytest.raises(UnknownEntity):
            resolve(store, text)
    assert not adds_holding("X Holdings Ltd", "X Holding Co., Ltd.")
    assert not adds_holding("X Holding", "X Holdings Limited")
    assert not named_apart("X Holding Co., Ltd.", "X Holdings")
    assert named_apart("X Holding Co., Ltd.", "X") and named_apart("X Holdings", "X")
