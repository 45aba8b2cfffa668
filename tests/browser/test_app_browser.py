"""The app in Debian's Chromium: search, graph, re-centre, as-of, affects, screen, export — all offline."""

from __future__ import annotations

import json
import re
import subprocess
from collections.abc import Iterator
from pathlib import Path

import networkx as nx
import pytest
from playwright.sync_api import Browser, ConsoleMessage, Locator, Page, expect

from tests.browser.conftest import (
    Recorder,
    click_for_rerun,
    open_panel,
    opened_page,
    rerun_by,
    shot,
    start_app,
    stop_app,
    wait_idle,
)

GRAPH = ".og-graph[data-drawn='1']"
# Drawn first, then stabilised and fitted (small graphs) or settled on screen (big ones).
SETTLED = ".og-graph[data-settled='1']"


@pytest.fixture(scope="module")
def app_url() -> Iterator[str]:
    proc, url = start_app()
    yield url
    stop_app(proc)


def _edge_count(page: Page) -> int:
    return int(page.locator(".og-graph").first.get_attribute("data-edge-count") or "-1")


def test_a_tickers_exact_hit_stands_apart_from_looser_ones(
    session: tuple[Page, Recorder], app_url: str
) -> None:
    """1810.HK: Xiaomi's security first, alone; HKEX 1800 and 0981 below, under their own heading."""
    page, _ = session
    page.goto(app_url)
    wait_idle(page)
    box = page.get_by_label("Search names, aliases, Chinese names or tickers")
    box.fill("1810.HK")
    rerun_by(page, lambda: box.press("Enter"))
    exact = page.get_by_role("button", name="Open Xiaomi Corporation (HKEX 1810)", exact=True)
    heading = page.get_by_role("heading", name="Other, looser matches")
    loose = page.get_by_role("button", name=re.compile(r"^Open Semiconductor Manufacturing .*\(HKEX 0981\)$"))
    expect(heading).to_be_visible()
    tops = [locator.bounding_box() for locator in (exact, heading, loose)]
    assert all(tops) and tops[0]["y"] < tops[1]["y"] < tops[2]["y"], tops  # type: ignore[index]
    # A heading here is a label, not a place to link to: no anchor icon shows on hover.
    heading.hover()
    expect(heading.locator("a[href^='#']")).to_have_count(0)
    shot(page, "01b-search-1810-exact-first")


def test_search_open_and_see_the_graph(session: tuple[Page, Recorder], app_url: str) -> None:
    page, _ = session
    page.goto(app_url)
    wait_idle(page)  # a box typed into while the first run draws it can lose the text
    box = page.get_by_label("Search names, aliases, Chinese names or tickers")
    box.fill("Xiaomi")
    rerun_by(page, lambda: box.press("Enter"))
    shot(page, "01-search-xiaomi")
    # Each hit's button is named after its entity, as a screen reader reads it: no two alike.
    names = [b.get_attribute("aria-label") or b.inner_text() for b in page.get_by_role("button").all()]
    opens = [n.strip() for n in names if n.strip().startswith("Open ")]
    assert len(opens) > 2 and len(set(opens)) == len(opens), opens
    rerun_by(page, lambda: page.get_by_role("button", name="Open Xiaomi Corporation", exact=True).click())
    page.wait_for_selector(GRAPH)
    wait_idle(page)
    expect(page.get_by_role("heading", name="Xiaomi Corporation")).to_be_visible()
    graph = page.locator(".og-graph").first
    assert int(graph.get_attribute("data-node-count") or 0) > 3
    assert graph.locator("canvas").count() == 1
    # The URL is written when the script run ends, which may be after the graph is drawn.
    page.wait_for_function("() => decodeURIComponent(location.search).includes('entity=ORG:xiaomi')")
    shot(page, "02-xiaomi-graph")
    # Every node kind shows whole in the filter (the multiselect's one-line box cut its chips).
    kinds = page.locator("[data-testid='stButtonGroup']").first
    for label in (
        "Company",
        "Government body",
        "Executive order",
        "Sanctions list",
        "Court case",
        "Document",
    ):
        chip = kinds.get_by_role("button", name=label, exact=True)
        expect(chip).to_be_visible()
        assert chip.evaluate("(e) => e.scrollWidth <= e.clientWidth + 1"), label
        inner, outer = chip.bounding_box(), kinds.bounding_box()
        assert (
            inner
            and outer
            and outer["x"] <= inner["x"]
            and inner["x"] + inner["width"] <= outer["x"] + outer["width"] + 1
        )
    kinds.scroll_into_view_if_needed()
    shot(page, "02c-node-kinds-whole")
    # Back from the opened hit: the search text and its hits again, not the empty start page.

    def back() -> None:
        page.go_back()

    rerun_by(page, back)
    expect(box).to_have_value("Xiaomi")
    expect(page.get_by_role("button", name="Open Xiaomi Corporation", exact=True)).to_be_visible()
    assert "q=Xiaomi" in page.url, page.url
    shot(page, "02d-back-to-the-hits")
    rerun_by(page, lambda: page.get_by_role("button", name="Open Xiaomi Corporation", exact=True).click())
    page.wait_for_selector(GRAPH)
    wait_idle(page)


def test_as_of_date_changes_the_edge_count(session: tuple[Page, Recorder]) -> None:
    page, _ = session
    before = _edge_count(page)
    rerun_by(page, lambda: page.get_by_text("As of a date", exact=True).click())

    def type_a_date() -> None:
        # Streamlit's date field is a row of segments (year, month, day): type into them in turn;
        # leaving the field sends the date.
        page.get_by_label("As of", exact=True).locator("[role=spinbutton]").first.click()
        page.keyboard.type("20190101")
        page.keyboard.press("Escape")
        page.get_by_text("Share this view: copy the address bar.").click()

    rerun_by(page, type_a_date)
    shot(page, "03-as-of-typed")
    page.wait_for_function(f"() => document.querySelector('.og-graph').dataset.edgeCount !== '{before}'")
    assert _edge_count(page) < before
    page.wait_for_function("() => location.search.includes('as_of=2019-01-01')")
    shot(page, "03-as-of-2019")


def test_clicking_a_node_recentres(session: tuple[Page, Recorder], app_url: str) -> None:
    page, _ = session
    page.goto(app_url + "/?view=explore&entity=SEC:HKEX:1810")
    page.wait_for_selector(SETTLED)
    wait_idle(page)
    # Hold the nodes still (on a slow machine physics may still be moving them), ask vis-network
    # where the issuer is drawn, and click there.
    box = page.locator(".og-graph canvas").first.bounding_box()
    assert box is not None
    point = page.evaluate(
        """() => { const net = document.querySelector('.og-graph')._ogNetwork;
                   net.stopSimulation();
                   return net.canvasToDOM(net.getPositions(['ORG:xiaomi'])['ORG:xiaomi']); }"""
    )
    rerun_by(page, lambda: page.mouse.click(box["x"] + point["x"], box["y"] + point["y"]))
    page.wait_for_function("() => document.querySelector('.og-graph')?.dataset.centre === 'ORG:xiaomi'")
    expect(page.get_by_role("heading", name="Xiaomi Corporation")).to_be_visible()
    shot(page, "04-recentred-on-xiaomi")


def test_back_and_forward_move_between_views(session: tuple[Page, Recorder], app_url: str) -> None:
    """The browser's Back returns to the view before a click moved on (the app does not write the
    newer view back into the address bar), and Forward goes to it again."""
    page, _ = session
    page.goto(app_url + "/?view=explore&entity=ORG:xiaomi")
    page.wait_for_selector(GRAPH)
    wait_idle(page)
    rerun_by(page, lambda: page.get_by_role("button", name="Which orders?").first.click())
    page.wait_for_function("() => location.search.includes('view=affects')")
    expect(page.get_by_text("Xiaomi Corporation (HKEX 1810) on").first).to_be_visible()

    def back() -> None:
        page.go_back()

    def forward() -> None:
        page.go_forward()

    rerun_by(page, back)
    expect(page.get_by_role("heading", name="Xiaomi Corporation", exact=True)).to_be_visible()
    page.wait_for_selector(GRAPH)
    wait_idle(page)
    assert "view=explore" in page.url and "view=affects" not in page.url, page.url
    shot(page, "04b-back-to-xiaomi")
    rerun_by(page, forward)
    expect(page.get_by_text("Xiaomi Corporation (HKEX 1810) on").first).to_be_visible()
    wait_idle(page)
    assert "view=affects" in page.url, page.url


# What the canvas shows once the graph has settled: how many pairs of nodes (each with its name)
# are drawn over one another, how many edge labels lie on a node not at either end of their edge,
# how many lie on any node's name (their own ends' too: "listed on" was drawn over the name of the
# list it points at), and the zoom (1 = names at their 14 px). Edge labels are written level, so
# vis-network's box for each is where it is drawn.
_OVERLAPS = """() => {
  const net = document.querySelector('.og-graph')._ogNetwork;
  const nodes = net.body.data.nodes.getIds().map((id) => net.body.nodes[id]);
  const over = (a, b) => a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;
  let names = 0, labels = 0, onNames = 0;
  const boxOf = (label) => {
    const s = label.size;
    return { left: s.left, right: s.left + s.width, top: s.top, bottom: s.top + s.height };
  };
  nodes.forEach((a, i) => nodes.slice(i + 1).forEach((b) => {
    if (over(a.shape.boundingBox, b.shape.boundingBox)) names += 1;
  }));
  for (const edge of Object.values(net.body.edges)) {
    if (!edge.labelModule.size.width) continue;  // an edge drawn without a label (a crowded graph's)
    const box = boxOf(edge.labelModule);
    for (const node of nodes) {
      if (node.id !== edge.fromId && node.id !== edge.toId && over(box, node.shape.boundingBox)) labels += 1;
      if (node.labelModule.size.width > 0 && over(box, boxOf(node.labelModule))) onNames += 1;
    }
  }
  // Nodes (with their names) drawn past the canvas's edges: cut off where the reader cannot see them.
  const canvas = document.querySelector('.og-graph canvas');
  const outside = nodes.filter((node) => {
    const box = node.shape.boundingBox;
    const low = net.canvasToDOM({ x: box.left, y: box.top });
    const high = net.canvasToDOM({ x: box.right, y: box.bottom });
    return low.x < 0 || low.y < 0 || high.x > canvas.clientWidth || high.y > canvas.clientHeight;
  }).length;
  const level = Object.values(net.body.edges).every((e) => e.options.font.align === 'horizontal');
  return { names, labels, onNames, level, outside, scale: net.getScale() };
}"""


@pytest.mark.parametrize(
    "entity",
    [
        "EO:13959",
        "ORG:china-mobile-ltd",
        "CASE:DDC:1:21-cv-00280",
        "ORG:xiaomi",
        "APP:tiktok",
        "DOC:zdnet-xiaomi-denies-military-ties",  # 32 nodes: a star, drawn as a grid
        "LIST:DOD-1237",  # 48
    ],
)
def test_the_graph_is_readable(session: tuple[Page, Recorder], app_url: str, entity: str) -> None:
    """Names and edge labels are drawn clear of one another (at vis-network's default spacing EO
    13959's neighbours' names were drawn over each other in five places; Xiaomi's "listed on" lay
    on the name of the list), every edge label level, every node within the canvas once settled
    (physics had carried the judge's node past its edge), also in the narrower column of a 1280 px
    window, and on a phone-wide screen the graph opens at a zoom where names can be read, not fitted
    down to specks."""
    page, _ = session
    page.goto(app_url + f"/?view=explore&entity={entity}")
    page.wait_for_selector(SETTLED)
    wait_idle(page)
    page.wait_for_function(_AT_REST, polling=250)
    drawn = page.evaluate(_OVERLAPS)
    assert (drawn["names"], drawn["labels"], drawn["onNames"], drawn["outside"]) == (0, 0, 0, 0), drawn
    assert drawn["level"], drawn
    page.locator(".og-graph").first.scroll_into_view_if_needed()
    shot(page, f"04e-graph-{entity.replace(':', '-')}")
    page.set_viewport_size({"width": 1280, "height": 1000})
    try:
        # At 1280 px the graph's column is narrower than a phone's cut-off width (~480 px): it was
        # zoomed in as on a phone and cut Xiaomi's court case and article off the frame.
        page.goto(app_url + f"/?view=explore&entity={entity}")
        page.wait_for_selector(SETTLED)
        wait_idle(page)
        page.wait_for_function(_AT_REST, polling=250)
        assert page.evaluate(_OVERLAPS)["outside"] == 0
        page.set_viewport_size({"width": 400, "height": 800})
        page.goto(app_url + f"/?view=explore&entity={entity}")
        page.wait_for_selector(SETTLED)
        wait_idle(page)
        page.locator(".og-graph").first.scroll_into_view_if_needed()
        shot(page, f"04c-graph-400px-{entity.replace(':', '-')}")
        assert page.evaluate(_OVERLAPS)["scale"] >= 0.75
    finally:
        page.set_viewport_size({"width": 1500, "height": 1100})


def test_a_crowded_star_draws_every_name_apart_and_legibly(
    session: tuple[Page, Recorder], app_url: str
) -> None:
    """ZDNet's article names 31 entities: drawn by springs, their names were drawn over each other (and
    31 "mentions" labels over them). Laid out as a grid under the article, every name is drawn apart,
    at a size a reader reads at 1280 px (vis-network draws no name under 5 px), with no edge label;
    a list's 200 members drawn the same way stay apart and inside the frame (a reader zooms in)."""
    page, _ = session
    page.set_viewport_size({"width": 1280, "height": 1000})
    try:
        for entity, most_nodes in (
            ("DOC:zdnet-xiaomi-denies-military-ties", 32),
            ("LIST:DOD-1260H&cap=200", 200),
        ):
            page.goto(app_url + f"/?view=explore&entity={entity}")
            page.wait_for_selector(SETTLED)
            wait_idle(page)
            graph = page.locator(".og-graph").first
            assert graph.get_attribute("data-node-count") == str(most_nodes)
            drawn = page.evaluate(_OVERLAPS)
            assert (drawn["names"], drawn["labels"], drawn["onNames"], drawn["outside"]) == (0, 0, 0, 0), (
                drawn
            )
            graph.scroll_into_view_if_needed()
            shot(page, f"04f-graph-crowded-{most_nodes}")
        page.goto(app_url + "/?view=explore&entity=DOC:zdnet-xiaomi-denies-military-ties")
        page.wait_for_selector(SETTLED)
        wait_idle(page)
        assert 14 * page.evaluate(_OVERLAPS)["scale"] >= 7  # names of 14 px drawn at 7 px or more
    finally:
        page.set_viewport_size({"width": 1500, "height": 1100})


# How many pixels around a node's centre are drawn in its kind's colour (a news article's olive).
_MARKER_PIXELS = """([prefix, rgb]) => {
  const net = document.querySelector('.og-graph')._ogNetwork;
  const id = net.body.data.nodes.getIds().find((i) => i.startsWith(prefix));
  const at = net.canvasToDOM(net.getPositions([id])[id]);
  const canvas = document.querySelector('.og-graph canvas');
  const ratio = canvas.width / canvas.clientWidth;
  const side = Math.round(10 * ratio);
  const x = Math.round(at.x * ratio) - side, y = Math.round(at.y * ratio) - side;
  const px = canvas.getContext('2d').getImageData(x, y, 2 * side, 2 * side).data;
  let near = 0;
  for (let i = 0; i < px.length; i += 4) {
    const off = Math.abs(px[i] - rgb[0]) + Math.abs(px[i + 1] - rgb[1]) + Math.abs(px[i + 2] - rgb[2]);
    if (off < 60) near += 1;
  }
  return near;
}"""


def test_a_news_article_draws_a_marker_as_the_legend_shows(
    session: tuple[Page, Recorder], app_url: str
) -> None:
    """A document (ZDNet's article on Xiaomi's page) is drawn as a page in its kind's colour, as the
    legend's ▤: it was drawn as its name alone, no marker at all (vis-network's "text" shape)."""
    page, _ = session
    page.goto(app_url + "/?view=explore&entity=ORG:xiaomi")
    page.wait_for_selector(SETTLED)
    wait_idle(page)
    expect(page.get_by_text("▤\u00a0Document")).to_be_visible()
    # The marker is an image: drawn once it has loaded, on a later frame.
    page.wait_for_function(f"() => ({_MARKER_PIXELS})(['DOC:', [188, 189, 34]]) > 20", polling=250)
    page.locator(".og-graph").first.scroll_into_view_if_needed()
    shot(page, "04f-graph-document-marker")


def test_hovering_an_edge_shows_its_dates_and_sources_inside_the_tooltip(
    session: tuple[Page, Recorder], app_url: str
) -> None:
    """An edge's tooltip gives its label, dates and sources as plain text; a source's long address
    wraps inside the box (it ran past the box's right edge)."""
    page, _ = session
    page.goto(app_url + "/?view=explore&entity=ORG:xiaomi")
    page.wait_for_selector(SETTLED)
    wait_idle(page)
    box = page.locator(".og-graph canvas").first.bounding_box()
    assert box is not None
    point = page.evaluate(
        """() => { const net = document.querySelector('.og-graph')._ogNetwork;
                   net.stopSimulation();
                   const edge = Object.values(net.body.edges).find((e) => e.toId === 'LIST:DOD-1237');
                   return net.canvasToDOM(edge.edgeType.getPoint(0.3)); }"""
    )
    page.mouse.move(box["x"] + point["x"], box["y"] + point["y"])
    tip = page.locator("div.vis-tooltip")
    # Likely, not verified (for its end): DoD's release of 2021-01-14 was not seen here; the listing
    # cites OFAC's FAQ 880, which states it and its day, then the law firm's alerts (review 34, M10;
    # issue 7).
    expect(tip).to_contain_text("listed on · 2021-01-14 → 2021-05-25 · likely")
    expect(tip).to_contain_text("source: U.S. Department of the Treasury, OFAC")
    expect(tip).to_contain_text("source: Thompson Hine SmarTrade")
    shot(page, "04d-edge-tooltip")
    widths = tip.evaluate("(e) => [e.scrollWidth, e.clientWidth]")
    assert widths[0] <= widths[1], f"the tooltip's text runs {widths[0] - widths[1]} px past its box"


def test_affects_0728_shows_eo_13959_in_force(session: tuple[Page, Recorder], app_url: str) -> None:
    page, _ = session
    page.goto(app_url + "/?view=affects&ticker=0728.HK&as_of=2021-03-10&depth=2")
    wait_idle(page)
    expect(
        page.get_by_text("Under EO 13959 US persons may not buy this security from 2021-03-09").first
    ).to_be_visible()
    expect(page.get_by_text("in force").first).to_be_visible()
    page.get_by_text("Details, sources and the path that explains it").first.click()
    shot(page, "05-affects-0728")


# Each highlighted edge, as the canvas drew it: its style in vis-network's data, and the colour of
# the pixels at a few points along its curve (the curve vis-network computed, in device pixels).
_DRAWN_PATH = """(id) => {
  const host = document.querySelector('.og-graph');
  const net = host._ogNetwork;
  net.stopSimulation();  // what is on the canvas is where the nodes are
  net.redraw();
  const edge = net.body.edges[id];
  const options = net.body.data.edges.get(id);
  const canvas = host.querySelector('canvas');
  const ctx = canvas.getContext('2d');
  const ratio = canvas.width / canvas.clientWidth;
  let red = 0, seen = 0;
  for (let at = 0.1; at < 0.95; at += 0.05) {
    const p = net.canvasToDOM(edge.edgeType.getPoint(at));
    if (p.x < 2 || p.y < 2 || p.x >= canvas.clientWidth - 2 || p.y >= canvas.clientHeight - 2) continue;
    seen += 1;
    // A 3×3 patch: the line is 4 px wide, its label or a node may cover part of it.
    const px = ctx.getImageData(Math.round(p.x * ratio) - 1, Math.round(p.y * ratio) - 1, 3, 3).data;
    for (let i = 0; i < px.length; i += 4) {
      if (px[i] > 150 && px[i + 1] < 110 && px[i + 2] < 110) { red += 1; break; }
    }
  }
  return { color: options.color, width: options.width, seen, red };
}"""


_AT_REST = """() => {
  const net = document.querySelector('.og-graph')._ogNetwork;
  const now = JSON.stringify(net.getPositions());
  const still = window._ogLastPositions === now;
  window._ogLastPositions = now;
  return still;
}"""


def test_affects_highlights_the_explaining_path_in_the_graph(session: tuple[Page, Recorder]) -> None:
    """The affects page draws 0728.HK's neighbourhood with EO 13959's explaining path in red."""
    page, _ = session
    graph = page.locator(".og-graph[data-drawn='1']")
    expect(graph).to_have_count(1)
    expect(page.get_by_text("The explaining path in the graph")).to_be_visible()
    highlight = json.loads(graph.get_attribute("data-highlight") or "{}")
    assert highlight["nodes"][0] == "SEC:HKEX:0728" and highlight["nodes"][-1] == "EO:13959"
    assert len(highlight["edges"]) == len(highlight["nodes"]) - 1 >= 3
    drawn = int(graph.get_attribute("data-node-count") or 0)
    assert drawn > len(highlight["nodes"]), "the neighbourhood is drawn around the path"
    page.wait_for_selector(SETTLED)
    # Read pixels once the physics has come to rest: no node moved between two looks 250 ms apart.
    page.wait_for_function(_AT_REST, polling=250)
    graph.scroll_into_view_if_needed()
    shot(page, "05b-affects-0728-path-highlighted")
    for edge_id in highlight["edges"]:
        found = page.evaluate(_DRAWN_PATH, edge_id)
        assert (found["color"], found["width"]) == ("#d62728", 4), edge_id
        # Its label and the nodes at its ends cover part of a short edge: a third of the points will do
        # (a dimmed grey edge has none).
        assert found["seen"] >= 8 and found["red"] >= found["seen"] // 3, (edge_id, found)


# How red each highlighted edge's label is as drawn: the share of the pixels of its label's box (in
# device pixels) that are the path's red; a label the red line runs through is hard to read.
_RED_IN_LABELS = """(ids) => {
  const host = document.querySelector('.og-graph');
  const net = host._ogNetwork;
  net.stopSimulation();
  net.redraw();
  const canvas = host.querySelector('canvas');
  const ctx = canvas.getContext('2d');
  const ratio = canvas.width / canvas.clientWidth;
  return ids.map((id) => {
    const s = net.body.edges[id].labelModule.size;
    const a = net.canvasToDOM({ x: s.left, y: s.top });
    const b = net.canvasToDOM({ x: s.left + s.width, y: s.top + s.height });
    const x = Math.round(a.x * ratio), y = Math.round(a.y * ratio);
    const w = Math.max(1, Math.round((b.x - a.x) * ratio)), h = Math.max(1, Math.round((b.y - a.y) * ratio));
    const px = ctx.getImageData(x, y, w, h).data;
    let red = 0;
    for (let i = 0; i < px.length; i += 4) {
      if (px[i] > 150 && px[i + 1] < 110 && px[i + 2] < 110) red += 1;
    }
    return { id, red: red / (w * h), w, h };
  });
}"""


def test_the_explaining_paths_labels_are_not_crossed_by_its_red_line(session: tuple[Page, Recorder]) -> None:
    """On the affects page (still 0728.HK's, from the test above), each highlighted edge's label sits
    on its pale box: the thick red line does not run through its words (it did: "listed on", the
    dates), while the line itself stays red along its length (the test above)."""
    page, _ = session
    graph = page.locator(".og-graph[data-drawn='1']")
    expect(graph).to_have_count(1)
    highlight = json.loads(graph.get_attribute("data-highlight") or "{}")
    page.wait_for_selector(SETTLED)
    page.wait_for_function(_AT_REST, polling=250)
    labels = page.evaluate(_RED_IN_LABELS, highlight["edges"])
    assert len(labels) >= 3
    for label in labels:
        assert label["w"] * label["h"] >= 20, label  # a label drawn, of some size
        assert label["red"] < 0.01, label


def test_long_names_are_drawn_apart_and_read_whole_on_hover(
    session: tuple[Page, Recorder], app_url: str
) -> None:
    """SMIC's graph: SMIC and its two listings were drawn alike ("Semiconductor Manufacturing
    International…"); each name is now its own, and hovering a listing shows its whole name."""
    page, _ = session
    page.goto(app_url + "/?view=explore&entity=ORG:smic")
    page.wait_for_selector(SETTLED)
    wait_idle(page)
    labels = page.evaluate(
        "() => document.querySelector('.og-graph')._ogNetwork.body.data.nodes.get()"
        ".map((n) => [n.id, n.label])"
    )
    drawn = dict(labels)
    assert len(set(drawn.values())) == len(drawn), drawn
    assert drawn["SEC:HKEX:0981"].endswith("(HKEX 0981)") and drawn["SEC:SSE:688981"].endswith("(SSE 688981)")
    box = page.locator(".og-graph canvas").first.bounding_box()
    assert box is not None
    point = page.evaluate(
        """() => { const net = document.querySelector('.og-graph')._ogNetwork;
                   net.stopSimulation();
                   return net.canvasToDOM(net.getPositions(['SEC:HKEX:0981'])['SEC:HKEX:0981']); }"""
    )
    page.mouse.move(box["x"] + point["x"], box["y"] + point["y"])
    tip = page.locator("div.vis-tooltip")
    expect(tip).to_contain_text("Semiconductor Manufacturing International Corporation (HKEX 0981)")
    shot(page, "04e-node-tooltip-whole-name")


def test_screen_a_five_line_csv(session: tuple[Page, Recorder], app_url: str, tmp_path: Path) -> None:
    page, _ = session
    page.goto(app_url + "/?view=screen&as_of=2021-03-10")
    wait_idle(page)
    csv_file = tmp_path / "portfolio.csv"
    csv_file.write_text("ticker,shares\n0728.HK,100\nNYSE:CHL,10\n1810 HK,5\n0700.HK,3\nNOPE.HK,1\n")
    rerun_by(page, lambda: page.locator("input[type=file]").set_input_files(str(csv_file)))
    expect(page.get_by_text("NOPE.HK").first).to_be_visible()
    expect(page.get_by_text("unknown").first).to_be_visible()
    with page.expect_download() as info:
        page.get_by_role("button", name="Download the screen as CSV").click()
    text = Path(info.value.path()).read_text()
    assert "0728.HK,SEC:HKEX:0728" in text and "NOPE.HK" in text
    shot(page, "06-screen")


def test_graphml_export_reads_back(session: tuple[Page, Recorder], app_url: str) -> None:
    page, _ = session
    page.goto(app_url + "/?view=explore&entity=ORG:xiaomi")
    page.wait_for_selector(GRAPH)
    open_panel(page, "Export what is on screen")
    with page.expect_download() as info:
        page.get_by_role("button", name="GRAPHML").click()
    graph = nx.read_graphml(info.value.path())
    assert "ORG:xiaomi" in graph.nodes
    assert graph.nodes["ORG:xiaomi"]["kind"] == "Company"
    assert all("sources" in data for _, _, data in graph.edges(data=True))
    page.wait_for_selector(GRAPH)  # the network the PNG button draws from (a rerun draws it anew)
    with page.expect_download() as png:
        page.get_by_role("button", name="Download PNG of the graph").click()
    assert Path(png.value.path()).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    shot(page, "07-export")


def test_timeline_is_drawn_when_opened(session: tuple[Page, Recorder], app_url: str) -> None:
    """The first page leaves the timeline closed (its chart and table are the browser's heaviest
    elements); opening it draws both."""
    page, _ = session
    page.goto(app_url + "/?view=explore&entity=ORG:xiaomi")
    page.wait_for_selector(GRAPH)
    wait_idle(page)
    expect(page.locator("[data-testid='stVegaLiteChart']")).to_have_count(0)
    open_panel(page, "Timeline (")
    chart = page.locator("[data-testid='stVegaLiteChart']")
    expect(chart).to_have_count(1)
    expect(chart.locator("canvas, svg").first).to_be_visible()
    table = page.locator("[data-testid='stDataFrame']")
    expect(table).to_have_count(1)
    chart.scroll_into_view_if_needed()
    shot(page, "07b-timeline-opened")
    # Xiaomi's nine events all show, none scrolled away (the table's default height showed four).
    scroller = table.locator(".dvn-scroller").first
    expect(scroller).to_be_visible()
    heights = scroller.evaluate("e => [e.scrollHeight, e.clientHeight]")
    assert heights[0] <= heights[1] + 1, f"rows cut off: {heights[0]} px of rows in {heights[1]} px"
    table.scroll_into_view_if_needed()
    page.wait_for_timeout(500)  # the grid paints its cells on the next frames
    shot(page, "07b2-timeline-table-whole")


def test_a_timeline_spanning_decades_charts_its_busy_years_without_a_vega_warning(
    session: tuple[Page, Recorder], app_url: str
) -> None:
    """China Mobile's events run 1997–2022: the chart shows 2021–22, where all but its 1997
    listings fall (they squeezed the orders into the axis's last twentieth), names those below it,
    and Vega logs no "Infinite extent" (its domain was read from no rows before Streamlit's came)."""
    page, _ = session
    said: list[str] = []

    def console(message: ConsoleMessage) -> None:
        said.append(f"{message.type}: {message.text}")

    page.on("console", console)
    try:
        page.goto(app_url + "/?view=explore&entity=ORG:china-mobile-ltd")
        page.wait_for_selector(GRAPH)
        panel = open_panel(page, "Timeline (")
        chart = panel.locator("[data-testid='stVegaLiteChart']")
        expect(chart.locator("canvas, svg").first).to_be_visible()
        note = panel.get_by_text(re.compile(r"^The chart shows 202[01]-\d\d-\d\d to 2022-"))
        expect(note).to_contain_text("not on it: 1997-10-22 issues")
        note.scroll_into_view_if_needed()
        page.wait_for_timeout(500)  # the chart draws on the next frames
        shot(page, "07e-timeline-china-mobile-focused")
    finally:
        page.remove_listener("console", console)
    assert not [line for line in said if "Infinite extent" in line or line.startswith("error")], said


def test_a_superseded_orders_page_shows_what_its_superseded_sections_reached(
    session: tuple[Page, Recorder], app_url: str
) -> None:
    """EO 13959 with no date chosen: "as of today" it reaches nothing (its §§1–5 and the Annex
    superseded on 2021-06-03), said so; the table is what they reached on 2021-06-02, the last day
    they applied (not "its last day in force": it was not revoked); one click reads the page then."""
    page, _ = session
    page.goto(app_url + "/?view=explore&entity=EO:13959")
    page.wait_for_selector(GRAPH)
    wait_idle(page)
    expect(
        page.get_by_text(re.compile(r"^As of today \(\d{4}-\d\d-\d\d\) this order reaches no"))
    ).to_be_visible()
    heading = page.get_by_role(
        "heading",
        name="Securities this order reached on 2021-06-02, the last day its §§1–5 and the Annex applied",
    )
    expect(heading).to_be_visible()
    heading.scroll_into_view_if_needed()
    shot(page, "07f-superseded-order-last-day")
    rerun_by(page, lambda: page.get_by_role("button", name="Show the page as of 2021-06-02").click())
    expect(page.get_by_role("heading", name="Securities this order reaches on 2021-06-02")).to_be_visible()
    page.wait_for_function("() => location.search.includes('as_of=2021-06-02')")
    expect(page.get_by_role("checkbox", name="As of a date")).to_be_checked()
    shot(page, "07g-ended-order-as-of-its-last-day")


def test_timeline_table_is_whole_at_the_default_width(session: tuple[Page, Recorder], app_url: str) -> None:
    """At 1280 px (the app's default width) the timeline table spans the page, not the entity's
    narrow column: every column is within the table's width, none scrolled off to the right."""
    page, _ = session
    page.set_viewport_size({"width": 1280, "height": 900})
    try:
        page.goto(app_url + "/?view=explore&entity=EO:13959")
        page.wait_for_selector(GRAPH)
        # The order's page also has the table of what it reached: this is the timeline's.
        grid = open_panel(page, "Timeline (").locator("[data-testid='stDataFrame']")
        expect(grid).to_have_count(1)
        _assert_spans_page(page, grid, "07d-timeline-1280")
    finally:
        page.set_viewport_size({"width": 1500, "height": 1100})


def _assert_spans_page(page: Page, grid: Locator, name: str) -> None:
    """A data grid at a 1280 px window shows all its columns unscrolled and spans the page (not a
    column of it); screenshot ``name`` once its cells are painted."""
    grid.scroll_into_view_if_needed()
    scroller = grid.locator(".dvn-scroller").first
    expect(scroller).to_be_visible()
    widths = scroller.evaluate("e => [e.scrollWidth, e.clientWidth]")
    assert widths[0] <= widths[1] + 1, f"columns cut off: {widths[0]} px of columns in {widths[1]} px"
    box = grid.bounding_box()
    assert box is not None and box["width"] > 0.6 * 1280, box  # across the page, not a column
    page.wait_for_timeout(500)  # the grid paints its cells on the next frames
    shot(page, name)


def test_reaches_table_is_whole_at_the_default_width(session: tuple[Page, Recorder], app_url: str) -> None:
    """At 1280 px the table of the securities an order reaches spans the page below the entity and
    graph columns: in the entity's column only its first column (the security) showed unscrolled."""
    page, _ = session
    page.set_viewport_size({"width": 1280, "height": 900})
    try:
        page.goto(app_url + "/?view=explore&entity=EO:13959&as_of=2021-03-10")
        page.wait_for_selector(GRAPH)
        wait_idle(page)
        heading = page.get_by_role("heading", name="Securities this order reaches on 2021-03-10")
        expect(heading).to_be_visible()
        grid = page.locator("[data-testid='stDataFrame']")
        expect(grid).to_have_count(1)  # the timeline's is drawn only when opened
        _assert_spans_page(page, grid, "07h-reaches-1280")
    finally:
        page.set_viewport_size({"width": 1500, "height": 1100})


def test_relationships_are_drawn_when_opened(session: tuple[Page, Recorder], app_url: str) -> None:
    """The first page leaves the relationships closed (a list's page has hundreds); opening the
    panel draws each with its sources, Open and Cite; no id on the page makes Streamlit fetch its
    emoji plugin (``:HKEX:`` in ``SEC:HKEX:0728`` read as a shortcode)."""
    page, recorder = session
    page.goto(app_url + "/?view=explore&entity=EO:13959")
    page.wait_for_selector(GRAPH)
    wait_idle(page)
    expect(page.get_by_role("button", name="Cite")).to_have_count(0)
    # The edges are drawn by the rerun opening the panel starts; an edge opened while that rerun
    # still runs would be closed again by it: open_panel returns once it has ended.
    open_panel(page, "Relationships (")
    edge = page.locator("[data-testid='stExpander']", has=page.locator("summary", has_text="issued by")).last
    edge.locator("summary").click()
    cite = edge.get_by_role("button", name="Cite")
    # The expander lays out its contents after it opens: Cite moves meanwhile (a click can miss it).
    click_for_rerun(page, cite)
    # The citation comes with the rerun the click starts.
    expect(edge.locator("[data-testid='stCode']")).to_have_count(1)
    expect(edge.locator("[data-testid='stCode']")).to_contain_text("Exec. Order No. 13959")
    page.locator(
        "[data-testid='stExpander'] summary", has_text="Relationships ("
    ).scroll_into_view_if_needed()
    shot(page, "07c-relationships-opened")
    # A security's page names its id under its name (for the command line), colons and all.
    page.goto(app_url + "/?view=explore&entity=SEC:HKEX:1810")
    page.wait_for_selector(GRAPH)
    wait_idle(page)
    expect(page.get_by_text("SEC:HKEX:1810").first).to_be_visible()
    assert [u for u in recorder.urls if "emoji" in u] == []


def test_server_is_warm_before_the_first_visitor() -> None:
    """serve.py imports the page's modules and opens the graph before its health check answers: a
    server no one has visited has pandas and pyvis loaded already."""
    proc, _ = start_app()
    try:
        maps = Path(f"/proc/{proc.pid}/maps").read_text()
        loaded = set(re.findall(r"site-packages/([a-z_]+)/", maps))
    finally:
        stop_app(proc)
    assert {"pandas", "numpy"} <= loaded, sorted(loaded)


def test_a_graph_that_cannot_open_is_shown_not_fatal(browser: Browser, tmp_path: Path) -> None:
    """The warm-up does not stop the server on a bad data folder: the page names the problem."""
    proc, url = start_app(data=tmp_path / "no-data-here", home=tmp_path / "no-workspace")
    try:
        with opened_page(browser) as (page, _):
            page.goto(url)
            expect(page.get_by_text("not a data folder").first).to_be_visible(timeout=60_000)
    finally:
        stop_app(proc)


# Two different characters drawn in the page's own font: with no CJK font Chromium draws the same
# empty box (tofu) for both, so their bitmaps are equal.
_CJK_DRAWN = """(element) => {
  const font = getComputedStyle(element).font;
  const bitmap = (ch) => {
    const canvas = document.createElement('canvas');
    canvas.width = 64; canvas.height = 64;
    const ctx = canvas.getContext('2d');
    ctx.font = font.replace(/\\d+(\\.\\d+)?px/, '40px');
    ctx.fillText(ch, 4, 48);
    return Array.from(ctx.getImageData(0, 0, 64, 64).data).join(',');
  };
  return { font, differ: bitmap('小') !== bitmap('米'), inked: bitmap('小') !== bitmap(' ') };
}"""


def test_chinese_names_are_drawn_not_boxes(session: tuple[Page, Recorder], app_url: str) -> None:
    page, _ = session
    page.goto(app_url + "/?view=explore&entity=ORG:xiaomi")
    page.wait_for_selector(GRAPH)
    wait_idle(page)
    name = page.get_by_text("小米", exact=False).first
    expect(name).to_be_visible()
    found = page.evaluate(_CJK_DRAWN, name.element_handle())
    assert found["inked"] and found["differ"], f"Chinese drawn as boxes in {found['font']!r}: make chromium"
    name.scroll_into_view_if_needed()
    shot(page, "08-xiaomi-chinese-name")


def test_chromium_is_debians() -> None:
    out = subprocess.run(["/usr/bin/chromium", "--version"], capture_output=True, text=True, check=True)
    assert "Chromium" in out.stdout


def test_no_request_left_127_0_0_1(session: tuple[Page, Recorder]) -> None:
    _, recorder = session
    assert recorder.urls, "the recorder saw no request at all"
    assert recorder.remote() == []
    assert recorder.dialogs == []
