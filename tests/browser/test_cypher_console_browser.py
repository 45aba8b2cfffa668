"""The Cypher console in Chromium, on the app reading a real Neo4j server: parameters as a JSON
object, the server's warnings shown, hostile text shown as text."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from neo4j import Driver
from playwright.sync_api import Locator, Page, expect

from graph.store.memory import MemoryStore
from tests.browser.conftest import (
    Recorder,
    injected_handlers_settled,
    rerun_by,
    shot,
    start_app,
    stop_app,
    wait_idle,
)

pytestmark = pytest.mark.neo4j
HOSTILE = "<img src=x onerror=alert(1)>"


@pytest.fixture(scope="module")
def app_url(neo4j_uri: str, neo4j_schema: Driver, store: MemoryStore) -> Iterator[str]:
    from graph.neo4j_sync import sync

    neo4j_schema.execute_query("MATCH (n) DETACH DELETE n")
    sync(neo4j_schema, list(store.nodes()), list(store.edges()))
    with pytest.MonkeyPatch.context() as env:
        env.setenv("NEO4J_URI", neo4j_uri)
        env.delenv("NEO4J_PASSWORD", raising=False)
        env.setenv("ORDERGRAPH_BACKEND", "neo4j")
        proc, url = start_app()
    yield url
    stop_app(proc)


def _type(page: Page, box: Locator, text: str) -> None:
    """Fill a text area and send it (Ctrl+Enter), so the Run click that follows is its own rerun."""
    box.fill(text)
    rerun_by(page, lambda: box.press("Control+Enter"))


def test_the_console_runs_with_parameters_and_shows_warnings(
    session: tuple[Page, Recorder], app_url: str
) -> None:
    page, recorder = session
    page.goto(app_url + "/?view=explore&entity=ORG:xiaomi")
    wait_idle(page)
    page.locator("summary", has_text="Cypher console (read-only)").click()
    query = page.get_by_role("textbox", name="Cypher", exact=True)
    params = page.get_by_role("textbox", name="Parameters (a JSON object)")
    run = page.get_by_role("button", name="Run", exact=True)
    _type(page, query, "MATCH (o:ExecutiveOrder {number: $n}) RETURN o.signed AS signed, $t AS echoed")
    _type(page, params, '{"n": "14032", "t": "' + HOSTILE + '"}')
    rerun_by(page, run.click)
    expect(page.get_by_text("1 row", exact=True)).to_be_visible()
    page.get_by_text("1 row", exact=True).scroll_into_view_if_needed()
    page.wait_for_timeout(500)  # the grid paints its cells on the next frames
    shot(page, "30-cypher-console-parameters")
    _type(page, params, '{"n": ')
    rerun_by(page, run.click)
    expect(
        page.get_by_text("parameters: not JSON (Expecting value: line 1 column 7 (char 6))")
    ).to_be_visible()
    shot(page, "31-cypher-console-bad-parameters")
    _type(page, query, "MATCH (c:`" + HOSTILE + "`) RETURN count(c) AS n")
    _type(page, params, "")
    rerun_by(page, run.click)
    warned = page.get_by_text("Neo4j warns: ")
    expect(warned).to_contain_text(HOSTILE)  # the label, as text
    warned.scroll_into_view_if_needed()
    shot(page, "32-cypher-console-warning")
    injected_handlers_settled(page)
    assert recorder.dialogs == [] and page.locator("img[src='x']").count() == 0
