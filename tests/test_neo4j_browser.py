"""Neo4j Browser itself, as the local server serves it, driven by Debian's Chromium: it connects,
draws an order and a security with the style's captions ("EO 13959", "HKEX:1810", not "Executive
13…"), and no request it makes leaves 127.0.0.1 (tools.neo4j.server.BROWSER_PATCHES)."""

from __future__ import annotations

import urllib.error
import urllib.request
from collections.abc import Iterator

import pytest
from neo4j import Driver
from playwright.sync_api import Browser, Page, Route, WebSocket, expect, sync_playwright

from graph.neo4j_sync import sync
from graph.store.memory import MemoryStore
from tools.neo4j import server

pytestmark = pytest.mark.neo4j
CHROMIUM = "/usr/bin/chromium"
# A busy two-core box: every wait is generous, and ends as soon as its state is reached.
WAIT_MS = 120_000
LOCAL = ("http://127.0.0.1:", "ws://127.0.0.1:", "data:", "blob:", "about:")
QUERY = "MATCH (o:ExecutiveOrder {number: '13959'}), (s:Security {ticker: 'HKEX:1810'}) RETURN o, s"


@pytest.fixture(scope="module")
def chromium() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, timeout=WAIT_MS)
        yield browser
        browser.close()


def browser_url(driver: Driver) -> str:
    """The server's Browser address, as the server says it (the test server's ports are free ones)."""
    records, _, _ = driver.execute_query(
        "SHOW SETTINGS YIELD name, value WHERE name = 'server.http.advertised_address' RETURN value"
    )
    return f"http://{records[0]['value']}/browser/"


def require_browser(url: str) -> None:
    """Fail (never skip) when the server serves no Browser, saying why (tools.neo4j.server.local_browser)."""
    try:
        with urllib.request.urlopen(url, timeout=60) as page:  # noqa: S310 - the test server, http
            if page.status == 200:
                return
    except urllib.error.HTTPError as exc:
        _, why = server.classpath(server.fetch_jars())
        pytest.fail(f"Neo4j Browser is not served at {url} (HTTP {exc.code}): {why}")


class Requests:
    """Every request and websocket the page opens; those leaving 127.0.0.1 are also stopped."""

    def __init__(self, page: Page) -> None:
        self.urls: list[str] = []
        page.on("request", lambda request: self.urls.append(request.url))
        page.on("websocket", self._websocket)
        page.route(lambda url: not url.startswith(LOCAL), self._stop)

    def _websocket(self, socket: WebSocket) -> None:
        self.urls.append(socket.url)

    @staticmethod
    def _stop(route: Route) -> None:
        route.abort()

    def remote(self) -> list[str]:
        return [url for url in self.urls if not url.startswith(LOCAL)]


def test_browser_captions_an_order_and_a_security_as_the_style_says_and_stays_local(
    neo4j_empty: Driver, store: MemoryStore, chromium: Browser
) -> None:
    sync(neo4j_empty, list(store.nodes()), list(store.edges()))
    context = chromium.new_context(viewport={"width": 1400, "height": 1000})
    try:
        page = context.new_page()
        page.set_default_timeout(WAIT_MS)
        requests = Requests(page)
        require_browser(browser_url(neo4j_empty))
        page.goto(browser_url(neo4j_empty))
        # Its connect form, filled from the server's discovery document: no authentication on it.
        page.get_by_test_id("authenticationMethod").select_option(label="No authentication")
        page.get_by_test_id("connect").click()
        # On connecting, the server's post-connect command applies the style: its frame says so.
        style = page.get_by_test_id("frameCommand").filter(has_text=":style ")
        expect(style).to_have_count(1, timeout=WAIT_MS)
        page.get_by_test_id("activeEditor").click()
        page.keyboard.type(QUERY)
        page.get_by_test_id("editor-Run").click()
        frame = page.get_by_test_id("frame").filter(
            has=page.get_by_test_id("frameCommand").filter(has_text=QUERY)
        )
        captions = frame.locator("svg g.node text")
        expect(captions).to_have_count(2, timeout=WAIT_MS)
        drawn = sorted((text.text_content() or "").strip() for text in captions.all())
        assert drawn == ["EO 13959", "HKEX:1810"]
        # Every other entity keeps its name: the style's first rule.
        page.get_by_test_id("activeEditor").click()
        other = "MATCH (c:Company {id: 'ORG:xiaomi'}) RETURN c"
        page.keyboard.type(other)
        page.get_by_test_id("editor-Run").click()
        frame = page.get_by_test_id("frame").filter(
            has=page.get_by_test_id("frameCommand").filter(has_text=other)
        )
        expect(frame.locator("svg g.node text").first).to_contain_text("Xiaomi", timeout=WAIT_MS)
        assert any(url.startswith("ws://127.0.0.1:") for url in requests.urls)  # Bolt, over websockets
        assert requests.remote() == [], f"requests left 127.0.0.1: {requests.remote()}"
    finally:
        context.close()
