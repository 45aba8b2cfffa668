"""The rules a newsroom holds the sources of data/ to (see data/README.md, "Source kinds")."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date
from urllib.parse import parse_qs, urlparse

import yaml

from graph.affects import affects
from graph.audit import has_primary_source, is_legal_fact
from graph.changes import changes
from graph.evidence import edge_names, ending_actions, gives_date, start_row_sources, states_start
from graph.model import PRIMARY_SOURCE_KINDS, Edge, Node, Source
from graph.names import fold
from graph.naming import listed_short_name, spoken_names
from graph.query import timeline
from graph.store.memory import MemoryStore
from loaders.workspace import PROJECT_DATA

# Blogs, scrapers, Wikipedia mirrors and state or partisan outlets: issue 7 drops them from any
# edge a primary source stands on (a state outlet may stay only in a `disputed` entry, as the
# disagreeing side of a claim).
DROPPED_BESIDE_A_PRIMARY = frozenset(
    {
        "nicholaswturner.medium.com",
        "sanctions.org",
        "kk.hyqcw.com",
        "mrwatchlist.com",
        "techdator.net",
        "www.urdupoint.com",
        "www.ntd.com",
        "www.theepochtimes.com",
        "theepochtimes.com",
        "globaltimes.cn",
        "politicstodefense.com",
        "news.rationalreview.com",
        "breaking-news-today.com",
        "www.learnexportcompliance.com",
        "alem.dynip.sapo.pt",
        "wikisum.wiki",
        "wikiclassic.com",
    }
)
# Copies and transcriptions of primary texts on third-party hosts: never beside a primary source
# of a verified legal fact; on a `likely` edge one stays where its note says the claim rests on it.
COPIES = frozenset(
    {
        "github.com",
        "raw.githubusercontent.com",
        "docslib.org",
        "online.flipbuilder.com",
        "www.readkong.com",
        "en.wikisource.org",
        "eo.governmentreporter.ai",
        "usregs.ai",
        "regulations.justia.com",
        "lexbuild.dev",
        "fraser.stlouisfed.org",
    }
)
# OFAC's cons_prim.csv, read here only in this GitHub copy (data/ofac_ns_cmic.yaml, `ofac-cons-prim`).
CONS_PRIM_COPY = (
    "https://github.com/li-xiaohui/grab-companies/blob/4607d351b7fcf9b2ba794866ff0b74d267da94ad/cons_prim.csv"
)
NOT_BESIDE_A_PRIMARY = DROPPED_BESIDE_A_PRIMARY | COPIES
# State outlets the data still cites (People's Daily, China Daily, Economic Daily, China.org.cn,
# Shanghai Daily, CGTN, Xinhua, China News Service): a source there says so in its publisher, and
# beside a primary source it stays only where the edge's note says why (the only text read that
# gives the day, say).
STATE_OUTLETS = frozenset(
    {
        "en.people.cn",
        "www.chinadaily.com.cn",
        "global.chinadaily.com.cn",
        "paper.ce.cn",
        "china.org.cn",
        "www.shine.cn",
        "shine.cn",
        "www.cgtn.com",
        "news.cgtn.com",
        "www.xinhuanet.com",
        "english.news.cn",
        "www.chinanews.com.cn",
    }
)
# Copies of a state outlet's article on another host, by the publisher they name.
_STATE_OUTLET_NAMES = re.compile(r"People's Daily|China Daily|Economic Daily|CGTN|Xinhua|China News Service")
# Words that point a reader at this project's own files rather than at a document.
_PROJECT = re.compile(r"facts(-2)?(\.md)?\b|/work/|shared/research|helpers/|\.ordergraph", re.IGNORECASE)
# The same in prose (notes, string properties), where the word "facts" alone is no pointer.
_PROJECT_IN_PROSE = re.compile(
    r"\bfacts(-2)?\.md\b|/work/|shared/research|helpers/|\.ordergraph", re.IGNORECASE
)


def _sources(store: MemoryStore) -> Iterator[tuple[str, Source]]:
    for node in store.nodes():
        for source in node.sources:
            yield node.id, source
    for edge in store.edges():
        for source in edge.sources:
            yield edge.id, source
        for disputed in edge.disputed:
            for source in disputed.sources:
                yield f"{edge.id} disputed {disputed.field}", source


def test_every_legal_fact_has_a_primary_source_or_says_why_not(store: MemoryStore) -> None:
    legal = [e for e in store.edges() if is_legal_fact(e)]
    assert len(legal) > 150  # listings, rules, targetings, injunctions, revocations, delistings
    # An exchange's announcement of a delisting and its reversal are its legal steps too, not only
    # the suspension and the delisting: every EXCHANGE_ACTION is held to the rule.
    assert {e.id for e in store.edges("EXCHANGE_ACTION")} <= {e.id for e in legal}
    for edge in legal:
        if not has_primary_source(edge):
            assert edge.confidence != "verified", edge.id
            assert edge.note, edge.id  # …and its note says why


def test_no_blog_scraper_mirror_or_state_outlet_stands_beside_a_primary_source(store: MemoryStore) -> None:
    # Issue 7: "Drop blog, scraper and state or partisan outlet sources where a primary one stands
    # on the same edge" — on every edge, whatever its kind or confidence. A state outlet quoted as
    # the disagreeing side of a claim stays, in the `disputed` entry that gives its value.
    for edge in store.edges():
        if has_primary_source(edge):
            hosts = {urlparse(s.url).hostname for s in edge.sources}
            assert not hosts & DROPPED_BESIDE_A_PRIMARY, (edge.id, hosts & DROPPED_BESIDE_A_PRIMARY)


def _is_state_outlet(source: Source) -> bool:
    host = urlparse(source.url).hostname or ""
    return host in STATE_OUTLETS or bool(_STATE_OUTLET_NAMES.search(source.publisher or ""))


def test_a_state_outlet_says_so_and_beside_a_primary_source_the_note_says_why(store: MemoryStore) -> None:
    # data/README: press includes state and partisan outlets, "their notes say so".
    cited = [(where, s) for where, s in _sources(store) if _is_state_outlet(s)]
    assert cited  # People's Daily on CNOOC's listing day, Economic Daily on CRCC's, …
    for where, source in cited:
        assert "state outlet" in (source.publisher or ""), (where, source.url)
    for edge in store.edges():
        if has_primary_source(edge) and any(_is_state_outlet(s) for s in edge.sources):
            assert "state outlet" in (edge.note or ""), edge.id


def _gives_the_ofac_uid(edge: Edge, source: Source) -> bool:
    """Whether ``source`` is cited on ``edge`` for the entry's OFAC UID (the edge's ``ofac_uid``), which
    only OFAC's data file gives: no Annex, release or FAQ numbers the entries."""
    uid = edge.properties.get("ofac_uid")
    at_uid = uid is not None and re.match(rf"UID {uid}\b", source.locator or "") is not None
    return at_uid and source.url == CONS_PRIM_COPY


def test_only_the_cons_prim_copy_gives_an_ofac_uid() -> None:
    def source(url: str, locator: str) -> Source:
        return Source(url=url, title="cons_prim.csv", publisher="a copy", kind="other", locator=locator)

    at_uid = source(CONS_PRIM_COPY, "UID 33091 as read in the GitHub copies")
    listing = Edge(
        id="LISTED_ON|ORG:x|LIST:OFAC-NS-CMIC|2021-06-03",
        kind="LISTED_ON",
        source="ORG:x",
        target="LIST:OFAC-NS-CMIC",
        start="2021-06-03",
        confidence="verified",
        properties={"ofac_uid": 33091},
        sources=[at_uid],
    )
    assert _gives_the_ofac_uid(listing, at_uid)
    assert not _gives_the_ofac_uid(
        listing, source("https://github.com/someone/else/blob/main/cons_prim.csv", "UID 33091")
    )
    assert not _gives_the_ofac_uid(listing, source(CONS_PRIM_COPY, "UID 33092"))


def test_no_copy_stands_beside_a_primary_source_of_a_verified_legal_fact(store: MemoryStore) -> None:
    # A `likely` edge keeps the transcription its note says it rests on in view. One exception: OFAC's
    # cons_prim.csv, read only in a GitHub copy, stays beside the Annex or release that identified the
    # listing where it is cited at the entry's UID, which the edge states (`ofac_uid`) and no primary text
    # read here gives; dropping it would leave that property, and the entry's dates, without a source.
    beside = 0
    applies = 0
    for edge in store.edges():
        if is_legal_fact(edge) and has_primary_source(edge) and edge.confidence == "verified":
            copies = [s for s in edge.sources if urlparse(s.url).hostname in NOT_BESIDE_A_PRIMARY]
            assert all(_gives_the_ofac_uid(edge, s) for s in copies), (edge.id, [s.url for s in copies])
            beside += bool(copies)
            applies += edge.properties.get("ofac_uid") is not None
    # The exception is used on every verified listing that states an OFAC UID beside a primary text (the
    # NS-CMIC listings identified by the Annex or a release read at OFAC's or the Register's address), and
    # nowhere else.
    assert applies > 0
    assert beside == applies


# Government hosts outside .gov and .mil that an `official` source may stand on (none cited yet).
GOVERNMENT_HOSTS: frozenset[str] = frozenset()


def _is_government_host(host: str) -> bool:
    return host.endswith((".gov", ".mil")) or host in GOVERNMENT_HOSTS


def test_every_official_source_is_on_a_government_host(store: MemoryStore) -> None:
    """data/README: `official` is the government's own text at the government's own address; a copy elsewhere
    (FRASER's archive of a Treasury release, Justia's of a Federal Register notice) is `other`."""
    official = [(where, s.url) for where, s in _sources(store) if s.kind == "official"]
    assert official
    assert [(w, url) for w, url in official if not _is_government_host(urlparse(url).hostname or "")] == []
    assert _is_government_host("bidenwhitehouse.archives.gov") and _is_government_host(
        "www.federalregister.gov"
    )
    assert not _is_government_host("fraser.stlouisfed.org") and not _is_government_host(
        "regulations.justia.com"
    )


def test_a_copy_is_the_kind_of_its_host(store: MemoryStore) -> None:
    """data/README.md: a copy of a primary text on a third-party host is `other`, not its original's kind."""
    copies = [(where, s.url, s.kind) for where, s in _sources(store) if urlparse(s.url).hostname in COPIES]
    assert copies, "no copy cited: the test checks nothing"
    assert [copy for copy in copies if copy[2] != "other"] == []


def test_the_telcos_ns_ccmc_listings_rest_on_ofacs_own_texts(store: MemoryStore) -> None:
    for company in ("china-mobile-ltd", "china-telecom-corp-ltd", "china-unicom-hk-ltd", "cnooc-ltd"):
        (listing,) = [
            e
            for e in store.edges_of(f"ORG:{company}", "out", ["LISTED_ON"])
            if e.target == "LIST:OFAC-NS-CCMC"
        ]
        assert listing.sources[0].kind == "official", company
        assert not any("sanctions.org" in s.url for s in listing.sources), company


def test_no_source_points_into_the_project(store: MemoryStore) -> None:
    for where, source in _sources(store):
        host = urlparse(source.url).hostname or ""
        assert host not in ("localhost", "127.0.0.1") and not host.endswith(".local"), (where, source.url)
        for text in (source.locator, source.quote, source.title):
            assert not (text and _PROJECT.search(text)), (where, text)


def _prose(store: MemoryStore) -> Iterator[tuple[str, str]]:
    # What `show` and the app print besides the sources: notes and string properties.
    items: list[Node | Edge] = [*store.nodes(), *store.edges()]
    for item in items:
        for key, value in item.properties.items():
            for text in value if isinstance(value, list) else [value]:
                if isinstance(text, str):
                    yield f"{item.id} {key}", text
    for edge in store.edges():
        if edge.note:
            yield f"{edge.id} note", edge.note
        for disputed in edge.disputed:
            if disputed.note:
                yield f"{edge.id} disputed {disputed.field}", disputed.note


def test_no_note_or_property_points_into_the_project(store: MemoryStore) -> None:
    # A reader of `show` cannot open this project's research files: cite the document itself.
    for where, text in _prose(store):
        assert not _PROJECT_IN_PROSE.search(text), (where, text)


def test_no_source_is_a_search_result_or_a_section_index(store: MemoryStore) -> None:
    for where, source in _sources(store):
        url = urlparse(source.url)
        query = parse_qs(url.query)
        segments = [s for s in url.path.split("/") if s]
        assert "search" not in url.path.lower(), (where, source.url)
        assert not {"q", "query", "search", "faq-search"} & set(query), (where, source.url)
        # `https://example.com/markets/` is a section front, not an article
        assert segments or url.query, (where, source.url)
        assert not (len(segments) == 1 and re.fullmatch(r"[a-z]+", segments[0]) and not url.query), (
            where,
            source.url,
        )


def test_federal_register_documents_are_cited_at_the_registers_own_address(store: MemoryStore) -> None:
    for order in store.nodes("ExecutiveOrder"):
        urls = {s.url for s in order.sources} | {
            s.url for e in store.edges_of(order.id, "out", ["ISSUED_BY"]) for s in e.sources
        }
        fr_doc = order.properties["fr_doc"]
        assert f"https://www.federalregister.gov/d/{fr_doc}" in urls, order.id
    # A copy of a Federal Register document (Justia, LexBuild, a flipbook) is cited only where the
    # Register's own page was not seen: the notes of the edges citing it say so
    # ("(https://www.federalregister.gov/d/<number>) not seen here"), and the Register's page is cited
    # nowhere. Once the Register's page was read, it is cited instead and the copy goes.
    copies = {
        "regulations.justia.com",
        "lexbuild.dev",
        "online.flipbuilder.com",
        "www.readkong.com",
        "en.wikisource.org",
    }
    at_the_register = {s.url for _, s in _sources(store)}
    for edge in store.edges():
        for source in edge.sources:
            if urlparse(source.url).hostname not in copies:
                continue
            numbers = set(re.findall(r"\b(\d{4}-\d{5})\b", f"{source.url} {source.locator or ''}"))
            assert numbers, (edge.id, source.url)
            for number in numbers:
                register = f"https://www.federalregister.gov/d/{number}"
                assert register not in at_the_register, (edge.id, source.url, register)
                assert f"({register}) not seen here" in (edge.note or ""), (edge.id, source.url)
    # Any Federal Register document, not only an order's: /d/<document number>, the Register's own link
    # form (FR Doc 2024-06895 was cited at its long /documents/2024/04/02/... address).
    for where, source in _sources(store):
        if urlparse(source.url).hostname in ("federalregister.gov", "www.federalregister.gov"):
            register_link = re.fullmatch(r"https://www\.federalregister\.gov/d/\d{4}-\d{5}", source.url)
            assert register_link, (where, source.url)


def test_each_telco_delisting_cites_first_a_filing_that_gives_its_day(store: MemoryStore) -> None:
    # `affects` shows the first source beside "delisted by New York Stock Exchange since 2021-05-18":
    # it is a filing or the exchange's notice, and on a verified edge it says 2021-05-18. China
    # Mobile's is likely: its 6-K of 2021-05-10 carries only the review decision of 2021-05-07, and
    # the day is stated only by the company's own website (kind other), which the edge cites with
    # that quote and the exchange status credits with the day (review 34, M5: the day was credited to
    # a 2022 6-K that does not give it, and the note said no issuer text states it).
    day = ("2021-05-18", "May 18, 2021", "18 May 2021")
    likely = set()
    for code in ("CHA", "CHL", "CHU"):
        (delist,) = [
            e
            for e in store.edges_of(f"SEC:NYSE:{code}", "in", ["EXCHANGE_ACTION"])
            if e.properties.get("action") == "delist"
        ]
        first = delist.sources[0]
        said = " ".join(filter(None, [first.quote, first.locator, first.title]))
        assert first.kind in ("exchange", "filing"), (code, first.url)
        if delist.confidence == "verified":
            assert "2021-05-18" in said or "May 18, 2021" in said or "18 May 2021" in said, (code, first.url)
        else:
            stating = [s for s in delist.sources if any(d in (s.quote or "") for d in day)]
            assert stating and all(s.kind not in ("exchange", "filing") for s in stating), code
            assert "likely, not verified" in (delist.note or "").lower(), code
            status = affects(store, f"SEC:NYSE:{code}", date(2021, 6, 1)).exchange_status
            assert status is not None and status.confidence == delist.confidence
            assert status.dated_by == stating[0], code
            likely.add(code)
    assert likely == {"CHL"}


_WHITE_HOUSE = frozenset(
    {"www.whitehouse.gov", "whitehouse.gov", "bidenwhitehouse.archives.gov", "trumpwhitehouse.archives.gov"}
)


def test_an_orders_federal_register_text_comes_before_the_white_house_copy(store: MemoryStore) -> None:
    # Both are `official`, so data order decides within the kind (graph.model.by_authority): the
    # Register's document is the legal text and the White House page a copy of it, so it leads.
    both = 0
    for edge in store.edges():
        hosts = [urlparse(s.url).hostname for s in edge.sources]
        register = [i for i, h in enumerate(hosts) if h == "www.federalregister.gov"]
        house = [i for i, h in enumerate(hosts) if h in _WHITE_HOUSE]
        if register and house:
            both += 1
            assert min(register) < min(house), (edge.id, [s.url for s in edge.sources])
    assert both > 60  # the EO 14032 Annex listings, the orders' rules, revocations and supersessions


def test_a_source_dated_on_an_edges_start_leads_the_undated_ones_of_its_kind(store: MemoryStore) -> None:
    # OFAC's list file gives no date; Treasury's release of 2021-12-16 does: within `official` the
    # release leads, so a row saying "listed 2021-12-16" first cites a text that says so.
    for edge in store.edges():
        if edge.start is None:
            continue
        for i, undated in enumerate(edge.sources):
            if undated.date is not None:
                continue
            later = [s for s in edge.sources[i + 1 :] if s.kind == undated.kind and s.date == edge.start]
            assert not later, (edge.id, undated.url, later[0].url)


def test_a_source_that_states_an_edges_start_leads_the_others_of_its_kind(store: MemoryStore) -> None:
    # A path shows one source for a dated edge, its first: "←issues (from 1997-10-22 …; cons_prim.csv)"
    # showed a copy of OFAC's list file, cited for the ticker, which gives no day, where China
    # Mobile's own overview (the same kind) gives 22 October 1997. Within a kind, the sources that
    # state the start (graph.evidence.states_start: the day in their own words, naming the entity,
    # the reading a timeline row credits) come before those cited for something else.
    wrong = []
    for edge in store.edges():
        if edge.start is None:
            continue
        names = edge_names(store, edge)
        stating = [states_start(s, edge.start, names) for s in edge.sources]
        for i, source in enumerate(edge.sources):
            later = [
                s.url
                for s, says in zip(edge.sources[i + 1 :], stating[i + 1 :], strict=True)
                if says and s.kind == source.kind
            ]
            if not stating[i] and later:
                wrong.append((edge.id, source.url, later[0]))
                break
    assert wrong == []


def test_a_listing_cites_no_exchange_notice_of_a_later_act(store: MemoryStore) -> None:
    # graph.model.LISTING_FACTS puts an exchange's notice first on ISSUES and TRADES_ON, so a notice
    # cited there must be about the listing: the NYSE's delisting notice of 2021-01-06 gives neither
    # the listing nor its day and belongs on the delisting (EXCHANGE_ACTION), unless the edge ends on it.
    acts = {
        s.url for e in store.edges() if e.kind == "EXCHANGE_ACTION" for s in e.sources if s.kind == "exchange"
    }
    wrong = [
        (e.id, s.url)
        for e in store.edges()
        if e.kind in ("ISSUES", "TRADES_ON") and e.end is None
        for s in e.sources
        if s.url in acts
    ]
    assert wrong == []


def _names(store: MemoryStore, node_id: str) -> list[str]:
    node = store.get_node(node_id)
    return [] if node is None else [fold(n) for n in (node.name, *node.aliases) if len(fold(n)) > 2]


def _about_a_later_event(source: Source, edge: Edge, names: list[str]) -> bool:
    """A secondary source of a later year whose quote names neither the listed company nor gives
    the listing's day: a passage cited for a later edition or removal (an alert on the 2024 update,
    a 2025 report of six other removals), not for this listing."""
    if source.kind in PRIMARY_SOURCE_KINDS or source.quote is None or source.date is None:
        return False
    if edge.start is None or source.date[:4] <= edge.start[:4] or gives_date(source, edge.start):
        return False
    # Its own words: a locator is a place in it ("row 'SMIC HK'"), not what it says.
    words = f" {fold(source.quote + ' ' + source.title)} "
    return not any(f" {name} " in words for name in names)


def test_no_listing_is_led_by_a_later_text_about_something_else(store: MemoryStore) -> None:
    # Review 34 M6: `changes` showed the §1260H listings of 2021-06-03 of Fujian Torch and SMIC Hong
    # Kong under Akin Gump's alert on the 2024 update, China Marine Information Electronics' and China
    # Telecommunications Corporation's under WorldECR's report of six other removals in 2025, and
    # Huawei's under Reuters' 2022 report quoted on BGI: none names the company or the day, and the
    # copy of FR Doc 2021-13753 that lists them came after. A text of a later year that names neither
    # the company nor the day supports nothing about the listing and is not cited on it.
    wrong = [
        (edge.id, source.url)
        for edge in store.edges()
        if edge.kind == "LISTED_ON"
        for source in edge.sources
        if _about_a_later_event(source, edge, _names(store, edge.source))
    ]
    assert wrong == []


def test_the_2021_06_03_1260h_listings_are_cited_to_the_federal_register_notice_or_a_row_naming_them(
    store: MemoryStore,
) -> None:
    # The first source a `changes` or timeline row of each listing's start cites names the company
    # (OpenSanctions' row of it) or is the copy of FR Doc 2021-13753 that lists it.
    register = "https://regulations.justia.com/regulations/fedreg/2021/06/28/2021-13753.html"
    listings = [
        e
        for e in store.edges()
        if e.kind == "LISTED_ON" and e.target == "LIST:DOD-1260H" and e.start == "2021-06-03"
    ]
    assert len(listings) >= 47
    wrong = []
    for edge in listings:
        first = start_row_sources(edge, ending_actions(store, edge), edge_names(store, edge))[0][0]
        names = _names(store, edge.source)
        words = fold(" ".join(f for f in (first.quote, first.locator) if f))
        if first.url != register and not any(name in words for name in names):
            wrong.append((edge.id, first.url))
    assert wrong == []


def _cited_keys(value: object, keys: frozenset[str]) -> Iterator[str]:
    """The registry keys cited anywhere in ``value`` (a key as a list item, or a mapping's ``ref``)."""
    if isinstance(value, str):
        if value in keys:
            yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _cited_keys(item, keys)
    elif isinstance(value, list):
        for item in value:
            yield from _cited_keys(item, keys)


def test_every_registry_source_is_cited() -> None:
    # Review 34: the registry kept entries nothing cited (China Mobile's 2022 deregistration 6-K, CNOOC's
    # 2015 subsidiaries exhibit, DoD list PDFs never opened): a reader of data/ took them for sources of
    # something. An address worth keeping that no fact rests on lives in a note, as "not seen here".
    files = {p.name: yaml.safe_load(p.read_text(encoding="utf-8")) or {} for p in PROJECT_DATA.glob("*.yaml")}
    registry = {key: name for name, data in files.items() for key in data.get("sources") or {}}
    keys = frozenset(registry)
    cited = {
        key
        for data in files.values()
        for section, value in data.items()
        if section != "sources"
        for key in _cited_keys(value, keys)
    }
    assert sorted(f"{registry[k]}: {k}" for k in keys - cited) == []


def _speaks_of(source: Source, edge: Edge, names: list[str]) -> bool:
    """Whether a source's own words (quote, locator, title) name the listed company (``names``, folded)
    or give the listing's Federal Register document."""
    raw = " ".join(f for f in (source.quote, source.locator, source.title) if f)
    words = f" {fold(raw)} "
    fr_doc, uid = edge.properties.get("fr_doc"), edge.properties.get("ofac_uid")
    named = any(
        f" {n} " in words if n.isascii() else n.replace(" ", "") in words.replace(" ", "") for n in names
    )
    # The entry of OFAC's file that names it ("UID 30902"), as the OFAC loader cites it.
    entry = uid is not None and re.search(rf"\bUID {uid}(?!\d)", raw) is not None
    return named or entry or (fr_doc is not None and str(fr_doc) in raw)


def _spoken(store: MemoryStore, node_id: str) -> list[str]:
    node = store.get_node(node_id)
    return [] if node is None else [fold(n) for n in spoken_names(node) if len(fold(n)) > 2]


def _listed(store: MemoryStore, edge: Edge) -> list[str]:
    node = store.get_node(edge.source)
    short = listed_short_name(edge, node) if node is not None else None
    return [short] if short else []


def _led_by_a_silent_source(sources: list[Source], edge: Edge, names: list[str]) -> bool:
    speaking = [s for s in sources if s.kind in PRIMARY_SOURCE_KINDS or _speaks_of(s, edge, names)]
    return bool(speaking) and sources[0] not in speaking


def test_no_listing_is_led_by_a_secondary_source_that_does_not_name_the_company_when_one_does(
    store: MemoryStore,
) -> None:
    """Issue 7 (M6): write-ups of a whole list edition that do not name the company (DeHeng's of the
    2022-10-05 §1260H edition, Akin Gump's of 2024-01-31, Thompson Hine's of OFAC's eight of 2021-12-16)
    led about sixty listing rows, because kinds alone ordered the sources (a law firm before a copy of the
    Register's record that names the company). A listing and each of its rows (its timeline's, and
    `changes`') lead with a primary source, else with one whose words name the company or give the
    listing's Federal Register document, whenever one stands on it."""
    listings = list(store.edges("LISTED_ON"))
    # A company's names as reports shorten them too ("SenseTime", 中微半导体设备), folded.
    names = {e.source: _spoken(store, e.source) for e in listings}
    edges = {e.id: e for e in listings}
    # On a listing, the short name the list itself gives the member ("Megvii") too.
    listed = {e.id: [fold(n) for n in _listed(store, e)] for e in listings}
    wrong = [e.id for e in listings if _led_by_a_silent_source(e.sources, e, names[e.source] + listed[e.id])]
    rows = 0
    for company in sorted(names):
        for event in timeline(store, company).events:
            edge = edges.get(event.edge_id or "")
            if edge is None or event.kind != "LISTED_ON" or not event.sources:
                continue
            rows += 1
            if _led_by_a_silent_source(event.sources, edge, names[edge.source] + listed[edge.id]):
                wrong.append(f"{company} {event.date} {event.description}")
    for day in changes(store, date(1999, 1, 1), date(2030, 12, 31)).days:
        for change in day.changes:
            edge = edges.get(change.edge_id or "")
            if edge is not None and change.kind == "LISTED_ON" and change.sources:
                rows += 1
                if _led_by_a_silent_source(change.sources, edge, names[edge.source] + listed[edge.id]):
                    wrong.append(f"changes {change.date} {change.description}")
    assert wrong == []
    assert rows > 500
    # DeHeng's alert on the 2022-10-05 edition names thirteen companies' list, not ChemChina.
    chemchina = edges["LISTED_ON|ORG:chemchina|LIST:DOD-1260H|2022-10-05"]
    assert "dehengny.com" in " ".join(s.url for s in chemchina.sources)
    assert "dehengny.com" not in chemchina.sources[0].url


def test_a_copy_of_an_official_file_says_what_it_copies_and_is_labelled_a_copy(store: MemoryStore) -> None:
    """A registry entry that is a copy of a government's file on a third-party host (OFAC's cons_prim.csv on
    GitHub, the Register's documents on Justia, LexBuild, vLex or GitHub) names the original's address
    (``copy_of``): it is `other`, says it is a copy in its publisher or title, and never ranks before the
    original where both are cited (graph.model.ranked_sources)."""
    copies = {s.url: s for _, s in _sources(store) if s.copy_of is not None}
    assert CONS_PRIM_COPY in copies
    assert "https://regulations.justia.com/regulations/fedreg/2021/06/28/2021-13753.html" in copies
    for url, source in copies.items():
        assert source.kind == "other", url
        assert re.search(r"cop(y|ies|ying)|\bvia\b", f"{source.publisher} {source.title}", re.I), url
        assert source.copy_of != url and _is_government_host(urlparse(source.copy_of or "").hostname or ""), (
            url
        )
    for edge in store.edges():
        urls = [s.url for s in edge.sources]
        for i, source in enumerate(edge.sources):
            if source.copy_of in urls:
                assert urls.index(source.copy_of) < i, edge.id
