"""Hostile names, notes, titles and URLs render as plain text in the browser.

No dialog opens and no ``javascript:`` link is clickable.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page

from graph.model import Source
from tests.browser.conftest import Recorder, new_page, shot, start_app, wait_idle

XSS = Path(__file__).resolve().parents[1] / "fixtures" / "xss"
NAME = "<img src=x onerror=alert(1)>"


@pytest.fixture(scope="module")
def app_url() -> Iterator[str]:
    proc, url = start_app(XSS)
    yield url
    proc.terminate()
    proc.wait(timeout=20)


@pytest.fixture(scope="module")
def session(browser: Browser, app_url: str) -> Iterator[tuple[Page, Recorder]]:
    page, recorder = new_page(browser)
    yield page, recorder
    page.context.close()


def _no_script_ran(page: Page, recorder: Recorder) -> None:
    page.wait_for_timeout(1500)  # give any injected handler time to fire
    assert recorder.dialogs == []
    hrefs = page.eval_on_selector_all("a[href]", "els => els.map(e => e.getAttribute('href'))")
    assert not [h for h in hrefs if h.strip().lower().startswith(("javascript:", "data:", "vbscript:"))]
    assert page.locator("img[src='x']").count() == 0
    assert page.locator("svg[onload], iframe[src^='javascript']").count() == 0
    assert recorder.remote() == []


def test_entity_page_and_graph_show_hostile_text_as_text(
    session: tuple[Page, Recorder], app_url: str
) -> None:
    page, recorder = session
    page.goto(app_url + "/?view=explore&entity=ORG:xss&depth=2")
    page.wait_for_selector(".og-graph[data-drawn='1']", timeout=30_000)
    wait_idle(page)
    assert page.get_by_role("heading", name=NAME).count() == 1  # the name, shown literally
    page.get_by_text("Other properties").click()
    assert page.get_by_text("javascript:alert(1)").count() >= 1  # visible, not a link
    for expander in page.locator("[data-testid='stExpander'] summary").all():
        expander.click()
    # Hover every node so vis-network builds its tooltips.
    box = page.locator(".og-graph canvas").first.bounding_box()
    assert box is not None
    positions = page.evaluate(
        """() => { const net = document.querySelector('.og-graph')._ogNetwork;
                   const pos = net.getPositions();
                   return Object.keys(pos).map(id => net.canvasToDOM(pos[id])); }"""
    )
    for point in positions:
        page.mouse.move(box["x"] + point["x"], box["y"] + point["y"])
        page.wait_for_timeout(400)
    shot(page, "08-xss-entity")
    _no_script_ran(page, recorder)


def test_search_and_affects_show_hostile_text_as_text(session: tuple[Page, Recorder], app_url: str) -> None:
    page, recorder = session
    page.goto(app_url)
    box = page.get_by_label("Search names, aliases, Chinese names or tickers")
    box.fill("img src")
    box.press("Enter")
    wait_idle(page)
    page.get_by_role("button", name="Open").first.wait_for()
    shot(page, "09-xss-search")
    _no_script_ran(page, recorder)
    page.goto(app_url + "/?view=affects&ticker=NYSE:XSS&as_of=2021-03-10")
    wait_idle(page)
    page.get_by_text("No order restricts this security on that day.").wait_for()
    shot(page, "10-xss-affects")
    _no_script_ran(page, recorder)


def test_a_javascript_source_url_cannot_even_load() -> None:
    with pytest.raises(ValueError, match="bad url"):
        Source(url="javascript:alert(1)", title="t", publisher="p", kind="press")
