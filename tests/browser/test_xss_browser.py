"""Hostile names, notes, titles, URLs and share-link values render as plain text in the browser.

No dialog opens, no ``javascript:`` link is clickable, and markdown in data or in the URL
(an image that would call out, a link, bold) never renders: no request leaves 127.0.0.1,
no link to an outside address is clickable unless it is a source's own URL.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import pytest
from playwright.sync_api import Page

from graph.model import Source
from tests.browser.conftest import (
    Recorder,
    injected_handlers_settled,
    open_every_panel,
    rerun_by,
    shot,
    start_app,
    stop_app,
    wait_idle,
)

XSS = Path(__file__).resolve().parents[1] / "fixtures" / "xss"
NAME = "<img src=x onerror=alert(1)>"
OUTSIDE = "198.51.100.7"  # the address every markdown payload points at (TEST-NET-2)


@pytest.fixture(scope="module")
def app_url() -> Iterator[str]:
    proc, url = start_app(XSS)
    yield url
    stop_app(proc)


# True once vis-network shows the tooltip of the node at a point (DOM pixels in the canvas).
_TOOLTIP_OF_NODE_UNDER = """(point) => {
  const host = document.querySelector('.og-graph');
  const net = host._ogNetwork;
  const id = net.getNodeAt(point);
  const tip = host.querySelector('div.vis-tooltip');
  if (id === undefined || !tip || getComputedStyle(tip).visibility !== 'visible') return false;
  return tip.textContent === net.body.data.nodes.get(id).title.textContent;
}"""


def _no_script_ran(page: Page, recorder: Recorder) -> None:
    injected_handlers_settled(page)
    assert recorder.dialogs == []
    hrefs = page.eval_on_selector_all("a[href]", "els => els.map(e => e.getAttribute('href'))")
    assert not [h for h in hrefs if h.strip().lower().startswith(("javascript:", "data:", "vbscript:"))]
    assert page.locator("img[src='x']").count() == 0
    assert page.locator("svg[onload], iframe[src^='javascript']").count() == 0
    assert recorder.remote() == []
    assert page.locator(f"a[href*='{OUTSIDE}'], img[src*='{OUTSIDE}']").count() == 0
    assert page.locator("strong", has_text="Evil").count() == 0
    assert page.locator("strong", has_text="click").count() == 0


def test_entity_page_and_graph_show_hostile_text_as_text(
    session: tuple[Page, Recorder], app_url: str
) -> None:
    page, recorder = session
    page.goto(app_url + "/?view=explore&entity=ORG:xss&depth=2")
    page.wait_for_selector(".og-graph[data-drawn='1']")
    wait_idle(page)
    assert page.get_by_role("heading", name=NAME).count() == 1  # the name, shown literally
    page.get_by_text("Other properties").click()
    page.get_by_text("javascript:alert(1)").first.wait_for()
    assert page.get_by_text("javascript:alert(1)").count() >= 1  # visible, not a link
    open_every_panel(page)
    # Hover every node so vis-network builds its tooltips.
    canvas = page.locator(".og-graph canvas").first
    canvas.scroll_into_view_if_needed()  # the panels opened above may have scrolled it off screen
    box = canvas.bounding_box()
    assert box is not None
    positions = page.evaluate(
        """() => { const net = document.querySelector('.og-graph')._ogNetwork;
                   const pos = net.getPositions();
                   return Object.keys(pos).map(id => net.canvasToDOM(pos[id])); }"""
    )
    in_view = [p for p in positions if 0 < p["x"] < box["width"] and 0 < p["y"] < box["height"]]
    assert in_view, "no node of the graph is in view"
    for point in in_view:
        page.mouse.move(box["x"] + point["x"], box["y"] + point["y"])
        # vis-network shows the tooltip of the node under the pointer (the top one where nodes overlap).
        page.wait_for_function(_TOOLTIP_OF_NODE_UNDER, arg=point)
    shot(page, "08-xss-entity")
    _no_script_ran(page, recorder)


def test_search_and_affects_show_hostile_text_as_text(session: tuple[Page, Recorder], app_url: str) -> None:
    page, recorder = session
    page.goto(app_url)
    wait_idle(page)  # a box typed into while the first run draws it can lose the text
    box = page.get_by_label("Search names, aliases, Chinese names or tickers")
    box.fill("img src")
    rerun_by(page, lambda: box.press("Enter"))
    page.get_by_role("button", name="Open").first.wait_for()
    shot(page, "09-xss-search")
    _no_script_ran(page, recorder)
    page.goto(app_url + "/?view=affects&ticker=NYSE:XSS&as_of=2021-03-10")
    wait_idle(page)
    page.get_by_text("No order restricts this security on that day.").wait_for()
    shot(page, "10-xss-affects")
    _no_script_ran(page, recorder)


def test_markdown_names_show_as_text(session: tuple[Page, Recorder], app_url: str) -> None:
    page, recorder = session
    page.goto(app_url + "/?view=explore&entity=ORG:mdx&depth=2")
    page.wait_for_selector(".og-graph[data-drawn='1']")
    wait_idle(page)
    heading = page.get_by_role("heading").filter(has_text="**Evil**")
    assert heading.count() == 1 and heading.get_by_role("img").count() == 0  # the name, literally
    open_every_panel(page)
    shot(page, "11-xss-markdown-entity")
    _no_script_ran(page, recorder)
    for ticker in ("SEC:NYSE:MDX", "ORG:mdx"):
        page.goto(app_url + f"/?view=affects&ticker={ticker}&as_of=2021-03-10")
        wait_idle(page)
        page.get_by_text("**Evil**").first.wait_for()  # the name, literally
        _no_script_ran(page, recorder)


@pytest.mark.parametrize(
    "query",
    [
        "view=explore&entity=" + quote("![t](http://198.51.100.7/entity.png)"),
        "view=explore&entity=ORG:xss&kinds=" + quote("[**click me**](http://198.51.100.7/phish)"),
        "view=" + quote("![t](http://198.51.100.7/view.png) **Evil**"),
        "as_of=" + quote("[**click**](http://198.51.100.7/d)"),
        "view=affects&ticker=" + quote("![t](http://198.51.100.7/t.png) **Evil**"),
        "view=path&entity=" + quote("![t](http://198.51.100.7/a.png)") + "&target=" + quote("**Evil**"),
    ],
)
def test_share_link_values_show_as_text(session: tuple[Page, Recorder], app_url: str, query: str) -> None:
    page, recorder = session
    page.goto(app_url + "/?" + query)
    wait_idle(page)
    page.get_by_text(OUTSIDE).or_(page.get_by_text("**Evil**")).first.wait_for()  # named, literally
    _no_script_ran(page, recorder)


def test_a_javascript_source_url_cannot_even_load() -> None:
    with pytest.raises(ValueError, match="bad url"):
        Source(url="javascript:alert(1)", title="t", publisher="p", kind="press")
