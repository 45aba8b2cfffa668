"""The article linker on the real ZDNet article (read from ../shared, never copied here)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import cast

import pytest

from graph.cite import cite
from graph.errors import LoadError
from graph.model import Edge, Node
from graph.store.base import GraphStore
from graph.store.memory import MemoryStore
from graph.store.workspace import WorkspaceStore
from loaders.article import Mention, html_text, link, read_article
from loaders.curated import read_dataset
from loaders.workspace import PROJECT_DATA
from tests.graph.counting import CountingStore

ARTICLE = Path(__file__).resolve().parents[3] / "shared" / "research" / "zdnet-xiaomi-article.txt"
URL = "https://www.zdnet.com/article/xiaomi-denies-any-ties-with-chinese-military/"
# DoD's 2021-01-14 tranche, as the article names it.
TRANCHE = [
    "ORG:xiaomi",
    "ORG:amec",
    "ORG:luokung",
    "ORG:zgc-development-investment-center",
    "ORG:gowin",
    "ORG:grand-china-air",
    "ORG:gtcom",
    "ORG:cnah",
    "ORG:comac",
]
ALREADY_LISTED = [
    "ORG:huawei",
    "ORG:hikvision",
    "ORG:inspur-group",
    "ORG:panda-electronics-group",
    "ORG:smic",
]
TELCOS = ["ORG:china-telecom-corp-ltd", "ORG:china-mobile-ltd", "ORG:china-unicom-hk-ltd"]


@pytest.fixture(scope="module")
def text() -> str:
    return ARTICLE.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def without_misspellings() -> MemoryStore:
    """The curated graph without the aliases that spell Luokung and Grand China Air as the article does."""
    dataset = read_dataset(PROJECT_DATA)
    typos = {"Luokong Technology", "Luokong Technology Corporation", "Grand China Aie"}
    nodes = [
        n.model_copy(update={"aliases": [a for a in n.aliases if a not in typos]}) for n in dataset.nodes
    ]
    return MemoryStore.from_parts(nodes, dataset.edges)


def test_finds_every_company_the_issue_names(text: str, store: MemoryStore) -> None:
    found = {m.node_id: m for m in link(text, store)}
    for node_id in [*TRANCHE, *ALREADY_LISTED, *TELCOS, "EXCH:NYSE", "EO:13959"]:
        assert node_id in found, node_id
    assert found["ORG:luokung"].text == "Luokong Technology"
    assert found["ORG:grand-china-air"].text == "Grand China Aie"
    assert found["EO:13959"].text == "executive order on 12 November 2020"
    assert found["EO:13959"].how == "date"


def test_offsets_are_where_the_text_is(text: str, store: MemoryStore) -> None:
    for mention in link(text, store):
        assert text[mention.offset : mention.offset + len(mention.text)] == mention.text
        assert all(text[o : o + 1] for o in mention.offsets)


def test_agrees_with_the_hand_made_mentions(text: str, store: MemoryStore) -> None:
    """data/article.yaml holds MENTIONS made by hand for this article: same entities, same offsets."""
    article = "DOC:zdnet-xiaomi-denies-military-ties"
    hand = {e.target: e.properties for e in store.edges_of(article, "out")}
    found = {m.node_id: m for m in link(text, store)}
    # Descriptions, not names ("ban eight Chinese apps", "US President Donald Trump"), are left to people.
    assert set(hand) - set(found) == {"EO:13971", "BODY:president"}
    assert set(found) - set(hand) == set()
    for node_id, mention in found.items():
        if hand[node_id].get("text") == mention.text:
            assert hand[node_id]["offset"] == mention.offset, node_id


@pytest.mark.parametrize("backend", ["memory", "workspace"])
def test_misspellings_are_found_without_the_aliases(
    text: str, without_misspellings: MemoryStore, backend: str, tmp_path: Path
) -> None:
    graph: GraphStore = without_misspellings
    if backend == "workspace":
        graph = WorkspaceStore.open(tmp_path / "graph.db")
        graph.write(without_misspellings.nodes(), without_misspellings.edges())
    found = {m.node_id: m for m in link(text, graph)}
    assert (found["ORG:luokung"].text, found["ORG:luokung"].how) == ("Luokong Technology", "misspelling")
    assert (found["ORG:grand-china-air"].text, found["ORG:grand-china-air"].how) == (
        "Grand China Aie",
        "misspelling",
    )


@pytest.mark.parametrize(
    "sentence",
    [
        "The company said the order would list mobile apps on the exchange next year.",
        "Shares in telecom groups fell; the treasury and commerce departments said nothing.",
        "Commercial aviation in China and Hong Kong grew, the state media said.",
        "Grand Canyon tours and Global Times readers, the CEO of the SH office said.",
        "An executive order on 1 January 2019 changed nothing here.",
    ],
)
def test_nothing_for_common_words(sentence: str, store: MemoryStore) -> None:
    assert link(sentence, store) == []


def test_tickers_and_order_numbers(store: MemoryStore) -> None:
    found = {
        m.node_id: m.text for m in link("Shares of 1810.HK fell after EO 13959; (NYSE: CHL) too.", store)
    }
    assert found == {"SEC:HKEX:1810": "1810.HK", "EO:13959": "EO 13959", "SEC:NYSE:CHL": "NYSE: CHL"}


def test_records_and_html(tmp_path: Path, store: MemoryStore) -> None:
    records = list(read_article(ARTICLE, store, "zdnet", url=URL, published="2021-01"))
    doc = records[0].item
    assert (
        isinstance(doc, Node)
        and doc.kind == "Document"
        and doc.name == "Xiaomi denies any ties with Chinese military"
    )
    edges = [r.item for r in records[1:]]
    assert all(isinstance(e, Edge) and e.kind == "MENTIONS" and e.source == doc.id for e in edges)
    page = tmp_path / "a.html"
    page.write_text(
        '<html><head><title>T</title><link rel="canonical" href="https://example.org/a"></head>'
        "<body><script>Xiaomi()</script><p>Huawei &amp; Xiaomi</p></body></html>",
        encoding="utf-8",
    )
    html_records = list(read_article(page, store, "a"))
    assert html_records[0].item.properties["url"] == "https://example.org/a"
    assert [r.item.target for r in html_records[1:] if isinstance(r.item, Edge)] == [
        "ORG:huawei",
        "ORG:xiaomi",
    ]
    assert html_text("<p>a &amp; b</p>")[0] == "a & b"


def test_bad_articles(tmp_path: Path, store: MemoryStore) -> None:
    with pytest.raises(LoadError, match="url: an article needs"):
        list(read_article(ARTICLE, store, "x"))
    latin = tmp_path / "latin.txt"
    latin.write_bytes(b"Title\nXiaomi caf\xe9\n")
    with pytest.raises(LoadError, match=r"latin.txt:2: not UTF-8"):
        list(read_article(latin, store, "x", url=URL))
    with pytest.raises(LoadError, match="date"):
        list(read_article(ARTICLE, store, "x", url=URL, published="2021-13"))


def _padded(store: MemoryStore, count: int) -> MemoryStore:
    """The curated graph and ``count`` made-up companies whose names share the article's common words."""
    words = ["China", "Mobile", "Technology", "Holdings", "National", "Aviation", "Electronics", "Group"]
    made = [
        Node(
            id=f"ORG:made-{i}",
            kind="Company",
            name=f"{words[i % 3]} Qz{i:05d}x {words[3 + i % 5]} Limited",
            aliases=[f"Qz{i:05d}x {words[(i + 1) % len(words)]}"],
        )
        for i in range(count)
    ]
    return MemoryStore.from_parts([*store.nodes(), *made], list(store.edges()))


@pytest.fixture(scope="module", params=["memory", "workspace"])
def small_and_large(
    request: pytest.FixtureRequest, store: MemoryStore, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[GraphStore, GraphStore]]:
    """The curated graph, and the same with 6,000 companies more, in the memory store or the workspace's."""
    large = _padded(store, 6000)
    if request.param == "memory":
        yield store, large
        return
    opened = []
    for name, graph in (("small", store), ("large", large)):
        path = tmp_path_factory.mktemp(name) / "graph.db"
        with WorkspaceStore.open(path) as fresh:
            fresh.write(graph.nodes(), graph.edges())
        opened.append(WorkspaceStore.open(path, create=False))
    yield opened[0], opened[1]
    for workspace in opened:
        workspace.close()


class _ByKind(CountingStore):
    """Counts calls, a scan by the kind it reads (``nodes:ExecutiveOrder``)."""

    def nodes(self, kind: str | None = None) -> Iterator[Node]:
        self.calls[f"nodes:{kind}"] += 1
        return self.inner.nodes(kind)


def _linked(text: str, store: GraphStore) -> tuple[list[Mention], CountingStore]:
    counter = _ByKind(store)
    return link(text, cast(GraphStore, counter)), counter


def test_the_linker_reads_indexes_not_the_store_and_costs_the_same_whatever_its_size(
    text: str, store: MemoryStore, small_and_large: tuple[GraphStore, GraphStore]
) -> None:
    small, large = small_and_large
    expected = link(text, store)
    found_small, calls_small = _linked(text, small)
    found_large, calls_large = _linked(text, large)
    assert found_small == expected and found_large == expected  # all it found, nothing more
    assert calls_small.calls == calls_large.calls  # the same calls on 350 nodes as on 6,350
    # Names through the name index, orders and tickers by id; the one scan: the orders signed on a
    # day the text gives ("an executive order on 12 November 2020"), a few thousand at most.
    allowed = {"name_candidates", "get_nodes", "nodes:ExecutiveOrder"}
    assert set(calls_large.calls) <= allowed, calls_large.calls
    words = [w for w in text.split() if w[:1].isupper()]
    assert calls_large.total() <= len(set(words)) + 3, calls_large.calls


def test_a_mention_cites_the_same_place_in_a_workspace_loaded_before_locators_counted_from_1(
    tmp_path: Path, store: MemoryStore
) -> None:
    """A workspace loaded before mentions' locators counted from 1 holds ``character 1203`` (from 0);
    Cite reads the place from the edge's ``offset`` and text, so old and new workspaces print the
    same place, counted from 1."""
    records = list(read_article(ARTICLE, store, "zdnet", url=URL, published="2021-01"))
    doc = cast(Node, records[0].item)
    new = [r.item for r in records[1:] if isinstance(r.item, Edge)]
    old = [
        e.model_copy(
            update={
                "sources": [
                    s.model_copy(update={"locator": f"character {e.properties['offset']}"}) for s in e.sources
                ]
            }
        )
        for e in new
    ]
    fresh = MemoryStore.from_parts([*store.nodes(), doc], new)
    workspace = WorkspaceStore.open(tmp_path / "graph.db")
    try:
        workspace.write([*store.nodes(), doc], old)
        for mention in new:
            offset, text = mention.properties["offset"], mention.properties["text"]
            assert isinstance(offset, int) and isinstance(text, str)
            cited = cite(workspace, mention.id)
            assert cited == cite(fresh, mention.id)
            assert f"characters {offset + 1:,}–{offset + len(text):,}, " in cited.sources[0], cited
    finally:
        workspace.close()


def test_a_name_followed_by_a_holding_word_is_not_the_company() -> None:
    """The words "SMIC Holdings Limited" name SMIC's holding company, not SMIC: in a graph with SMIC and no
    SMIC Holdings the linker links nothing there, and still links SMIC where the text names it; with
    SMIC Holdings in the graph, its own name is linked (longest match)."""
    smic = Node(id="ORG:smic", kind="Company", name="Semiconductor Manufacturing International Corporation",
                aliases=["SMIC"])  # fmt: skip
    alone = MemoryStore.from_parts([smic], [])
    text = "SMIC Holdings Limited said on Monday that SMIC would appeal."
    mentions = link(text, alone)
    assert [(m.node_id, m.offset) for m in mentions] == [("ORG:smic", text.index("SMIC would"))]
    assert link("SMIC Holding said so.", alone) == []
    holdings = Node(id="ORG:smic-holdings", kind="Company", name="SMIC Holdings Limited")
    both = MemoryStore.from_parts([smic, holdings], [])
    assert [(m.node_id, m.offset) for m in link(text, both)] == [
        ("ORG:smic-holdings", 0),
        ("ORG:smic", text.index("SMIC would")),
    ]


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        # Every name of Huawei Investment & Holding ends in a legal form; "Huawei" is Huawei Technologies.
        ("Huawei Investment & Holding said on Monday.",
         [("ORG:huawei-investment-holding", "Huawei Investment & Holding")]),
        ("Huawei Investment and Holding said.",
         [("ORG:huawei-investment-holding", "Huawei Investment and Holding")]),
        ("Huawei Investment & Holding Co., Ltd. said.",
         [("ORG:huawei-investment-holding", "Huawei Investment & Holding Co., Ltd")]),
        ("Huawei Investment & Holding owns Huawei.",
         [("ORG:huawei-investment-holding", "Huawei Investment & Holding"), ("ORG:huawei", "Huawei")]),
        ("Semiconductor Manufacturing International said that SMIC would appeal.",
         [("ORG:smic", "Semiconductor Manufacturing International")]),
        ("China Mobile Communications Group said China Mobile would appeal.",
         [("ORG:china-mobile-communications-group", "China Mobile Communications Group"),
          ("ORG:china-mobile-ltd", "China Mobile")]),
        # Two companies are China Shipbuilding Industry once their legal forms are set aside: neither is
        # linked, nor anything shorter inside the name.
        ("China Shipbuilding Industry said.", []),
        # A name without its legal form is written as a name: every word capitalised, in one run.
        ("semiconductor manufacturing international firms said.", []),
        ("Huawei Investment, Holding said.", [("ORG:huawei", "Huawei")]),
        # A cut name that runs on into a longer, other name is not the company.
        ("The China National Nuclear Safety Administration said.", []),
        ("China Electronics Technology said it would appeal.", []),
        ("Pentagon Adds China Electronics Firms To List", []),
        ("AVIC Chengdu Aircraft Industrial Group said.", [("ORG:avic", "AVIC")]),
        # …but a legal form written after it closes the name.
        ("Proven Glory Capital Ltd said.", [("ORG:proven-glory-capital", "Proven Glory Capital")]),
    ],
)  # fmt: skip
@pytest.mark.parametrize("backend", ["memory", "workspace"])
def test_a_company_is_named_without_its_legal_form(
    sentence: str, expected: list[tuple[str, str]], backend: str, store: MemoryStore, tmp_path: Path
) -> None:
    graph: GraphStore = store
    if backend == "workspace":
        graph = WorkspaceStore.open(tmp_path / "graph.db")
        graph.write(store.nodes(), store.edges())
    try:
        assert [(m.node_id, m.text) for m in link(sentence, graph)] == expected
    finally:
        if isinstance(graph, WorkspaceStore):
            graph.close()
